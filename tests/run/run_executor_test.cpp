#include "kernelcraft/run/run_executor.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "kernelcraft/llm/transcript.h"
#include "support/mock_llm_server.h"

namespace kc::run {
namespace {

namespace fs = std::filesystem;
using kc::testing::MockLlmServer;
using kc::testing::MockStep;

std::string temp_dir(const std::string& leaf) {
  const auto dir = fs::path(::testing::TempDir()) /
                   ("kc_executor_" + std::to_string(::getpid()) + "_" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name()) /
                   leaf;
  fs::remove_all(dir);
  return dir.string();
}

RunSpec small_spec(std::vector<std::string> agents) {
  RunSpec spec;
  spec.agents = std::move(agents);
  spec.platforms = {"plena"};
  spec.tasks = {"relu", "gemm", "silu"};
  spec.configs = {"C1"};
  spec.jobs = 2;
  return spec;
}

TEST(ExecuteRun, RunsEveryEpisodeOnceAndStoresRecordsTranscriptsAndKernels) {
  const ResolvedRun run = resolve_run(small_spec({"baseline", "autotune"}), KC_SOURCE_DIR);
  ResultsStore store = ResultsStore::create(temp_dir("run"), {{"resolved", run.resolved}});
  std::vector<std::size_t> done;
  RunOptions options;
  options.data_dir = KC_SOURCE_DIR;
  options.on_progress = [&done](const RunProgress& p) {
    ASSERT_NE(p.last, nullptr);
    done.push_back(p.done);
  };
  const RunProgress progress = execute_run(run, run.episodes, store, options);
  EXPECT_EQ(progress.done, run.episodes.size());
  EXPECT_EQ(progress.passed, run.episodes.size()) << "built-in agents pass every C1";
  EXPECT_EQ(done.size(), run.episodes.size());
  EXPECT_TRUE(std::is_sorted(done.begin(), done.end()));
  const auto records = store.records();
  ASSERT_EQ(records.size(), run.episodes.size());
  std::vector<EpisodeKey> keys;
  for (const auto& record : records) {
    keys.push_back(key_of(record));
    EXPECT_TRUE(fs::exists(store.transcript_path(key_of(record)))) << record.task;
    EXPECT_TRUE(fs::exists(fs::path(store.kernel_directory(key_of(record))) / "final.asm")) << record.task;
    EXPECT_EQ(llm::read_transcript(store.transcript_path(key_of(record))).back()["event"], "episode_end");
  }
  std::sort(keys.begin(), keys.end());
  std::vector<EpisodeKey> expected = run.episodes;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(keys, expected);
}

// An OpenAI-compatible agent on the mock server that submits at once; the server measures how
// many of its requests are in flight together.
std::string mock_agent_file(const std::string& directory, const MockLlmServer& server) {
  fs::create_directories(directory);
  const std::string path = directory + "/mock-openai.json";
  std::ofstream(path) << nlohmann::json{{"schema", "kernelcraft-agent/1"}, {"name", "mock-openai"},
                                        {"provider", "openai"},              {"model", "m"},
                                        {"base_url", server.base_url()},     {"api_key_env", ""}}
                             .dump();
  return path;
}

int max_in_flight(int limit) {
  MockLlmServer server("openai");
  std::atomic<int> in_flight{0}, peak{0};
  server.respond_with([&](const kc::testing::ReceivedRequest&) {
    const int now = ++in_flight;
    int seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    --in_flight;
    return MockStep::reply("", {{"", "write_code", R"({"code": "; empty\n"})"}, {"", "submit", "{}"}});
  });
  RunSpec spec = small_spec({mock_agent_file(temp_dir("agents"), server)});
  if (limit > 0) spec.provider_concurrency["openai"] = limit;
  const ResolvedRun run = resolve_run(spec, KC_SOURCE_DIR);
  ResultsStore store = ResultsStore::create(temp_dir("run"), {{"resolved", run.resolved}});
  RunOptions options;
  options.data_dir = KC_SOURCE_DIR;
  options.cache_directory = "";
  const RunProgress progress = execute_run(run, run.episodes, store, options);
  EXPECT_EQ(progress.done, 3u);
  EXPECT_EQ(progress.failed, 3u) << "an empty kernel fails, it is not an infra error";
  return peak.load();
}

TEST(ExecuteRun, ProviderConcurrencyLimitsEpisodesInFlight) {
  EXPECT_EQ(max_in_flight(1), 1);
  EXPECT_EQ(max_in_flight(0), 2) << "two workers, no limit";
}

TEST(ExecuteRun, AHarnessFaultBecomesAnInfraErrorRecordAndTheRunGoesOn) {
  // The agent needs a key variable that is not set: every episode fails before any call.
  const std::string dir = temp_dir("agents");
  fs::create_directories(dir);
  std::ofstream(dir + "/keyless.json") << R"({"schema":"kernelcraft-agent/1","name":"keyless","provider":"anthropic",
    "model":"m","api_key_env":"KC_EXECUTOR_TEST_UNSET_KEY"})";
  ::unsetenv("KC_EXECUTOR_TEST_UNSET_KEY");
  const ResolvedRun run = resolve_run(small_spec({dir + "/keyless.json", "baseline"}), KC_SOURCE_DIR);
  ResultsStore store = ResultsStore::create(temp_dir("run"), {{"resolved", run.resolved}});
  RunOptions options;
  options.data_dir = KC_SOURCE_DIR;
  const RunProgress progress = execute_run(run, run.episodes, store, options);
  EXPECT_EQ(progress.infra_errors, 3u);
  EXPECT_EQ(progress.passed, 3u);
  for (const auto& record : store.records())
    if (record.agent == "keyless") {
      EXPECT_EQ(record.status, "infra_error");
      EXPECT_NE(record.failure.find("KC_EXECUTOR_TEST_UNSET_KEY"), std::string::npos) << record.failure;
    }
}

}  // namespace
}  // namespace kc::run
