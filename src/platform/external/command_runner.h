// Runs one command of an external platform (docs/external-platforms.md): an argv vector, never a
// shell, in a given working folder, with stdin from a file, capped stdout/stderr and a wall-clock
// timeout after which the command and everything it started are killed.
//
// The approach follows sim/coral/src/asm/subprocess.cpp (posix_spawn, pipes drained with poll),
// written again here so sim/coral and the harness stay independent of each other.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kc::external {

struct CommandLimits {
  double wall_seconds = 60;                  // the process group is killed (SIGKILL) past this
  std::size_t max_stdout_bytes = 64u << 20;  // more is a failure (output_too_large), not truncated
  std::size_t max_stderr_bytes = 64u << 10;  // the rest of stderr is dropped
};

struct CommandOutcome {
  bool started = false;  // false: the program could not be started (see `error`)
  bool timed_out = false;
  bool output_too_large = false;
  int exit_code = -1;  // when the program exited normally
  int signal = 0;      // when a signal ended it
  std::string out, err;
  std::string error;  // why it could not be started
  double seconds = 0;  // wall time

  bool exited_normally() const { return started && !timed_out && !output_too_large && signal == 0; }
};

// Finds `program` the way a shell would, without one: a name with a '/' is a path (relative
// names resolved against `base_dir`), any other name is looked up in $PATH. Returns "" when no
// executable file is found.
std::string resolve_program(const std::string& program, const std::string& base_dir);

// Runs argv[0] (already resolved to an executable path) with argv[1..] in `workdir`. `stdin_path`
// empty: /dev/null. The command runs in a process group of its own, so a timeout kills the
// children it started too.
CommandOutcome run_command(const std::vector<std::string>& argv, const std::string& workdir,
                           const std::string& stdin_path, const CommandLimits& limits);

// The first `max_lines` non-empty lines of `text`, each cut to 200 characters, joined by " | ".
std::string first_lines(const std::string& text, std::size_t max_lines = 5);

}  // namespace kc::external
