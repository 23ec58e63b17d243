#include "kernelcraft/run/run_spec.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <set>
#include <tuple>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/seeds.h"
#include "kernelcraft/core/task.h"
#include "kernelcraft/baselines/baseline.h"
#include "kernelcraft/platform/registry.h"

namespace kc::run {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kSchema = "kernelcraft-run/1";

[[noreturn]] void field_error(const std::string& source, const std::string& field, const std::string& reason) {
  throw InputError(source + ": field '" + field + "': " + reason);
}

std::vector<std::string> string_list(const json& document, const std::string& source, const std::string& field) {
  if (!document.contains(field)) return {};
  const json& value = document.at(field);
  if (value.is_string()) return {value.get<std::string>()};
  if (!value.is_array()) field_error(source, field, "expected a string or an array of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_string()) field_error(source, field + "[" + std::to_string(i) + "]", "expected a string");
    out.push_back(value[i].get<std::string>());
  }
  return out;
}

long long integer(const json& document, const std::string& source, const std::string& field, long long fallback,
                  long long low, long long high) {
  if (!document.contains(field)) return fallback;
  const json& value = document.at(field);
  if (!value.is_number_integer()) field_error(source, field, "expected an integer");
  const long long v = value.get<long long>();
  if (v < low || v > high)
    field_error(source, field, "expected an integer in [" + std::to_string(low) + ", " + std::to_string(high) + "]");
  return v;
}

// --agent takes a file, or the name of a config in <data dir>/agents/.
llm::AgentConfig load_agent(const std::string& agent, const std::string& data_dir) {
  // The error_code overloads: a name the OS rejects (e.g. too long) is "no such agent", not a
  // filesystem_error escaping resolve_run.
  std::error_code ignored;
  if (fs::is_regular_file(agent, ignored)) return llm::load_agent_config(agent);
  const fs::path named = fs::path(data_dir) / "agents" / (agent + ".json");
  if (fs::is_regular_file(named, ignored)) return llm::load_agent_config(named.string());
  throw InputError("agent '" + agent + "': no such file, and no " + named.string());
}

std::vector<std::shared_ptr<const TaskSpec>> select_tasks(const std::vector<std::shared_ptr<const TaskSpec>>& suite,
                                                          const std::vector<std::string>& selectors) {
  if (selectors.empty()) return suite;
  std::vector<std::shared_ptr<const TaskSpec>> chosen;
  auto add = [&chosen](const std::shared_ptr<const TaskSpec>& task) {
    if (std::find(chosen.begin(), chosen.end(), task) == chosen.end()) chosen.push_back(task);
  };
  for (const std::string& selector : selectors) {
    if (selector == "all") {
      for (const auto& task : suite) add(task);
    } else if (selector.rfind("level:", 0) == 0) {
      const std::string level = selector.substr(6);
      if (level != "1" && level != "2" && level != "3")
        throw InputError("task selector '" + selector + "': the level must be 1, 2 or 3");
      for (const auto& task : suite)
        if (std::to_string(task->level) == level) add(task);
    } else {
      add(find_task(suite, selector));
    }
  }
  // Suite order (level, then name), whatever order the selectors came in.
  std::vector<std::shared_ptr<const TaskSpec>> ordered;
  for (const auto& task : suite)
    if (std::find(chosen.begin(), chosen.end(), task) != chosen.end()) ordered.push_back(task);
  return ordered;
}

std::vector<std::string> chosen_configs(const TaskSpec& task, const std::vector<std::string>& requested) {
  const std::vector<std::string> all = task.config_names();
  if (requested.empty()) return all;
  for (const std::string& config : requested)
    if (std::find(all.begin(), all.end(), config) == all.end())
      throw InputError("configuration '" + config + "' is not one of task " + task.name + "'s");
  return requested;
}

}  // namespace

RunSpec parse_run_spec(const std::string& json_text, const std::string& source) {
  json document;
  try {
    document = json::parse(json_text);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for numbers like 1e99999
    throw InputError(source + ": not valid JSON (" + e.what() + ")");
  }
  if (!document.is_object()) throw InputError(source + ": expected a JSON object");
  static const std::set<std::string> known{"schema",        "agents",     "platforms",     "tasks",
                                           "configs",       "presets",    "samples",       "scoring_seeds",
                                           "turn_budget",   "jobs",       "concurrency",   "max_tool_result_chars",
                                           "sim",           "baselines_only", "description"};
  for (auto it = document.begin(); it != document.end(); ++it)
    if (!known.count(it.key())) field_error(source, it.key(), "unknown field");
  // Compared as JSON: value("schema", "") would throw on a non-string schema.
  if (!document.contains("schema") || document.at("schema") != kSchema) field_error(source, "schema", std::string("expected \"") + kSchema + "\"");
  RunSpec spec;
  spec.agents = string_list(document, source, "agents");
  if (spec.agents.empty()) field_error(source, "agents", "at least one agent is needed");
  spec.platforms = string_list(document, source, "platforms");
  spec.tasks = string_list(document, source, "tasks");
  spec.configs = string_list(document, source, "configs");
  spec.presets = string_list(document, source, "presets");
  spec.samples = static_cast<int>(integer(document, source, "samples", 1, 1, 1000));
  if (document.contains("scoring_seeds")) {
    const json& seeds = document.at("scoring_seeds");
    // An empty list means the standard hidden seeds.
    if (!seeds.is_array()) field_error(source, "scoring_seeds", "expected an array of seeds");
    for (const json& seed : seeds) {
      if (!seed.is_number_unsigned()) field_error(source, "scoring_seeds", "expected non-negative integers");
      spec.scoring_seeds.push_back(seed.get<uint64_t>());
    }
  }
  spec.turn_budget = static_cast<int>(integer(document, source, "turn_budget", 0, 0, 1000));
  spec.max_tool_result_chars =
      static_cast<std::size_t>(integer(document, source, "max_tool_result_chars", 12000, 256, 1'000'000));
  spec.jobs = static_cast<int>(integer(document, source, "jobs", 1, 1, 256));
  if (document.contains("baselines_only")) {
    if (!document.at("baselines_only").is_boolean()) field_error(source, "baselines_only", "expected true or false");
    spec.baselines_only = document.at("baselines_only").get<bool>();
  }
  if (document.contains("sim")) {
    const json& sim = document.at("sim");
    if (!sim.is_string() || (sim != "model" && sim != "rtl")) field_error(source, "sim", "expected \"model\" or \"rtl\"");
    spec.sim = sim.get<std::string>();
  }
  if (document.contains("concurrency")) {
    const json& limits = document.at("concurrency");
    if (!limits.is_object()) field_error(source, "concurrency", "expected an object of provider: limit");
    for (auto it = limits.begin(); it != limits.end(); ++it)
      spec.provider_concurrency[it.key()] =
          static_cast<int>(integer(limits, source + " (concurrency)", it.key(), 1, 1, 1024));
  }
  return spec;
}

json to_json(const RunSpec& spec) {
  return {{"schema", kSchema},
          {"agents", spec.agents},
          {"platforms", spec.platforms},
          {"tasks", spec.tasks},
          {"configs", spec.configs},
          {"presets", spec.presets},
          {"samples", spec.samples},
          {"scoring_seeds", spec.scoring_seeds},
          {"turn_budget", spec.turn_budget},
          {"max_tool_result_chars", spec.max_tool_result_chars},
          {"jobs", spec.jobs},
          {"sim", spec.sim},
          {"baselines_only", spec.baselines_only},
          {"concurrency", spec.provider_concurrency}};
}

std::string EpisodeKey::id() const {
  return agent + "/" + platform + "/" + task + "/" + config + "/" + preset + "/s" + std::to_string(sample);
}

std::string EpisodeKey::file_stem() const {
  std::string stem = id();
  std::string out;
  for (char c : stem) {
    if (c == '/') out += "__";
    else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') out += c;
    else out += '-';
  }
  return out;
}

bool EpisodeKey::operator<(const EpisodeKey& other) const {
  return std::tie(agent, platform, task, config, preset, sample) <
         std::tie(other.agent, other.platform, other.task, other.config, other.preset, other.sample);
}

bool EpisodeKey::operator==(const EpisodeKey& other) const {
  return std::tie(agent, platform, task, config, preset, sample) ==
         std::tie(other.agent, other.platform, other.task, other.config, other.preset, other.sample);
}

ResolvedRun resolve_run(const RunSpec& spec, const std::string& data_dir) {
  if (spec.agents.empty()) throw InputError("run: at least one agent is needed (--agents)");
  ResolvedRun run;
  run.spec = spec;
  std::set<std::string> agent_names;
  json agents = json::array();
  for (const std::string& agent : spec.agents) {
    run.agents.push_back(load_agent(agent, data_dir));
    if (!agent_names.insert(run.agents.back().name).second)
      throw InputError("run: two agents are named '" + run.agents.back().name + "'");
    agents.push_back(llm::to_json(run.agents.back()));
  }
  const auto suite = load_task_suite((fs::path(data_dir) / "tasks").string());
  const auto tasks = select_tasks(suite, spec.tasks);
  const std::vector<std::string> platforms = spec.platforms.empty() ? builtin_platform_names() : spec.platforms;

  json platforms_json = json::object();
  json tasks_json = json::object();
  json skipped = json::array();
  for (const std::string& requested : platforms) {
    const auto platform = make_platform(requested, data_dir, spec.sim);
    // A declaration file is named by path; its episodes carry the name it declares, and
    // resolved.platforms remembers the path so workers (and resumes) can open it again.
    const std::string platform_name = platform->name();
    const std::string task_platform = platform->task_platform();
    const std::vector<std::string> presets =
        spec.presets.empty() ? std::vector<std::string>{platform->default_preset()} : spec.presets;
    json presets_json = json::object();
    for (const std::string& preset : presets) presets_json[preset] = json::parse(platform->describe_preset(preset));
    platforms_json[platform_name] = {{"presets", presets_json}};
    if (requested != platform_name) platforms_json[platform_name]["declaration"] = requested;
    for (const auto& task : tasks) {
      if (!task->supports(task_platform)) continue;
      const std::vector<std::string> configs = chosen_configs(*task, spec.configs);
      tasks_json[task->name] = {{"level", task->level}, {"configs", configs}};
      for (const std::string& config : configs)
        for (const std::string& preset : presets) {
          if (spec.baselines_only && !has_baseline(platform_name, task->name)) {
            skipped.push_back({{"platform", platform_name}, {"task", task->name}, {"config", config},
                               {"preset", preset}, {"reason", "no compiler baseline for this task on " + platform_name + " yet"}});
            continue;
          }
          // A configuration the preset's memories cannot hold is not an episode anybody could
          // pass: it is listed as skipped, with the layout's reason, instead of run.
          try {
            platform->layout(bind_task(task, config, task_platform), preset);
          } catch (const InputError& e) {
            skipped.push_back({{"platform", platform_name}, {"task", task->name}, {"config", config},
                               {"preset", preset}, {"reason", e.what()}});
            continue;
          }
          for (const llm::AgentConfig& agent : run.agents)
            for (int sample = 0; sample < spec.samples; ++sample)
              run.episodes.push_back({agent.name, platform_name, task->name, config, preset, sample});
        }
    }
  }
  if (run.episodes.empty()) throw InputError("run: the matrix is empty (no selected task is supported by the platforms)");
  const std::vector<uint64_t> seeds = spec.scoring_seeds.empty() ? hidden_seeds() : spec.scoring_seeds;
  run.resolved = {{"agents", agents},
                  {"platforms", platforms_json},
                  {"tasks", tasks_json},
                  {"samples", spec.samples},
                  {"scoring_seeds", seeds},
                  {"turn_budget", spec.turn_budget},
                  {"max_tool_result_chars", spec.max_tool_result_chars},
                  {"skipped_cells", skipped},
                  {"episodes", run.episodes.size()}};
  // Only a non-default backend is recorded, so runs made before backends existed still resume.
  if (spec.sim != kDefaultSimBackend) run.resolved["sim"] = spec.sim;
  return run;
}

std::vector<EpisodeKey> shard_episodes(const std::vector<EpisodeKey>& episodes, int index, int count) {
  if (count < 1 || index < 0 || index >= count)
    throw InputError("shard " + std::to_string(index) + "/" + std::to_string(count) + ": expected 0 <= I < N");
  // Cells in order of first appearance; cell c belongs to shard c % count.
  std::vector<std::tuple<std::string, std::string, std::string, std::string>> cells;
  std::vector<EpisodeKey> out;
  for (const EpisodeKey& key : episodes) {
    const auto cell = std::make_tuple(key.platform, key.task, key.config, key.preset);
    auto it = std::find(cells.begin(), cells.end(), cell);
    if (it == cells.end()) it = cells.insert(cells.end(), cell);
    if (static_cast<int>((it - cells.begin()) % count) == index) out.push_back(key);
  }
  return out;
}

std::pair<int, int> parse_shard(const std::string& text) {
  const std::size_t slash = text.find('/');
  try {
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    std::size_t used = 0;
    const int index = std::stoi(text.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument("index");
    const std::string count_text = text.substr(slash + 1);
    const int count = std::stoi(count_text, &used);
    if (used != count_text.size()) throw std::invalid_argument("count");
    if (count < 1 || index < 0 || index >= count) throw std::out_of_range("range");
    return {index, count};
  } catch (const std::exception&) {
    throw InputError("--shard '" + text + "': expected I/N with 0 <= I < N, e.g. 0/4");
  }
}

}  // namespace kc::run
