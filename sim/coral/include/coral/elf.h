// A minimal ELF32 RISC-V executable reader (our own; no libelf). Only what the simulator needs:
// the entry point and the PT_LOAD segments.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace coral {

// A malformed or unsupported file. The message names the header field or segment and what
// was expected.
class ElfError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ElfSegment {
  uint32_t vaddr = 0;
  uint32_t mem_size = 0;       // bytes beyond data.size() are zero-filled
  bool executable = false;     // PF_X
  bool writable = false;       // PF_W
  std::vector<uint8_t> data;   // p_filesz bytes
};

struct ElfImage {
  uint32_t entry = 0;
  std::vector<ElfSegment> segments;  // PT_LOAD only, in file order
};

// Checks every header field used (magic, class ELF32, little-endian, version, ET_EXEC,
// EM_RISCV, header sizes, table bounds, segment bounds and overflow). Throws ElfError.
ElfImage parse_elf(const std::vector<uint8_t>& bytes);

}  // namespace coral
