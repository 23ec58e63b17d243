// Every Coral NPU task x configuration: the compiler baseline ("RVV -O2": the task's MLIR through
// MLIR and LLVM for riscv32 + Zve32f) must pass eval on the visible and every hidden seed, on
// both presets. It must also be reproducible: compiling twice gives the same kernel text.
#include <gtest/gtest.h>

#include "kernelcraft/baselines/baseline.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/eval/evaluator.h"
#include "kernelcraft/platform/coral_platform.h"

namespace kc {
namespace {

struct BaselineCase {
  std::string task;
  std::string config;
  std::string preset;
};

void PrintTo(const BaselineCase& c, std::ostream* os) { *os << c.task << " " << c.config << " on " << c.preset; }

const std::vector<std::shared_ptr<const TaskSpec>>& suite() {
  static const auto tasks = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  return tasks;
}

const CoralPlatform& coral() {
  static const CoralPlatform platform(KC_SOURCE_DIR);
  return platform;
}

std::vector<BaselineCase> all_cases() {
  std::vector<BaselineCase> cases;
  for (const std::string preset : {"coral", "coral_small"})
    for (const auto& task : suite())
      if (task->supports("coral_npu"))
        for (const std::string& config : task->config_names()) cases.push_back({task->name, config, preset});
  return cases;
}

TEST(CoralBaselineSuite, CoversKernelCraftsFifteenCoralTasks) {
  std::size_t tasks = 0;
  for (const auto& task : suite()) tasks += task->supports("coral_npu") ? 1 : 0;
  EXPECT_EQ(tasks, 15u);
  EXPECT_EQ(all_cases().size(), 2u * 15u * 5u);
}

class CoralBaseline : public ::testing::TestWithParam<BaselineCase> {};

TEST_P(CoralBaseline, PassesEverySeed) {
  const BaselineCase& c = GetParam();
  ASSERT_TRUE(has_baseline("coral_npu", c.task));
  Evaluator evaluator(coral(), find_task(suite(), c.task), c.config, c.preset);
  const std::string kernel = evaluator.baseline_source();
  EvalOptions options;
  options.compare_with_baseline = false;
  const EvalReport report = evaluator.evaluate(kernel, options);
  ASSERT_TRUE(report.assembled) << (report.diagnostics.empty() ? "" : report.diagnostics[0].message);
  for (const SeedResult& seed : report.seeds) {
    SCOPED_TRACE("seed " + std::to_string(seed.seed));
    EXPECT_FALSE(seed.trap.has_value()) << (seed.trap ? seed.trap->kind + ": " + seed.trap->message : "");
    for (const TensorComparison& out : seed.outputs)
      EXPECT_TRUE(out.passed()) << out.tensor << ": " << out.mismatches << " of " << out.elements
                                << " outside tolerance, max abs err " << out.max_abs_error;
  }
  EXPECT_TRUE(report.passed);
  EXPECT_GT(report.cycles, 0u);
  RecordProperty("cycles", std::to_string(report.cycles));
  RecordProperty("sol_percent", std::to_string(report.sol_percent));
}

INSTANTIATE_TEST_SUITE_P(Suite, CoralBaseline, ::testing::ValuesIn(all_cases()), [](const auto& param_info) {
  return param_info.param.task + "_" + param_info.param.config + "_" + param_info.param.preset;
});

TEST(CoralBaselineCompiler, IsReproducibleAndVectorizes) {
  const TaskInstance instance = bind_task(find_task(suite(), "relu"), "C3", "coral_npu");
  const WorkloadLayout layout = coral().layout(instance, "coral");
  BaselineRequest request{&instance, &layout, coral().describe_preset("coral"), {}};
  const std::string first = compile_baseline("coral_npu", request);
  EXPECT_EQ(first, compile_baseline("coral_npu", request));
  EXPECT_NE(first.find("vsetvli"), std::string::npos) << "LLVM's loop vectorizer should emit RVV for relu";
  EXPECT_NE(first.find("ebreak"), std::string::npos);
  EXPECT_TRUE(baseline_knobs("coral_npu", "relu").empty());
  request.knobs = {{"lmul", "4"}};
  EXPECT_THROW(compile_baseline("coral_npu", request), InputError);
}

}  // namespace
}  // namespace kc
