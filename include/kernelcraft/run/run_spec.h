// A run: the matrix agents x platforms x tasks x configurations x presets x samples, given by
// flags or by a run file ("kernelcraft-run/1", docs/runs.md), resolved against the data folder
// into an ordered list of episodes.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kernelcraft/llm/agent_config.h"

namespace kc::run {

struct RunSpec {
  std::vector<std::string> agents;     // agent config files, or names of configs in agents/
  std::vector<std::string> platforms;  // empty: every built-in platform
  std::vector<std::string> tasks;      // task names, "level:N", or "all"; empty: all
  std::vector<std::string> configs;    // empty: C1..C5
  std::vector<std::string> presets;    // empty: each platform's default preset
  int samples = 1;                     // episodes per (agent, platform, task, config, preset)
  std::vector<uint64_t> scoring_seeds; // empty: the standard hidden seeds
  int turn_budget = 0;                 // 0: each agent's budget for the task's level
  std::size_t max_tool_result_chars = 12000;
  bool baselines_only = false;         // skip tasks a platform has no compiler baseline for
  std::string sim = "model";           // simulation backend: "model", or "rtl" where a platform has one
  int jobs = 1;                                      // parallel workers
  std::map<std::string, int> provider_concurrency;   // at most N episodes of a provider at once
};

// Parses a run file; errors name the file, the field and what was expected.
RunSpec parse_run_spec(const std::string& json_text, const std::string& source);
nlohmann::json to_json(const RunSpec& spec);

// One episode of the matrix.
struct EpisodeKey {
  std::string agent, platform, task, config, preset;
  int sample = 0;

  std::string id() const;         // "agent/platform/task/config/preset/s<k>"
  std::string file_stem() const;  // id() with '/' -> "__", safe as a file name
  bool operator<(const EpisodeKey& other) const;
  bool operator==(const EpisodeKey& other) const;
};

struct ResolvedRun {
  RunSpec spec;
  std::vector<llm::AgentConfig> agents;  // spec.agents resolved and loaded, in order
  std::vector<EpisodeKey> episodes;      // the whole matrix, in a fixed order
  // The configuration a run's results depend on: agent configs (no secrets), task names and
  // levels, presets' parameters, configurations, samples, scoring seeds, budgets. Two runs
  // (or shards) with equal `resolved` JSON are the same experiment.
  nlohmann::json resolved;
};

// Expands the matrix: unknown agents, platforms, tasks, configurations or presets are
// InputErrors naming them; tasks a platform does not support are left out for that platform.
ResolvedRun resolve_run(const RunSpec& spec, const std::string& data_dir);

// Shard `index` of `count`: the episodes of every count-th (platform, task, config, preset)
// cell, so one shard keeps a cell's episodes together. Deterministic; the shards partition the
// matrix. InputError when not 0 <= index < count.
std::vector<EpisodeKey> shard_episodes(const std::vector<EpisodeKey>& episodes, int index, int count);
// "I/N" -> {I, N}; InputError otherwise.
std::pair<int, int> parse_shard(const std::string& text);

}  // namespace kc::run
