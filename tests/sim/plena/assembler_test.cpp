#include "plena/assembler.h"

#include <gtest/gtest.h>

#include "isa_test_util.h"

#include <string>
#include <vector>

namespace plena {
namespace {

AssemblyResult assemble_text(const std::string& source, const HardwareConfig& config = {}) {
  return assemble(source, config);
}

std::string all_diagnostics(const AssemblyResult& result) {
  std::string text;
  for (const Diagnostic& d : result.diagnostics) text += d.to_string() + "\n";
  return text;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

struct Expected {
  uint32_t line;
  uint32_t column;
  std::vector<std::string> message_parts;
  std::vector<std::string> hint_parts = {};
  Diagnostic::Severity severity = Diagnostic::Severity::Error;
};

void expect_diagnostic(const Diagnostic& d, const Expected& e) {
  SCOPED_TRACE(d.to_string());
  EXPECT_EQ(d.severity, e.severity);
  EXPECT_EQ(d.line, e.line);
  EXPECT_EQ(d.column, e.column);
  for (const std::string& part : e.message_parts) EXPECT_TRUE(contains(d.message, part)) << part;
  for (const std::string& part : e.hint_parts) EXPECT_TRUE(contains(d.hint, part)) << part;
}

// Assembles `source` and expects exactly one diagnostic, matching `expected`.
void expect_only(const std::string& source, const Expected& expected,
                 const HardwareConfig& config = {}) {
  SCOPED_TRACE(source);
  const AssemblyResult result = assemble_text(source, config);
  ASSERT_EQ(result.diagnostics.size(), 1u) << all_diagnostics(result);
  expect_diagnostic(result.diagnostics[0], expected);
  const bool is_error = expected.severity == Diagnostic::Severity::Error;
  EXPECT_EQ(result.ok(), !is_error);
}

// The first word `source` assembles to.
uint32_t word_of(const std::string& source) {
  const AssemblyResult result = assemble_text(source);
  EXPECT_TRUE(result.ok()) << source << "\n" << all_diagnostics(result);
  return result.program.words.empty() ? 0 : result.program.words[0];
}

// ---------------------------------------------------------------------------------------------
// Accepted syntax.

TEST(AssemblerSyntax, AcceptsCaseCommentsSpacingAndNumberForms) {
  const AssemblyResult result = assemble_text(
      "; full-line comment\n"
      "\n"
      "m_mm 0, GP2, Gp4          # trailing comment\n"
      "S_ADDI_INT   gp1 ,gp0 ,  -5;comment right after\n"
      "s_addi_int gp1, gp0, 0x80\n"
      "V_SHIFT_V gp1, gp2, gp3\n"
      "\tM_BMM 0, gp1, gp2\n");
  ASSERT_TRUE(result.ok()) << all_diagnostics(result);
  EXPECT_TRUE(result.diagnostics.empty()) << all_diagnostics(result);
  ASSERT_EQ(result.program.size(), 5u);
  EXPECT_EQ(result.program.words[0], 0x00010801u);  // M_MM 0, gp2, gp4
  EXPECT_EQ(result.program.instructions[1].imm, -5);
  EXPECT_EQ(result.program.words[2], 0x00200062u);  // S_ADDI_INT gp1, gp0, 128
  EXPECT_EQ(result.program.instructions[3].opcode(), Opcode::V_SHFT_V);
  EXPECT_EQ(result.program.instructions[4].rd, 0);  // GpOrZero literal 0 is gp0
  const std::vector<uint32_t> lines = {3, 4, 5, 6, 7};
  for (std::size_t i = 0; i < lines.size(); ++i)
    EXPECT_EQ(result.program.instructions[i].source_line, lines[i]);
}

TEST(AssemblerSyntax, OptionalTrailingPlaceholdersMayBeOmitted) {
  // C_LOOP_START gp4, 1: 0x2F | 4<<6 (0x100) | 1<<10 (0x400) = 0x0000052F
  EXPECT_EQ(word_of("C_LOOP_START gp4, 1\nC_LOOP_END gp4"), 0x0000052Fu);
  const AssemblyResult both = assemble_text(
      "C_LOOP_START gp4, 2\nC_LOOP_END gp4\n"
      "C_LOOP_START gp4, 2\nC_LOOP_END gp4, 0\n");
  ASSERT_TRUE(both.ok()) << all_diagnostics(both);
  EXPECT_EQ(both.program.words[1], both.program.words[3]);
  EXPECT_EQ(word_of("C_BREAK"), word_of("C_BREAK 0, 0, 0"));
  EXPECT_EQ(word_of("C_BREAK"), 0x34u);
  EXPECT_EQ(word_of("M_MM gp0, gp2, gp4"), word_of("M_MM 0, gp2, gp4"));  // gp0 as placeholder
}

TEST(AssemblerSyntax, AcceptsTheEdgesOfEveryImmediateRange) {
  EXPECT_EQ(word_of("S_ADDI_INT gp1, gp0, -131072") >> 14, 0x20000u);
  EXPECT_EQ(word_of("S_ADDI_INT gp1, gp0, 131071") >> 14, 0x1FFFFu);
  EXPECT_EQ(word_of("S_LD_INT gp1, gp2, 262143") >> 14, 0x3FFFFu);
  EXPECT_EQ(word_of("S_LUI_INT gp1, 0xFFFFF") >> 10, 0xFFFFFu);
  EXPECT_EQ(word_of("C_LOOP_START gp1, 4194303\nC_LOOP_END gp1") >> 10, 0x3FFFFFu);
}

// ---------------------------------------------------------------------------------------------
// Disassembly.

TEST(Disassembler, CanonicalText) {
  const AssemblyResult result = assemble_text(
      "m_mm 0, GP2, gp4\n"
      "S_ADDI_INT gp1, gp0, -5\n"
      "H_PREFETCH_V gp3, gp2, A0, 1, 0\n"
      "C_LOOP_START gp4, 3\n"
      "C_LOOP_END gp4, 0\n"
      "C_BREAK 0, 0, 0\n"
      "V_SUB_VF gp1, gp2, f3, 1, 0\n"
      "M_BMM 0, gp1, gp2\n"
      "S_LUI_INT gp2, 0x10\n");
  ASSERT_TRUE(result.ok()) << all_diagnostics(result);
  EXPECT_EQ(disassemble(result.program.instructions[0]), "M_MM 0, gp2, gp4");
  EXPECT_EQ(disassemble(result.program),
            "M_MM 0, gp2, gp4\n"
            "S_ADDI_INT gp1, gp0, -5\n"
            "H_PREFETCH_V gp3, gp2, a0, 1, 0\n"
            "C_LOOP_START gp4, 3\n"
            "C_LOOP_END gp4\n"
            "C_BREAK\n"
            "V_SUB_VF gp1, gp2, f3, 1, 0\n"
            "M_BMM gp0, gp1, gp2\n"
            "S_LUI_INT gp2, 16\n");
}

TEST(Disassembler, EveryRowReassemblesToTheSameWord) {
  for (const InstrDef& def : instruction_table()) {
    Instruction inst;
    inst.def = &def;
    for (std::size_t i = 0; i < def.operand_count(); ++i)
      set_field_value(inst, def.operands[i].field, test::sample_value(def.operands[i].kind, i));
    const std::string text = disassemble(inst);
    // Loop instructions only assemble in pairs; wrap them so the structure check passes.
    std::string source = text;
    if (def.opcode == Opcode::C_LOOP_START) source += "\nC_LOOP_END gp9";
    if (def.opcode == Opcode::C_LOOP_END) source = "C_LOOP_START gp9, 1\n" + text;
    const AssemblyResult result = assemble_text(source);
    ASSERT_TRUE(result.ok()) << source << "\n" << all_diagnostics(result);
    const std::size_t index = def.opcode == Opcode::C_LOOP_END ? 1 : 0;
    EXPECT_EQ(result.program.words.at(index), encode(inst)) << text;
    EXPECT_EQ(disassemble(result.program.instructions.at(index)), text);
  }
}

// ---------------------------------------------------------------------------------------------
// Diagnostics: mnemonics.

TEST(AssemblerDiagnostics, UnknownMnemonicSuggestsTheNearest) {
  expect_only("S_ADDI_INT gp1, gp0, 1\n  M_MMT 0, gp1, gp2",
              {2, 3, {"unknown instruction 'M_MMT'"}, {"did you mean", "M_TMM"}});
  expect_only("S_ADDI gp1, gp0, 1", {1, 1, {"'S_ADDI'"}, {"did you mean S_ADDI_INT?"}});
  expect_only("h_prefech_v gp1, gp2, a0, 0, 0", {1, 1, {"unknown"}, {"H_PREFETCH_V"}});
  expect_only("FOO gp1", {1, 1, {"unknown instruction 'FOO'"}, {"M_ (matrix)", "C_ (control)"}});
  expect_only("loop:", {1, 1, {"'loop:'"}, {"no labels"}});
  expect_only("V_TOPK gp1, gp2", {1, 1, {"'V_TOPK'"}, {"later PLENA extension"}});
}

// ---------------------------------------------------------------------------------------------
// Diagnostics: operand count.

TEST(AssemblerDiagnostics, WrongOperandCountShowsTheSyntax) {
  expect_only("M_MM gp1, gp2",
              {1, 1, {"M_MM expects 3 operands, found 2"}, {"M_MM 0, matrix addr, vector addr"}});
  // Extra operands point at the first one too many: "S_ADD_INT gp1, gp2, gp3, gp4", col 26.
  expect_only("S_ADD_INT gp1, gp2, gp3, gp4",
              {1, 26, {"S_ADD_INT expects 3 operands, found 4"}, {"S_ADD_INT rd, rs1, rs2"}});
  expect_only("C_BREAK 0, 0, 0, 0",
              {1, 18, {"expects 0 to 3 operands, found 4"}, {"C_BREAK [0, 0, 0]"}});
  expect_only("C_LOOP_START gp1, 1\nC_LOOP_END",
              {2, 1, {"expects 1 to 2 operands, found 0"}, {"C_LOOP_END counter [, 0]"}});
  expect_only("H_STORE_V gp1, gp2, a0",
              {1,
               1,
               {"expects 5 operands, found 3"},
               {"H_STORE_V vector addr, hbm offset, hbm base a-reg, rstride, precision"}});
}

// ---------------------------------------------------------------------------------------------
// Diagnostics: registers.

TEST(AssemblerDiagnostics, RegisterOutOfRange) {
  // Columns: "S_ADD_INT gp16, gp1, gp2" -> gp16 at 11.
  expect_only(
      "S_ADD_INT gp16, gp1, gp2",
      {1, 11, {"operand 1 of S_ADD_INT", "'gp16' does not exist"}, {"registers are gp0-gp15"}});
  // "V_ADD_VF gp1, gp2, f8, 0" -> f8 at 20.
  expect_only("V_ADD_VF gp1, gp2, f8, 0",
              {1, 20, {"'f8' does not exist"}, {"registers are f0-f7"}});
  // "H_PREFETCH_V gp1, gp2, a9, 0, 0" -> a9 at 24.
  expect_only("H_PREFETCH_V gp1, gp2, a9, 0, 0",
              {1, 24, {"'a9' does not exist"}, {"registers are a0-a7"}});
  expect_only("C_SET_ADDR_REG a8, gp1, gp2", {1, 16, {"'a8' does not exist"}, {"a0-a7"}});
}

TEST(AssemblerDiagnostics, WrongRegisterClass) {
  // "M_MM 0, f1, gp2" -> f1 at 9.
  expect_only("M_MM 0, f1, gp2",
              {1,
               9,
               {"operand 2 of M_MM: expected a gp register (matrix addr), found 'f1'"},
               {"gp0-gp15"}});
  // "V_MUL_VF gp1, gp2, gp3, 0" -> gp3 at 20.
  expect_only("V_MUL_VF gp1, gp2, gp3, 0",
              {1, 20, {"expected an f register (scalar f-reg), found 'gp3'"}, {"f0-f7"}});
  // "H_STORE_V gp1, gp2, gp3, 0, 0" -> gp3 at 21.
  expect_only("H_STORE_V gp1, gp2, gp3, 0, 0",
              {1, 21, {"expected an a register (hbm base a-reg), found 'gp3'"}, {"a0-a7"}});
  expect_only("S_ADD_FP f1, a2, f3", {1, 14, {"expected an f register (fs1), found 'a2'"}});
  // A constant where a register is required: the hint says how to load it.
  expect_only("M_MM 0, 64, gp2", {1, 9, {"found '64'"}, {"S_ADDI_INT gp1, gp0, 64"}});
  expect_only(
      "M_BTMM 3, gp1, gp2",
      {1, 8, {"expected a gp register or 0 (matrix offset), found '3'"}, {"0 for no offset"}});
  expect_only("S_ADD_INT r1, gp2, gp3", {1, 11, {"found 'r1'"}, {"gp0-gp15"}});
}

// ---------------------------------------------------------------------------------------------
// Diagnostics: immediates, flags, placeholders.

TEST(AssemblerDiagnostics, ImmediateOutOfRangeGivesTheRange) {
  // "S_ADDI_INT gp1, gp0, 131072" -> imm at 22.
  expect_only("S_ADDI_INT gp1, gp0, 131072",
              {1,
               22,
               {"operand 3 of S_ADDI_INT (imm)", "131072 is out of range", "-131072..131071"},
               {"S_LUI_INT"}});
  expect_only("S_ADDI_INT gp1, gp0, -131073", {1, 22, {"-131073 is out of range"}});
  // "M_MM_WO gp1, 0, 262144" -> imm at 17.
  expect_only("M_MM_WO gp1, 0, 262144", {1, 17, {"allowed 0..262143"}});
  expect_only("S_LD_INT gp1, gp2, -1", {1, 20, {"-1 is out of range", "0..262143"}});
  expect_only("S_ST_FP f1, gp2, 99999999999999999999", {1, 18, {"out of range"}});
  expect_only("C_LOOP_START gp1, 4194304\nC_LOOP_END gp1",
              {1, 19, {"0..4194303"}, {"nested loops"}});
}

TEST(AssemblerDiagnostics, LuiImmediateMustFitTwentyBits) {
  // "S_LUI_INT gp1, 0x100000" -> imm at 16.
  expect_only("S_LUI_INT gp1, 0x100000",
              {1, 16, {"0x100000 is out of range", "0..1048575"}, {"left by 12", "2^20"}});
}

TEST(AssemblerDiagnostics, NonNumericImmediate) {
  expect_only("S_ADDI_INT gp1, gp0, ten",
              {1, 22, {"expected an integer immediate, found 'ten'"}, {"0x2a"}});
  expect_only("S_ADDI_INT gp1, gp0, gp2", {1, 22, {"found 'gp2'"}, {"not a register"}});
  expect_only("S_LD_FP f1, gp0, 0x", {1, 18, {"found '0x'"}});
}

TEST(AssemblerDiagnostics, FlagMustBeZeroOrOne) {
  // "V_ADD_VV gp1, gp2, gp3, 2" -> rmask at 25.
  expect_only("V_ADD_VV gp1, gp2, gp3, 2",
              {1, 25, {"operand 4 of V_ADD_VV (rmask): expected 0 or 1, found '2'"}, {"V_MASK"}});
  // "H_PREFETCH_M gp1, gp2, a0, 0, x" -> precision at 31.
  expect_only("H_PREFETCH_M gp1, gp2, a0, 0, x", {1, 31, {"(precision)", "found 'x'"}, {"KV"}});
}

TEST(AssemblerDiagnostics, PlaceholderMustBeZero) {
  expect_only("M_MM 5, gp1, gp2",
              {1,
               6,
               {"first operand of M_MM is a placeholder and must be 0, found '5'"},
               {"M_MM 0, matrix addr, vector addr"}});
  expect_only("M_MM_WO gp1, gp2, 0",
              {1, 14, {"second operand of M_MM_WO is a placeholder and must be 0"}});
  expect_only("C_LOOP_START gp4, 1\nC_LOOP_END gp4, 1",
              {2, 17, {"second operand of C_LOOP_END is a placeholder"}});
  expect_only("C_BREAK 0, 1", {1, 12, {"second operand of C_BREAK is a placeholder"}});
}

// ---------------------------------------------------------------------------------------------
// Diagnostics: separators.

TEST(AssemblerDiagnostics, CommaMistakesPointAtTheProblem) {
  // "M_MM 0, gp1 gp2" -> gp2 at 13.
  expect_only("M_MM 0, gp1 gp2", {1, 13, {"missing ',' between 'gp1' and 'gp2'"}, {"gp1, gp2"}});
  // "M_MM 0, gp1, gp2," -> trailing comma at 17.
  expect_only("M_MM 0, gp1, gp2,", {1, 17, {"trailing ','"}});
  // "M_MM 0,, gp1, gp2" -> second comma at 8.
  expect_only("M_MM 0,, gp1, gp2", {1, 8, {"empty operand"}});
  // "M_MM, 0, gp1, gp2" -> comma at 5.
  expect_only("M_MM, 0, gp1, gp2", {1, 5, {"before the first operand"}});
}

// ---------------------------------------------------------------------------------------------
// Diagnostics: loops.

TEST(AssemblerDiagnostics, LoopEndWithoutOpenLoop) {
  expect_only("S_ADDI_INT gp1, gp0, 1\n  C_LOOP_END gp1",
              {2, 3, {"C_LOOP_END without an open C_LOOP_START"}, {"C_LOOP_START"}});
}

TEST(AssemblerDiagnostics, LoopEndMustNameTheInnermostCounter) {
  const AssemblyResult result = assemble_text(
      "C_LOOP_START gp1, 2\n"
      "C_LOOP_START gp2, 3\n"
      "C_LOOP_END gp3\n"  // closes the inner loop anyway, so only one report
      "C_LOOP_END gp1\n");
  ASSERT_EQ(result.diagnostics.size(), 1u) << all_diagnostics(result);
  expect_diagnostic(
      result.diagnostics[0],
      {3, 12, {"C_LOOP_END gp3", "innermost open loop", "gp2", "line 2"}, {"C_LOOP_END gp2"}});

  const AssemblyResult swapped = assemble_text(
      "C_LOOP_START gp1, 2\n"
      "C_LOOP_START gp2, 3\n"
      "C_LOOP_END gp1\n"
      "C_LOOP_END gp2\n");
  ASSERT_FALSE(swapped.ok());
  expect_diagnostic(
      swapped.diagnostics[0],
      {3, 12, {"C_LOOP_END gp1 does not match", "gp2"}, {"close the inner loop first"}});
}

TEST(AssemblerDiagnostics, NestedLoopMayNotReuseAnEnclosingCounter) {
  expect_only(
      "C_LOOP_START gp1, 2\n"
      "  C_LOOP_START gp1, 3\n"
      "  C_LOOP_END gp1\n"
      "C_LOOP_END gp1\n",
      {2,
       16,
       {"counter gp1 is already the counter of the enclosing loop opened on line 1"},
       {"e.g. gp2"}});
}

TEST(AssemblerDiagnostics, UnclosedLoopIsReportedAtItsStart) {
  expect_only(
      "S_ADDI_INT gp1, gp0, 1\n"
      "  C_LOOP_START gp3, 4\n"
      "S_ADDI_INT gp1, gp1, 1\n",
      {2, 3, {"C_LOOP_START gp3 is never closed"}, {"add C_LOOP_END gp3"}});
}

TEST(AssemblerDiagnostics, LoopNestingDepthLimit) {
  HardwareConfig config;
  config.max_loop_depth = 2;
  const std::string two_deep =
      "C_LOOP_START gp1, 2\nC_LOOP_START gp2, 2\nC_LOOP_END gp2\nC_LOOP_END gp1";
  EXPECT_TRUE(assemble_text(two_deep, config).ok());
  expect_only(
      "C_LOOP_START gp1, 2\n"
      " C_LOOP_START gp2, 2\n"
      "  C_LOOP_START gp3, 2\n"
      "  C_LOOP_END gp3\n"
      " C_LOOP_END gp2\n"
      "C_LOOP_END gp1\n",
      {3, 3, {"nesting depth 3", "max_loop_depth of 2"}}, config);
}

TEST(AssemblerDiagnostics, LoopBodyLengthLimit) {
  HardwareConfig config;
  config.max_loop_body = 3;
  // Body of three instructions, including a nested (empty-bodied) loop's start and end.
  const std::string fits =
      "C_LOOP_START gp1, 2\nC_LOOP_START gp2, 2\nC_LOOP_END gp2\nC_BREAK\nC_LOOP_END gp1";
  const AssemblyResult ok = assemble_text(fits, config);
  EXPECT_TRUE(ok.ok()) << all_diagnostics(ok);
  expect_only(
      "S_ADDI_INT gp1, gp0, 1\n"
      "C_LOOP_START gp4, 2\n"
      "; comments do not count\n"
      "S_ADDI_INT gp1, gp1, 1\n"
      "S_ADDI_INT gp1, gp1, 1\n"
      "S_ADDI_INT gp1, gp1, 1\n"
      "S_ADDI_INT gp1, gp1, 1\n"
      "C_LOOP_END gp4\n",
      {2, 1, {"loop body has 4 instructions (lines 2-8)", "max_loop_body of 3"}}, config);
}

TEST(AssemblerDiagnostics, LoopCountZero) {
  // "C_LOOP_START gp1, 0" -> count at 19.
  expect_only("C_LOOP_START gp1, 0\nC_LOOP_END gp1",
              {1, 19, {"0 iterations", "body would run"}, {"remove the loop"}});
}

TEST(AssemblerDiagnostics, LoopCounterCannotBeGp0) {
  // "C_LOOP_START gp0, 4" -> counter at column 14; gp0 ignores writes so it cannot count.
  expect_only("C_LOOP_START gp0, 4\nC_LOOP_END gp0",
              {1, 14, {"cannot count in gp0"}, {"C_LOOP_START gp1, 4"}});
}

// ---------------------------------------------------------------------------------------------
// Diagnostics: program-wide.

TEST(AssemblerDiagnostics, ProgramLongerThanThePresetAllows) {
  HardwareConfig config;
  config.max_program_instructions = 3;
  EXPECT_TRUE(assemble_text("C_BREAK\nC_BREAK\nC_BREAK\n", config).ok());
  expect_only("C_BREAK\nC_BREAK\n\nC_BREAK\n  C_BREAK\nC_BREAK\n",
              {5,
               3,
               {"program has 5 instructions", "at most 3", "max_program_instructions"},
               {"C_LOOP_START"}},
              config);
}

TEST(AssemblerDiagnostics, EmptyProgramIsAWarning) {
  for (const std::string source : {"", "; nothing here\n\n   # still nothing\n"}) {
    expect_only(source, {1, 1, {"no instructions"}, {}, Diagnostic::Severity::Warning});
    EXPECT_EQ(assemble_text(source).warning_count(), 1u);
    EXPECT_EQ(assemble_text(source).error_count(), 0u);
  }
}

TEST(AssemblerDiagnostics, WritingTheZeroRegisterIsAWarning) {
  const auto warning = Diagnostic::Severity::Warning;
  // "S_ADDI_INT gp0, gp1, 1" -> gp0 at 12.
  expect_only("S_ADDI_INT gp0, gp1, 1",
              {1, 12, {"S_ADDI_INT writes gp0", "discarded"}, {}, warning});
  expect_only("S_LUI_INT gp0, 1", {1, 11, {"writes gp0"}, {"gp1-gp15"}, warning});
  expect_only("S_LD_INT gp0, gp1, 0", {1, 10, {"writes gp0"}, {}, warning});
  expect_only("S_MUL_FP f0, f1, f2", {1, 10, {"S_MUL_FP writes f0", "0.0"}, {"f1-f7"}, warning});
  expect_only("S_LD_FP f0, gp1, 0", {1, 9, {"writes f0"}, {}, warning});
  expect_only("V_RED_SUM f0, gp1", {1, 11, {"V_RED_SUM writes f0"}, {}, warning});
  expect_only("V_RED_MAX F0, gp1, 0", {1, 11, {"V_RED_MAX writes f0"}, {}, warning});
  // Stores read their first operand, and gp0 as an offset is legitimate: no warnings.
  const AssemblyResult quiet = assemble_text(
      "S_ST_INT gp0, gp1, 0\nS_ST_FP f0, gp1, 0\nM_BMM gp0, gp1, gp2\nS_ADD_INT gp1, gp0, gp0\n");
  EXPECT_TRUE(quiet.diagnostics.empty()) << all_diagnostics(quiet);
  // A warning does not stop assembly.
  const AssemblyResult warned = assemble_text("S_ADD_INT gp0, gp1, gp2\nC_BREAK");
  EXPECT_TRUE(warned.ok());
  EXPECT_EQ(warned.program.size(), 2u);
}

TEST(AssemblerDiagnostics, AllErrorsAreCollectedInLineOrder) {
  const AssemblyResult result = assemble_text(
      "C_LOOP_START gp1, 2\n"
      "M_MMT 0, gp1, gp2\n"
      "S_ADD_INT gp1, gp2, gp99\n"
      "S_ADDI_INT gp1, gp0, 1\n"
      "V_ADD_VV gp1, gp2, gp3, 7\n");
  EXPECT_FALSE(result.ok());
  EXPECT_TRUE(result.program.instructions.empty());  // no half programs
  ASSERT_EQ(result.error_count(), 4u) << all_diagnostics(result);
  EXPECT_EQ(result.diagnostics[0].line, 1u);  // the unclosed loop, found last, sorted first
  EXPECT_EQ(result.diagnostics[1].line, 2u);
  EXPECT_EQ(result.diagnostics[2].line, 3u);
  EXPECT_EQ(result.diagnostics[3].line, 5u);
}

TEST(AssemblerDiagnostics, AtMostOneHundredAreReported) {
  std::string source;
  for (int i = 0; i < 150; ++i) source += "BAD\n";
  const AssemblyResult result = assemble_text(source);
  ASSERT_EQ(result.diagnostics.size(), 100u);
  EXPECT_EQ(result.diagnostics[98].line, 99u);
  const Diagnostic& summary = result.diagnostics.back();
  EXPECT_EQ(summary.severity, Diagnostic::Severity::Error);
  EXPECT_EQ(summary.line, 100u);
  EXPECT_TRUE(contains(summary.message, "51 more errors")) << summary.message;
}

TEST(AssemblerDiagnostics, ToStringFormat) {
  Diagnostic error;
  error.line = 3;
  error.column = 5;
  error.message = "something is wrong";
  error.hint = "fix it";
  EXPECT_EQ(error.to_string(), "3:5: error: something is wrong (hint: fix it)");
  Diagnostic warning = error;
  warning.severity = Diagnostic::Severity::Warning;
  warning.hint.clear();
  EXPECT_EQ(warning.to_string(), "3:5: warning: something is wrong");
}

// ---------------------------------------------------------------------------------------------
// A realistic kernel.

constexpr const char* kTiledMatmul =
    R"(; out[4 x 64] = act[4 x 64] @ W[64 x 64], written back to HBM
S_ADDI_INT gp1, gp0, 0            ; HBM address, high word
S_LUI_INT gp2, 0x1                ; W at HBM 4096
C_SET_ADDR_REG a0, gp1, gp2
S_ADDI_INT gp3, gp0, 0            ; activations at HBM 0
C_SET_ADDR_REG a1, gp1, gp3
S_ADDI_INT gp4, gp0, 64           ; HBM row pitch
C_SET_STRIDE_REG gp4
S_ADDI_INT gp5, gp0, 0            ; Matrix SRAM tile 0
S_ADDI_INT gp6, gp0, 0            ; HBM offset
H_PREFETCH_M gp5, gp6, a0, 1, 0
S_ADDI_INT gp7, gp0, 0            # activations in Vector SRAM
H_PREFETCH_V gp7, gp6, a1, 1, 0
S_ADDI_INT gp8, gp0, 4096         ; output rows in Vector SRAM
S_ADDI_INT gp9, gp0, 0            ; column block of W

C_LOOP_START gp10, 16             ; 64 / BLEN column blocks
  S_ADDI_INT gp11, gp7, 0
  C_LOOP_START gp12, 1            ; one block of BLEN rows
    M_MM 0, gp9, gp11
    M_MM_WO gp8, 0, 0
  C_LOOP_END gp12
  S_ADDI_INT gp9, gp9, 4
  S_ADDI_INT gp8, gp8, 4
C_LOOP_END gp10

S_ADDI_INT gp8, gp0, 4096
H_STORE_V gp8, gp6, a1, 1, 0
)";

TEST(AssemblerSyntax, RealisticKernelAssemblesCleanly) {
  const AssemblyResult result = assemble(kTiledMatmul, HardwareConfig::kernelcraft_default());
  ASSERT_TRUE(result.ok()) << all_diagnostics(result);
  EXPECT_TRUE(result.diagnostics.empty()) << all_diagnostics(result);
  ASSERT_EQ(result.program.size(), 25u);
  ASSERT_EQ(result.program.words.size(), 25u);
  const Program& p = result.program;
  EXPECT_EQ(p.instructions[0].source_line, 2u);
  EXPECT_EQ(p.instructions[9].opcode(), Opcode::H_PREFETCH_M);
  EXPECT_EQ(p.instructions[9].source_line, 11u);
  EXPECT_EQ(p.instructions[14].opcode(), Opcode::C_LOOP_START);
  EXPECT_EQ(p.instructions[14].source_line, 17u);
  EXPECT_EQ(p.instructions[14].imm, 16);
  EXPECT_EQ(p.instructions[17].opcode(), Opcode::M_MM);
  EXPECT_EQ(p.instructions[17].source_line, 20u);
  EXPECT_EQ(p.instructions[24].opcode(), Opcode::H_STORE_V);
  EXPECT_EQ(p.instructions[24].source_line, 28u);
  for (std::size_t i = 0; i < p.size(); ++i) EXPECT_EQ(p.words[i], encode(p.instructions[i]));
  // The canonical listing assembles to the same words.
  const AssemblyResult again = assemble(disassemble(p), HardwareConfig::kernelcraft_default());
  ASSERT_TRUE(again.ok()) << all_diagnostics(again);
  EXPECT_EQ(again.program.words, p.words);
}

}  // namespace
}  // namespace plena
