// Assembly text -> ELF32 relocatable object in memory, through LLVM MC, with every LLVM
// diagnostic captured (nothing is printed) and mapped to kernel source lines.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "coral/asm/assembler.h"

namespace coral::assembler {

struct ObjectAssembly {
  std::vector<uint8_t> object;  // empty when an error was reported
  std::vector<Diagnostic> diagnostics;
};

// With `generate_line_info`, the object carries a DWARF line table of the source's lines.
ObjectAssembly assemble_to_object(const std::string& source, const std::string& source_name,
                                  bool generate_line_info);

}  // namespace coral::assembler
