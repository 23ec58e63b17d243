// Merging shard folders: only shards of the same experiment that cover the matrix exactly once
// merge, into one run whose records, transcripts and kernels are the shards' union.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/run/results_store.h"

namespace kc::run {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string test_dir(const std::string& leaf) {
  const auto dir = fs::path(::testing::TempDir()) /
                   ("kc_merge_" + std::to_string(::getpid()) + "_" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name()) /
                   leaf;
  fs::remove_all(dir);
  return dir.string();
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_text(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

agent::EpisodeRecord record(const std::string& agent, const std::string& task, const std::string& config,
                            int sample, uint64_t cycles = 500) {
  agent::EpisodeRecord r;
  r.agent = agent;
  r.provider = "openai";
  r.model = agent + "-model";
  r.platform = "plena";
  r.task = task;
  r.config = config;
  r.preset = "default";
  r.level = 1;
  r.sample = sample;
  r.turn_budget = 10;
  r.turns = 4;
  r.status = "pass";
  r.end = "submitted";
  r.cycles = cycles;
  r.baseline_cycles = 1000;
  r.speedup = 1000.0 / static_cast<double>(cycles);
  r.wall_s = 1.5;
  return r;
}

json resolved() {
  return {{"agents", json::array({{{"name", "a"}, {"model", "a-model"}}, {{"name", "b"}, {"model", "b-model"}}})},
          {"samples", 2},
          {"tasks", json::array({"relu", "softmax"})}};
}

// A shard folder as a run writes it: run.json with its shard, each episode's transcript and
// kernel versions at the store's paths, and the records pointing at them.
std::string make_shard(const std::string& dir, int index, int count, const json& resolved_part,
                       const std::vector<agent::EpisodeRecord>& records) {
  ResultsStore store = ResultsStore::create(
      dir, {{"resolved", resolved_part}, {"shard", {{"index", index}, {"count", count}}}, {"revision", "abc"}});
  for (agent::EpisodeRecord r : records) {
    const EpisodeKey key = key_of(r);
    r.transcript_path = store.transcript_path(key);
    write_text(r.transcript_path, "{\"event\":\"transcript of " + key.id() + "\"}\n");
    write_text(store.kernel_directory(key) + "/kernel_v1.asm", "; draft of " + key.id() + "\n");
    r.kernel_path = store.kernel_directory(key) + "/final.asm";
    write_text(r.kernel_path, "; final kernel of " + key.id() + "\n");
    store.append(r);
  }
  return dir;
}

template <typename F>
std::string input_error_of(F&& action) {
  try {
    action();
  } catch (const InputError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected an InputError";
  return "";
}

TEST(MergeRunsTest, ThreeShardsMergeIntoTheirSortedUnionWithFilesCopied) {
  const std::vector<agent::EpisodeRecord> s0{record("b", "softmax", "C2", 1, 400), record("a", "relu", "C1", 0)};
  const std::vector<agent::EpisodeRecord> s1{record("b", "relu", "C1", 0, 700), record("a", "softmax", "C2", 0)};
  const std::vector<agent::EpisodeRecord> s2{record("a", "relu", "C1", 1, 300)};
  const std::vector<std::string> shards{make_shard(test_dir("shard2"), 2, 3, resolved(), s2),
                                        make_shard(test_dir("shard0"), 0, 3, resolved(), s0),
                                        make_shard(test_dir("shard1"), 1, 3, resolved(), s1)};
  const std::string out = test_dir("merged");

  EXPECT_EQ(merge_runs(shards, out), 5u);

  const ResultsStore merged = ResultsStore::open(out);
  const auto records = merged.records();
  std::vector<agent::EpisodeRecord> expected{s0[0], s0[1], s1[0], s1[1], s2[0]};
  std::sort(expected.begin(), expected.end(),
            [](const auto& x, const auto& y) { return key_of(x) < key_of(y); });
  ASSERT_EQ(records.size(), expected.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const EpisodeKey key = key_of(records[i]);
    EXPECT_EQ(key, key_of(expected[i])) << i;
    EXPECT_EQ(agent::reproducible_part(records[i]), agent::reproducible_part(expected[i])) << key.id();
    EXPECT_EQ(records[i].transcript_path, merged.transcript_path(key));
    EXPECT_EQ(read_all(records[i].transcript_path), "{\"event\":\"transcript of " + key.id() + "\"}\n");
    EXPECT_EQ(records[i].kernel_path, merged.kernel_directory(key) + "/final.asm");
    EXPECT_EQ(read_all(records[i].kernel_path), "; final kernel of " + key.id() + "\n");
    EXPECT_EQ(read_all(merged.kernel_directory(key) + "/kernel_v1.asm"), "; draft of " + key.id() + "\n");
  }

  const json& run = merged.run_json();
  EXPECT_FALSE(run.contains("shard"));
  EXPECT_EQ(run.at("resolved"), resolved());
  EXPECT_EQ(run.at("revision"), "abc");
  EXPECT_EQ(run.at("merged_from"), json(shards));
}

TEST(MergeRunsTest, ADifferentResolvedConfigurationIsRefusedNamingTheField) {
  json other = resolved();
  other["agents"][1]["model"] = "b-model-v2";
  const std::string first = make_shard(test_dir("shard0"), 0, 2, resolved(), {record("a", "relu", "C1", 0)});
  const std::string second = make_shard(test_dir("shard1"), 1, 2, other, {record("a", "softmax", "C1", 0)});
  const std::string out = test_dir("merged");

  const std::string message = input_error_of([&] { merge_runs({first, second}, out); });
  EXPECT_NE(message.find("shard " + second + ": run.json field 'resolved.agents[1].model' differs from " + first),
            std::string::npos)
      << message;
  EXPECT_FALSE(fs::exists(out)) << "a refused merge must leave no output";

  json fewer = resolved();
  fewer["tasks"].erase(1);
  const std::string third = make_shard(test_dir("shard1b"), 1, 2, fewer, {});
  const std::string message2 = input_error_of([&] { merge_runs({first, third}, out); });
  EXPECT_NE(message2.find("'resolved.tasks[1]'"), std::string::npos) << message2;
}

TEST(MergeRunsTest, AMissingRepeatedOrMiscountedShardIsRefused) {
  const std::string s0 = make_shard(test_dir("s0"), 0, 3, resolved(), {record("a", "relu", "C1", 0)});
  const std::string s1 = make_shard(test_dir("s1"), 1, 3, resolved(), {record("a", "relu", "C2", 0)});
  const std::string s1_again = make_shard(test_dir("s1again"), 1, 3, resolved(), {record("a", "relu", "C2", 0)});
  const std::string s2 = make_shard(test_dir("s2"), 2, 3, resolved(), {record("a", "relu", "C3", 0)});
  const std::string s2_of_4 = make_shard(test_dir("s2of4"), 2, 4, resolved(), {});
  const std::string out = test_dir("merged");

  const std::string missing = input_error_of([&] { merge_runs({s0, s2}, out); });
  EXPECT_NE(missing.find("shard 1/3 is missing"), std::string::npos) << missing;

  const std::string repeated = input_error_of([&] { merge_runs({s0, s1, s1_again, s2}, out); });
  EXPECT_NE(repeated.find("shard 1/3 is given twice: " + s1 + " and " + s1_again), std::string::npos) << repeated;

  const std::string miscounted = input_error_of([&] { merge_runs({s0, s1, s2_of_4}, out); });
  EXPECT_NE(miscounted.find("shard " + s2_of_4 + ": run.json field 'shard.count' is 4"), std::string::npos)
      << miscounted;

  EXPECT_FALSE(fs::exists(out));
  EXPECT_EQ(merge_runs({s1, s2, s0}, out), 3u);
}

TEST(MergeRunsTest, AnEpisodeWithDifferentResultsInTwoShardsIsRefused) {
  const std::string s0 = make_shard(test_dir("s0"), 0, 2, resolved(), {record("a", "relu", "C1", 0, 500)});
  const std::string s1 = make_shard(test_dir("s1"), 1, 2, resolved(), {record("a", "relu", "C1", 0, 600)});
  const std::string out = test_dir("merged");
  const std::string message = input_error_of([&] { merge_runs({s0, s1}, out); });
  EXPECT_NE(message.find("a/plena/relu/C1/default/s0"), std::string::npos) << message;
  EXPECT_NE(message.find("'cycles'"), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(out));
}

TEST(MergeRunsTest, AnEpisodeWithTheSameResultInTwoShardsIsWrittenOnce) {
  agent::EpisodeRecord rerun = record("a", "relu", "C1", 0);
  rerun.wall_s = 99;  // wall time and paths legitimately differ between reruns
  const std::string s0 = make_shard(test_dir("s0"), 0, 2, resolved(),
                                    {record("a", "relu", "C1", 0), record("b", "relu", "C1", 0)});
  const std::string s1 = make_shard(test_dir("s1"), 1, 2, resolved(), {rerun, record("a", "softmax", "C1", 0)});
  const std::string out = test_dir("merged");

  EXPECT_EQ(merge_runs({s0, s1}, out), 3u);
  const auto records = ResultsStore::open(out).records();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(key_of(records[0]).id(), "a/plena/relu/C1/default/s0");
  EXPECT_DOUBLE_EQ(records[0].wall_s, 1.5) << "the first shard's copy is kept";
  EXPECT_EQ(key_of(records[1]).id(), "a/plena/softmax/C1/default/s0");
  EXPECT_EQ(key_of(records[2]).id(), "b/plena/relu/C1/default/s0");
  const std::string text = read_all(out + "/episodes.jsonl");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);
}

TEST(MergeRunsTest, TheOutputMustBeANewRunFolder) {
  const std::string s0 = make_shard(test_dir("s0"), 0, 1, resolved(), {record("a", "relu", "C1", 0)});
  const std::string message = input_error_of([&] { merge_runs({s0}, s0); });
  EXPECT_NE(message.find(s0 + " already holds a run"), std::string::npos) << message;
  EXPECT_EQ(ResultsStore::open(s0).records().size(), 1u);
  EXPECT_NE(input_error_of([&] { merge_runs({}, test_dir("merged")); }).find("no shard folders"), std::string::npos);
}

}  // namespace
}  // namespace kc::run
