#include "kernelcraft/agent/builtin_agents.h"

#include <gtest/gtest.h>

#include "kernelcraft/agent/tool.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/seeds.h"
#include "kernelcraft/llm/replay_provider.h"
#include "kernelcraft/platform/plena_platform.h"

namespace kc::agent {
namespace {

using nlohmann::json;

const PlenaPlatform& plena() {
  static const PlenaPlatform platform(KC_SOURCE_DIR);
  return platform;
}

std::shared_ptr<const TaskSpec> suite_task(const std::string& name) {
  static const auto suite = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  return find_task(suite, name);
}

llm::AgentConfig config_for(const std::string& provider, json options = json::object()) {
  llm::AgentConfig config;
  config.name = provider;
  config.provider = provider;
  config.options = std::move(options);
  return config;
}

// What a small episode loop observed: the conversation, every exchange, the tools' context.
struct Episode {
  std::vector<llm::Message> messages;
  std::vector<llm::Exchange> exchanges;
  std::vector<llm::ChatRequest> requests;
  bool submitted = false;
  std::string submitted_source;
  std::optional<int> first_valid_turn;
  int eval_calls = 0;
};

// A minimal episode loop: ask the provider, run each call through the real toolbox, answer with
// one tool message, stop on submit, on a reply without calls, or when the budget is spent.
Episode run_episode(llm::ChatProvider& provider, Evaluator& evaluator, int budget) {
  const Toolbox toolbox = standard_toolbox();
  ToolContext context{plena(), evaluator, plena().docs()};
  llm::ChatRequest request;
  request.system = "You write kernels.";
  request.messages.push_back({llm::Role::User, "Write the kernel.", "", {}, {}, nullptr});
  request.tools = toolbox.schemas();
  Episode episode;
  for (int turn = 1; turn <= budget && !context.submitted; ++turn) {
    context.turn = turn;
    episode.requests.push_back(request);
    llm::Exchange exchange = provider.complete(request);
    episode.exchanges.push_back(exchange);
    request.messages.push_back(exchange.response.message);
    if (exchange.response.message.tool_calls.empty()) break;
    llm::Message results;
    results.role = llm::Role::Tool;
    for (const llm::ToolCall& call : exchange.response.message.tool_calls)
      results.tool_results.push_back(toolbox.call(call, context));
    request.messages.push_back(results);
  }
  episode.messages = request.messages;
  episode.submitted = context.submitted;
  episode.submitted_source = context.submitted_source;
  episode.first_valid_turn = context.first_valid_turn;
  episode.eval_calls = context.eval_calls;
  return episode;
}

std::vector<std::string> call_names(const llm::Exchange& exchange) {
  std::vector<std::string> names;
  for (const llm::ToolCall& call : exchange.response.message.tool_calls) names.push_back(call.name);
  return names;
}

EvalReport visible_run(Evaluator& evaluator, const std::string& source) {
  return evaluator.evaluate(source, EvalOptions{{kVisibleSeed}, false, {}, 1});
}

TEST(BuiltinAgents, KnowsWhichProvidersAreBuiltIn) {
  EXPECT_TRUE(is_builtin_agent("baseline"));
  EXPECT_TRUE(is_builtin_agent("autotune"));
  EXPECT_FALSE(is_builtin_agent("openai"));
  EXPECT_FALSE(is_builtin_agent("replay"));
  Evaluator evaluator(plena(), suite_task("relu"), "C1", "default");
  llm::AgentConfig config = config_for("openai");
  config.source = "agents/gpt.json";
  try {
    make_builtin_agent(config, evaluator, 15);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("agents/gpt.json"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'openai'"), std::string::npos) << e.what();
  }
  EXPECT_EQ(make_builtin_agent(config_for("baseline"), evaluator, 15)->name(), "baseline");
  EXPECT_EQ(make_builtin_agent(config_for("autotune"), evaluator, 15)->name(), "autotune");
}

TEST(BuiltinAgents, BaselineWritesChecksAndSubmitsTheBaseline) {
  Evaluator evaluator(plena(), suite_task("relu"), "C1", "default");
  auto agent = make_builtin_agent(config_for("baseline"), evaluator, 15);
  const Episode episode = run_episode(*agent, evaluator, 15);
  ASSERT_EQ(episode.exchanges.size(), 2u);
  EXPECT_EQ(call_names(episode.exchanges[0]), (std::vector<std::string>{"write_code", "run_eval"}));
  EXPECT_EQ(call_names(episode.exchanges[1]), (std::vector<std::string>{"submit"}));
  ASSERT_TRUE(episode.submitted);
  EXPECT_EQ(episode.submitted_source, evaluator.baseline_source());
  EXPECT_EQ(episode.first_valid_turn, 1);
  EXPECT_TRUE(evaluator.evaluate(episode.submitted_source).passed);  // hidden seeds too
}

TEST(BuiltinAgents, ExchangesAreNeutralFreeAndHashedLikeReplay) {
  Evaluator evaluator(plena(), suite_task("relu"), "C1", "default");
  auto agent = make_builtin_agent(config_for("baseline"), evaluator, 15);
  const Episode episode = run_episode(*agent, evaluator, 15);
  for (std::size_t i = 0; i < episode.exchanges.size(); ++i) {
    const llm::Exchange& exchange = episode.exchanges[i];
    EXPECT_EQ(exchange.format, "neutral");
    EXPECT_EQ(exchange.attempts, 1);
    EXPECT_FALSE(exchange.from_cache);
    EXPECT_EQ(exchange.request_hash, llm::neutral_request_hash(episode.requests[i]));
    EXPECT_EQ(exchange.response.message.role, llm::Role::Assistant);
    EXPECT_EQ(exchange.response.stop_reason, "tool_calls");
    EXPECT_EQ(exchange.response.usage.input + exchange.response.usage.output, 0u);
    EXPECT_TRUE(exchange.response.usage.reported);
    // The body decodes back to the same response.
    EXPECT_EQ(llm::to_json(llm::response_from_json(json::parse(exchange.response_body))),
              llm::to_json(exchange.response));
  }
}

TEST(BuiltinAgents, BaselineWithOneTurnSubmitsInTheFirst) {
  Evaluator evaluator(plena(), suite_task("relu"), "C1", "default");
  auto agent = make_builtin_agent(config_for("baseline"), evaluator, 1);
  const Episode episode = run_episode(*agent, evaluator, 1);
  ASSERT_EQ(episode.exchanges.size(), 1u);
  EXPECT_EQ(call_names(episode.exchanges[0]), (std::vector<std::string>{"write_code", "submit"}));
  EXPECT_TRUE(episode.submitted);
  EXPECT_EQ(episode.submitted_source, evaluator.baseline_source());
}

// PLENA under another name: a platform no baseline compiler knows.
class UnknownPlatform : public Platform {
 public:
  std::string name() const override { return "prototype"; }
  std::string description() const override { return plena().description(); }
  std::vector<std::string> preset_names() const override { return plena().preset_names(); }
  std::string default_preset() const override { return plena().default_preset(); }
  std::string describe_preset(const std::string& p) const override { return plena().describe_preset(p); }
  AssembleResult assemble(const std::string& s, const std::string& p) const override { return plena().assemble(s, p); }
  SimReport run(const AssembledProgram& program, const std::string& preset, const MemoryImage& input,
                const std::vector<MemoryRegion>& dumps, const RunLimits& limits) const override {
    return plena().run(program, preset, input, dumps, limits);
  }
  std::vector<DocSection> docs() const override { return plena().docs(); }
  WorkloadLayout layout(const TaskInstance& i, const std::string& p) const override { return plena().layout(i, p); }
  std::vector<float> stored_values(const TensorPlacement& t, const std::vector<float>& v) const override {
    return plena().stored_values(t, v);
  }
  PeakRates peak_rates(const std::string& p) const override { return plena().peak_rates(p); }
};

TEST(BuiltinAgents, WithoutABaselineTheyReplyWithTextOnly) {
  const UnknownPlatform platform;
  Evaluator evaluator(platform, suite_task("relu"), "C1", "default");
  for (const char* provider : {"baseline", "autotune"}) {
    auto agent = make_builtin_agent(config_for(provider), evaluator, 15);
    const Episode episode = run_episode(*agent, evaluator, 15);
    ASSERT_EQ(episode.exchanges.size(), 1u) << provider;
    const llm::Message& reply = episode.exchanges[0].response.message;
    EXPECT_TRUE(reply.tool_calls.empty()) << provider;
    EXPECT_NE(reply.text.find("prototype"), std::string::npos) << reply.text;
    EXPECT_EQ(episode.exchanges[0].response.stop_reason, "end_turn");
    EXPECT_FALSE(episode.submitted);
  }
}

// linear C1 ([8 x 128] x [128 x 128]) has three matmul knobs and evaluates in milliseconds.
constexpr const char* kTunedTask = "linear";

TEST(BuiltinAgents, AutotuneSubmitsAPassingKernelNoSlowerThanTheDefaultWithinTheBudget) {
  Evaluator evaluator(plena(), suite_task(kTunedTask), "C1", "default");
  const int budget = 15;
  auto agent = make_builtin_agent(config_for("autotune"), evaluator, budget);
  const Episode episode = run_episode(*agent, evaluator, budget);
  ASSERT_TRUE(episode.submitted);
  EXPECT_LE(static_cast<int>(episode.exchanges.size()), budget);
  // Turn 1 starts with the defaults, four candidates per turn at most.
  const auto& first_calls = episode.exchanges[0].response.message.tool_calls;
  ASSERT_FALSE(first_calls.empty());
  EXPECT_EQ(json::parse(first_calls[0].arguments)["code"], evaluator.baseline_source());
  for (const llm::Exchange& exchange : episode.exchanges) EXPECT_LE(exchange.response.message.tool_calls.size(), 4u);
  EXPECT_EQ(call_names(episode.exchanges.back()), (std::vector<std::string>{"submit"}));
  EXPECT_GT(episode.eval_calls, 1);
  EXPECT_EQ(episode.first_valid_turn, 1);

  const EvalReport submitted = visible_run(evaluator, episode.submitted_source);
  const EvalReport defaults = visible_run(evaluator, evaluator.baseline_source());
  ASSERT_TRUE(submitted.passed);
  ASSERT_TRUE(defaults.passed);
  EXPECT_LE(submitted.cycles, defaults.cycles);
  // It is the fastest kernel among those it evaluated.
  for (const llm::Message& m : episode.messages)
    for (const llm::ToolResult& r : m.tool_results)
      if (r.name == "run_eval") {
        const json result = json::parse(r.content);
        if (result["passed"] == true) {
          EXPECT_LE(submitted.cycles, result["cycles"].get<uint64_t>());
        }
      }
}

TEST(BuiltinAgents, AutotuneKeepsItsLastTurnForSubmit) {
  Evaluator evaluator(plena(), suite_task(kTunedTask), "C1", "default");
  auto agent = make_builtin_agent(config_for("autotune"), evaluator, 2);
  const Episode episode = run_episode(*agent, evaluator, 2);
  ASSERT_EQ(episode.exchanges.size(), 2u);
  EXPECT_EQ(call_names(episode.exchanges[0]), std::vector<std::string>(4, "run_eval"));
  EXPECT_EQ(call_names(episode.exchanges[1]), (std::vector<std::string>{"submit"}));
  ASSERT_TRUE(episode.submitted);
  EXPECT_TRUE(visible_run(evaluator, episode.submitted_source).passed);

  // With one turn there is nothing to search: the defaults are submitted at once.
  auto single = make_builtin_agent(config_for("autotune"), evaluator, 1);
  const Episode quick = run_episode(*single, evaluator, 1);
  ASSERT_EQ(quick.exchanges.size(), 1u);
  EXPECT_EQ(call_names(quick.exchanges[0]), (std::vector<std::string>{"submit"}));
  EXPECT_EQ(quick.submitted_source, evaluator.baseline_source());
}

TEST(BuiltinAgents, AutotuneCandidatesPerTurnComeFromTheConfigAndTheCallLimit) {
  Evaluator evaluator(plena(), suite_task(kTunedTask), "C1", "default");
  auto two = make_builtin_agent(config_for("autotune", {{"candidates_per_turn", 2}}), evaluator, 15);
  llm::ChatRequest request;
  request.messages.push_back({llm::Role::User, "go", "", {}, {}, nullptr});
  EXPECT_EQ(two->complete(request).response.message.tool_calls.size(), 2u);

  llm::AgentConfig capped = config_for("autotune", {{"candidates_per_turn", 10}});
  capped.max_tool_calls_per_turn = 6;  // 2k <= 6
  EXPECT_EQ(make_builtin_agent(capped, evaluator, 15)->complete(request).response.message.tool_calls.size(), 3u);

  EXPECT_THROW(make_builtin_agent(config_for("autotune", {{"candidates_per_turn", 0}}), evaluator, 15), InputError);
  EXPECT_THROW(make_builtin_agent(config_for("autotune", {{"candidates_per_turn", "4"}}), evaluator, 15), InputError);
}

TEST(BuiltinAgents, TheSameConversationGetsTheSameReplies) {
  for (const char* provider : {"baseline", "autotune"}) {
    Evaluator first_evaluator(plena(), suite_task(kTunedTask), "C1", "default");
    auto first_agent = make_builtin_agent(config_for(provider), first_evaluator, 6);
    const Episode first = run_episode(*first_agent, first_evaluator, 6);

    // A fresh agent (as after a resume) answers every recorded request the same way.
    Evaluator second_evaluator(plena(), suite_task(kTunedTask), "C1", "default");
    auto second_agent = make_builtin_agent(config_for(provider), second_evaluator, 6);
    ASSERT_FALSE(first.requests.empty());
    for (std::size_t i = 0; i < first.requests.size(); ++i) {
      const llm::Exchange again = second_agent->complete(first.requests[i]);
      EXPECT_EQ(again.response_body, first.exchanges[i].response_body) << provider << " turn " << i + 1;
      EXPECT_EQ(again.request_hash, first.exchanges[i].request_hash);
    }
    // And the whole episode, run again, is identical.
    const Episode second = run_episode(*second_agent, second_evaluator, 6);
    ASSERT_EQ(second.exchanges.size(), first.exchanges.size()) << provider;
    for (std::size_t i = 0; i < first.exchanges.size(); ++i)
      EXPECT_EQ(second.exchanges[i].response_body, first.exchanges[i].response_body) << provider;
    EXPECT_EQ(second.submitted_source, first.submitted_source);
  }
}

}  // namespace
}  // namespace kc::agent
