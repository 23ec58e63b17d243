// summarize(): every aggregate of the leaderboard on hand-built records with known answers.
#include <algorithm>
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "kernelcraft/report/report.h"

namespace kc::report {
namespace {

using agent::EpisodeRecord;
using nlohmann::json;

EpisodeRecord episode(const std::string& agent, const std::string& task, const std::string& config,
                      const std::string& status, double speedup = 0, int sample = 0) {
  EpisodeRecord r;
  r.agent = agent;
  r.provider = "mock";
  r.model = agent + "-model";
  r.platform = "plena";
  r.task = task;
  r.level = 1;
  r.config = config;
  r.preset = "default";
  r.sample = sample;
  r.status = status;
  r.end = status == "infra_error" ? "infra_error" : "submitted";
  r.speedup = speedup;
  return r;
}

ReportInput input_of(std::vector<EpisodeRecord> episodes) {
  ReportInput input;
  input.episodes = std::move(episodes);
  input.runs.push_back({{"run_id", "run-a"}});
  input.run_directories.push_back("/tmp/results/run-a");
  return input;
}

const json& agent_metrics(const json& summary, const std::string& agent) {
  return summary.at("by_agent").at(agent).at("metrics");
}

TEST(ReportSummary, SuccessRateExcludesInfraErrorsAndCountsNoKernelAsFailure) {
  const json s = summarize(input_of({
      episode("a", "silu", "C1", "pass", 1.1), episode("a", "silu", "C2", "pass", 1.0),
      episode("a", "silu", "C3", "pass", 0.9), episode("a", "silu", "C4", "fail"),
      episode("a", "silu", "C5", "no_kernel"), episode("a", "gelu", "C1", "infra_error"),
      episode("a", "gelu", "C2", "infra_error"),
  }));
  const json& m = agent_metrics(s, "a");
  EXPECT_EQ(m.at("episodes"), 7);
  EXPECT_EQ(m.at("scored"), 5);
  EXPECT_EQ(m.at("passed"), 3);
  EXPECT_EQ(m.at("failed"), 2);
  EXPECT_EQ(m.at("infra_errors"), 2);
  EXPECT_DOUBLE_EQ(m.at("success_rate").get<double>(), 0.6);
  EXPECT_EQ(s.at("overall").at("infra_errors"), 2);
  // A cell holding only infra errors has no rate at all rather than 0%.
  const json& gelu = s.at("by_agent").at("a").at("platforms").at("plena").at("levels").at("L1").at("tasks").at("gelu");
  EXPECT_TRUE(gelu.at("configs").at("C1").at("success_rate").is_null());
  EXPECT_EQ(gelu.at("configs_solved"), (json{{"solved", 0}, {"run", 0}}));
}

TEST(ReportSummary, SuccessTableCountsConfigurationsWithAPassingSample) {
  std::vector<EpisodeRecord> records{
      episode("a", "silu", "C1", "pass", 1, 0),      episode("a", "silu", "C1", "fail", 0, 1),
      episode("a", "silu", "C2", "fail", 0, 0),      episode("a", "silu", "C2", "fail", 0, 1),
      episode("a", "silu", "C3", "fail", 0, 0),      episode("a", "silu", "C3", "pass", 1, 1),
      episode("a", "silu", "C4", "infra_error", 0, 0), episode("a", "silu", "C4", "infra_error", 0, 1),
      episode("a", "silu", "C5", "no_kernel", 0, 0), episode("a", "silu", "C5", "fail", 0, 1),
      episode("b", "silu", "C1", "pass", 1, 0),
  };
  EpisodeRecord ffn = episode("a", "ffn", "C1", "pass", 1.2);
  ffn.level = 2;
  records.push_back(ffn);
  const json s = summarize(input_of(records));
  const json& table = s.at("success_table").at("plena");
  EXPECT_EQ(table.at("agents"), (json{"a", "b"}));
  ASSERT_EQ(table.at("rows").size(), 2u);
  EXPECT_EQ(table.at("rows")[0].at("task"), "silu");  // level 1 before level 2
  // C1 and C3 have a passing sample; C4 (only infra errors) was not scored, so it is 2 of 4.
  EXPECT_EQ(table.at("rows")[0].at("agents").at("a"), (json{{"solved", 2}, {"run", 4}}));
  EXPECT_EQ(table.at("rows")[0].at("agents").at("b"), (json{{"solved", 1}, {"run", 1}}));
  EXPECT_FALSE(table.at("rows")[1].at("agents").contains("b"));  // b never ran ffn
  EXPECT_EQ(table.at("levels").at("L1").at("a"), (json{{"solved", 2}, {"run", 4}}));
  EXPECT_EQ(table.at("levels").at("L2").at("a"), (json{{"solved", 1}, {"run", 1}}));
  EXPECT_EQ(table.at("total").at("a"), (json{{"solved", 3}, {"run", 5}}));
  const json& platform = s.at("by_agent").at("a").at("platforms").at("plena");
  EXPECT_EQ(platform.at("configs_solved"), (json{{"solved", 3}, {"run", 5}}));
  EXPECT_EQ(platform.at("levels").at("L1").at("configs_solved"), (json{{"solved", 2}, {"run", 4}}));
}

TEST(ReportSummary, PassAtKMatchesTheUnbiasedEstimatorByHand) {
  std::vector<EpisodeRecord> records;
  // Cell gemm/C1: n=5, c=2 -> pass@1 = 1 - C(3,1)/C(5,1) = 0.4; pass@5 = 1 (n-c < k).
  for (int s = 0; s < 5; ++s) records.push_back(episode("a", "gemm", "C1", s < 2 ? "pass" : "fail", 1.0, s));
  // Cell gemm/C2: n=5, c=0 -> 0 and 0.
  for (int s = 0; s < 5; ++s) records.push_back(episode("a", "gemm", "C2", "fail", 0, s));
  {
    const json s = summarize(input_of(records));
    const json& m = agent_metrics(s, "a");
    EXPECT_EQ(m.at("pass_at_k").size(), 2u);
    EXPECT_NEAR(m.at("pass_at_k").at("1").get<double>(), (0.4 + 0.0) / 2, 1e-12);
    EXPECT_NEAR(m.at("pass_at_k").at("5").get<double>(), (1.0 + 0.0) / 2, 1e-12);
    const json& c1 = s.at("by_agent").at("a").at("platforms").at("plena").at("levels").at("L1").at("tasks").at("gemm")
                         .at("configs").at("C1");
    EXPECT_NEAR(c1.at("pass_at_k").at("1").get<double>(), 0.4, 1e-12);
    EXPECT_DOUBLE_EQ(c1.at("pass_at_k").at("5").get<double>(), 1.0);
  }
  // An infra error shrinks n: n=4, c=1 -> pass@1 = 0.25, pass@5 = 1.
  records.clear();
  for (int s = 0; s < 5; ++s)
    records.push_back(episode("a", "gemm", "C1", s == 0 ? "pass" : s == 1 ? "infra_error" : "fail", 1.0, s));
  const json m = agent_metrics(summarize(input_of(records)), "a");
  EXPECT_NEAR(m.at("pass_at_k").at("1").get<double>(), 0.25, 1e-12);
  EXPECT_DOUBLE_EQ(m.at("pass_at_k").at("5").get<double>(), 1.0);
  // Fewer scored samples than k and none passing is 0, not 1.
  records.clear();
  for (int s = 0; s < 5; ++s) records.push_back(episode("a", "gemm", "C1", s == 0 ? "fail" : "infra_error", 0, s));
  EXPECT_DOUBLE_EQ(agent_metrics(summarize(input_of(records)), "a").at("pass_at_k").at("5").get<double>(), 0.0);
}

TEST(ReportSummary, PassAtKStaysExactForManySamples) {
  // n=200, c=3, k=200 needs C(197,200) = 0 -> 1; k=1 -> 3/200. A factorial form would overflow.
  std::vector<EpisodeRecord> records;
  for (int s = 0; s < 200; ++s) records.push_back(episode("a", "relu", "C1", s % 70 == 0 ? "pass" : "fail", 1, s));
  const json m = agent_metrics(summarize(input_of(records)), "a");
  EXPECT_NEAR(m.at("pass_at_k").at("1").get<double>(), 3.0 / 200, 1e-12);
  EXPECT_DOUBLE_EQ(m.at("pass_at_k").at("200").get<double>(), 1.0);
  EXPECT_EQ(summarize(input_of(records)).at("samples"), 200);
}

TEST(ReportSummary, PassAtKIsOmittedWithOneSamplePerCell) {
  const json s = summarize(input_of({episode("a", "relu", "C1", "pass", 1)}));
  EXPECT_EQ(s.at("samples"), 1);
  EXPECT_TRUE(agent_metrics(s, "a").at("pass_at_k").empty());
}

TEST(ReportSummary, FastPIsTheShareOfScoredEpisodesPassingAboveEachThreshold) {
  const json s = summarize(input_of({
      episode("a", "t", "C1", "pass", 0.5), episode("a", "t", "C2", "pass", 1.0), episode("a", "t", "C3", "pass", 1.2),
      episode("a", "t", "C4", "pass", 1.6), episode("a", "t", "C5", "pass", 2.5),
      episode("a", "u", "C1", "fail", 3.0),  // a failure's speedup never counts
      episode("a", "u", "C2", "infra_error", 5.0),
  }));
  const json& fast = agent_metrics(s, "a").at("fast_p");
  EXPECT_DOUBLE_EQ(fast.at("0").get<double>(), 5.0 / 6);
  EXPECT_DOUBLE_EQ(fast.at("1").get<double>(), 3.0 / 6);  // 1.0 is not > 1
  EXPECT_DOUBLE_EQ(fast.at("1.5").get<double>(), 2.0 / 6);
  EXPECT_DOUBLE_EQ(fast.at("2").get<double>(), 1.0 / 6);
}

TEST(ReportSummary, GeomeanSpeedupIgnoresFailuresAndPassesWithoutBaseline) {
  const json s = summarize(input_of({
      episode("a", "t", "C1", "pass", 2.0), episode("a", "t", "C2", "pass", 0.5),
      episode("a", "t", "C3", "pass", 0.0),  // no baseline: no speedup to average
      episode("a", "t", "C4", "fail", 8.0), episode("a", "t", "C5", "no_kernel"),
      episode("b", "t", "C1", "fail", 4.0),
  }));
  EXPECT_NEAR(agent_metrics(s, "a").at("geomean_speedup").get<double>(), 1.0, 1e-12);
  EXPECT_EQ(agent_metrics(s, "a").at("speedup_episodes"), 2);
  EXPECT_TRUE(agent_metrics(s, "b").at("geomean_speedup").is_null());  // never 1.0 for failures
  const json s2 = summarize(input_of({episode("a", "t", "C1", "pass", 1.5), episode("a", "t", "C2", "pass", 6.0)}));
  EXPECT_NEAR(agent_metrics(s2, "a").at("geomean_speedup").get<double>(), 3.0, 1e-12);
}

TEST(ReportSummary, BestOfAgentsPicksTheMaximumPassingSpeedupAndItsAgent) {
  const json s = summarize(input_of({
      episode("a", "gemm", "C1", "pass", 1.2), episode("b", "gemm", "C1", "pass", 1.5),
      episode("a", "gemm", "C2", "pass", 2.5), episode("b", "gemm", "C2", "fail"),
      episode("a", "gemm", "C3", "fail"), episode("b", "gemm", "C3", "no_kernel"),
      episode("a", "gemm", "C4", "pass", 0.8), episode("b", "gemm", "C4", "fail", 9.0),
      episode("a", "gemm", "C5", "pass", 0.0), episode("b", "gemm", "C5", "infra_error"),
  }));
  const json& best = s.at("best_speedup").at("plena");
  const json& row = best.at("rows").at(0);
  EXPECT_EQ(row.at("configs").at("C1"), (json{{"speedup", 1.5}, {"agent", "b"}, {"bin", "1-2x"}}));
  EXPECT_EQ(row.at("configs").at("C2"), (json{{"speedup", 2.5}, {"agent", "a"}, {"bin", ">=2x"}}));
  EXPECT_EQ(row.at("configs").at("C3").at("bin"), "failed");
  EXPECT_TRUE(row.at("configs").at("C3").at("speedup").is_null());
  EXPECT_EQ(row.at("configs").at("C4"), (json{{"speedup", 0.8}, {"agent", "a"}, {"bin", "<1x"}}));
  EXPECT_EQ(row.at("configs").at("C5").at("bin"), "no_baseline");
  EXPECT_EQ(best.at("bins"), (json{{">=2x", 1}, {"1-2x", 1}, {"<1x", 1}, {"failed", 1}, {"no_baseline", 1}}));
}

TEST(ReportSummary, TurnsToFirstValidKernelAndTokenMeans) {
  std::vector<EpisodeRecord> records{episode("a", "t", "C1", "pass", 1), episode("a", "t", "C2", "fail"),
                                     episode("a", "t", "C3", "pass", 1), episode("a", "t", "C4", "fail"),
                                     episode("a", "t", "C5", "infra_error")};
  records[0].first_valid_turn = 2;
  records[1].first_valid_turn = 10;  // valid on the visible seed, failed the hidden ones
  records[2].first_valid_turn = 3;
  records[4].first_valid_turn = 1;  // infra errors are not averaged
  for (std::size_t i = 0; i < records.size(); ++i) {
    records[i].tokens = {100 * (i + 1), 1000 * (i + 1), 50 * (i + 1), 10 * (i + 1), 20 * (i + 1), 3, 0};
    records[i].cost_usd = 0.5 * static_cast<double>(i + 1);
    records[i].wall_s = 10.0 * static_cast<double>(i + 1);
  }
  const json m = agent_metrics(summarize(input_of(records)), "a");
  EXPECT_EQ(m.at("turns_to_first_valid"), (json{{"episodes", 3}, {"mean", 5.0}, {"median", 3.0}}));
  // Means over the four scored episodes (1+2+3+4 = 10 multiples); sums over all five (15).
  EXPECT_DOUBLE_EQ(m.at("tokens_mean").at("system").get<double>(), 250.0);
  EXPECT_DOUBLE_EQ(m.at("tokens_mean").at("input").get<double>(), 2500.0);
  EXPECT_DOUBLE_EQ(m.at("tokens_mean").at("cached").get<double>(), 125.0);
  EXPECT_DOUBLE_EQ(m.at("tokens_mean").at("reasoning").get<double>(), 25.0);
  EXPECT_DOUBLE_EQ(m.at("tokens_mean").at("output").get<double>(), 50.0);
  EXPECT_DOUBLE_EQ(m.at("tokens_mean").at("total").get<double>(), 2825.0);  // cached is not added again
  EXPECT_DOUBLE_EQ(m.at("tokens_total").at("total").get<double>(), 1130.0 * 15);
  EXPECT_DOUBLE_EQ(m.at("cost_usd").at("sum").get<double>(), 7.5);
  EXPECT_DOUBLE_EQ(m.at("cost_usd").at("mean").get<double>(), 1.25);
  EXPECT_DOUBLE_EQ(m.at("wall_s").at("sum").get<double>(), 150.0);
  EXPECT_DOUBLE_EQ(m.at("wall_s").at("mean").get<double>(), 25.0);

  records.pop_back();
  records[1].first_valid_turn.reset();  // even count: median is the mean of the middle two
  EXPECT_EQ(agent_metrics(summarize(input_of(records)), "a").at("turns_to_first_valid"),
            (json{{"episodes", 2}, {"mean", 2.5}, {"median", 2.5}}));
}

TEST(ReportSummary, RollsUpPerLevelPlatformAndAgentInSuiteOrder) {
  EpisodeRecord attention = episode("a", "attention", "C1", "pass", 1.1);
  attention.level = 2;
  EpisodeRecord coral = episode("a", "softmax", "C1", "fail");
  coral.platform = "coral";
  const json s = summarize(input_of({episode("a", "softmax", "C10", "pass", 1), attention,
                                     episode("a", "gelu", "C2", "fail"), episode("a", "gelu", "C1", "pass", 1),
                                     coral}));
  EXPECT_EQ(s.at("tasks"), (json{{{"name", "gelu"}, {"level", 1}},
                                 {{"name", "softmax"}, {"level", 1}},
                                 {{"name", "attention"}, {"level", 2}}}));
  EXPECT_EQ(s.at("configs"), (json{"C1", "C2", "C10"}));  // natural order
  EXPECT_EQ(s.at("platforms"), (json{"coral", "plena"}));
  const json& plena = s.at("by_agent").at("a").at("platforms").at("plena");
  EXPECT_EQ(plena.at("metrics").at("episodes"), 4);
  EXPECT_DOUBLE_EQ(plena.at("metrics").at("success_rate").get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(plena.at("levels").at("L1").at("metrics").at("success_rate").get<double>(), 2.0 / 3);
  EXPECT_DOUBLE_EQ(plena.at("levels").at("L2").at("metrics").at("success_rate").get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(agent_metrics(s, "a").at("success_rate").get<double>(), 0.6);
  EXPECT_EQ(s.at("best_speedup").at("plena").at("configs"), (json{"C1", "C2", "C10"}));
  EXPECT_EQ(s.at("runs"), (json{{{"id", "run-a"}, {"directory", "/tmp/results/run-a"}}}));
}

TEST(ReportSummary, SameRecordsInAnyOrderGiveIdenticalJsonText) {
  std::vector<EpisodeRecord> records;
  for (const char* agent : {"b", "a", "c"})
    for (const char* config : {"C3", "C1", "C2"})
      for (int s = 0; s < 3; ++s) {
        EpisodeRecord r = episode(agent, s % 2 ? "relu" : "gemm", config, (s + config[1]) % 3 ? "pass" : "fail",
                                  0.1 + 0.37 * s + 0.011 * config[1], s);
        r.tokens.input = 1000 + 7 * s;
        r.cost_usd = 0.001 * 3.3 * (s + 1);
        r.wall_s = 1.0 / (s + 3);
        records.push_back(r);
      }
  const std::string first = summarize(input_of(records)).dump();
  EXPECT_EQ(summarize(input_of(records)).dump(), first);
  std::mt19937 rng(42);
  for (int i = 0; i < 5; ++i) {
    std::shuffle(records.begin(), records.end(), rng);
    EXPECT_EQ(summarize(input_of(records)).dump(), first);
  }
}

TEST(ReportSummary, EmptyInputGivesNullRatesNotErrors) {
  const json s = summarize(ReportInput{});
  EXPECT_EQ(s.at("overall").at("episodes"), 0);
  EXPECT_TRUE(s.at("overall").at("success_rate").is_null());
  EXPECT_TRUE(s.at("overall").at("geomean_speedup").is_null());
  EXPECT_TRUE(s.at("by_agent").empty());
}

}  // namespace
}  // namespace kc::report
