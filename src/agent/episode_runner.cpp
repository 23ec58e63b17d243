#include "kernelcraft/agent/episode_runner.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/seeds.h"
#include "kernelcraft/llm/replay_provider.h"
#include "kernelcraft/llm/secrets.h"
#include "kernelcraft/llm/sha256.h"
#include "kernelcraft/llm/transcript.h"
#include "tool_result_summary.h"

namespace kc::agent {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Transcript writing is optional (no directory: nothing on disk).
class EpisodeLog {
 public:
  explicit EpisodeLog(const std::string& path) {
    if (path.empty()) return;
    const auto folder = std::filesystem::path(path).parent_path();
    if (!folder.empty()) std::filesystem::create_directories(folder);
    writer_ = std::make_unique<llm::TranscriptWriter>(path);
  }
  void write(const std::string& type, json fields) {
    if (writer_) writer_->write(type, std::move(fields));
  }
  std::string path() const { return writer_ ? writer_->path() : ""; }

 private:
  std::unique_ptr<llm::TranscriptWriter> writer_;
};

json schemas_json(const std::vector<llm::ToolSchema>& tools) {
  json out = json::array();
  for (const auto& tool : tools)
    out.push_back({{"name", tool.name}, {"description", tool.description}, {"parameters", tool.parameters}});
  return out;
}

json messages_json(const std::vector<llm::Message>& messages, std::size_t from) {
  json out = json::array();
  for (std::size_t i = from; i < messages.size(); ++i) out.push_back(llm::to_json(messages[i]));
  return out;
}

// KernelCraft splits prompt tokens into "system prompt" and "message input". Providers report
// one prompt count, so the system prompt's share is estimated by its share of the request text.
uint64_t system_share(const llm::ChatRequest& request, uint64_t prompt_tokens) {
  std::size_t other = 0;
  for (const auto& m : request.messages) other += llm::to_json(m).dump().size();
  for (const auto& t : request.tools) other += t.description.size() + t.parameters.dump().size();
  const double total = static_cast<double>(request.system.size() + other);
  if (total == 0) return 0;
  return static_cast<uint64_t>(static_cast<double>(prompt_tokens) * static_cast<double>(request.system.size()) / total);
}

void add_usage(TokenTotals& totals, const llm::TokenUsage& usage, uint64_t system_tokens) {
  totals.calls += 1;
  if (!usage.reported) totals.calls_without_usage += 1;
  totals.system += system_tokens;
  totals.input += usage.input - std::min(system_tokens, usage.input);
  totals.cached += usage.cached;
  totals.reasoning += usage.reasoning;
  totals.output += usage.output - std::min(usage.reasoning, usage.output);
}

// Scoring runs hidden seeds only, so the message names a "hidden seed" (or the refusal to
// assemble); it is the same text run_eval gives the agent for the visible seed.
std::string first_failure(const EvalReport& report) { return failure_message(report); }

std::string transcript_path(const EpisodeOptions& options) {
  if (!options.transcript_path.empty() || options.directory.empty()) return options.transcript_path;
  return (std::filesystem::path(options.directory) / "transcript.jsonl").string();
}

std::string kernel_directory(const EpisodeOptions& options) {
  return options.kernel_directory.empty() ? options.directory : options.kernel_directory;
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw InputError(path + ": cannot write the kernel file");
}

}  // namespace

EpisodeRunner::EpisodeRunner(const Platform& platform, const llm::AgentConfig& agent, llm::ChatProvider& provider,
                             PromptTemplates templates)
    : platform_(platform), agent_(agent), provider_(provider), templates_(std::move(templates)) {}

EpisodeRecord EpisodeRunner::run(Evaluator& evaluator, const EpisodeOptions& options) {
  const auto started = Clock::now();
  const TaskInstance& instance = evaluator.instance();
  EpisodeRecord record;
  record.agent = agent_.name;
  record.provider = agent_.provider;
  record.model = agent_.model;
  record.platform = platform_.name();
  record.task = instance.task->name;
  record.level = instance.task->level;
  record.config = instance.config;
  record.preset = evaluator.preset();
  record.sample = options.sample;
  record.turn_budget = options.turn_budget > 0 ? options.turn_budget : agent_.turns_for_level(record.level);

  auto notify = [&](EpisodeEvent::Kind kind, int turn, std::string tool, std::string summary, bool is_error) {
    if (options.on_event) options.on_event({kind, turn, record.turn_budget, std::move(tool), std::move(summary), is_error});
  };

  const Toolbox toolbox = standard_toolbox(options.max_tool_result_chars);
  KernelWorkspace workspace;
  workspace.directory = kernel_directory(options);
  ToolContext context(platform_, evaluator, platform_.docs(), workspace);
  const Prompt prompt = build_prompt(templates_, platform_, evaluator.preset(), instance, evaluator.layout(),
                                     record.turn_budget, toolbox.schemas());
  EpisodeLog log(transcript_path(options));
  record.transcript_path = log.path();

  llm::ChatRequest request{prompt.system, {llm::Message{llm::Role::User, prompt.task, "", {}, {}, nullptr}},
                           toolbox.schemas()};
  log.write("episode_start", {{"agent", llm::to_json(agent_)},
                              {"platform", record.platform},
                              {"task", record.task},
                              {"level", record.level},
                              {"config", record.config},
                              {"preset", record.preset},
                              {"sample", record.sample},
                              {"turn_budget", record.turn_budget},
                              {"max_tool_result_chars", options.max_tool_result_chars},
                              {"scoring_seeds", options.scoring_seeds.empty() ? hidden_seeds() : options.scoring_seeds},
                              {"system", prompt.system},
                              {"task_prompt", prompt.task},
                              {"tools", schemas_json(request.tools)}});

  std::size_t logged_messages = 0;
  for (int turn = 1; turn <= record.turn_budget && record.end.empty(); ++turn) {
    context.turn = turn;
    notify(EpisodeEvent::Kind::TurnStarted, turn, "", "", false);
    log.write("request", {{"turn", turn},
                          {"request_hash", llm::neutral_request_hash(request)},
                          {"messages", messages_json(request.messages, logged_messages)}});
    logged_messages = request.messages.size();

    llm::Exchange exchange;
    try {
      exchange = provider_.complete(request);
    } catch (const llm::ProviderError& e) {
      record.end = "infra_error";
      record.failure = llm::redact_secrets(std::string(llm::kind_name(e.kind())) + ": " + e.what());
      log.write("error", {{"turn", turn}, {"kind", llm::kind_name(e.kind())}, {"message", record.failure}});
      notify(EpisodeEvent::Kind::ModelReplied, turn, "", record.failure, true);
      break;
    }
    record.turns = turn;
    const uint64_t system_tokens = system_share(request, exchange.response.usage.input);
    add_usage(record.tokens, exchange.response.usage, system_tokens);
    record.cost_usd += llm::cost_usd(exchange.response.usage, agent_.prices);
    if (exchange.from_cache) record.cache_hits += 1;
    log.write("response", {{"turn", turn},
                           {"format", exchange.format},
                           {"request_hash", exchange.request_hash},
                           {"body", exchange.response_body},
                           {"response", llm::to_json(exchange.response)},
                           {"attempts", exchange.attempts},
                           {"from_cache", exchange.from_cache},
                           {"latency_ms", exchange.latency_ms}});
    const auto& calls = exchange.response.message.tool_calls;
    notify(EpisodeEvent::Kind::ModelReplied, turn, "",
           std::to_string(calls.size()) + " tool call(s), tokens in " + std::to_string(exchange.response.usage.input) +
               " / out " + std::to_string(exchange.response.usage.output) + (exchange.from_cache ? " (cached)" : ""),
           false);
    request.messages.push_back(exchange.response.message);

    llm::Message feedback{llm::Role::Tool, "", "", {}, {}, nullptr};
    for (std::size_t i = 0; i < calls.size(); ++i) {
      const llm::ToolCall& call = calls[i];
      const auto tool_started = Clock::now();
      llm::ToolResult result;
      if (static_cast<int>(i) >= agent_.max_tool_calls_per_turn) {
        result = {call.id, call.name,
                  "not run: more than " + std::to_string(agent_.max_tool_calls_per_turn) + " tool calls in one turn",
                  true};
      } else if (context.submitted) {
        result = {call.id, call.name, "not run: the kernel was already submitted; the episode is over", true};
      } else {
        result = toolbox.call(call, context);
      }
      record.tool_calls += 1;
      log.write("tool_call", {{"turn", turn}, {"id", call.id}, {"name", call.name}, {"arguments", call.arguments}});
      log.write("tool_result", {{"turn", turn},
                                {"id", result.call_id},
                                {"name", result.name},
                                {"content", result.content},
                                {"is_error", result.is_error},
                                {"ms", seconds_since(tool_started) * 1000}});
      notify(EpisodeEvent::Kind::ToolFinished, turn, call.name, summarize_tool_result(result), result.is_error);
      feedback.tool_results.push_back(std::move(result));
    }
    if (context.submitted) {
      record.end = "submitted";
      break;
    }
    const int left = record.turn_budget - turn;
    if (calls.empty())
      feedback.text = "Your reply had no tool call. Work through the tools and call submit when your kernel is ready.";
    feedback.text += (feedback.text.empty() ? "" : " ") + std::string("Turns left: ") + std::to_string(left) + ".";
    request.messages.push_back(std::move(feedback));
  }
  if (record.end.empty()) record.end = "budget_exhausted";
  record.first_valid_turn = context.first_valid_turn;

  score_final_kernel(evaluator, context, options, record);
  record.wall_s = seconds_since(started);
  log.write("episode_end", {{"record", to_json(record)}});
  notify(EpisodeEvent::Kind::Ended, record.turns, "", record.status + (record.failure.empty() ? "" : ": " + record.failure),
         record.status != "pass");
  return record;
}

void EpisodeRunner::score_final_kernel(Evaluator& evaluator, const ToolContext& context,
                                       const EpisodeOptions& options, EpisodeRecord& record) const {
  if (record.end == "infra_error") {
    record.status = "infra_error";
    return;
  }
  const std::string source = context.submitted ? context.submitted_source : context.kernel.source;
  if (source.empty()) {
    record.status = "no_kernel";
    record.failure = "no kernel was written";
    return;
  }
  record.kernel_sha256 = llm::sha256_hex(source);
  if (const std::string folder = kernel_directory(options); !folder.empty()) {
    std::filesystem::create_directories(folder);
    record.kernel_path = (std::filesystem::path(folder) / "final.asm").string();
    write_text(record.kernel_path, source);
  }
  try {
    EvalOptions scoring;
    scoring.seeds = options.scoring_seeds.empty() ? hidden_seeds() : options.scoring_seeds;
    const EvalReport report = evaluator.evaluate(source, scoring);
    record.hidden_seeds = static_cast<int>(scoring.seeds.size());
    for (const SeedResult& seed : report.seeds) record.hidden_seeds_passed += seed.passed ? 1 : 0;
    record.status = report.passed ? "pass" : "fail";
    record.failure = report.passed ? "" : first_failure(report);
    record.cycles = report.cycles;
    record.baseline_cycles = report.baseline_cycles;
    record.speedup = report.speedup;
    record.sol_percent = report.sol_percent;
  } catch (const std::exception& e) {
    // A harness fault while scoring is not the model's failure.
    record.status = "infra_error";
    record.failure = llm::redact_secrets(std::string("scoring failed: ") + e.what());
  }
}

}  // namespace kc::agent
