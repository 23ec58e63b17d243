// End-to-end episodes: the episode loop driving real providers over HTTP against the mock LLM
// server on 127.0.0.1 (all three wire formats), the built-in agents, replay and the cache.
#include "kernelcraft/agent/episode_runner.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "kernelcraft/agent/provider_factory.h"
#include "kernelcraft/llm/http_provider.h"
#include "kernelcraft/llm/replay_provider.h"
#include "kernelcraft/llm/transcript.h"
#include "kernelcraft/platform/coral_platform.h"
#include "kernelcraft/platform/plena_platform.h"
#include "support/mock_llm_server.h"

namespace kc::agent {
namespace {

namespace fs = std::filesystem;
using kc::testing::MockLlmServer;
using kc::testing::MockStep;
using kc::testing::MockToolCall;
using nlohmann::json;

constexpr const char* kKeyVariable = "KC_EPISODE_TEST_KEY";
constexpr const char* kKey = "sk-episode-test-SECRET-5f1c2a9e";

const PlenaPlatform& plena() {
  static const PlenaPlatform platform(KC_SOURCE_DIR);
  return platform;
}

std::shared_ptr<const TaskSpec> suite_task(const std::string& name) {
  static const auto suite = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  return find_task(suite, name);
}

const PromptTemplates& templates() {
  static const PromptTemplates loaded = load_prompt_templates(std::string(KC_SOURCE_DIR) + "/agents/prompts");
  return loaded;
}

std::string test_dir(const std::string& leaf) {
  const auto dir = fs::path(::testing::TempDir()) /
                   ("kc_episode_" + std::to_string(::getpid()) + "_" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name()) /
                   leaf;
  fs::remove_all(dir);
  return dir.string();
}

std::string args(const json& object) { return object.dump(); }

std::string relu_baseline() {
  static const std::string source = [] {
    Evaluator evaluator(plena(), suite_task("relu"), "C1", "default");
    return evaluator.baseline_source();
  }();
  return source;
}

// An HTTP agent of `format` pointed at `server`, its key in the environment.
llm::AgentConfig http_agent(const MockLlmServer& server) {
  ::setenv(kKeyVariable, kKey, 1);
  const json config{{"schema", "kernelcraft-agent/1"},
                    {"name", "mock-" + server.format()},
                    {"provider", server.format()},
                    {"model", "mock-model"},
                    {"base_url", server.base_url()},
                    {"api_key_env", kKeyVariable},
                    {"prices_usd_per_mtok", {{"input", 2.0}, {"cached_input", 0.5}, {"output", 10.0}}},
                    {"max_retries", 3},
                    {"timeout_s", 5}};
  return llm::parse_agent_config(config.dump(), "test agent");
}

struct Harness {
  explicit Harness(const llm::AgentConfig& agent_config, llm::ResponseCache* cache = nullptr)
      : agent(agent_config) {
    llm::HttpProviderOptions options;
    options.timeout = std::chrono::milliseconds(5000);
    options.retry.max_retries = agent.max_retries;
    options.sleep = [](double) {};  // retries without waiting
    options.cache = cache;
    provider = std::make_unique<llm::HttpChatProvider>(llm::make_wire_format(agent.provider), agent.endpoint(), http,
                                                       options);
  }
  EpisodeRecord run(const std::string& task, const std::string& directory, int turns = 0,
                    const Platform& platform = plena(), const std::string& preset = "default") {
    Evaluator evaluator(platform, suite_task(task), "C1", preset);
    EpisodeRunner runner(platform, agent, *provider, templates());
    EpisodeOptions options;
    options.directory = directory;
    options.turn_budget = turns;
    return runner.run(evaluator, options);
  }
  llm::AgentConfig agent;
  llm::CurlHttpClient http;
  std::unique_ptr<llm::HttpChatProvider> provider;
};

std::vector<MockStep> solving_script() {
  return {MockStep::reply("Plan: copy with max(x, 0).",
                          {{"", "write_code", args({{"code", relu_baseline()}})}, {"", "run_eval", "{}"}}),
          MockStep::reply("It passes; submitting.", {{"", "submit", "{}"}})};
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void expect_no_key_under(const std::string& directory) {
  for (const auto& entry : fs::recursive_directory_iterator(directory)) {
    if (entry.is_regular_file()) {
      EXPECT_EQ(read_all(entry.path()).find(kKey), std::string::npos) << "API key found in " << entry.path();
    }
  }
}

class EpisodeOverHttp : public ::testing::TestWithParam<std::string> {};

TEST_P(EpisodeOverHttp, ASolvingConversationPassesOnHiddenSeeds) {
  MockLlmServer server(GetParam());
  server.script(solving_script());
  Harness harness(http_agent(server));
  const std::string dir = test_dir("episode");
  const EpisodeRecord record = harness.run("relu", dir);

  EXPECT_EQ(record.status, "pass") << record.failure;
  EXPECT_EQ(record.end, "submitted");
  EXPECT_EQ(record.turns, 2);
  EXPECT_EQ(record.turn_budget, 15);
  EXPECT_EQ(record.tool_calls, 3);
  ASSERT_TRUE(record.first_valid_turn.has_value());
  EXPECT_EQ(*record.first_valid_turn, 1);
  EXPECT_EQ(record.hidden_seeds, 3);
  EXPECT_EQ(record.hidden_seeds_passed, 3);
  ASSERT_TRUE(record.baseline_cycles.has_value());
  EXPECT_EQ(record.cycles, *record.baseline_cycles);
  EXPECT_DOUBLE_EQ(record.speedup, 1.0);
  // The mock reports 1000 prompt and 100 output tokens per call.
  EXPECT_EQ(record.tokens.system + record.tokens.input, 2000u);
  EXPECT_GT(record.tokens.system, 0u);
  EXPECT_EQ(record.tokens.output + record.tokens.reasoning, 200u);
  EXPECT_NEAR(record.cost_usd, (2000 * 2.0 + 200 * 10.0) / 1e6, 1e-12);

  // The key went to the server as the provider's auth header, and nowhere else.
  ASSERT_EQ(server.request_count(), 2u);
  const auto requests = server.requests();
  const std::string auth = GetParam() == "openai"      ? requests[0].headers.at("authorization")
                           : GetParam() == "anthropic" ? requests[0].headers.at("x-api-key")
                                                       : requests[0].headers.at("x-goog-api-key");
  EXPECT_NE(auth.find(kKey), std::string::npos);
  EXPECT_EQ(requests[0].path.find(kKey), std::string::npos);
  // The second request carries both tool results of turn 1; run_eval's says it passed.
  const auto results = server.tool_results_in(requests[1]);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_NE(results[1].second.find("\"passed\":true"), std::string::npos) << results[1].second;
  EXPECT_EQ(results[1].second.find("baseline"), std::string::npos) << "the agent never sees baseline figures";

  // Transcript, kernel versions and the final kernel are on disk, free of the key.
  EXPECT_TRUE(fs::exists(fs::path(dir) / "kernel_v1.asm"));
  EXPECT_EQ(read_all(record.kernel_path), relu_baseline());
  const auto events = llm::read_transcript(record.transcript_path);
  EXPECT_EQ(events.front()["event"], "episode_start");
  EXPECT_EQ(events.back()["event"], "episode_end");
  EXPECT_EQ(events.back()["record"]["status"], "pass");
  expect_no_key_under(dir);
}

TEST_P(EpisodeOverHttp, ReplayReproducesTheEpisodeWithoutNetwork) {
  std::string transcript;
  json original;
  {
    MockLlmServer server(GetParam());
    server.script(solving_script());
    Harness harness(http_agent(server));
    const EpisodeRecord record = harness.run("relu", test_dir("original"));
    transcript = record.transcript_path;
    original = reproducible_part(record);
  }  // the server is gone: a replay that touched the network would fail
  const auto events = llm::read_transcript(transcript);
  const RecordedEpisode recorded = recorded_episode(events, transcript);
  llm::ReplayProvider replay(events);
  Evaluator evaluator(plena(), suite_task(recorded.task), recorded.config, recorded.preset);
  EpisodeRunner runner(plena(), recorded.agent, replay, templates());
  EpisodeOptions options;
  options.directory = test_dir("replayed");
  options.turn_budget = recorded.turn_budget;
  const EpisodeRecord again = runner.run(evaluator, options);
  EXPECT_EQ(reproducible_part(again), original);
  EXPECT_EQ(again.status, "pass");
}

TEST_P(EpisodeOverHttp, AFailingKernelIsScoredAsFailOnHiddenSeeds) {
  MockLlmServer server(GetParam());
  // An empty kernel leaves the outputs at zero: half of ReLU's outputs are wrong.
  server.script({MockStep::reply("", {{"", "write_code", args({{"code", "; nothing\n"}})}, {"", "submit", "{}"}})});
  Harness harness(http_agent(server));
  const EpisodeRecord record = harness.run("relu", test_dir("episode"));
  EXPECT_EQ(record.status, "fail");
  EXPECT_EQ(record.end, "submitted");
  EXPECT_EQ(record.hidden_seeds_passed, 0);
  EXPECT_NE(record.failure.find("hidden seed"), std::string::npos) << record.failure;
  EXPECT_FALSE(record.first_valid_turn.has_value());
}

TEST_P(EpisodeOverHttp, AnAgentThatNeverSubmitsIsStoppedByTheBudget) {
  MockLlmServer server(GetParam());
  int calls = 0;
  // Only OpenAI carries arguments as text, so only there can a model send invalid JSON; the
  // other formats get arguments of the wrong type.
  const bool text_arguments = GetParam() == "openai";
  server.respond_with([&calls, text_arguments](const kc::testing::ReceivedRequest&) {
    ++calls;
    if (calls == 1) return MockStep::reply("thinking aloud, no tools");
    return MockStep::reply("", {{"", "run_eval", text_arguments ? "{not json" : "{\"code\": 5}"},
                                {"", "check_syntax", "{}"}});
  });
  Harness harness(http_agent(server));
  const EpisodeRecord record = harness.run("relu", test_dir("episode"), 4);
  EXPECT_EQ(record.end, "budget_exhausted");
  EXPECT_EQ(record.turns, 4);
  EXPECT_EQ(record.status, "no_kernel");
  ASSERT_EQ(server.request_count(), 4u);
  // A reply without tool calls gets a nudge; invalid arguments come back as readable errors.
  const auto requests = server.requests();
  EXPECT_NE(requests[1].body.find("no tool call"), std::string::npos);
  const auto results = server.tool_results_in(requests[2]);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_NE(results[0].second.find(text_arguments ? "not valid JSON" : "field 'code' must be a string"),
            std::string::npos)
      << results[0].second;
  EXPECT_NE(results[1].second.find("no kernel yet"), std::string::npos) << results[1].second;
  EXPECT_NE(requests[3].body.find("Turns left: 1"), std::string::npos);
}

TEST_P(EpisodeOverHttp, ProviderFailuresAreInfraErrorsWithoutTheKey) {
  MockLlmServer server(GetParam());
  server.script({MockStep::error(401, json{{"error", {{"message", std::string("bad key ") + kKey}}}}.dump())});
  Harness harness(http_agent(server));
  const std::string dir = test_dir("episode");
  const EpisodeRecord record = harness.run("relu", dir);
  EXPECT_EQ(record.status, "infra_error");
  EXPECT_EQ(record.end, "infra_error");
  EXPECT_EQ(server.request_count(), 1u) << "401 is not retried";
  EXPECT_NE(record.failure.find("401"), std::string::npos) << record.failure;
  EXPECT_EQ(record.failure.find(kKey), std::string::npos);
  expect_no_key_under(dir);
}

TEST_P(EpisodeOverHttp, TransientFaultsMidEpisodeAreRetriedAndLoggedWithoutTheKey) {
  MockLlmServer server(GetParam());
  auto steps = solving_script();
  const std::string echo = json{{"error", {{"message", std::string("slow down, ") + kKey}}}}.dump();
  steps.insert(steps.begin() + 1, MockStep::drop());
  steps.insert(steps.begin() + 1, MockStep::error(500, echo));
  steps.insert(steps.begin() + 1, MockStep::error(429, echo, {{"Retry-After", "1"}}));
  server.script(steps);
  std::ostringstream log;
  const auto previous = spdlog::default_logger();
  spdlog::set_default_logger(
      std::make_shared<spdlog::logger>("capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));
  Harness harness(http_agent(server));
  const EpisodeRecord record = harness.run("relu", test_dir("episode"));
  spdlog::set_default_logger(previous);
  EXPECT_EQ(record.status, "pass") << record.failure;
  EXPECT_EQ(record.turns, 2);
  EXPECT_EQ(server.request_count(), 5u);
  EXPECT_NE(log.str().find("429"), std::string::npos) << "each retry is logged: " << log.str();
  EXPECT_EQ(log.str().find(kKey), std::string::npos);
  // The retries are in the transcript as attempts of the turn-2 call.
  const auto events = llm::read_transcript(record.transcript_path);
  int attempts = 0;
  for (const auto& event : events)
    if (event["event"] == "response" && event["turn"] == 2) attempts = event["attempts"];
  EXPECT_EQ(attempts, 4);
}

TEST_P(EpisodeOverHttp, TheCacheServesARerunWithoutCallingTheServer) {
  MockLlmServer server(GetParam());
  auto steps = solving_script();
  server.script(steps);
  llm::ResponseCache cache(test_dir("cache"));
  Harness first(http_agent(server), &cache);
  const EpisodeRecord a = first.run("relu", test_dir("a"));
  ASSERT_EQ(server.request_count(), 2u);
  Harness second(http_agent(server), &cache);
  const EpisodeRecord b = second.run("relu", test_dir("b"));
  EXPECT_EQ(server.request_count(), 2u) << "every call of the rerun came from the cache";
  EXPECT_EQ(b.cache_hits, 2);
  EXPECT_EQ(reproducible_part(a), reproducible_part(b));
  expect_no_key_under(cache.directory());
}

INSTANTIATE_TEST_SUITE_P(Formats, EpisodeOverHttp, ::testing::Values("openai", "anthropic", "gemini"),
                         [](const ::testing::TestParamInfo<std::string>& param) { return param.param; });

EpisodeRecord run_builtin(const std::string& name, const std::string& task, const std::string& directory) {
  const llm::AgentConfig agent = llm::load_agent_config(std::string(KC_SOURCE_DIR) + "/agents/" + name + ".json");
  Evaluator evaluator(plena(), suite_task(task), "C1", "default");
  ProviderFactory factory("");
  const int budget = agent.turns_for_level(evaluator.instance().task->level);
  auto provider = factory.make(agent, evaluator, budget);
  EpisodeRunner runner(plena(), agent, *provider, templates());
  EpisodeOptions options;
  options.directory = directory;
  return runner.run(evaluator, options);
}

TEST(BuiltinEpisode, TheBaselineAgentSubmitsTheBaseline) {
  const EpisodeRecord record = run_builtin("baseline", "relu", test_dir("episode"));
  EXPECT_EQ(record.status, "pass") << record.failure;
  EXPECT_EQ(record.turns, 2);
  EXPECT_DOUBLE_EQ(record.speedup, 1.0);
  EXPECT_EQ(record.tokens.calls, 2u);
  EXPECT_EQ(record.cost_usd, 0.0);
}

TEST(BuiltinEpisode, ABuiltinEpisodeReplaysFromItsTranscript) {
  const EpisodeRecord record = run_builtin("baseline", "relu", test_dir("original"));
  const auto events = llm::read_transcript(record.transcript_path);
  const RecordedEpisode recorded = recorded_episode(events, record.transcript_path);
  llm::ReplayProvider replay(events);
  Evaluator evaluator(plena(), suite_task("relu"), "C1", "default");
  EpisodeRunner runner(plena(), recorded.agent, replay, templates());
  EpisodeOptions options;
  options.turn_budget = recorded.turn_budget;
  EXPECT_EQ(reproducible_part(runner.run(evaluator, options)), reproducible_part(record));
}

TEST(BuiltinEpisode, ToolResultsAreBounded) {
  MockLlmServer server("openai");
  server.script({MockStep::reply("", {{"", "read_docs", args({{"section", "03-vector"}, {"max_lines", 400}})}}),
                 MockStep::reply("", {{"", "submit", "{}"}})});
  Harness harness(http_agent(server));
  Evaluator evaluator(plena(), suite_task("relu"), "C1", "default");
  EpisodeRunner runner(plena(), harness.agent, *harness.provider, templates());
  EpisodeOptions options;
  options.max_tool_result_chars = 1000;
  runner.run(evaluator, options);
  const auto results = server.tool_results_in(server.requests()[1]);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_LE(results[0].second.size(), 1200u);
  EXPECT_NE(results[0].second.find("truncated"), std::string::npos);
}

const CoralPlatform& coral() {
  static const CoralPlatform platform(KC_SOURCE_DIR);
  return platform;
}

// A hand-written RVV ReLU for Coral relu C1, at the layout's addresses (what an agent would
// write from the prompt's layout table).
std::string coral_relu_kernel() {
  Evaluator evaluator(coral(), suite_task("relu"), "C1", "coral");
  const WorkloadLayout& layout = evaluator.layout();
  return "    .globl _start\n_start:\n"
         "    li a0, " + std::to_string(layout.placement("x").address) + "\n"
         "    li a1, " + std::to_string(layout.placement("y").address) + "\n"
         "    li a2, " + std::to_string(layout.placement("x").elements()) + "\n"
         "    fmv.w.x ft0, zero\n"
         "1:  vsetvli t0, a2, e32, m8, ta, ma\n"
         "    vle32.v v8, (a0)\n"
         "    vfmax.vf v8, v8, ft0\n"
         "    vse32.v v8, (a1)\n"
         "    slli t1, t0, 2\n"
         "    add a0, a0, t1\n"
         "    add a1, a1, t1\n"
         "    sub a2, a2, t0\n"
         "    bnez a2, 1b\n"
         "    ebreak\n";
}

TEST(CoralEpisode, AnAgentWritesChecksAndSubmitsARiscvKernelThatPassesHiddenSeeds) {
  MockLlmServer server("openai");
  server.script({MockStep::reply("Looking up the vector loads.", {{"", "grep_docs", args({{"pattern", "vle32"}})}}),
                 MockStep::reply("A strip-mined vfmax.",
                                 {{"", "write_code", args({{"code", coral_relu_kernel()}})},
                                  {"", "check_syntax", "{}"},
                                  {"", "get_instruction_size", "{}"},
                                  {"", "run_eval", "{}"}}),
                 MockStep::reply("Submitting.", {{"", "submit", "{}"}})});
  Harness harness(http_agent(server));
  const EpisodeRecord record = harness.run("relu", test_dir("episode"), 0, coral(), "coral");
  EXPECT_EQ(record.status, "pass") << record.failure;
  EXPECT_EQ(record.platform, "coral_npu");
  EXPECT_EQ(record.end, "submitted");
  EXPECT_EQ(record.hidden_seeds_passed, 3);
  ASSERT_TRUE(record.baseline_cycles.has_value());
  EXPECT_GT(record.speedup, 0.0);

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  // The prompt carries Coral's documentation and its layout table, never PLENA's.
  const std::string prompt = requests[0].body;
  EXPECT_NE(prompt.find("Memory layout (Coral NPU"), std::string::npos);
  EXPECT_NE(prompt.find("ebreak"), std::string::npos);
  EXPECT_EQ(prompt.find("M_MM"), std::string::npos);
  const auto grep = server.tool_results_in(requests[1]);
  ASSERT_EQ(grep.size(), 1u);
  EXPECT_NE(grep[0].second.find("04-vector"), std::string::npos) << grep[0].second;
  const auto results = server.tool_results_in(requests[2]);
  ASSERT_EQ(results.size(), 4u);
  EXPECT_NE(results[2].second.find("vector_load"), std::string::npos) << results[2].second;
  EXPECT_NE(results[3].second.find("\"passed\":true"), std::string::npos) << results[3].second;
}

}  // namespace
}  // namespace kc::agent
