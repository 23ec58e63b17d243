#include "kernelcraft/run/run_executor.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>

#include <spdlog/spdlog.h>

#include "kernelcraft/agent/episode_runner.h"
#include "kernelcraft/agent/provider_factory.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/task.h"
#include "kernelcraft/llm/secrets.h"
#include "kernelcraft/platform/registry.h"

namespace kc::run {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The episodes of one (platform, task, config, preset): they share an Evaluator, so inputs,
// goldens and baseline cycles are computed once.
struct Cell {
  std::vector<EpisodeKey> episodes;
};

std::vector<Cell> group_into_cells(const std::vector<EpisodeKey>& todo) {
  std::vector<Cell> cells;
  std::map<std::tuple<std::string, std::string, std::string, std::string>, std::size_t> index;
  for (const EpisodeKey& key : todo) {
    const auto id = std::make_tuple(key.platform, key.task, key.config, key.preset);
    auto [it, inserted] = index.emplace(id, cells.size());
    if (inserted) cells.emplace_back();
    cells[it->second].episodes.push_back(key);
  }
  return cells;
}

// At most N episodes of one provider at a time (API rate limits).
class ProviderSlots {
 public:
  explicit ProviderSlots(std::map<std::string, int> limits) : limits_(std::move(limits)) {}
  void acquire(const std::string& provider) {
    std::unique_lock<std::mutex> lock(mutex_);
    const auto limit = limits_.find(provider);
    if (limit == limits_.end()) return;
    freed_.wait(lock, [&] { return in_use_[provider] < limit->second; });
    ++in_use_[provider];
  }
  void release(const std::string& provider) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (limits_.count(provider) == 0) return;
    --in_use_[provider];
    freed_.notify_all();
  }

 private:
  std::map<std::string, int> limits_;
  std::map<std::string, int> in_use_;
  std::mutex mutex_;
  std::condition_variable freed_;
};

// `text` starts with a path inside `folder`.
bool names_path_inside(const std::string& text, const std::string& folder) {
  if (folder.empty() || text.compare(0, folder.size(), folder) != 0) return false;
  return folder.back() == '/' || (text.size() > folder.size() && text[folder.size()] == '/');
}

// Errors name their file first; one naming a path inside the run folder (a transcript, a kernel
// folder, transcripts/ itself) means the folder cannot be written: disk full, quota, a file
// where a folder should be. Every later episode would fail the same way, so the run stops
// rather than record them all as infra_error (after paying for their model calls). Returns the
// message to stop with.
std::optional<std::string> run_folder_failure(const std::exception& error, const std::string& run_folder) {
  if (const auto* fs_error = dynamic_cast<const fs::filesystem_error*>(&error)) {
    const std::string path = fs_error->path1().string();
    if (!names_path_inside(path, run_folder)) return std::nullopt;
    return path + ": cannot write: " + fs_error->code().message();
  }
  if (!names_path_inside(error.what(), run_folder)) return std::nullopt;
  return std::string(error.what());
}

agent::EpisodeRecord harness_failure(const EpisodeKey& key, const llm::AgentConfig& agent, int level,
                                     const std::string& what) {
  agent::EpisodeRecord record;
  record.agent = key.agent;
  record.provider = agent.provider;
  record.model = agent.model;
  record.platform = key.platform;
  record.task = key.task;
  record.level = level;
  record.config = key.config;
  record.preset = key.preset;
  record.sample = key.sample;
  record.end = "infra_error";
  record.status = "infra_error";
  record.failure = llm::redact_secrets("harness: " + what);
  return record;
}

class Executor {
 public:
  Executor(const ResolvedRun& run, ResultsStore& store, const RunOptions& options, std::size_t total)
      : run_(run),
        store_(store),
        options_(options),
        slots_(run.spec.provider_concurrency),
        factory_(options.cache_directory),
        templates_(agent::load_prompt_templates((fs::path(options.data_dir) / "agents" / "prompts").string())),
        suite_(load_task_suite((fs::path(options.data_dir) / "tasks").string())),
        started_(Clock::now()) {
    progress_.total = total;
    for (const llm::AgentConfig& agent : run.agents) agents_.emplace(agent.name, &agent);
  }

  RunProgress execute(const std::vector<Cell>& cells) {
    const int workers = std::max(1, std::min<int>(run_.spec.jobs, static_cast<int>(cells.size())));
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w) threads.emplace_back([this, &cells] { work(cells); });
    for (std::thread& thread : threads) thread.join();
    if (failure_) std::rethrow_exception(failure_);
    return progress_;
  }

 private:
  // What make_platform needs for an episode's platform: its name, or the declaration file it was
  // resolved from (resolved.platforms.<name>.declaration).
  std::string platform_reference(const std::string& name) const {
    const nlohmann::json& platforms = run_.resolved.at("platforms");
    if (platforms.contains(name) && platforms.at(name).contains("declaration"))
      return platforms.at(name).at("declaration").get<std::string>();
    return name;
  }

  void work(const std::vector<Cell>& cells) {
    std::map<std::string, std::unique_ptr<Platform>> platforms;  // per worker: nothing shared
    try {
      for (std::size_t i = next_cell_++; i < cells.size() && !stop_; i = next_cell_++) {
        const EpisodeKey& first = cells[i].episodes.front();
        auto& platform = platforms[first.platform];
        if (!platform) platform = make_platform(platform_reference(first.platform), options_.data_dir, run_.spec.sim);
        run_cell(*platform, cells[i]);
      }
    } catch (...) {
      // Only a run folder that cannot be written gets here (disk full, unwritable): stop every worker.
      std::lock_guard<std::mutex> lock(progress_mutex_);
      if (!failure_) failure_ = std::current_exception();
      stop_ = true;
    }
  }

  void run_cell(const Platform& platform, const Cell& cell) {
    const EpisodeKey& first = cell.episodes.front();
    const auto task = find_task(suite_, first.task);
    std::unique_ptr<Evaluator> evaluator;
    std::string cell_error;
    try {
      evaluator = std::make_unique<Evaluator>(platform, task, first.config, first.preset);
    } catch (const std::exception& e) {
      cell_error = e.what();
    }
    for (const EpisodeKey& key : cell.episodes) {
      if (stop_) return;
      const llm::AgentConfig& agent = *agents_.at(key.agent);
      agent::EpisodeRecord record = evaluator ? run_episode(platform, *evaluator, key, agent)
                                              : harness_failure(key, agent, task->level, cell_error);
      store_.append(record);
      report(record);
    }
  }

  agent::EpisodeRecord run_episode(const Platform& platform, Evaluator& evaluator, const EpisodeKey& key,
                                   const llm::AgentConfig& agent) {
    const int level = evaluator.instance().task->level;
    try {
      agent::EpisodeOptions options;
      options.transcript_path = store_.transcript_path(key);
      options.kernel_directory = store_.kernel_directory(key);
      fs::remove_all(options.kernel_directory);  // versions left by an interrupted attempt
      options.turn_budget = run_.spec.turn_budget;
      options.sample = key.sample;
      options.max_tool_result_chars = run_.spec.max_tool_result_chars;
      options.scoring_seeds = run_.spec.scoring_seeds;
      const int budget = options.turn_budget > 0 ? options.turn_budget : agent.turns_for_level(level);
      slots_.acquire(agent.provider);
      struct Release {
        ProviderSlots& slots;
        const std::string& provider;
        ~Release() { slots.release(provider); }
      } release{slots_, agent.provider};
      std::unique_ptr<llm::ChatProvider> provider = factory_.make(agent, evaluator, budget);
      agent::EpisodeRunner runner(platform, agent, *provider, templates_);
      return runner.run(evaluator, options);
    } catch (const std::exception& e) {
      // The episode stays without a record, so a resume runs it again.
      if (const auto stop = run_folder_failure(e, store_.directory())) throw InputError(*stop);
      // A harness fault (missing key, a simulator bug...) is never the model's failure.
      return harness_failure(key, agent, level, e.what());
    }
  }

  void report(const agent::EpisodeRecord& record) {
    std::lock_guard<std::mutex> lock(progress_mutex_);
    progress_.done += 1;
    if (record.status == "pass") progress_.passed += 1;
    else if (record.status == "infra_error") progress_.infra_errors += 1;
    else progress_.failed += 1;
    const agent::TokenTotals& t = record.tokens;
    progress_.tokens.system += t.system;
    progress_.tokens.input += t.input;
    progress_.tokens.cached += t.cached;
    progress_.tokens.reasoning += t.reasoning;
    progress_.tokens.output += t.output;
    progress_.tokens.calls += t.calls;
    progress_.tokens.calls_without_usage += t.calls_without_usage;
    progress_.cost_usd += record.cost_usd;
    progress_.elapsed_s = std::chrono::duration<double>(Clock::now() - started_).count();
    progress_.last = &record;
    if (options_.on_progress) options_.on_progress(progress_);
    progress_.last = nullptr;
  }

  const ResolvedRun& run_;
  ResultsStore& store_;
  const RunOptions& options_;
  ProviderSlots slots_;
  agent::ProviderFactory factory_;
  agent::PromptTemplates templates_;
  std::vector<std::shared_ptr<const TaskSpec>> suite_;
  std::map<std::string, const llm::AgentConfig*> agents_;
  Clock::time_point started_;
  std::atomic<std::size_t> next_cell_{0};
  std::atomic<bool> stop_{false};
  std::mutex progress_mutex_;
  RunProgress progress_;
  std::exception_ptr failure_;
};

}  // namespace

RunProgress execute_run(const ResolvedRun& run, const std::vector<EpisodeKey>& todo, ResultsStore& store,
                        const RunOptions& options) {
  if (todo.empty()) return RunProgress{};
  Executor executor(run, store, options, todo.size());
  return executor.execute(group_into_cells(todo));
}

}  // namespace kc::run
