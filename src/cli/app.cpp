#include "kernelcraft/cli/app.h"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "commands.h"
#include "kernelcraft/core/errors.h"

namespace kc::cli {
namespace {

// Log lines go to the error stream so stdout stays clean for listings and JSON.
void configure_logging(std::ostream& err, bool verbose) {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(err);
  auto logger = std::make_shared<spdlog::logger>("kernelcraft", sink);
  logger->set_pattern("[%H:%M:%S] %^%l%$ %v");
  logger->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"KernelCraft: benchmark LLM agents writing kernels for emerging accelerators"};
  app.name("kernelcraft");
  app.require_subcommand(1);
  GlobalOptions globals;
  app.add_option("--data-dir", globals.data_dir,
                 "folder holding isa/, tasks/, agents/ (default: $KERNELCRAFT_HOME or the source tree)");
  app.add_flag("-v,--verbose", globals.verbose, "debug logging");
  app.set_version_flag("--version", "kernelcraft 0.1.0");

  const CommandIo io{out, err, globals};
  std::vector<std::pair<CLI::App*, Handler>> handlers;
  auto add = [&](Handler (*adder)(CLI::App&, const CommandIo&)) {
    const std::size_t before = app.get_subcommands({}).size();
    Handler handler = adder(app, io);
    handlers.emplace_back(app.get_subcommands({}).at(before), std::move(handler));
  };
  add(add_list_command);
  add(add_asm_command);
  add(add_sim_command);
  add(add_demo_command);
  add(add_eval_command);
  add(add_baseline_command);
  add(add_agent_command);
  add(add_run_command);
  add(add_merge_command);
  add(add_report_command);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints help/version to out and errors to err; map to our exit codes.
    const int code = app.exit(e, out, err);
    return code == 0 ? kExitOk : kExitUsage;
  }
  configure_logging(err, globals.verbose);
  try {
    for (auto& [command, handler] : handlers)
      if (command->parsed()) return handler();
  } catch (const InputError& e) {
    err << "error: " << e.what() << '\n';
    return kExitUsage;
  } catch (const std::exception& e) {
    err << "internal error: " << e.what() << '\n';
    return kExitInternal;
  }
  return kExitUsage;
}

}  // namespace kc::cli
