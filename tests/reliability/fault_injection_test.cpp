// Fault injection at scale: 200 episodes against a mock OpenAI-compatible server that answers
// about a fifth of its requests with a fault (429, 500, 503, a dropped connection, a stall past
// the client timeout, a malformed 200 body). Every episode must end scored or as infra_error,
// never as a model failure, and a resume (drop infra_error, run what is missing) completes them.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/task.h"
#include "kernelcraft/eval/evaluator.h"
#include "kernelcraft/llm/agent_config.h"
#include "kernelcraft/llm/transcript.h"
#include "kernelcraft/platform/registry.h"
#include "kernelcraft/run/results_store.h"
#include "kernelcraft/run/run_executor.h"
#include "kernelcraft/run/run_spec.h"
#include "support/mock_llm_server.h"

namespace kc::run {
namespace {

namespace fs = std::filesystem;
using kc::testing::MockLlmServer;
using kc::testing::MockStep;
using kc::testing::ReceivedRequest;
using nlohmann::json;

constexpr int kEpisodes = 200;
constexpr double kTimeoutS = 0.5;

std::string temp_dir(const std::string& leaf) {
  const auto dir = fs::path(::testing::TempDir()) /
                   ("kc_faults_" + std::to_string(::getpid()) + "_" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name()) /
                   leaf;
  fs::remove_all(dir);
  return dir.string();
}

std::string relu_c1_baseline() {
  const auto platform = make_platform("plena", KC_SOURCE_DIR);
  const auto suite = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  Evaluator evaluator(*platform, find_task(suite, "relu"), "C1", platform->default_preset());
  return evaluator.baseline_source();
}

// The conversation of an agent that solves relu C1: write the baseline and check it, then submit.
MockStep solving_turn(const ReceivedRequest& request, const std::string& kernel) {
  bool has_tool_results = false;
  for (const json& message : request.json.value("messages", json::array()))
    if (message.value("role", "") == "tool") has_tool_results = true;
  if (has_tool_results) return MockStep::reply("It passes; submitting.", {{"", "submit", "{}"}});
  return MockStep::reply("Plan: max(x, 0) row by row.",
                         {{"", "write_code", json{{"code", kernel}}.dump()}, {"", "run_eval", "{}"}});
}

enum class Fault { RateLimited, Internal, Unavailable, Drop, Stall, Malformed };
constexpr int kFaultKinds = 6;

// Decides, with a seeded random stream, which requests fail and how. Independent faults at this
// rate seldom outlast two retries, so some faults come in bursts of three, which exhaust the
// retries of `max_retries: 2` and must end their episode as infra_error.
class FaultInjector {
 public:
  FaultInjector(std::string kernel, uint64_t seed) : kernel_(std::move(kernel)), random_(seed) {}

  MockStep respond(const ReceivedRequest& request) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++requests_;
    if (!enabled_) return solving_turn(request, kernel_);
    bool fault = burst_left_ > 0;
    if (fault) {
      --burst_left_;
    } else if (unit_(random_) < 0.19) {
      fault = true;
      if (unit_(random_) < 0.1) burst_left_ = 2;
    }
    if (!fault) return solving_turn(request, kernel_);
    const auto kind = static_cast<Fault>(std::uniform_int_distribution<int>(0, kFaultKinds - 1)(random_));
    ++faults_[kind];
    return fault_step(kind, request);
  }

  void set_enabled(bool enabled) {
    std::lock_guard<std::mutex> lock(mutex_);
    enabled_ = enabled;
  }
  int requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  std::map<Fault, int> faults() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return faults_;
  }

 private:
  MockStep fault_step(Fault kind, const ReceivedRequest& request) const {
    switch (kind) {
      case Fault::RateLimited:
        return MockStep::error(429, R"({"error": {"message": "slow down"}})", {{"Retry-After", "0"}});
      case Fault::Internal:
        return MockStep::error(500, R"({"error": {"message": "internal"}})");
      case Fault::Unavailable:
        return MockStep::error(503, "<html>upstream unavailable</html>");
      case Fault::Drop:
        return MockStep::drop();
      case Fault::Stall:
        return MockStep::stall_for(std::chrono::milliseconds(static_cast<int>(kTimeoutS * 1000) + 300),
                                   solving_turn(request, kernel_));
      case Fault::Malformed:
        return MockStep::raw(R"({"choices": [{"message": {"role": "assistant", "tool_c)");
    }
    return MockStep::drop();
  }

  const std::string kernel_;
  mutable std::mutex mutex_;
  std::mt19937_64 random_;
  std::uniform_real_distribution<double> unit_{0.0, 1.0};
  bool enabled_ = true;
  int burst_left_ = 0;
  int requests_ = 0;
  std::map<Fault, int> faults_;
};

std::string faulty_agent_file(const std::string& directory, const MockLlmServer& server) {
  fs::create_directories(directory);
  const std::string path = directory + "/flaky-openai.json";
  std::ofstream(path) << json{{"schema", "kernelcraft-agent/1"},
                              {"name", "flaky-openai"},
                              {"provider", "openai"},
                              {"model", "mock-model"},
                              {"base_url", server.base_url()},
                              {"api_key_env", ""},
                              {"max_retries", 2},
                              {"timeout_s", kTimeoutS},
                              // Millisecond backoff: the schedule is what matters here, not the wait.
                              {"retry", {{"base_delay_s", 0.001}, {"max_delay_s", 0.01}}}}
                             .dump(2);
  return path;
}

std::vector<EpisodeKey> missing_keys(const ResolvedRun& run, const ResultsStore& store) {
  std::set<EpisodeKey> done;
  for (const auto& record : store.records()) done.insert(key_of(record));
  std::vector<EpisodeKey> todo;
  for (const EpisodeKey& key : run.episodes)
    if (!done.count(key)) todo.push_back(key);
  return todo;
}

TEST(FaultInjection, EveryEpisodeEndsScoredOrInfraErrorAndAResumeCompletesThemAll) {
  MockLlmServer server("openai");
  FaultInjector injector(relu_c1_baseline(), 20261121);
  server.respond_with([&injector](const ReceivedRequest& request) { return injector.respond(request); });

  RunSpec spec;
  spec.agents = {faulty_agent_file(temp_dir("agents"), server)};
  spec.platforms = {"plena"};
  spec.tasks = {"relu"};
  spec.configs = {"C1"};
  spec.samples = kEpisodes;
  spec.jobs = 2;
  // One hidden seed instead of three: scoring is not what this test is about, and simulations
  // are most of its time under the sanitizers.
  spec.scoring_seeds = {7919};
  const ResolvedRun run = resolve_run(spec, KC_SOURCE_DIR);
  ASSERT_EQ(run.episodes.size(), static_cast<std::size_t>(kEpisodes));
  const std::string dir = temp_dir("run");
  ResultsStore store = ResultsStore::create(dir, {{"resolved", run.resolved}});
  RunOptions options;
  options.data_dir = KC_SOURCE_DIR;
  options.cache_directory = "";  // identical requests would otherwise be answered from the cache

  const RunProgress faulty = execute_run(run, run.episodes, store, options);
  EXPECT_EQ(faulty.done, static_cast<std::size_t>(kEpisodes));

  // The faults really happened, at about the rate asked for, of every kind.
  const auto faults = injector.faults();
  int fault_count = 0;
  for (const auto& [kind, count] : faults) fault_count += count;
  const double rate = static_cast<double>(fault_count) / injector.requests();
  EXPECT_EQ(faults.size(), static_cast<std::size_t>(kFaultKinds)) << "every fault kind was injected";
  EXPECT_GT(rate, 0.15) << fault_count << " faults in " << injector.requests() << " requests";
  EXPECT_LT(rate, 0.30) << fault_count << " faults in " << injector.requests() << " requests";
  RecordProperty("requests", injector.requests());
  RecordProperty("faults", fault_count);

  // A fault is never scored as the model's failure: an episode passes (retries hid the fault)
  // or ends as infra_error (they did not).
  std::size_t infra = 0, passed = 0;
  for (const auto& record : store.records()) {
    if (record.status == "infra_error") {
      ++infra;
      EXPECT_EQ(record.end, "infra_error") << key_of(record).id();
      EXPECT_NE(record.failure.find("gave up after 3 attempts"), std::string::npos) << record.failure;
    } else {
      ++passed;
      EXPECT_EQ(record.status, "pass") << key_of(record).id() << ": " << record.failure;
      EXPECT_EQ(record.end, "submitted") << key_of(record).id();
    }
  }
  EXPECT_EQ(infra + passed, static_cast<std::size_t>(kEpisodes));
  EXPECT_GT(infra, 0u) << "some faults must outlast the retries";
  EXPECT_GT(passed, static_cast<std::size_t>(kEpisodes / 2)) << "most faults are retried away";
  EXPECT_EQ(faulty.infra_errors, infra);
  RecordProperty("infra_errors", static_cast<int>(infra));

  // What `kernelcraft run --resume` does, with the server healthy again.
  injector.set_enabled(false);
  EXPECT_EQ(store.drop_infra_errors(), infra);
  const std::vector<EpisodeKey> todo = missing_keys(run, store);
  EXPECT_EQ(todo.size(), infra);
  const RunProgress resumed = execute_run(run, todo, store, options);
  EXPECT_EQ(resumed.passed, infra);

  // On disk: exactly one passing record per episode, and each transcript tells the final attempt.
  const auto records = ResultsStore::open(dir).records();
  ASSERT_EQ(records.size(), static_cast<std::size_t>(kEpisodes));
  std::set<EpisodeKey> keys;
  for (const auto& record : records) {
    keys.insert(key_of(record));
    EXPECT_EQ(record.status, "pass") << key_of(record).id() << ": " << record.failure;
    EXPECT_EQ(llm::read_transcript(store.transcript_path(key_of(record))).back()["record"]["status"], "pass")
        << key_of(record).id();
  }
  EXPECT_EQ(keys.size(), static_cast<std::size_t>(kEpisodes)) << "no episode recorded twice";
  std::ifstream lines(fs::path(dir) / "episodes.jsonl");
  int line_count = 0;
  for (std::string line; std::getline(lines, line);) ++line_count;
  EXPECT_EQ(line_count, kEpisodes) << "dropped infra_error lines are gone from the file";
}

// The backoff this test shortens is an agent config field ("retry"), validated like the others.
TEST(FaultInjection, TheRetryBackoffIsAnAgentConfigField) {
  const json base{{"schema", "kernelcraft-agent/1"}, {"name", "a"}, {"provider", "openai"}, {"model", "m"}};
  const llm::AgentConfig defaults = llm::parse_agent_config(base.dump(), "a.json");
  EXPECT_DOUBLE_EQ(defaults.retry_base_delay_s, 1.0);
  EXPECT_DOUBLE_EQ(defaults.retry_max_delay_s, 60.0);
  EXPECT_FALSE(llm::to_json(defaults).contains("retry")) << "run.json of older runs must still resume";

  json fast = base;
  fast["retry"] = {{"base_delay_s", 0.25}, {"max_delay_s", 4}};
  const llm::AgentConfig parsed = llm::parse_agent_config(fast.dump(), "a.json");
  EXPECT_DOUBLE_EQ(parsed.retry_base_delay_s, 0.25);
  EXPECT_DOUBLE_EQ(parsed.retry_max_delay_s, 4.0);
  EXPECT_EQ(llm::to_json(llm::parse_agent_config(llm::to_json(parsed).dump(), "again")), llm::to_json(parsed));

  for (const json& bad : {json{{"base_delay_s", 5}, {"max_delay_s", 1}}, json{{"base_delay_s", -1}},
                          json{{"base_delay_s", "1"}}, json{{"jitter", true}}}) {
    json config = base;
    config["retry"] = bad;
    try {
      llm::parse_agent_config(config.dump(), "a.json");
      ADD_FAILURE() << "accepted retry " << bad.dump();
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("a.json: field 'retry."), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace kc::run
