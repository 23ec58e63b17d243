#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <iostream>

#include <spdlog/spdlog.h>

#include "commands.h"
#include "kernelcraft/cli/app.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/run/build_info.h"
#include "kernelcraft/run/json_difference.h"
#include "kernelcraft/run/results_store.h"
#include "output.h"
#include "run_progress.h"

namespace kc::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string utc_now(const char* format) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[40];
  std::strftime(text, sizeof text, format, &utc);
  return text;
}

struct PreparedRun {
  run::ResolvedRun resolved;
  std::vector<run::EpisodeKey> todo;
  std::size_t shard_total = 0;
};

PreparedRun resume_existing(const CommandIo& io, run::ResultsStore& store, int jobs_override) {
  const json& stored = store.run_json();
  PreparedRun prepared;
  run::RunSpec spec = run::parse_run_spec(stored.at("spec").dump(), store.directory() + "/run.json (spec)");
  if (jobs_override > 0) spec.jobs = jobs_override;
  prepared.resolved = run::resolve_run(spec, data_dir(io));
  if (const auto field = run::first_json_difference(stored.at("resolved"), prepared.resolved.resolved, "resolved"))
    throw InputError(store.directory() + ": cannot resume: the run's configuration changed since it started (run.json field '" +
                     *field + "'); start a new run instead");
  std::vector<run::EpisodeKey> episodes = prepared.resolved.episodes;
  if (stored.contains("shard") && stored.at("shard").is_object())
    episodes = run::shard_episodes(episodes, stored["shard"]["index"], stored["shard"]["count"]);
  prepared.shard_total = episodes.size();
  const std::size_t dropped = store.drop_infra_errors();
  std::vector<run::EpisodeKey> done;
  for (const auto& record : store.records()) done.push_back(run::key_of(record));
  std::sort(done.begin(), done.end());
  for (const run::EpisodeKey& key : episodes)
    if (!std::binary_search(done.begin(), done.end(), key)) prepared.todo.push_back(key);
  spdlog::info("resuming {}: {} of {} episodes done, {} infra_error episodes to retry", store.directory(),
               done.size(), episodes.size(), dropped);
  return prepared;
}

}  // namespace

RunOutcome run_matrix(const CommandIo& io, const RunRequest& request) {
  const std::string run_id = request.run_id.empty() ? "run-" + utc_now("%Y%m%d-%H%M%S") : request.run_id;
  const std::string directory = request.out.empty() ? "results/" + run_id : request.out;
  const bool existing = fs::exists(fs::path(directory) / "run.json");
  if (existing && !request.resume)
    throw InputError(directory + " already holds a run; add --resume to continue it, or choose another --run-id/--out");

  PreparedRun prepared;
  std::optional<run::ResultsStore> store;
  if (existing) {
    store.emplace(run::ResultsStore::open(directory));
    prepared = resume_existing(io, *store, request.spec.jobs);
  } else {
    prepared.resolved = run::resolve_run(request.spec, data_dir(io));
    prepared.todo = prepared.resolved.episodes;
    json shard = nullptr;
    if (request.shard) {
      prepared.todo = run::shard_episodes(prepared.todo, request.shard->first, request.shard->second);
      shard = {{"index", request.shard->first}, {"count", request.shard->second}};
    }
    prepared.shard_total = prepared.todo.size();
    const json run_json{{"schema", "kernelcraft-run-dir/1"},
                        {"run_id", run_id},
                        {"created", utc_now("%Y-%m-%dT%H:%M:%SZ")},
                        {"spec", run::to_json(request.spec)},
                        {"resolved", prepared.resolved.resolved},
                        {"shard", shard},
                        {"build", run::build_info(data_dir(io))}};
    store.emplace(run::ResultsStore::create(directory, run_json));
  }
  spdlog::info("run {}: {} episodes in this {}, {} to do, {} workers -> {}", run_id, prepared.shard_total,
               request.shard ? "shard" : "run", prepared.todo.size(), prepared.resolved.spec.jobs, directory);

  const bool terminal = &io.err == &std::cerr && ::isatty(STDERR_FILENO);
  RunProgressDisplay display(stderr, terminal);
  run::RunOptions options;
  options.data_dir = data_dir(io);
  options.cache_directory = request.no_cache ? "" : request.cache;
  options.on_progress = [&display](const run::RunProgress& progress) { display.update(progress); };
  RunOutcome outcome;
  outcome.directory = directory;
  try {
    outcome.progress = run::execute_run(prepared.resolved, prepared.todo, *store, options);
  } catch (const InputError& e) {
    display.finish();
    // Errors name their file first: one inside the run folder means it stopped taking writes
    // (disk full, unwritable). Say what survives and how to go on.
    if (std::string(e.what()).rfind(directory, 0) != 0) throw;
    throw InputError(std::string(e.what()) + "\nthe run stopped; the " + std::to_string(store->records().size()) +
                     " episode records in " + directory + "/episodes.jsonl are kept; once the folder can be written, " +
                     "`kernelcraft run --resume --out " + directory + "` runs the rest");
  }
  display.finish();
  return outcome;
}

namespace {

struct RunCommandOptions {
  RunRequest request;
  std::string run_file;
  std::vector<std::string> agents, platforms, tasks, configs, presets, concurrency;
  int samples = 0, turns = 0, jobs = 0;
  std::string shard;
  std::string sim;  // empty: the run file's, else the model
};

run::RunSpec spec_from(const RunCommandOptions& o) {
  run::RunSpec spec;
  if (!o.run_file.empty()) spec = run::parse_run_spec(read_file_or_throw(o.run_file), o.run_file);
  // Flags given on the command line win over the run file.
  if (!o.agents.empty()) spec.agents = o.agents;
  if (!o.platforms.empty()) spec.platforms = o.platforms;
  if (!o.tasks.empty()) spec.tasks = o.tasks;
  if (!o.configs.empty()) spec.configs = o.configs;
  if (!o.presets.empty()) spec.presets = o.presets;
  if (o.samples > 0) spec.samples = o.samples;
  if (o.turns > 0) spec.turn_budget = o.turns;
  if (o.jobs > 0) spec.jobs = o.jobs;
  if (!o.sim.empty()) spec.sim = o.sim;
  for (const std::string& limit : o.concurrency) {
    const std::size_t eq = limit.find('=');
    int value = 0;
    try {
      value = eq == std::string::npos ? 0 : std::stoi(limit.substr(eq + 1));
    } catch (const std::exception&) {
    }
    if (value < 1) throw InputError("--concurrency '" + limit + "': expected PROVIDER=N with N >= 1");
    spec.provider_concurrency[limit.substr(0, eq)] = value;
  }
  return spec;
}

int run_command(const CommandIo& io, RunCommandOptions o) {
  o.request.spec = spec_from(o);
  if (!o.shard.empty()) o.request.shard = run::parse_shard(o.shard);
  if (o.request.spec.agents.empty() && !o.request.resume)
    throw InputError("run: give --agents or a --run-file with \"agents\"");
  const RunOutcome outcome = run_matrix(io, o.request);
  const run::RunProgress& p = outcome.progress;
  io.out << "run finished: " << p.done << " episodes run now: " << p.passed << " pass, " << p.failed << " fail, "
         << p.infra_errors << " infra_error; tokens " << human_count(p.tokens.system + p.tokens.input +
                                                                      p.tokens.reasoning + p.tokens.output)
         << ", cost $" << p.cost_usd << ", " << human_duration(p.elapsed_s) << '\n'
         << "results: " << outcome.directory << "  (kernelcraft report " << outcome.directory << ")\n";
  if (p.infra_errors > 0)
    io.out << "some episodes ended as infra_error; `kernelcraft run --resume --out " << outcome.directory
           << "` retries them\n";
  return p.infra_errors > 0 ? kExitInfra : kExitOk;
}

}  // namespace

Handler add_run_command(CLI::App& app, const CommandIo& io) {
  auto o = std::make_shared<RunCommandOptions>();
  o->request.cache = "results/cache";
  CLI::App* cmd = app.add_subcommand("run", "run a matrix of agent episodes into a results folder (resumable, shardable)");
  cmd->add_option("--run-file", o->run_file, "run file (JSON, kernelcraft-run/1); flags override its fields");
  cmd->add_option("--agents,-a", o->agents, "agent configs or names in agents/")->delimiter(',');
  cmd->add_option("--platforms,-p", o->platforms, "platforms (default: all)")->delimiter(',');
  cmd->add_option("--tasks,-t", o->tasks, "task names, level:N or all (default: all)")->delimiter(',');
  cmd->add_option("--configs,-c", o->configs, "configurations (default: C1..C5)")->delimiter(',');
  cmd->add_option("--presets", o->presets, "hardware presets (default: each platform's default)")->delimiter(',');
  cmd->add_option("--samples", o->samples, "episodes per cell")->check(CLI::Range(1, 1000));
  cmd->add_option("--turns", o->turns, "turn budget for every episode (default: by agent and level)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--jobs,-j", o->jobs, "parallel workers (default 1, or the run file's)")->check(CLI::Range(1, 256));
  add_sim_option(*cmd, o->sim);
  cmd->add_option("--concurrency", o->concurrency, "PROVIDER=N: at most N episodes of a provider at once");
  cmd->add_option("--run-id", o->request.run_id, "run id (default run-<UTC time>)");
  cmd->add_option("--out,-o", o->request.out, "run folder (default results/<run-id>)");
  cmd->add_flag("--resume", o->request.resume, "continue the run in --out/--run-id: run what is missing, retry infra_error");
  cmd->add_option("--shard", o->shard, "run shard I of N (I/N), e.g. 0/4");
  cmd->add_option("--cache", o->request.cache, "response cache folder")->capture_default_str();
  cmd->add_flag("--no-cache", o->request.no_cache, "do not use the response cache");
  return [&io, o]() { return run_command(io, *o); };
}

}  // namespace kc::cli
