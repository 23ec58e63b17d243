#include <nlohmann/json.hpp>

#include "commands.h"
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

}  // namespace

Handler add_list_command(CLI::App& app, const CommandIo& io) {
  CLI::App* list = app.add_subcommand("list", "list what KernelCraft knows about");
  list->require_subcommand(1);
  auto options = std::make_shared<ListOptions>();
  CLI::App* platforms = list->add_subcommand("platforms", "accelerator platforms and their presets");
  platforms->add_flag("--json", options->json, "machine-readable output");
  return [&io, options]() { return list_platforms(io, *options); };
}

}  // namespace kc::cli
