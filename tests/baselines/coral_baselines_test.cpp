// Every Coral NPU task x configuration: the compiler baseline ("RVV -O2": the task's MLIR through
// MLIR and LLVM for riscv32 + Zve32f) must pass eval on the visible and every hidden seed, on
// both presets. It must also be reproducible: compiling twice gives the same kernel text.
#include <gtest/gtest.h>

#include "kernelcraft/baselines/baseline.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/eval/evaluator.h"
#include "kernelcraft/platform/coral_platform.h"
#include "baseline_case.h"

namespace kc {
namespace {

const CoralPlatform& coral() {
  static const CoralPlatform platform(KC_SOURCE_DIR);
  return platform;
}

std::vector<BaselineCase> all_cases() {
  std::vector<BaselineCase> cases;
  for (const std::string preset : {"coral", "coral_small"})
    for (const auto& task : shipped_suite())
      if (task->supports("coral_npu"))
        for (const std::string& config : task->config_names()) cases.push_back({task->name, config, preset});
  return cases;
}

TEST(CoralBaselineSuite, CoversKernelCraftsFifteenCoralTasks) {
  std::size_t tasks = 0;
  for (const auto& task : shipped_suite()) tasks += task->supports("coral_npu") ? 1 : 0;
  EXPECT_EQ(tasks, 15u);
  EXPECT_EQ(all_cases().size(), 2u * 15u * 5u);
}

class CoralBaseline : public ::testing::TestWithParam<BaselineCase> {};

TEST_P(CoralBaseline, PassesEverySeed) {
  const BaselineCase& c = GetParam();
  ASSERT_TRUE(has_baseline("coral_npu", c.task));
  Evaluator evaluator(coral(), find_task(shipped_suite(), c.task), c.config, c.preset);
  expect_passes_every_seed(evaluator, evaluator.baseline_source());
}

INSTANTIATE_TEST_SUITE_P(Suite, CoralBaseline, ::testing::ValuesIn(all_cases()), baseline_case_name);

TEST(CoralBaselineCompiler, IsReproducibleAndVectorizes) {
  const TaskInstance instance = bind_task(find_task(shipped_suite(), "relu"), "C3", "coral_npu");
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
