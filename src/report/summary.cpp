// summary.json: every aggregate of the report (docs/metrics.md "Leaderboards"). Objects are
// keyed maps (nlohmann::json sorts keys) and lists are in suite order, and the episodes are put in
// canonical order before any sum, so the same records always give the same text.
#include <cmath>
#include <map>
#include <set>

#include "episode_metrics.h"
#include "kernelcraft/report/report.h"
#include "report_order.h"

namespace kc::report {
namespace {

using nlohmann::json;
using detail::Episodes;
using detail::metrics_json;

constexpr const char* kSchema = "kernelcraft-summary/1";

using Field = std::string (*)(const agent::EpisodeRecord&);

std::string level_key(int level) { return "L" + std::to_string(level); }

std::string agent_of(const agent::EpisodeRecord& e) { return e.agent; }
std::string platform_of(const agent::EpisodeRecord& e) { return e.platform; }
std::string level_of(const agent::EpisodeRecord& e) { return level_key(e.level); }
std::string task_of(const agent::EpisodeRecord& e) { return e.task; }
std::string config_of(const agent::EpisodeRecord& e) { return e.config; }

// Groups keep the canonical order of their episodes.
std::map<std::string, Episodes> group_by(const Episodes& episodes, Field field) {
  std::map<std::string, Episodes> groups;
  for (const auto* e : episodes) groups[field(*e)].push_back(e);
  return groups;
}

// Samples per cell the run asked for, as far as the records show (sample indices start at 0).
int sample_count(const Episodes& episodes) {
  int samples = 1;
  for (const auto* e : episodes) samples = std::max(samples, e->sample + 1);
  return samples;
}

// A task's level as the records give it; the lowest wins if runs disagree.
std::vector<detail::TaskRef> tasks_in_suite_order(const Episodes& episodes) {
  std::map<std::string, int> levels;
  for (const auto* e : episodes) {
    const auto it = levels.find(e->task);
    if (it == levels.end() || e->level < it->second) levels[e->task] = e->level;
  }
  std::vector<detail::TaskRef> tasks;
  for (const auto& [name, level] : levels) tasks.push_back({name, level});
  std::sort(tasks.begin(), tasks.end());
  return tasks;
}

struct Solved {
  int solved = 0, run = 0;
  void add(const Solved& other) {
    solved += other.solved;
    run += other.run;
  }
  json to_json() const { return {{"solved", solved}, {"run", run}}; }
};

// KernelCraft's x/5: configurations with a passing sample, out of those with a scored episode.
Solved configs_solved(const Episodes& task_episodes) {
  std::map<std::string, std::pair<bool, bool>> configs;  // config -> (scored, passed)
  for (const auto* e : task_episodes) {
    auto& [scored, passed] = configs[e->config];
    scored = scored || !detail::is_infra_error(*e);
    passed = passed || e->passed();
  }
  Solved out;
  for (const auto& entry : configs) {
    out.run += entry.second.first ? 1 : 0;
    out.solved += entry.second.second ? 1 : 0;
  }
  return out;
}

// Summed over the tasks of a level or a platform (KernelCraft's "37/50").
Solved configs_solved_per_task(const Episodes& episodes) {
  Solved out;
  for (const auto& [task, task_eps] : group_by(episodes, task_of)) out.add(configs_solved(task_eps));
  return out;
}

json task_node(const Episodes& task_eps, int samples) {
  json configs = json::object();
  for (const auto& [config, config_eps] : group_by(task_eps, config_of))
    configs[config] = metrics_json(config_eps, samples);
  return {{"configs_solved", configs_solved(task_eps).to_json()},
          {"metrics", metrics_json(task_eps, samples)},
          {"configs", configs}};
}

json level_node(const Episodes& level_eps, int samples) {
  json tasks = json::object();
  for (const auto& [task, task_eps] : group_by(level_eps, task_of)) tasks[task] = task_node(task_eps, samples);
  return {{"configs_solved", configs_solved_per_task(level_eps).to_json()},
          {"metrics", metrics_json(level_eps, samples)},
          {"tasks", tasks}};
}

json platform_node(const Episodes& platform_eps, int samples) {
  json levels = json::object();
  for (const auto& [level, level_eps] : group_by(platform_eps, level_of))
    levels[level] = level_node(level_eps, samples);
  return {{"configs_solved", configs_solved_per_task(platform_eps).to_json()},
          {"metrics", metrics_json(platform_eps, samples)},
          {"levels", levels}};
}

// by_agent.<agent>.platforms.<platform>.levels.<L>.tasks.<task>.configs.<config>: the metrics of
// every cell and of every roll-up above it.
json agent_tree(const Episodes& episodes, int samples) {
  json agents = json::object();
  for (const auto& [agent_name, agent_eps] : group_by(episodes, agent_of)) {
    json platforms = json::object();
    for (const auto& [platform, platform_eps] : group_by(agent_eps, platform_of))
      platforms[platform] = platform_node(platform_eps, samples);
    agents[agent_name] = {{"metrics", metrics_json(agent_eps, samples)}, {"platforms", platforms}};
  }
  return agents;
}

std::vector<std::string> sorted_unique(const Episodes& episodes, Field field) {
  std::set<std::string> values;
  for (const auto* e : episodes) values.insert(field(*e));
  return {values.begin(), values.end()};
}

std::vector<std::string> configs_in_order(const Episodes& episodes) {
  std::set<std::string, detail::NaturalLess> configs;
  for (const auto* e : episodes) configs.insert(e->config);
  return {configs.begin(), configs.end()};
}

// The success table of one platform: rows in suite order, a column per agent, level and overall
// totals per agent.
json success_table(const Episodes& platform_eps) {
  const auto agents = sorted_unique(platform_eps, agent_of);
  std::map<std::string, std::map<std::string, Solved>> level_totals;  // level -> agent -> solved
  std::map<std::string, Solved> totals;
  json rows = json::array();
  for (const auto& task : tasks_in_suite_order(platform_eps)) {
    json cells = json::object();
    for (const auto& agent_name : agents) {
      Episodes cell;
      for (const auto* e : platform_eps)
        if (e->task == task.name && e->agent == agent_name) cell.push_back(e);
      if (cell.empty()) continue;
      const Solved solved = configs_solved(cell);
      cells[agent_name] = solved.to_json();
      level_totals[level_key(task.level)][agent_name].add(solved);
      totals[agent_name].add(solved);
    }
    rows.push_back({{"task", task.name}, {"level", task.level}, {"agents", cells}});
  }
  json levels = json::object();
  for (const auto& [level, by_agent] : level_totals)
    for (const auto& [agent_name, solved] : by_agent) levels[level][agent_name] = solved.to_json();
  json total = json::object();
  for (const auto& [agent_name, solved] : totals) total[agent_name] = solved.to_json();
  return {{"agents", agents}, {"rows", rows}, {"levels", levels}, {"total", total}};
}

std::string speedup_bin(double speedup) {
  if (speedup >= 2.0) return ">=2x";
  if (speedup >= 1.0) return "1-2x";
  return "<1x";
}

// KernelCraft's figure: per (task, config) the best passing speedup over every agent. A config
// with scored episodes but no pass is "failed"; passes without a baseline are "no_baseline".
json best_speedup_table(const Episodes& platform_eps) {
  const auto configs = configs_in_order(platform_eps);
  std::map<std::string, int> bins{{">=2x", 0}, {"1-2x", 0}, {"<1x", 0}, {"failed", 0}, {"no_baseline", 0}};
  json rows = json::array();
  for (const auto& task : tasks_in_suite_order(platform_eps)) {
    json cells = json::object();
    for (const auto& config : configs) {
      bool scored = false;
      const agent::EpisodeRecord* best = nullptr;
      const agent::EpisodeRecord* first_pass = nullptr;
      for (const auto* e : platform_eps) {  // canonical order: ties go to the first agent by name
        if (e->task != task.name || e->config != config || detail::is_infra_error(*e)) continue;
        scored = true;
        if (!e->passed()) continue;
        if (!first_pass) first_pass = e;
        if (e->speedup > 0 && std::isfinite(e->speedup) && (!best || e->speedup > best->speedup)) best = e;
      }
      if (!scored) continue;
      json cell;
      if (best) cell = {{"speedup", best->speedup}, {"agent", best->agent}, {"bin", speedup_bin(best->speedup)}};
      else if (first_pass) cell = {{"speedup", nullptr}, {"agent", first_pass->agent}, {"bin", "no_baseline"}};
      else cell = {{"speedup", nullptr}, {"agent", nullptr}, {"bin", "failed"}};
      ++bins[cell["bin"].get<std::string>()];
      cells[config] = cell;
    }
    rows.push_back({{"task", task.name}, {"level", task.level}, {"configs", cells}});
  }
  return {{"configs", configs}, {"rows", rows}, {"bins", bins}};
}

}  // namespace

nlohmann::json summarize(const ReportInput& input) {
  const Episodes episodes = detail::canonical_order(input.episodes);
  const int samples = sample_count(episodes);

  json runs = json::array();
  const auto ids = detail::run_ids(input);
  for (std::size_t i = 0; i < ids.size(); ++i)
    runs.push_back({{"id", ids[i]}, {"directory", i < input.run_directories.size() ? input.run_directories[i] : ""}});

  json tasks = json::array();
  for (const auto& task : tasks_in_suite_order(episodes)) tasks.push_back({{"name", task.name}, {"level", task.level}});

  json success = json::object();
  json best = json::object();
  for (const auto& platform : sorted_unique(episodes, platform_of)) {
    Episodes platform_eps;
    for (const auto* e : episodes)
      if (e->platform == platform) platform_eps.push_back(e);
    success[platform] = success_table(platform_eps);
    best[platform] = best_speedup_table(platform_eps);
  }

  return {{"schema", kSchema},
          {"runs", runs},
          {"samples", samples},
          {"agents", sorted_unique(episodes, agent_of)},
          {"platforms", sorted_unique(episodes, platform_of)},
          {"tasks", tasks},
          {"configs", configs_in_order(episodes)},
          {"overall", metrics_json(episodes, samples)},
          {"by_agent", agent_tree(episodes, samples)},
          {"success_table", success},
          {"best_speedup", best}};
}

}  // namespace kc::report
