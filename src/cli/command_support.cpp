#include "commands.h"

#include <filesystem>

#include "kernelcraft/platform/registry.h"

namespace kc::cli {

std::string data_dir(const CommandIo& io) {
  return io.globals.data_dir.empty() ? data_root() : io.globals.data_dir;
}

std::unique_ptr<Platform> open_platform(const CommandIo& io, const std::string& name, const std::string& sim) {
  return make_platform(name, data_dir(io), sim.empty() ? kDefaultSimBackend : sim);
}

void add_sim_option(CLI::App& command, std::string& sim) {
  command.add_option("--sim", sim, "simulation backend: model (C++ cycle-level model, default) or rtl "
                                   "(Verilated RTL; PLENA on the small preset)")
      ->check(CLI::IsMember({"model", "rtl"}));
}

void add_platform_options(CLI::App& command, std::string& platform, std::string& preset,
                          bool platform_required) {
  CLI::Option* option =
      command.add_option("--platform,-p", platform, "platform name (see `list platforms`)");
  if (platform_required) option->required();
  else option->capture_default_str();
  command.add_option("--hw", preset, "hardware preset (default: the platform's default)");
}

std::string chosen_preset(const Platform& platform, const std::string& requested) {
  return requested.empty() ? platform.default_preset() : requested;
}

std::vector<std::shared_ptr<const TaskSpec>> task_suite(const CommandIo& io) {
  return load_task_suite((std::filesystem::path(data_dir(io)) / "tasks").string());
}

std::shared_ptr<const TaskSpec> task_named(const CommandIo& io, const std::string& name) {
  return find_task(task_suite(io), name);
}

}  // namespace kc::cli
