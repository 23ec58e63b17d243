// The `kernelcraft` command line, callable in-process so tests drive it like a user would.
#pragma once

#include <ostream>

namespace kc::cli {

// Exit codes (docs/cli.md).
enum ExitCode : int {
  kExitOk = 0,
  kExitKernelFailed = 1,  // the kernel did not assemble, trapped, or failed a check
  kExitUsage = 2,         // bad flags, unreadable or malformed input files
  kExitInternal = 3,      // a bug in KernelCraft
  kExitInfra = 4,         // an LLM provider failed after its retries (episode status infra_error)
};

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace kc::cli
