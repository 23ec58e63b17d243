// compare_runs(): the CI gate trips exactly the thresholds a synthetic regression breaks.
#include <gtest/gtest.h>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/report/report.h"

namespace kc::report {
namespace {

using agent::EpisodeRecord;

EpisodeRecord episode(const std::string& task, const std::string& config, const std::string& status, double speedup,
                      double cost = 0.10) {
  EpisodeRecord r;
  r.agent = "prompt-v";
  r.platform = "plena";
  r.task = task;
  r.level = 1;
  r.config = config;
  r.preset = "default";
  r.status = status;
  r.speedup = speedup;
  r.cost_usd = cost;
  return r;
}

// Base: 4 of 4 pass (silu C1/C2, gemm C1/C2), speedups 1.2, 1.2, 2.0, 2.0.
ReportInput base_run() {
  ReportInput input;
  input.episodes = {episode("silu", "C1", "pass", 1.2), episode("silu", "C2", "pass", 1.2),
                    episode("gemm", "C1", "pass", 2.0), episode("gemm", "C2", "pass", 2.0)};
  return input;
}

bool has_violation(const CompareResult& result, const std::string& metric) {
  for (const auto& v : result.violations)
    if (v.rfind(metric + " ", 0) == 0) return true;
  return false;
}

const std::vector<std::string> kAllThresholds{"success_rate_drop>0.05", "geomean_speedup_drop>0.1", "new_failures>0",
                                              "infra_errors>0", "cost_increase>0.5"};

TEST(CompareRuns, IdenticalRunsAreNoRegression) {
  const CompareResult result = compare_runs(base_run(), base_run(), kAllThresholds);
  EXPECT_FALSE(result.regression);
  EXPECT_TRUE(result.violations.empty());
  EXPECT_NE(result.text.find("no regression (5 thresholds checked)"), std::string::npos) << result.text;
}

TEST(CompareRuns, ANewlyFailingTaskTripsSuccessRateAndNewFailuresOnly) {
  ReportInput candidate = base_run();
  candidate.episodes[1].status = "fail";  // silu C2 now fails
  candidate.episodes[1].speedup = 0;
  const CompareResult result = compare_runs(base_run(), candidate, kAllThresholds);
  EXPECT_TRUE(result.regression);
  EXPECT_TRUE(has_violation(result, "success_rate_drop"));  // 1.0 -> 0.75
  EXPECT_TRUE(has_violation(result, "new_failures"));
  EXPECT_FALSE(has_violation(result, "infra_errors"));
  EXPECT_FALSE(has_violation(result, "cost_increase"));
  // Geomean over passing kernels: (1.2*2*2)^(1/3) = 1.747 vs (1.2*1.2*2*2)^(1/4) = 1.549; no drop.
  EXPECT_FALSE(has_violation(result, "geomean_speedup_drop"));
  ASSERT_EQ(result.violations.size(), 2u);
  EXPECT_EQ(result.violations[0], "success_rate_drop = 0.2500 > 0.05 (base 1.0000, new 0.7500)");
  EXPECT_EQ(result.violations[1], "new_failures = 1 > 0");
  EXPECT_NE(result.text.find("REGRESSION"), std::string::npos);
}

TEST(CompareRuns, ASpeedupDropTripsOnlyTheGeomeanThreshold) {
  ReportInput candidate = base_run();
  for (auto& e : candidate.episodes) e.speedup *= 0.8;  // every kernel 20% slower, all still pass
  const CompareResult result = compare_runs(base_run(), candidate, kAllThresholds);
  ASSERT_EQ(result.violations.size(), 1u) << result.text;
  EXPECT_TRUE(has_violation(result, "geomean_speedup_drop"));
  EXPECT_NE(result.violations[0].find("0.2000 > 0.1"), std::string::npos) << result.violations[0];
  // A looser threshold is not broken by the same drop.
  EXPECT_FALSE(compare_runs(base_run(), candidate, {"geomean_speedup_drop>0.25"}).regression);
  EXPECT_TRUE(compare_runs(base_run(), candidate, {"geomean_speedup_drop>=0.19"}).regression);
}

TEST(CompareRuns, InfraErrorsAndCostAreMeasuredOnTheCandidate) {
  ReportInput candidate = base_run();
  candidate.episodes[0].status = "infra_error";  // not a model failure
  for (auto& e : candidate.episodes) e.cost_usd = 0.20;
  const CompareResult result = compare_runs(base_run(), candidate, kAllThresholds);
  EXPECT_TRUE(has_violation(result, "infra_errors"));
  EXPECT_TRUE(has_violation(result, "cost_increase"));  // +100% per scored episode
  EXPECT_FALSE(has_violation(result, "new_failures"));
  EXPECT_FALSE(has_violation(result, "success_rate_drop"));  // 3 of 3 scored still pass
  EXPECT_NE(result.text.find("infra_errors"), std::string::npos);
}

TEST(CompareRuns, LowerBoundThresholdsWork) {
  // "<" and "<=" gate on a metric that should not go below a value, e.g. a required improvement.
  EXPECT_FALSE(compare_runs(base_run(), base_run(), {"success_rate_drop<0"}).regression);
  EXPECT_TRUE(compare_runs(base_run(), base_run(), {"success_rate_drop<=0"}).regression);
  EXPECT_TRUE(compare_runs(base_run(), base_run(), {"new_failures <= 0"}).regression);  // spaces allowed
}

TEST(CompareRuns, BadThresholdsAreInputErrorsNamingThem) {
  for (const std::string bad : {"success_rate_drop", "success_rate_drop>", ">0.1", "success_rate_drop=0.1",
                                "success_rate_drop>abc", "success_rate_drop>0.1x", "success_rate_drop>nan"}) {
    try {
      compare_runs(base_run(), base_run(), {bad});
      FAIL() << "expected InputError for '" << bad << "'";
    } catch (const InputError& error) {
      EXPECT_NE(std::string(error.what()).find("'" + bad + "'"), std::string::npos) << error.what();
    }
  }
  try {
    compare_runs(base_run(), base_run(), {"new_failures>0", "speed_drop>0.1"});
    FAIL() << "expected InputError for an unknown metric";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("unknown metric 'speed_drop'"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("success_rate_drop"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace kc::report
