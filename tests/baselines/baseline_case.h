// What every platform's baseline suite shares: the case a test is parameterised by, the shipped
// task suite, and the check that a baseline kernel passes every seed.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernelcraft/core/task.h"
#include "kernelcraft/eval/evaluator.h"

namespace kc {

struct BaselineCase {
  std::string task;
  std::string config;
  std::string preset;
};

inline void PrintTo(const BaselineCase& c, std::ostream* os) { *os << c.task << " " << c.config << " on " << c.preset; }

inline std::string baseline_case_name(const ::testing::TestParamInfo<BaselineCase>& info) {
  return info.param.task + "_" + info.param.config + "_" + info.param.preset;
}

inline const std::vector<std::shared_ptr<const TaskSpec>>& shipped_suite() {
  static const auto tasks = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  return tasks;
}

// Evaluates `kernel` on the visible and hidden seeds, without a baseline comparison, and
// expects it to assemble, run without a trap and match every output on every seed.
inline void expect_passes_every_seed(Evaluator& evaluator, const std::string& kernel) {
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
  ::testing::Test::RecordProperty("cycles", std::to_string(report.cycles));
  ::testing::Test::RecordProperty("sol_percent", std::to_string(report.sol_percent));
}

}  // namespace kc
