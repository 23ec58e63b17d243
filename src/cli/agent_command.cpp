#include <cstdio>
#include <ctime>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "commands.h"
#include "kernelcraft/agent/episode_runner.h"
#include "kernelcraft/agent/provider_factory.h"
#include "kernelcraft/cli/app.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/llm/transcript.h"

namespace kc::cli {
namespace {

namespace fs = std::filesystem;

struct AgentCommandOptions {
  std::string sim;
  std::string agent;
  std::string platform;
  std::string preset;
  std::string task;
  std::string config = "C1";
  std::string replay;
  std::string out;
  std::string cache = "results/cache";
  bool no_cache = false;
  int turns = 0;
  int sample = 0;
  std::size_t max_result_chars = 12000;
  std::vector<uint64_t> scoring_seeds;  // a replayed episode keeps the seeds it was scored on
  bool json = false;
};

// --agent takes a file, or the name of a config in <data dir>/agents/.
llm::AgentConfig resolve_agent(const CommandIo& io, const std::string& agent) {
  if (fs::is_regular_file(agent)) return llm::load_agent_config(agent);
  const fs::path named = fs::path(data_dir(io)) / "agents" / (agent + ".json");
  if (fs::is_regular_file(named)) return llm::load_agent_config(named.string());
  throw InputError("agent '" + agent + "': no such file, and no " + named.string());
}

std::string timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%d-%H%M%S", &utc);
  return text;
}

std::string default_directory(const llm::AgentConfig& agent, const std::string& task, const std::string& config,
                              const std::string& preset, int sample) {
  return "results/episodes/" + timestamp() + "_" + agent.name + "_" + task + "_" + config + "_" + preset + "_s" +
         std::to_string(sample);
}

std::string fixed(double value, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

void log_event(const agent::EpisodeEvent& e) {
  using Kind = agent::EpisodeEvent::Kind;
  switch (e.kind) {
    case Kind::TurnStarted: spdlog::info("turn {}/{}", e.turn, e.turn_budget); break;
    case Kind::ModelReplied:
      if (e.is_error) spdlog::error("  model: {}", e.summary);
      else spdlog::info("  model: {}", e.summary);
      break;
    case Kind::ToolFinished:
      if (e.is_error) spdlog::warn("  {} -> {}", e.tool, e.summary);
      else spdlog::info("  {} -> {}", e.tool, e.summary);
      break;
    case Kind::Ended: spdlog::info("episode ended: {}", e.summary); break;
  }
}

void print_record(std::ostream& os, const agent::EpisodeRecord& r) {
  os << "episode: " << r.agent << " (" << r.provider << (r.model.empty() ? "" : ", " + r.model) << ") on "
     << r.platform << " " << r.task << " " << r.config << ", preset " << r.preset << ", level " << r.level << '\n'
     << "end: " << r.end << " after " << r.turns << " of " << r.turn_budget << " turns, " << r.tool_calls
     << " tool calls";
  if (r.first_valid_turn) os << ", first valid kernel at turn " << *r.first_valid_turn;
  os << '\n' << "result: " << r.status;
  if (r.status == "pass" || r.status == "fail")
    os << " (" << r.hidden_seeds_passed << " of " << r.hidden_seeds << " hidden seeds)";
  if (!r.failure.empty()) os << ": " << r.failure;
  os << '\n';
  if (r.status == "pass") {
    os << "cycles: " << r.cycles;
    if (r.baseline_cycles) os << ", baseline " << *r.baseline_cycles << ", speedup " << fixed(r.speedup, 3) << "x";
    os << ", SOL " << fixed(r.sol_percent, 2) << "%\n";
  }
  os << "tokens: system " << r.tokens.system << ", input " << r.tokens.input << ", cached " << r.tokens.cached
     << ", reasoning " << r.tokens.reasoning << ", output " << r.tokens.output << " (" << r.tokens.calls
     << " calls, " << r.cache_hits << " from cache); cost $" << fixed(r.cost_usd, 4) << "; wall "
     << fixed(r.wall_s, 1) << " s\n";
  if (!r.kernel_path.empty()) os << "kernel: " << r.kernel_path << '\n';
  if (!r.transcript_path.empty()) os << "transcript: " << r.transcript_path << '\n';
}

int exit_code_for(const agent::EpisodeRecord& record) {
  if (record.status == "pass") return kExitOk;
  if (record.status == "infra_error") return kExitInfra;
  return kExitKernelFailed;
}

int run_agent(const CommandIo& io, AgentCommandOptions o) {
  std::vector<nlohmann::json> transcript;
  llm::AgentConfig agent_config;
  if (!o.replay.empty()) {
    transcript = llm::read_transcript(o.replay);
    const agent::RecordedEpisode recorded = agent::recorded_episode(transcript, o.replay);
    agent_config = recorded.agent;
    o.platform = recorded.platform;
    o.task = recorded.task;
    o.config = recorded.config;
    o.preset = recorded.preset;
    o.turns = recorded.turn_budget;
    o.sample = recorded.sample;
    o.max_result_chars = recorded.max_tool_result_chars;
    o.scoring_seeds = recorded.scoring_seeds;
  } else {
    if (o.agent.empty() || o.platform.empty() || o.task.empty())
      throw InputError("agent: --agent, --platform and --task are required (or --replay TRANSCRIPT)");
    agent_config = resolve_agent(io, o.agent);
  }
  auto platform = open_platform(io, o.platform, o.sim);
  const std::string preset = chosen_preset(*platform, o.preset);
  Evaluator evaluator(*platform, task_named(io, o.task), o.config, preset);
  const int budget = o.turns > 0 ? o.turns : agent_config.turns_for_level(evaluator.instance().task->level);

  agent::ProviderFactory factory(o.no_cache ? "" : o.cache);
  std::unique_ptr<llm::ChatProvider> provider =
      o.replay.empty() ? factory.make(agent_config, evaluator, budget) : factory.make_replay(transcript);
  const auto templates = agent::load_prompt_templates((fs::path(data_dir(io)) / "agents" / "prompts").string());

  agent::EpisodeOptions options;
  options.directory = o.out.empty() ? default_directory(agent_config, o.task, o.config, preset, o.sample) : o.out;
  if (!o.replay.empty() && fs::exists(fs::path(options.directory) / "transcript.jsonl") &&
      fs::equivalent(fs::path(options.directory) / "transcript.jsonl", o.replay))
    throw InputError("agent: --out would overwrite the transcript being replayed; choose another folder");
  options.turn_budget = budget;
  options.sample = o.sample;
  options.max_tool_result_chars = o.max_result_chars;
  options.scoring_seeds = o.scoring_seeds;
  options.on_event = log_event;
  spdlog::info("{} on {} {} {} (preset {}), {} turns; writing {}", agent_config.name, o.platform, o.task, o.config,
               preset, budget, options.directory);

  agent::EpisodeRunner runner(*platform, agent_config, *provider, templates);
  const agent::EpisodeRecord record = runner.run(evaluator, options);
  if (o.json) io.out << to_json(record).dump(2) << '\n';
  else print_record(io.out, record);
  return exit_code_for(record);
}

}  // namespace

Handler add_agent_command(CLI::App& app, const CommandIo& io) {
  auto o = std::make_shared<AgentCommandOptions>();
  CLI::App* cmd = app.add_subcommand("agent", "run one agent episode on a task configuration and score it");
  cmd->add_option("--agent,-a", o->agent, "agent config file, or a name in agents/ (e.g. autotune)");
  cmd->add_option("--platform,-p", o->platform, "platform name (see `list platforms`)");
  add_sim_option(*cmd, o->sim);
  cmd->add_option("--hw", o->preset, "hardware preset (default: the platform's default)");
  cmd->add_option("--task,-t", o->task, "task name (see `list tasks`)");
  cmd->add_option("--config,-c", o->config, "configuration C1..C5")->capture_default_str();
  cmd->add_option("--turns", o->turns, "turn budget (default: the agent's budget for the task level)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--sample", o->sample, "sample index (recorded; several samples make pass@k)")
      ->check(CLI::Range(0, 1000000));
  cmd->add_option("--out,-o", o->out, "episode folder (default: results/episodes/<time>_<agent>_<task>_...)");
  cmd->add_option("--cache", o->cache, "response cache folder")->capture_default_str();
  cmd->add_flag("--no-cache", o->no_cache, "do not read or write the response cache");
  cmd->add_option("--replay", o->replay, "re-run the episode of this transcript.jsonl without network");
  cmd->add_option("--max-result-chars", o->max_result_chars, "bound on each tool result")
      ->capture_default_str()
      ->check(CLI::Range(256, 1000000));
  cmd->add_flag("--json", o->json, "print the episode record as JSON");
  return [&io, o]() { return run_agent(io, *o); };
}

}  // namespace kc::cli
