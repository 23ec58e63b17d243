// Runs a helper executable in a child process with bounded resources, feeding it a request on
// standard input and collecting what it prints. Used to keep code we do not control (LLVM's
// assembler, which may abort or crash on hostile input) out of the caller's process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace coral::assembler {

// Resource limits inside the child (CPU time, address space, core files) are the helper's own
// business: it sets them first thing, before it reads anything (see tools/asm_worker.cpp).
struct ChildLimits {
  uint32_t wall_seconds = 30;                 // killed with SIGKILL past this
  std::size_t max_stdout_bytes = 256u << 20;  // more is a failure, not truncated silently
  std::size_t max_stderr_bytes = 64u << 10;   // the rest of stderr is dropped
};

struct ChildOutcome {
  bool started = false;     // false: the executable could not be started (see `error`)
  bool timed_out = false;
  bool output_too_large = false;
  int exit_code = -1;       // when the child exited normally
  int signal = 0;           // when a signal ended it
  std::string out, err;
  std::string error;        // why it could not be started

  bool exited_cleanly() const { return started && !timed_out && !output_too_large && signal == 0 && exit_code == 0; }
  std::string describe() const;  // "exit code 1", "signal 6 (Aborted)", "timed out after ..."
};

// `input` becomes the child's stdin (through an anonymous in-memory file, so a child that
// dies early can never block the caller or raise SIGPIPE). No shell is involved.
ChildOutcome run_child(const std::string& executable, const std::vector<std::string>& args,
                       const std::string& input, const ChildLimits& limits);

}  // namespace coral::assembler
