#include "kernelcraft/run/run_spec.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>

#include <gtest/gtest.h>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/seeds.h"

namespace kc::run {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_run_spec(text, "runs/r.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(RunSpec, ParsesARunFile) {
  const RunSpec spec = parse_run_spec(R"({
    "schema": "kernelcraft-run/1", "agents": ["autotune", "agents/claude-sonnet-4.json"],
    "platforms": "plena", "tasks": ["level:1", "ffn"], "configs": ["C1", "C2"], "samples": 3,
    "scoring_seeds": [11, 13], "turn_budget": 7, "jobs": 4, "concurrency": {"anthropic": 2}
  })", "runs/r.json");
  EXPECT_EQ(spec.agents.size(), 2u);
  EXPECT_EQ(spec.platforms, std::vector<std::string>{"plena"});
  EXPECT_EQ(spec.tasks.size(), 2u);
  EXPECT_EQ(spec.samples, 3);
  EXPECT_EQ(spec.scoring_seeds, (std::vector<uint64_t>{11, 13}));
  EXPECT_EQ(spec.turn_budget, 7);
  EXPECT_EQ(spec.jobs, 4);
  EXPECT_EQ(spec.provider_concurrency.at("anthropic"), 2);
  const RunSpec again = parse_run_spec(to_json(spec).dump(), "round trip");
  EXPECT_EQ(to_json(again), to_json(spec));
}

TEST(RunSpec, MalformedRunFilesNameTheField) {
  EXPECT_NE(error_of("[").find("runs/r.json: not valid JSON"), std::string::npos);
  EXPECT_NE(error_of(R"({"agents":["a"]})").find("field 'schema'"), std::string::npos);
  const std::string head = R"({"schema":"kernelcraft-run/1",)";
  EXPECT_NE(error_of(head + R"("agents":[]})").find("field 'agents'"), std::string::npos);
  EXPECT_NE(error_of(head + R"("agents":["a"],"samples":0})").find("field 'samples'"), std::string::npos);
  EXPECT_NE(error_of(head + R"("agents":["a"],"tasks":[1]})").find("field 'tasks[0]'"), std::string::npos);
  EXPECT_NE(error_of(head + R"("agents":["a"],"sample":2})").find("field 'sample': unknown"), std::string::npos);
  EXPECT_NE(error_of(head + R"("agents":["a"],"concurrency":{"openai":0}})").find("openai"), std::string::npos);
}

RunSpec spec_of(std::vector<std::string> agents, std::vector<std::string> tasks, std::vector<std::string> configs) {
  RunSpec spec;
  spec.agents = std::move(agents);
  spec.tasks = std::move(tasks);
  spec.configs = std::move(configs);
  return spec;
}

TEST(ResolveRun, ExpandsTheMatrixInAFixedOrder) {
  RunSpec spec = spec_of({"baseline", "autotune"}, {"level:1"}, {"C1", "C3"});
  spec.platforms = {"plena"};
  spec.samples = 2;
  const ResolvedRun run = resolve_run(spec, KC_SOURCE_DIR);
  std::set<std::string> tasks;
  for (const EpisodeKey& key : run.episodes) tasks.insert(key.task);
  EXPECT_EQ(tasks.size(), run.resolved["tasks"].size());
  EXPECT_FALSE(tasks.count("ffn")) << "level 2 task selected by level:1";
  EXPECT_EQ(run.episodes.size(), tasks.size() * 2 /*configs*/ * 2 /*agents*/ * 2 /*samples*/);
  std::set<std::string> ids;
  for (const EpisodeKey& key : run.episodes) ids.insert(key.id());
  EXPECT_EQ(ids.size(), run.episodes.size()) << "every episode once";
  EXPECT_EQ(run.resolved["scoring_seeds"], hidden_seeds());
  EXPECT_EQ(resolve_run(spec, KC_SOURCE_DIR).resolved, run.resolved) << "deterministic";
  EXPECT_EQ(run.episodes.front().id(), run.episodes.front().agent + "/plena/" + run.episodes.front().task + "/C1/default/s0");
  EXPECT_EQ(run.episodes.front().file_stem().find('/'), std::string::npos);
}

TEST(ResolveRun, EveryBuiltInPlatformRunsItsSupportedTasksWithItsOwnShapes) {
  const ResolvedRun run = resolve_run(spec_of({"baseline"}, {"gemm", "attention"}, {"C5"}), KC_SOURCE_DIR);
  std::set<std::string> cells;
  for (const EpisodeKey& key : run.episodes) cells.insert(key.platform + "/" + key.task);
  // attention is not a Coral task in KernelCraft's matrix; gemm runs on both.
  EXPECT_EQ(cells, (std::set<std::string>{"amd_npu/attention", "amd_npu/gemm", "coral_npu/gemm", "plena/attention",
                                          "plena/gemm"}));
  EXPECT_TRUE(run.resolved["platforms"].contains("coral_npu"));
  EXPECT_TRUE(run.resolved["platforms"]["coral_npu"]["presets"].contains("coral"));
}

TEST(ResolveRun, UnknownNamesAreErrors) {
  EXPECT_THROW(resolve_run(spec_of({"no-such-agent"}, {}, {}), KC_SOURCE_DIR), InputError);
  EXPECT_THROW(resolve_run(spec_of({"baseline"}, {"no_such_task"}, {}), KC_SOURCE_DIR), InputError);
  EXPECT_THROW(resolve_run(spec_of({"baseline"}, {"level:4"}, {}), KC_SOURCE_DIR), InputError);
  EXPECT_THROW(resolve_run(spec_of({"baseline"}, {"relu"}, {"C9"}), KC_SOURCE_DIR), InputError);
  RunSpec spec = spec_of({"baseline"}, {"relu"}, {});
  spec.presets = {"huge"};
  EXPECT_THROW(resolve_run(spec, KC_SOURCE_DIR), InputError);
  EXPECT_THROW(resolve_run(spec_of({"baseline", "baseline"}, {"relu"}, {}), KC_SOURCE_DIR), InputError);
}

TEST(ResolveRun, ConfigurationsAPresetCannotHoldAreSkippedWithTheReason) {
  RunSpec spec = spec_of({"baseline"}, {"gemm"}, {});
  spec.platforms = {"plena"};
  spec.presets = {"small"};
  const ResolvedRun run = resolve_run(spec, KC_SOURCE_DIR);
  ASSERT_FALSE(run.resolved["skipped_cells"].empty()) << "gemm's larger configurations exceed the small preset";
  EXPECT_FALSE(run.resolved["skipped_cells"][0]["reason"].get<std::string>().empty());
  EXPECT_EQ(run.episodes.size() + run.resolved["skipped_cells"].size(), 5u);
}

TEST(RunSpec, TheSimulationBackendIsAFieldRecordedOnlyWhenNotTheDefault) {
  const std::string head = R"({"schema":"kernelcraft-run/1","agents":["baseline"],)";
  EXPECT_EQ(parse_run_spec(head + R"("sim":"rtl"})", "r").sim, "rtl");
  EXPECT_EQ(parse_run_spec(head + R"("tasks":["relu"]})", "r").sim, "model");
  EXPECT_NE(error_of(head + R"("sim":"gpu"})").find("field 'sim': expected \"model\" or \"rtl\""), std::string::npos);
  EXPECT_NE(error_of(head + R"("sim":1})").find("field 'sim'"), std::string::npos);

  RunSpec spec = spec_of({"baseline"}, {"relu"}, {"C1"});
  spec.platforms = {"plena"};
  spec.presets = {"small"};
  EXPECT_FALSE(resolve_run(spec, KC_SOURCE_DIR).resolved.contains("sim")) << "old run folders still resume";
  spec.sim = "rtl";
  EXPECT_EQ(resolve_run(spec, KC_SOURCE_DIR).resolved.at("sim"), "rtl");
  spec.platforms = {"plena", "coral_npu"};
  spec.presets = {};
  try {
    resolve_run(spec, KC_SOURCE_DIR);
    ADD_FAILURE() << "coral_npu has no RTL backend";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("platform 'coral_npu' has no 'rtl' simulation backend; available: model"),
              std::string::npos) << e.what();
  }
}

TEST(ResolveRun, APlatformDeclarationFileRunsUnderItsDeclaredNameAndRemembersThePath) {
  // Resolving opens the declaration, which wants a kernelcraft binary for {kernelcraft}; nothing
  // is run here, so any executable will do.
  ::setenv("KERNELCRAFT_BINARY", "/bin/true", 1);
  RunSpec spec = spec_of({"baseline"}, {"relu", "conv2d"}, {"C1"});
  spec.platforms = {"examples/external/plena-via-cli/platform.json"};
  const ResolvedRun run = resolve_run(spec, KC_SOURCE_DIR);
  ASSERT_EQ(run.episodes.size(), 1u) << "conv2d is not a PLENA task, and the declaration follows PLENA's column";
  EXPECT_EQ(run.episodes[0].platform, "plena_cli");
  EXPECT_EQ(run.resolved["platforms"]["plena_cli"]["declaration"], spec.platforms[0]);
  spec.baselines_only = true;
  EXPECT_THROW(resolve_run(spec, KC_SOURCE_DIR), InputError) << "no baseline compiler for a declared platform";
  ::unsetenv("KERNELCRAFT_BINARY");
}

TEST(Shards, PartitionTheMatrixAndKeepCellsTogether) {
  const ResolvedRun run = resolve_run(spec_of({"baseline", "autotune"}, {"level:1"}, {"C1", "C2"}), KC_SOURCE_DIR);
  std::vector<EpisodeKey> all;
  for (int i = 0; i < 3; ++i) {
    const auto shard = shard_episodes(run.episodes, i, 3);
    EXPECT_FALSE(shard.empty());
    // Both agents of a cell are in the same shard.
    for (const EpisodeKey& key : shard)
      EXPECT_EQ(std::count_if(shard.begin(), shard.end(),
                              [&](const EpisodeKey& k) {
                                return k.platform == key.platform && k.task == key.task && k.config == key.config;
                              }),
                2);
    all.insert(all.end(), shard.begin(), shard.end());
  }
  std::sort(all.begin(), all.end());
  std::vector<EpisodeKey> expected = run.episodes;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(all, expected);
  EXPECT_EQ(parse_shard("2/5"), (std::pair<int, int>{2, 5}));
  for (const char* bad : {"5/5", "-1/3", "1", "a/b", "1/0", "1/3x"}) EXPECT_THROW(parse_shard(bad), InputError) << bad;
  EXPECT_THROW(shard_episodes(run.episodes, 3, 3), InputError);
}

TEST(RunSpec, TheShippedPaperRunFileResolves) {
  const std::string path = std::string(KC_SOURCE_DIR) + "/docs/examples/kernelcraft-paper.json";
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const ResolvedRun run = resolve_run(parse_run_spec(text, path), KC_SOURCE_DIR);
  EXPECT_EQ(run.agents.size(), 6u);
  // Every PLENA-supported task, five configurations, six agents.
  EXPECT_EQ(run.episodes.size() % (6 * 5), 0u);
  EXPECT_GE(run.episodes.size(), 20u * 5 * 6);
}

}  // namespace
}  // namespace kc::run
