#include <cstdio>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "kernelcraft/baselines/baseline.h"
#include "kernelcraft/platform/registry.h"

namespace kc::cli {
namespace {

struct ListOptions {
  bool json = false;
};

int list_platforms(const CommandIo& io, const ListOptions& options) {
  nlohmann::json all = nlohmann::json::array();
  for (const std::string& name : builtin_platform_names()) {
    auto platform = open_platform(io, name);
    all.push_back({{"name", platform->name()},
                   {"description", platform->description()},
                   {"presets", platform->preset_names()},
                   {"default_preset", platform->default_preset()},
                   {"doc_sections", platform->docs().size()}});
  }
  if (options.json) {
    io.out << all.dump(2) << '\n';
    return 0;
  }
  for (const auto& p : all) {
    io.out << p["name"].get<std::string>() << "  " << p["description"].get<std::string>() << '\n'
           << "  presets: ";
    for (std::size_t i = 0; i < p["presets"].size(); ++i)
      io.out << (i ? ", " : "") << p["presets"][i].get<std::string>();
    io.out << " (default " << p["default_preset"].get<std::string>() << ")\n";
  }
  return 0;
}

nlohmann::json task_json(const TaskSpec& task) {
  const auto configs_json = [](const TaskSpec::ConfigList& list) {
    nlohmann::json configs = nlohmann::json::object();
    for (const auto& [name, values] : list) configs[name] = values;
    return configs;
  };
  nlohmann::json configs = configs_json(task.configs);
  nlohmann::json platform_configs = nlohmann::json::object();
  for (const auto& [platform, list] : task.platform_configs) platform_configs[platform] = configs_json(list);
  nlohmann::json tensors = nlohmann::json::array();
  for (const TensorSpec& t : task.tensors)
    tensors.push_back({{"name", t.name}, {"role", tensor_role_name(t.role)}, {"shape", t.shape},
                       {"dtype", t.dtype}});
  return {{"name", task.name},     {"title", task.title},
          {"level", task.level},   {"turn_budget", task.turn_budget()},
          {"configs", configs},    {"platform_configs", platform_configs}, {"tensors", tensors},
          {"support", task.support}, {"baselines", nlohmann::json::object()}};
}

int list_tasks(const CommandIo& io, const ListOptions& options) {
  const auto suite = task_suite(io);
  nlohmann::json all = nlohmann::json::array();
  for (const auto& task : suite) {
    nlohmann::json j = task_json(*task);
    for (const std::string& platform : builtin_platform_names())
      j["baselines"][platform] = has_baseline(platform, task->name);
    all.push_back(std::move(j));
  }
  if (options.json) {
    io.out << all.dump(2) << '\n';
    return 0;
  }
  const std::vector<std::string> platforms = {"plena", "amd_npu", "coral_npu"};
  io.out << "level  task                  title                   plena  amd_npu  coral_npu\n";
  for (const auto& task : suite) {
    char line[160];
    std::snprintf(line, sizeof line, "%-6d %-21s %-23s", task->level, task->name.c_str(),
                  task->title.c_str());
    io.out << line;
    for (const auto& p : platforms) {
      const std::string cell = task->supports(p) ? "yes" : "--";
      io.out << ' ' << cell << std::string(p.size() + 1 - std::min(p.size() + 1, cell.size()), ' ');
    }
    io.out << '\n';
  }
  io.out << suite.size() << " tasks, 5 configurations each (C1..C5); `kernelcraft list tasks --json` "
            "for shapes and configurations\n";
  return 0;
}

}  // namespace

Handler add_list_command(CLI::App& app, const CommandIo& io) {
  CLI::App* list = app.add_subcommand("list", "list what KernelCraft knows about");
  list->require_subcommand(1);
  auto options = std::make_shared<ListOptions>();
  CLI::App* platforms = list->add_subcommand("platforms", "accelerator platforms and their presets");
  platforms->add_flag("--json", options->json, "machine-readable output");
  CLI::App* tasks = list->add_subcommand("tasks", "the task suite: levels, configurations, support");
  tasks->add_flag("--json", options->json, "machine-readable output");
  return [&io, options, tasks]() {
    return tasks->parsed() ? list_tasks(io, *options) : list_platforms(io, *options);
  };
}

}  // namespace kc::cli
