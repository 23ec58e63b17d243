// Source lines of code bytes, read from the DWARF line table of a relocatable object (LLVM
// writes one when generating debug info for assembly). Offsets are section-relative.
#pragma once

#include <cstdint>
#include <vector>

namespace coral::assembler {

struct SectionLineRange {
  uint32_t section = 0;  // ELF section index
  uint32_t begin = 0, end = 0;
  uint32_t line = 0;
};

// Empty when the object has no (readable) line table; never fails.
std::vector<SectionLineRange> read_line_ranges(const std::vector<uint8_t>& object);

}  // namespace coral::assembler
