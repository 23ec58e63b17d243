// Linking: branches, relocations against .rodata/.data, calls across sections, entry, layout.
#include <gtest/gtest.h>

#include "asm_test_util.h"

namespace coral::assembler::testing {
namespace {

uint32_t text_word(const Assembly& assembly, uint32_t address) { return loaded_word(assembly.elf, address); }

TEST(CoralLinking, LoopBranchesForwardAndBackward) {
  const Assembly assembly = assemble_ok(
      "_start:\n"          // 1
      "  li t0, 4\n"       // 2  0x0
      "loop:\n"            // 3
      "  addi t0, t0, -1\n"  // 4  0x4
      "  beqz t0, done\n"  // 5  0x8 forward to 0x10
      "  j loop\n"         // 6  0xc backward to 0x4
      "done:\n"            // 7
      "  ebreak\n");       // 8  0x10
  EXPECT_EQ(assembly.text_bytes, 20u);
  EXPECT_EQ(imm_b(text_word(assembly, 0x8)), 8);
  EXPECT_EQ(imm_j(text_word(assembly, 0xc)), -8);
  EXPECT_EQ(text_word(assembly, 0x10), 0x00100073u);  // ebreak
  EXPECT_EQ(assembly.line_of(0x0), 2u);
  EXPECT_EQ(assembly.line_of(0x8), 5u);
  EXPECT_EQ(assembly.line_of(0xc), 6u);
  EXPECT_EQ(assembly.line_of(0x10), 8u);
  EXPECT_EQ(assembly.line_of(0x14), 0u);
  ASSERT_EQ(assembly.listing.size(), 5u);
  EXPECT_EQ(assembly.listing[2].address, 0x8u);
  EXPECT_EQ(assembly.listing[2].text.rfind("beqz t0", 0), 0u) << assembly.listing[2].text;
  EXPECT_EQ(assembly.listing[2].line, 5u);
  EXPECT_EQ(assembly.listing[4].text, "ebreak");
}

TEST(CoralLinking, LaLuiAddiAndDataWordsAgreeOnTheRodataTableAddress) {
  const Assembly assembly = assemble_ok(
      "  .text\n"
      "  la a0, table\n"                  // 0x0, 0x4: PCREL_HI20 + PCREL_LO12_I
      "  lui a1, %hi(table+8)\n"          // 0x8: HI20
      "  addi a1, a1, %lo(table+8)\n"     // 0xc: LO12_I
      "  sw a2, %lo(table+4)(a3)\n"       // 0x10: LO12_S
      "  ebreak\n"
      "  .section .rodata\n"
      "  .p2align 4\n"
      "table: .word 10, 20, 30\n"
      "  .data\n"
      "pointer: .word table+4\n");        // R_RISCV_32
  const uint32_t la_address = static_cast<uint32_t>(imm_u(text_word(assembly, 0x0)) + imm_i(text_word(assembly, 0x4)));
  const uint32_t lui_address = static_cast<uint32_t>(imm_u(text_word(assembly, 0x8)) + imm_i(text_word(assembly, 0xc)));
  EXPECT_GE(la_address, 0x10000u);
  EXPECT_EQ(la_address % 16, 0u);
  EXPECT_EQ(lui_address, la_address + 8);
  EXPECT_EQ(static_cast<uint32_t>(imm_s(text_word(assembly, 0x10))), (la_address + 4) & 0xfff);
  EXPECT_EQ(loaded_word(assembly.elf, la_address), 10u);
  EXPECT_EQ(loaded_word(assembly.elf, la_address + 8), 30u);
  // .rodata then .data, each at its alignment.
  const uint32_t pointer_address = la_address + 12;
  EXPECT_EQ(loaded_word(assembly.elf, pointer_address), la_address + 4);
}

TEST(CoralLinking, CallAndRetToFunctionsInTheSameAndAnotherTextSection) {
  const Assembly assembly = assemble_ok(
      "  .text\n"
      "  li a0, 3\n"          // 0x0
      "  call twice\n"        // 0x4, 0x8 resolved by the assembler
      "  call square\n"       // 0xc, 0x10 R_RISCV_CALL_PLT to .text.helpers
      "  ebreak\n"            // 0x14
      "twice:\n"
      "  add a0, a0, a0\n"    // 0x18
      "  ret\n"
      "  .section .text.helpers, \"ax\", @progbits\n"
      "square:\n"
      "  mul a0, a0, a0\n"
      "  ret\n");
  const int32_t first_target = 0x4 + imm_u(text_word(assembly, 0x4)) + imm_i(text_word(assembly, 0x8));
  EXPECT_EQ(first_target, 0x18);
  const int32_t second_target = 0xc + imm_u(text_word(assembly, 0xc)) + imm_i(text_word(assembly, 0x10));
  EXPECT_EQ(second_target, 0x20);  // .text is 0x20 bytes; .text.helpers follows, 4-aligned
  EXPECT_EQ(text_word(assembly, 0x20), 0x02a50533u);  // mul a0, a0, a0
  EXPECT_EQ(text_word(assembly, 0x24), 0x00008067u);  // ret
  EXPECT_EQ(assembly.text_bytes, 0x28u);
}

TEST(CoralLinking, StartSymbolIsTheEntryPoint) {
  const Assembly assembly = assemble_ok(
      "helper:\n  ret\n"
      "  .globl _start\n"
      "_start:\n  call helper\n  ebreak\n");
  EXPECT_EQ(assembly.entry, 4u);
  EXPECT_EQ(parse_elf(assembly.elf).entry, 4u);
}

TEST(CoralLinking, EntryDefaultsToTheFirstTextSection) {
  const Assembly assembly = assemble_ok("main:\n  nop\n  ebreak\n");
  EXPECT_EQ(assembly.entry, 0u);
}

TEST(CoralLinking, BssIsZeroFilledAfterInitialisedData) {
  const Assembly assembly = assemble_ok(
      "  la a0, buffer\n  ebreak\n"
      "  .data\nvalue: .word 0x12345678\n"
      "  .bss\n  .p2align 3\nbuffer: .space 100\n");
  EXPECT_EQ(assembly.data_bytes, 8u + 100u);
  const ElfView view = parse_elf(assembly.elf);
  ASSERT_EQ(view.segments.size(), 2u);
  EXPECT_EQ(view.segments[1].vaddr, 0x10000u);
  EXPECT_EQ(view.segments[1].filesz, 4u);
  EXPECT_EQ(view.segments[1].memsz, 108u);
  EXPECT_EQ(loaded_word(assembly.elf, 0x10000), 0x12345678u);
  EXPECT_EQ(loaded_word(assembly.elf, 0x10008), 0u);
  const int32_t buffer = imm_u(text_word(assembly, 0)) + imm_i(text_word(assembly, 4));
  EXPECT_EQ(buffer, 0x10008);
}

TEST(CoralLinking, ElfHeadersFollowThePlatformContract) {
  const Assembly assembly = assemble_ok("  .globl _start\n_start:\n  nop\n  ebreak\n  .data\n  .word 1, 2\n");
  const ElfView view = parse_elf(assembly.elf);
  EXPECT_EQ(view.elf_class, 1);   // ELFCLASS32
  EXPECT_EQ(view.data, 1);        // little-endian
  EXPECT_EQ(view.type, 2);        // ET_EXEC
  EXPECT_EQ(view.machine, 243);   // EM_RISCV
  EXPECT_EQ(view.phentsize, 32);
  ASSERT_EQ(view.segments.size(), 2u);
  const ProgramHeader& text = view.segments[0];
  EXPECT_EQ(text.type, 1u);  // PT_LOAD
  EXPECT_EQ(text.vaddr, 0u);
  EXPECT_EQ(text.filesz, 8u);
  EXPECT_EQ(text.memsz, 8u);
  EXPECT_EQ(text.flags, 5u);  // R + X
  const ProgramHeader& data = view.segments[1];
  EXPECT_EQ(data.type, 1u);
  EXPECT_EQ(data.vaddr, 0x10000u);
  EXPECT_EQ(data.filesz, 8u);
  EXPECT_EQ(data.flags, 6u);  // R + W
  EXPECT_EQ(read_u32(assembly.elf, text.offset), 0x00000013u);  // nop
  EXPECT_EQ(read_u32(assembly.elf, data.offset + 4), 2u);
}

TEST(CoralLinking, TextOnlyProgramHasOneSegment) {
  const Assembly assembly = assemble_ok("  ebreak\n");
  EXPECT_EQ(parse_elf(assembly.elf).segments.size(), 1u);
  EXPECT_EQ(assembly.data_bytes, 0u);
}

TEST(CoralLinking, DebugSectionsAreNotLoaded) {
  const Assembly assembly = assemble_ok("  nop\n  ebreak\n");
  // The object carries DWARF for the line table; none of it may reach the loaded image.
  for (const ProgramHeader& segment : parse_elf(assembly.elf).segments) EXPECT_LE(segment.memsz, 8u);
}

}  // namespace
}  // namespace coral::assembler::testing
