// Runs the episodes of a resolved run with parallel workers: one Evaluator per
// (platform, task, config, preset) cell, shared by that cell's episodes; at most `jobs` cells
// at once and at most provider_concurrency[p] episodes of provider p at once. Every finished
// episode is appended to the results store before the next one starts on that worker.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "kernelcraft/agent/episode_record.h"
#include "kernelcraft/run/results_store.h"
#include "kernelcraft/run/run_spec.h"

namespace kc::run {

struct RunProgress {
  std::size_t done = 0, total = 0;
  std::size_t passed = 0, failed = 0, infra_errors = 0;
  agent::TokenTotals tokens;
  double cost_usd = 0;
  double elapsed_s = 0;
  const agent::EpisodeRecord* last = nullptr;  // the episode that just finished
};

struct RunOptions {
  std::string data_dir;
  std::string cache_directory;  // "" : no response cache
  std::function<void(const RunProgress&)> on_progress;  // called from worker threads, serialised
};

// Runs `todo` (a subset of run.episodes, e.g. what a resume still needs) and returns the
// final progress. Harness faults inside an episode become infra_error records.
RunProgress execute_run(const ResolvedRun& run, const std::vector<EpisodeKey>& todo, ResultsStore& store,
                        const RunOptions& options);

}  // namespace kc::run
