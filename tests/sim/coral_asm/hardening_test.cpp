// Untrusted sources: file access, expansion bombs, huge fills and size limits are refused
// before (or instead of) doing the work.
#include <gtest/gtest.h>

#include "asm_test_util.h"

namespace coral::assembler::testing {
namespace {

const Diagnostic& refused(const std::string& source, const std::string& fragment, const AssembleOptions& options = {}) {
  static Assembly assembly;
  assembly = assemble(source, options);
  EXPECT_FALSE(assembly.ok) << source;
  EXPECT_TRUE(assembly.elf.empty());
  const Diagnostic* diagnostic = find_diagnostic(assembly, "error", fragment);
  if (diagnostic == nullptr) {
    ADD_FAILURE() << "no error containing '" << fragment << "' for:\n" << source << "\ngot:\n" << describe(assembly);
    static const Diagnostic none;
    return none;
  }
  return *diagnostic;
}

TEST(CoralHardening, IncbinAndIncludeAreRefusedOnTheirLine) {
  EXPECT_EQ(refused("  nop\n  .incbin \"/etc/passwd\"\n", "'.incbin' is not allowed").line, 2u);
  EXPECT_EQ(refused("  .include \"/etc/passwd\"\n", "'.include' is not allowed").line, 1u);
  EXPECT_EQ(refused("  .INCBIN \"/etc/passwd\"\n", "not allowed").line, 1u);
  EXPECT_EQ(refused("x: .incbin \"/etc/passwd\", 0, 4\n", "not allowed").column, 4u);
}

TEST(CoralHardening, DirectivesSmuggledThroughMacrosAreRefused) {
  refused(".macro m d\n  \\d \"/etc/passwd\"\n.endm\n  m .incbin\n", "may not be passed");
  refused(".macro m d\n  .inc\\d \"/etc/passwd\"\n.endm\n  m bin\n", "may not be built from macro arguments");
  refused(".irp d, .include\n  \\d \"/etc/passwd\"\n.endr\n", "may not be passed");
  refused(".macro m d=.incbin\n  \\d \"/etc/passwd\"\n.endm\n  m\n", "may not be passed");
  refused(".altmacro\n", "not allowed");
}

TEST(CoralHardening, MacroParameterAsAWholeMnemonicIsAllowed) {
  const Assembly assembly = assemble_ok(".macro op3 name\n  \\name a0, a1, a2\n.endm\n  op3 add\n  op3 mul\n  ebreak\n");
  ASSERT_EQ(assembly.listing.size(), 3u);
  EXPECT_EQ(assembly.listing[1].text, "mul a0, a1, a2");
}

TEST(CoralHardening, PrintIsRefusedBecauseItWritesToStdout) { refused("  .print \"hello\"\n", "standard output"); }

TEST(CoralHardening, ReptBombIsRefusedBeforeExpansion) {
  const Diagnostic& diagnostic =
      refused("  nop\n.rept 100000\n.rept 100000\n.rept 100000\n  nop\n.endr\n.endr\n.endr\n", "multiply to more than");
  EXPECT_EQ(diagnostic.line, 3u);
  refused(".rept 1000000000\n  nop\n.endr\n", "out of range");
  refused(".irp a, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16\n.irp b, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16\n"
          ".irp c, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16\n.irp d, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16\n"
          ".irp e, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16\n.irp f, 1,2\n  nop\n.endr\n.endr\n.endr\n.endr\n.endr\n.endr\n",
          "multiply to more than");
}

TEST(CoralHardening, ReptCountsMustBeConstant) {
  refused("here:\n.rept here\n  nop\n.endr\n", "constant repeat count");
  refused("  .set N, 1000000000\n.rept N\n  nop\n.endr\n", "out of range");  // a named count is bounded too
  const Assembly assembly = assemble_ok(".rept 2*2\n  nop\n.endr\n  ebreak\n");
  EXPECT_EQ(assembly.text_bytes, 20u);
}

TEST(CoralHardening, MacroExpansionBombsAreRefused) {
  std::string source = ".macro m0\n  nop\n  nop\n  nop\n  nop\n.endm\n";
  for (int level = 1; level <= 12; ++level) {
    const std::string inner = "m" + std::to_string(level - 1);
    source += ".macro m" + std::to_string(level) + "\n  " + inner + "\n  " + inner + "\n  " + inner + "\n  " + inner +
              "\n.endm\n";
  }
  source += "  m12\n";
  refused(source, "bytes of output");
  refused(".macro again\n  nop\n  again\n.endm\n  again\n", "recursive");
}

TEST(CoralHardening, HugeFillsAreRefused) {
  EXPECT_EQ(refused("  nop\n  .space 0x40000000\n", "larger than any memory").line, 2u);
  refused("  .zero 2000000000\n", "larger than any memory");
  refused("  .fill 1000000000, 4, 0\n", "larger than any memory");
  refused("  .set SIZE, 1000000000\n  .skip SIZE\n", "larger than any memory");
  refused("  .org 0x7fffffff\n", "larger than any memory");
  refused(".rept 1000\n  .space 1000000\n.endr\n", "bytes of output");
  refused("  .p2align 30\n", "alignment");
  refused("  .balign 0x40000000\n", "alignment");
}

TEST(CoralHardening, TargetChangingOptionsAreRefused) {
  refused("  .option rvc\n  c.nop\n", ".option rvc");
  refused("  .option relax\n", ".option relax");
  refused("  .option pic\n", ".option pic");
  refused("  .attribute arch, \"rv32gc\"\n", "outside the Coral target");
  refused("  .attribute 5, \"rv32i2p0_m2p0_a2p0\"\n", "'a'");
  const Assembly allowed = assemble("  .option push\n  .option norvc\n  .option pop\n  ebreak\n", {});
  EXPECT_TRUE(allowed.ok) << describe(allowed);
}

TEST(CoralHardening, ProgramTooLargeForItcm) {
  const Diagnostic& diagnostic = refused(".rept 3000\n  nop\n.endr\n", "program too large", small_options());
  EXPECT_EQ(diagnostic.message.rfind("program too large", 0), 0u) << diagnostic.message;
  EXPECT_NE(diagnostic.message.find("12000"), std::string::npos) << diagnostic.message;
  EXPECT_NE(diagnostic.message.find("8192"), std::string::npos) << diagnostic.message;
}

TEST(CoralHardening, ProgramTooLargeForDtcmMinusStackReserve) {
  // coral_small: DTCM 32 KiB minus a 4 KiB stack reserve leaves 28672 bytes.
  const Diagnostic& diagnostic = refused("  ebreak\n  .bss\n  .space 28676\n", "program too large", small_options());
  EXPECT_EQ(diagnostic.message.rfind("program too large", 0), 0u) << diagnostic.message;
  EXPECT_NE(diagnostic.message.find("28676"), std::string::npos) << diagnostic.message;
  EXPECT_NE(diagnostic.message.find("28672"), std::string::npos) << diagnostic.message;
  const Assembly fits = assemble("  ebreak\n  .data\n  .space 28672\n", small_options());
  EXPECT_TRUE(fits.ok) << describe(fits);
}

TEST(CoralHardening, SizesMayUseNamesDefinedOnceByEqu) {
  const Assembly assembly =
      assemble_ok("  .equ K, 128\n  .equ BYTES, K * 4\nK2 = 2\n  .bss\nbuf: .space BYTES\n  .text\n"
                  "  .rept K2\n  nop\n  .endr\n  ebreak\n");
  EXPECT_EQ(assembly.data_bytes, 512u);
  EXPECT_EQ(assembly.listing.size(), 3u);
  // Named sizes are bounded like literal ones.
  refused("  .equ HUGE, 1 << 30\n  .space HUGE\n", "larger than any memory");
  refused("  .equ N, 1 << 12\n  .rept N * N\n  nop\n  .endr\n", "out of range");
}

TEST(CoralHardening, SubsectionOperandsGluedToTheDirectiveAreScreenedToo) {
  // LLVM's lexer ends `.text` at the quote or parenthesis; the screen must see the same operand
  // (fuzz_coral_assembler, corpus/coral_assembler/regress-text-quote-subsection.s).
  refused("  .text\" nasr.\n  nop\n", "constant subsection number");
  refused("  .text(1+b)\n  nop\n", "constant subsection number");
  refused("  .data\"x\"\n  nop\n", "constant subsection number");
  // Every section-switch directive takes one (regress-tdata-subsection.s).
  for (const char* directive : {".rodata", ".tdata", ".tbss", ".data.rel", ".data.rel.ro", ".eh_frame"})
    refused(std::string("  ") + directive + " than its DTCM.\n  nop\n", "constant subsection number");
}

TEST(CoralHardening, AssigningTheLocationCounterIsRefused) {
  refused(".=2\n", "location counter");
  refused("  nop\n  . = . + 8\n  ebreak\n", "location counter");
  refused("  .set ., 4\n", "location counter");
}

TEST(CoralHardening, SymbolValuesDividingByAConstantZeroAreRefused) {
  EXPECT_EQ(refused("  nop\n.equ _,0/0\n", "divides by zero").line, 2u);
  refused("  .set x, 5 % (2-2)\n", "divides by zero");
  refused("  N = 4\n  M = 8 / (N - 4)\n", "divides by zero");
  // A divisor that is not a constant is LLVM's to report; it does so without aborting.
  const Assembly unknown = assemble("  .equ x, y/0\n  nop\n", {});
  EXPECT_FALSE(unknown.ok);
  EXPECT_EQ(find_diagnostic(unknown, "error", "divides by zero"), nullptr);
}

TEST(CoralHardening, NamesALoopOrASecondDefinitionCouldChangeAreNotConstant) {
  refused("  .set N, 1\n  .set N, 2\n  .space N\n", "needs a constant size");
  refused("  .rept 2\n  .set N, 8\n  .endr\n  .space N\n", "needs a constant size");
  refused("label:\n  .space label\n", "needs a constant size");
}

TEST(CoralHardening, ControlCharactersAreRefusedWithTheirPosition) {
  const Diagnostic& bell = refused(".macro addn g n\n\x07.endm\naddn \n", "control character 0x07");
  EXPECT_EQ(bell.line, 2u);
  EXPECT_EQ(bell.column, 1u);
  EXPECT_EQ(refused("  nop\n  ebreak \x7f\n", "control character 0x7F").column, 10u);
  assemble_ok("\tnop\r\n\tebreak\n");
}

}  // namespace
}  // namespace coral::assembler::testing
