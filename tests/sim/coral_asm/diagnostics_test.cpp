// Diagnostics: what is wrong, on which line and column, with a hint; warnings keep the program.
#include <gtest/gtest.h>

#include "asm_test_util.h"

namespace coral::assembler::testing {
namespace {

void expect_error(const std::string& source, const std::string& fragment, uint32_t line, uint32_t column) {
  const Assembly assembly = assemble(source, {});
  EXPECT_FALSE(assembly.ok);
  EXPECT_TRUE(assembly.elf.empty());
  const Diagnostic* diagnostic = find_diagnostic(assembly, "error", fragment);
  ASSERT_NE(diagnostic, nullptr) << "no error containing '" << fragment << "' in:\n" << describe(assembly);
  EXPECT_EQ(diagnostic->line, line) << diagnostic->to_string();
  if (column != 0) {
    EXPECT_EQ(diagnostic->column, column) << diagnostic->to_string();
  }
}

TEST(CoralDiagnostics, UnknownMnemonicHasLineColumnAndTargetHint) {
  expect_error("  nop\n  vfrobnicate v1, v2\n", "unrecognized instruction mnemonic", 2, 3);
  const Assembly assembly = assemble("  nop\n  vfrobnicate v1, v2\n", {});
  ASSERT_FALSE(assembly.diagnostics.empty());
  EXPECT_NE(assembly.diagnostics[0].hint.find("RV32IMF"), std::string::npos);
}

TEST(CoralDiagnostics, BadOperandPointsAtTheOperand) {
  expect_error("  addi a0, a1, 5000\n", "integer in the range [-2048, 2047]", 1, 16);
  expect_error("  nop\n  add a0, a1\n", "too few operands", 2, 3);
}

TEST(CoralDiagnostics, UndefinedSymbolIsNamedWithItsLine) {
  expect_error("  nop\n  nop\n  call missing_function\n  ebreak\n", "undefined symbol 'missing_function'", 3, 0);
  expect_error("  la a0, missing_table\n", "undefined symbol 'missing_table'", 1, 0);
}

TEST(CoralDiagnostics, UndefinedSymbolIsReportedOnce) {
  const Assembly assembly = assemble("  call f\n  call f\n  ebreak\n", {});
  EXPECT_EQ(assembly.error_count(), 1u) << describe(assembly);
}

TEST(CoralDiagnostics, InstructionsNeedingDisabledFeaturesAreErrors) {
  expect_error("  nop\n  fadd.d fa0, fa1, fa2\n", "'D'", 2, 3);
  expect_error("  vle64.v v8, (a1)\n", "Zve64x", 1, 3);
  expect_error("  c.addi a0, 1\n", "'C'", 1, 3);
}

TEST(CoralDiagnostics, ErrorsInsideMacrosPointAtTheInvocation) {
  const std::string source =
      ".macro twice op\n"
      "  \\op\n"
      "  \\op\n"
      ".endm\n"
      "  nop\n"
      "  twice bogus\n";
  expect_error(source, "unrecognized instruction mnemonic", 6, 3);
  const Assembly assembly = assemble(source, {});
  for (const Diagnostic& diagnostic : assembly.diagnostics) EXPECT_EQ(diagnostic.line, 6u) << diagnostic.to_string();
}

TEST(CoralDiagnostics, BranchOutOfReachAcrossSectionsIsAnError) {
  expect_error("  nop\n  beq a0, a1, far\n  .section .text.far, \"ax\"\n  .space 8192\nfar: ebreak\n",
               "out of reach", 2, 0);
}

TEST(CoralDiagnostics, BranchOutOfReachWithinASectionIsAnError) {
  expect_error("  beq a0, a1, far\n  .space 8192\nfar: ebreak\n", "fixup value out of range", 1, 0);
}

TEST(CoralDiagnostics, WarningsKeepTheProgram) {
  const Assembly assembly = assemble("  nop\n  .warning \"check this\"\n  ebreak\n", {});
  EXPECT_TRUE(assembly.ok) << describe(assembly);
  EXPECT_FALSE(assembly.elf.empty());
  const Diagnostic* warning = find_diagnostic(assembly, "warning", "check this");
  ASSERT_NE(warning, nullptr) << describe(assembly);
  EXPECT_EQ(warning->line, 2u);
}

TEST(CoralDiagnostics, ASourceWithoutInstructionsIsAnError) {
  for (const char* source : {"", "# nothing here\n/* or\n here */\n", "  .data\nx: .word 1\n"}) {
    const Assembly assembly = assemble(source, {});
    EXPECT_FALSE(assembly.ok) << source;
    EXPECT_TRUE(assembly.elf.empty());
    EXPECT_NE(find_diagnostic(assembly, "error", "no instructions"), nullptr) << describe(assembly);
  }
}

TEST(CoralDiagnostics, ToStringCarriesLineColumnSeverityAndHint) {
  Diagnostic diagnostic;
  diagnostic.severity = "error";
  diagnostic.line = 3;
  diagnostic.column = 7;
  diagnostic.message = "bad thing";
  diagnostic.hint = "do the good thing";
  EXPECT_EQ(diagnostic.to_string(), "3:7: error: bad thing (hint: do the good thing)");
}

TEST(CoralDiagnostics, StartOutsideTextIsAnError) {
  expect_error("  ebreak\n  .data\n  .globl _start\n_start: .word 1\n", "_start", 0, 0);
}

}  // namespace
}  // namespace coral::assembler::testing
