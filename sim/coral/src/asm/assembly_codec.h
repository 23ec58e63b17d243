// The wire format between the caller and the isolated assembler process (asm_worker):
//   request:  one line of JSON with the AssembleOptions, then the kernel source as raw bytes
//             (kept out of JSON because a kernel need not be valid UTF-8);
//   response: one JSON document holding the whole Assembly (ELF bytes in hex).
#pragma once

#include <string>

#include "coral/asm/assembler.h"

namespace coral::assembler {

std::string encode_request(const std::string& source, const AssembleOptions& options);
// Throws std::runtime_error naming the field when the request is malformed.
void decode_request(const std::string& request, std::string& source, AssembleOptions& options);

std::string encode_assembly(const Assembly& assembly);
// Throws std::runtime_error naming the field when the document is not a complete Assembly.
Assembly decode_assembly(const std::string& document);

}  // namespace coral::assembler
