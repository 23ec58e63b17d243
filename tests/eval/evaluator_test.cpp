#include "kernelcraft/eval/evaluator.h"

#include <gtest/gtest.h>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/input_generator.h"
#include "kernelcraft/core/seeds.h"
#include "kernelcraft/platform/plena_platform.h"

namespace kc {
namespace {

const PlenaPlatform& plena() {
  static const PlenaPlatform platform(KC_SOURCE_DIR);
  return platform;
}

std::shared_ptr<const TaskSpec> suite_task(const std::string& name) {
  static const auto suite = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  return find_task(suite, name);
}

// ReLU C1 is x [8 x 128] at HBM 0 -> y at Vector SRAM 0 in two 64-column chunks.
std::string load_x_kernel(const Evaluator& ev) {
  return "S_LUI_INT gp1, " + std::to_string(ev.layout().setting("scale_reg") >> 12) + "\n" +
         "C_SET_SCALE_REG gp1\n"
         "C_SET_ADDR_REG a0, gp0, gp0\n"
         "S_ADDI_INT gp1, gp0, 128\n"
         "C_SET_STRIDE_REG gp1\n"
         "S_ADDI_INT gp2, gp0, 0\n"     // VSRAM destination
         "S_ADDI_INT gp3, gp0, 0\n"     // HBM offset
         "C_LOOP_START gp4, 2\n"        // column chunks
         "  C_LOOP_START gp5, 2\n"      // 4-row blocks
         "    H_PREFETCH_V gp2, gp3, a0, 1, 0\n"
         "    S_ADDI_INT gp2, gp2, 256\n"
         "    S_ADDI_INT gp3, gp3, 512\n"
         "  C_LOOP_END gp5\n"
         "  S_ADDI_INT gp3, gp3, -960\n"
         "C_LOOP_END gp4\n";
}

TEST(Evaluator, TheBaselinePassesEverySeedWithSpeedupOne) {
  Evaluator ev(plena(), suite_task("relu"), "C1", "default");
  const EvalReport report = ev.evaluate(ev.baseline_source());
  ASSERT_TRUE(report.assembled);
  EXPECT_TRUE(report.passed);
  ASSERT_EQ(report.seeds.size(), 1 + hidden_seeds().size());
  EXPECT_FALSE(report.seeds[0].hidden);
  EXPECT_TRUE(report.seeds[1].hidden);
  ASSERT_TRUE(report.baseline_cycles.has_value());
  EXPECT_EQ(*report.baseline_cycles, report.cycles);
  EXPECT_DOUBLE_EQ(report.speedup, 1.0);
  EXPECT_GT(report.roofline_cycles, 0);
  EXPECT_GT(report.sol_percent, 0);
  EXPECT_LE(report.sol_percent, 100);
}

TEST(Evaluator, AWrongKernelFailsWithTheMismatchLocated) {
  Evaluator ev(plena(), suite_task("relu"), "C1", "default");
  // Copies x to y without the max(x, 0): every negative input is a mismatch.
  const EvalReport report = ev.evaluate(load_x_kernel(ev), EvalOptions{{kVisibleSeed}, false, {}, 4});
  ASSERT_TRUE(report.assembled);
  EXPECT_FALSE(report.passed);
  ASSERT_EQ(report.seeds.size(), 1u);
  const TensorComparison& y = report.seeds[0].outputs.at(0);
  EXPECT_GT(y.mismatches, 0);
  EXPECT_LT(y.mismatches, y.elements);
  ASSERT_FALSE(y.first_mismatches.empty());
  // The first mismatch is the first negative input element, at its (row, column).
  const auto& stored = ev.seed_data(kVisibleSeed).stored[0];
  int64_t first_negative = -1;
  for (std::size_t i = 0; i < stored.size() && first_negative < 0; ++i)
    if (stored[i] < 0) first_negative = static_cast<int64_t>(i);
  const Mismatch& m = y.first_mismatches[0];
  EXPECT_EQ(m.index, first_negative);
  EXPECT_EQ(m.coords, (std::vector<int64_t>{first_negative / 128, first_negative % 128}));
  EXPECT_EQ(m.golden, 0.0);
  EXPECT_LT(m.actual, 0.0);
}

TEST(Evaluator, PartialComputationFailsAtTheFirstMissingRow) {
  Evaluator ev(plena(), suite_task("relu"), "C1", "default");
  // ReLU only on the first chunk's 8 rows: the second 64-column chunk keeps raw values.
  const std::string kernel = load_x_kernel(ev) +
                             "S_ADDI_INT gp2, gp0, 0\n"
                             "C_LOOP_START gp4, 8\n"
                             "  V_MAX_VF gp2, gp2, f0, 0\n"
                             "  S_ADDI_INT gp2, gp2, 64\n"
                             "C_LOOP_END gp4\n";
  const EvalReport report = ev.evaluate(kernel, EvalOptions{{kVisibleSeed}, false, {}, 8});
  ASSERT_FALSE(report.passed);
  for (const Mismatch& m : report.seeds[0].outputs[0].first_mismatches) EXPECT_GE(m.coords[1], 64);
}

TEST(Evaluator, AMalformedKernelGivesDiagnosticsNotACrash) {
  Evaluator ev(plena(), suite_task("relu"), "C1", "default");
  const EvalReport report = ev.evaluate("S_ADDI_INT gp1, gp0, 1\nV_MAX_VF gp99, gp1\nNOT_AN_OP\n");
  EXPECT_FALSE(report.assembled);
  EXPECT_FALSE(report.passed);
  EXPECT_TRUE(report.seeds.empty());
  ASSERT_GE(report.diagnostics.size(), 2u);
  EXPECT_EQ(report.diagnostics[0].line, 2u);
  EXPECT_EQ(report.diagnostics[0].severity, "error");
}

TEST(Evaluator, WritingOverTheInputsInHbmTraps) {
  Evaluator ev(plena(), suite_task("relu"), "C1", "default");
  const std::string kernel = load_x_kernel(ev) + "H_STORE_V gp0, gp0, a0, 0, 0\n";
  const EvalReport report = ev.evaluate(kernel, EvalOptions{{kVisibleSeed}, false, {}, 8});
  ASSERT_TRUE(report.assembled);
  EXPECT_FALSE(report.passed);
  ASSERT_TRUE(report.seeds[0].trap.has_value());
  EXPECT_EQ(report.seeds[0].trap->kind, "write_protected");
}

TEST(Evaluator, StoresIntoTheScratchAreaAreAllowed) {
  Evaluator ev(plena(), suite_task("relu"), "C1", "default");
  const uint64_t scratch = ev.layout().setting("scratch_hbm_address");
  const std::string kernel = "S_LUI_INT gp1, " + std::to_string(ev.layout().setting("scale_reg") >> 12) +
                             "\nC_SET_SCALE_REG gp1\nS_LUI_INT gp2, " + std::to_string(scratch >> 12) +
                             "\nC_SET_ADDR_REG a1, gp0, gp2\nH_STORE_V gp0, gp0, a1, 0, 0\n";
  const EvalReport report = ev.evaluate(kernel, EvalOptions{{kVisibleSeed}, false, {}, 8});
  ASSERT_TRUE(report.assembled);
  EXPECT_FALSE(report.seeds[0].trap.has_value()) << report.seeds[0].trap->message;
}

TEST(Evaluator, RunawayLoopsStopAtTheInstructionLimit) {
  Evaluator ev(plena(), suite_task("relu"), "C1", "default");
  EvalOptions options{{kVisibleSeed}, false, {}, 8};
  options.limits.max_instructions = 10000;
  const EvalReport report = ev.evaluate(
      "C_LOOP_START gp1, 4000000\n  S_ADDI_INT gp2, gp2, 1\nC_LOOP_END gp1\n", options);
  ASSERT_TRUE(report.seeds[0].trap.has_value());
  EXPECT_EQ(report.seeds[0].trap->kind, "instruction_limit");
}

TEST(Evaluator, ResultsAreDeterministic) {
  Evaluator a(plena(), suite_task("softmax"), "C2", "default");
  Evaluator b(plena(), suite_task("softmax"), "C2", "default");
  EXPECT_EQ(a.seed_data(hidden_seeds()[0]).golden, b.seed_data(hidden_seeds()[0]).golden);
  const std::string kernel = "S_ADDI_INT gp1, gp0, 1\n";
  const EvalReport ra = a.evaluate(kernel, EvalOptions{{}, false, {}, 8});
  const EvalReport rb = b.evaluate(kernel, EvalOptions{{}, false, {}, 8});
  ASSERT_EQ(ra.seeds.size(), rb.seeds.size());
  for (std::size_t i = 0; i < ra.seeds.size(); ++i) {
    EXPECT_EQ(ra.seeds[i].cycles, rb.seeds[i].cycles);
    EXPECT_EQ(ra.seeds[i].outputs[0].max_abs_error, rb.seeds[i].outputs[0].max_abs_error);
  }
}

TEST(Evaluator, ConfigsTooLargeForAPresetAreRejectedClearly) {
  try {
    Evaluator ev(plena(), suite_task("gemm"), "C5", "small");
    FAIL() << "gemm C5 should not fit the small preset";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("preset 'small'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace kc
