// Helpers for the coral_asm tests: assemble-or-fail, read back the ELF we wrote, find words.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "coral/asm/assembler.h"

namespace coral::assembler::testing {

inline std::string describe(const Assembly& assembly) {
  std::string text;
  for (const Diagnostic& diagnostic : assembly.diagnostics) text += diagnostic.to_string() + "\n";
  return text;
}

inline AssembleOptions small_options() {
  AssembleOptions options;
  options.itcm_size = 8 * 1024;
  options.dtcm_size = 32 * 1024;
  return options;
}

inline uint32_t read_u32(const std::vector<uint8_t>& bytes, std::size_t offset) {
  return uint32_t{bytes.at(offset)} | uint32_t{bytes.at(offset + 1)} << 8 | uint32_t{bytes.at(offset + 2)} << 16 |
         uint32_t{bytes.at(offset + 3)} << 24;
}
inline uint16_t read_u16(const std::vector<uint8_t>& bytes, std::size_t offset) {
  return static_cast<uint16_t>(bytes.at(offset) | bytes.at(offset + 1) << 8);
}

struct ProgramHeader {
  uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

struct ElfView {
  uint16_t type = 0, machine = 0, phentsize = 0, phnum = 0;
  uint8_t elf_class = 0, data = 0;
  uint32_t entry = 0;
  std::vector<ProgramHeader> segments;
};

inline ElfView parse_elf(const std::vector<uint8_t>& elf) {
  ElfView view;
  EXPECT_GE(elf.size(), 52u);
  if (elf.size() < 52) return view;
  EXPECT_EQ(elf[0], 0x7f);
  EXPECT_EQ(elf[1], 'E');
  EXPECT_EQ(elf[2], 'L');
  EXPECT_EQ(elf[3], 'F');
  view.elf_class = elf[4];
  view.data = elf[5];
  view.type = read_u16(elf, 16);
  view.machine = read_u16(elf, 18);
  view.entry = read_u32(elf, 24);
  const uint32_t phoff = read_u32(elf, 28);
  view.phentsize = read_u16(elf, 42);
  view.phnum = read_u16(elf, 44);
  for (uint32_t i = 0; i < view.phnum; ++i) {
    const std::size_t at = phoff + std::size_t{i} * view.phentsize;
    view.segments.push_back(ProgramHeader{read_u32(elf, at), read_u32(elf, at + 4), read_u32(elf, at + 8),
                                          read_u32(elf, at + 12), read_u32(elf, at + 16), read_u32(elf, at + 20),
                                          read_u32(elf, at + 24), read_u32(elf, at + 28)});
  }
  return view;
}

// The loaded memory word at `address` according to the ELF's PT_LOAD segments (zero fill
// included); fails the test when no segment covers it.
inline uint32_t loaded_word(const std::vector<uint8_t>& elf, uint32_t address) {
  const ElfView view = parse_elf(elf);
  for (const ProgramHeader& segment : view.segments) {
    if (address < segment.vaddr || address + 4 > segment.vaddr + segment.memsz) continue;
    const uint32_t offset = address - segment.vaddr;
    if (offset + 4 <= segment.filesz) return read_u32(elf, segment.offset + offset);
    return 0;
  }
  ADD_FAILURE() << "no segment covers address " << address;
  return 0;
}

inline Assembly assemble_ok(const std::string& source, const AssembleOptions& options = {}) {
  Assembly assembly = assemble(source, options);
  EXPECT_TRUE(assembly.ok) << describe(assembly);
  return assembly;
}

inline const Diagnostic* find_diagnostic(const Assembly& assembly, const std::string& severity,
                                         const std::string& fragment) {
  for (const Diagnostic& diagnostic : assembly.diagnostics)
    if (diagnostic.severity == severity && diagnostic.message.find(fragment) != std::string::npos) return &diagnostic;
  return nullptr;
}

// Sign-extended immediates of the RISC-V formats used to check relocated words.
inline int32_t imm_i(uint32_t word) { return static_cast<int32_t>(word) >> 20; }
inline int32_t imm_u(uint32_t word) { return static_cast<int32_t>(word & 0xfffff000u); }
inline int32_t imm_s(uint32_t word) {
  return (static_cast<int32_t>(word & 0xfe000000u) >> 20) | static_cast<int32_t>((word >> 7) & 0x1f);
}
inline int32_t imm_b(uint32_t word) {
  const uint32_t raw = ((word >> 31) & 1) << 12 | ((word >> 7) & 1) << 11 | ((word >> 25) & 0x3f) << 5 |
                       ((word >> 8) & 0xf) << 1;
  return static_cast<int32_t>(raw << 19) >> 19;
}
inline int32_t imm_j(uint32_t word) {
  const uint32_t raw = ((word >> 31) & 1) << 20 | ((word >> 12) & 0xff) << 12 | ((word >> 20) & 1) << 11 |
                       ((word >> 21) & 0x3ff) << 1;
  return static_cast<int32_t>(raw << 11) >> 11;
}

}  // namespace coral::assembler::testing
