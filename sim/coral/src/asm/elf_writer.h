// Writes a Coral executable: ELF32 little-endian EM_RISCV ET_EXEC with PT_LOAD segments and a
// small section table (.text, .data, .bss, .shstrtab). Same input, same bytes.
#pragma once

#include <cstdint>
#include <vector>

namespace coral::assembler {

struct ExecutableImage {
  uint32_t flags = 0;  // e_flags
  uint32_t entry = 0;
  uint32_t text_address = 0;
  std::vector<uint8_t> text;
  uint32_t data_address = 0;
  std::vector<uint8_t> data;       // initialised bytes
  uint32_t data_memory_bytes = 0;  // >= data.size(); the rest is zero-filled
};

std::vector<uint8_t> write_executable(const ExecutableImage& image);

}  // namespace coral::assembler
