// Every PLENA task x configuration: the template-compiler baseline must pass eval on the visible
// and every hidden seed. On the default preset every configuration is required; on the small and
// large presets a configuration may be rejected by the layout or declared unsupported by the
// template (with a reason), but a kernel that is emitted must pass.
#include <gtest/gtest.h>

#include "kernelcraft/baselines/baseline.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/eval/evaluator.h"
#include "kernelcraft/platform/plena_platform.h"
#include "baseline_case.h"

namespace kc {
namespace {

const PlenaPlatform& plena() {
  static const PlenaPlatform platform(KC_SOURCE_DIR);
  return platform;
}

std::vector<BaselineCase> all_cases() {
  std::vector<BaselineCase> cases;
  for (const std::string preset : {"default", "small", "large"})
    for (const auto& task : shipped_suite())
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
    evaluator = std::make_unique<Evaluator>(plena(), find_task(shipped_suite(), c.task), c.config, c.preset);
    kernel = evaluator->baseline_source();
  } catch (const InputError& e) {
    if (required) FAIL() << e.what();
    GTEST_SKIP() << e.what();
  }
  expect_passes_every_seed(*evaluator, kernel);
}

INSTANTIATE_TEST_SUITE_P(Suite, PlenaBaseline, ::testing::ValuesIn(all_cases()), baseline_case_name);

}  // namespace
}  // namespace kc
