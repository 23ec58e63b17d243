// Subcommand registration; each command lives in its own file.
#pragma once

#include <functional>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

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

// Each returns the handler to call when its subcommand was chosen; the handler returns the
// exit code.
using Handler = std::function<int()>;
Handler add_list_command(CLI::App& app, const CommandIo& io);
Handler add_asm_command(CLI::App& app, const CommandIo& io);
Handler add_sim_command(CLI::App& app, const CommandIo& io);
Handler add_demo_command(CLI::App& app, const CommandIo& io);

}  // namespace kc::cli
