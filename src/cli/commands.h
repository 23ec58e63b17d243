// Subcommand registration; each command lives in its own file.
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include "kernelcraft/core/platform.h"
#include "kernelcraft/core/task.h"
#include "kernelcraft/platform/registry.h"
#include "kernelcraft/run/run_executor.h"
#include "kernelcraft/run/run_spec.h"

namespace kc::cli {

struct GlobalOptions {
  std::string data_dir;  // empty: kc::data_root()
  bool verbose = false;
};

struct CommandIo {
  std::ostream& out;
  std::ostream& err;
  const GlobalOptions& globals;
};

// The folder holding isa/, tasks/, agents/: --data-dir, else kc::data_root().
std::string data_dir(const CommandIo& io);
// The platform a command works on, with its data folder resolved from the global options.
std::unique_ptr<Platform> open_platform(const CommandIo& io, const std::string& name,
                                        const std::string& sim = kDefaultSimBackend);
// `--sim model|rtl`: which simulator runs the kernels (the RTL only where a platform has one).
void add_sim_option(CLI::App& command, std::string& sim);
// `--platform/-p` and `--hw` on a subcommand; `platform_required` false keeps the default.
void add_platform_options(CLI::App& command, std::string& platform, std::string& preset,
                          bool platform_required);
// The preset a command should use: the one asked for, else the platform's default.
std::string chosen_preset(const Platform& platform, const std::string& requested);

// The task suite under <data dir>/tasks, and one task of it by name (InputError lists the known).
std::vector<std::shared_ptr<const TaskSpec>> task_suite(const CommandIo& io);
std::shared_ptr<const TaskSpec> task_named(const CommandIo& io, const std::string& name);

// Each returns the handler to call when its subcommand was chosen; the handler returns the
// exit code.
using Handler = std::function<int()>;
Handler add_list_command(CLI::App& app, const CommandIo& io);
Handler add_asm_command(CLI::App& app, const CommandIo& io);
Handler add_sim_command(CLI::App& app, const CommandIo& io);
Handler add_demo_command(CLI::App& app, const CommandIo& io);
Handler add_eval_command(CLI::App& app, const CommandIo& io);
Handler add_baseline_command(CLI::App& app, const CommandIo& io);
Handler add_agent_command(CLI::App& app, const CommandIo& io);
Handler add_run_command(CLI::App& app, const CommandIo& io);
Handler add_merge_command(CLI::App& app, const CommandIo& io);
Handler add_report_command(CLI::App& app, const CommandIo& io);

// A run (or the resume of one) as `run` and `demo` start it.
struct RunRequest {
  run::RunSpec spec;
  std::string run_id;  // "" : run-<UTC time>
  std::string out;     // "" : results/<run-id>
  std::string cache;
  bool no_cache = false;
  bool resume = false;
  std::optional<std::pair<int, int>> shard;
};
struct RunOutcome {
  std::string directory;
  run::RunProgress progress;
};
// Creates (or resumes) the run folder, runs the episodes with live progress, returns the folder.
RunOutcome run_matrix(const CommandIo& io, const RunRequest& request);

}  // namespace kc::cli
