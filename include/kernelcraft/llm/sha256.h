// SHA-256 hex digests (OpenSSL), for cache keys and kernel fingerprints.
#pragma once

#include <string>

namespace kc::llm {

std::string sha256_hex(const std::string& bytes);

}  // namespace kc::llm
