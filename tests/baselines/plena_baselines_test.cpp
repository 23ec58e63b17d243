// Every PLENA task x configuration: the template-compiler baseline must pass eval on the visible
// and every hidden seed. On the default preset every configuration is required; on the small and
// large presets a configuration may be rejected by the layout or declared unsupported by the
// template (with a reason), but a kernel that is emitted must pass.
#include <gtest/gtest.h>

#include "kernelcraft/baselines/baseline.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/eval/evaluator.h"
#include "kernelcraft/platform/plena_platform.h"

namespace kc {
namespace {

struct BaselineCase {
  std::string task;
  std::string config;
  std::string preset;
};

void PrintTo(const BaselineCase& c, std::ostream* os) {
  *os << c.task << " " << c.config << " on " << c.preset;
}

const std::vector<std::shared_ptr<const TaskSpec>>& suite() {
  static const auto tasks = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  return tasks;
}

const PlenaPlatform& plena() {
  static const PlenaPlatform platform(KC_SOURCE_DIR);
  return platform;
}

std::vector<BaselineCase> all_cases() {
  std::vector<BaselineCase> cases;
  for (const std::string preset : {"default", "small", "large"})
    for (const auto& task : suite())
      if (task->supports("plena"))
        for (const std::string& config : task->config_names())
          cases.push_back({task->name, config, preset});
  return cases;
}

class PlenaBaseline : public ::testing::TestWithParam<BaselineCase> {};

TEST_P(PlenaBaseline, PassesEverySeed) {
  const BaselineCase& c = GetParam();
  const bool required = c.preset == "default";
  ASSERT_TRUE(has_baseline("plena", c.task)) << "no PLENA baseline template for " << c.task;
  std::unique_ptr<Evaluator> evaluator;
  std::string kernel;
  try {
    evaluator = std::make_unique<Evaluator>(plena(), find_task(suite(), c.task), c.config, c.preset);
    kernel = evaluator->baseline_source();
  } catch (const InputError& e) {
    if (required) FAIL() << e.what();
    GTEST_SKIP() << e.what();
  }
  EvalOptions options;
  options.compare_with_baseline = false;
  const EvalReport report = evaluator->evaluate(kernel, options);
  ASSERT_TRUE(report.assembled) << (report.diagnostics.empty() ? "" : report.diagnostics[0].message);
  for (const SeedResult& seed : report.seeds) {
    SCOPED_TRACE("seed " + std::to_string(seed.seed));
    EXPECT_FALSE(seed.trap.has_value()) << (seed.trap ? seed.trap->message : "");
    for (const TensorComparison& out : seed.outputs)
      EXPECT_TRUE(out.passed()) << out.tensor << ": " << out.mismatches << " of " << out.elements
                                << " outside tolerance, max abs err " << out.max_abs_error;
  }
  EXPECT_TRUE(report.passed);
  RecordProperty("cycles", std::to_string(report.cycles));
  RecordProperty("sol_percent", std::to_string(report.sol_percent));
}

INSTANTIATE_TEST_SUITE_P(Suite, PlenaBaseline, ::testing::ValuesIn(all_cases()),
                         [](const auto& param_info) {
                           return param_info.param.task + "_" + param_info.param.config + "_" +
                                  param_info.param.preset;
                         });

}  // namespace
}  // namespace kc
