// assemble_isolated: the same assembly, run in the coral-asm-worker process.
//
// LLVM 16's assembler reports some malformed input through report_fatal_error (which aborts)
// and has crashed on other input; the source screen refuses every such case we know, but an
// agent's kernel must never be able to end the harness. Here a crash costs one process and
// becomes an error diagnostic, located by re-assembling prefixes of the source.
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "assembly_codec.h"
#include "coral/asm/assembler.h"
#include "subprocess.h"

namespace coral::assembler {
namespace {

constexpr const char* kWorkerName = "coral-asm-worker";
// Bisection probes spent locating the line of a crash (covers 65536 lines).
constexpr int kMaxCrashProbes = 16;

bool executable_file(const std::string& path) { return !path.empty() && ::access(path.c_str(), X_OK) == 0; }

std::string directory_of_this_executable() {
  std::vector<char> buffer(4096);
  const ssize_t n = ::readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
  if (n <= 0) return {};
  std::string path(buffer.data(), static_cast<std::size_t>(n));
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

// The environment decides when set (tests, unusual installs); else the folder of the running
// program (an installed kernelcraft and its worker sit side by side), then the build tree.
std::string find_worker() {
  if (const char* env = std::getenv("KC_CORAL_ASM_WORKER"); env && *env) {
    if (executable_file(env)) return env;
    throw std::runtime_error(std::string("KC_CORAL_ASM_WORKER names '") + env +
                             "', which is not an executable file; point it at coral-asm-worker or unset it");
  }
  std::vector<std::string> tried;
  const std::string beside = directory_of_this_executable() + "/" + kWorkerName;
  if (executable_file(beside)) return beside;
  tried.push_back(beside);
#ifdef CORAL_ASM_WORKER_BUILD_PATH
  if (executable_file(CORAL_ASM_WORKER_BUILD_PATH)) return CORAL_ASM_WORKER_BUILD_PATH;
  tried.push_back(CORAL_ASM_WORKER_BUILD_PATH);
#endif
  std::string list;
  for (const auto& t : tried) list += (list.empty() ? "" : ", ") + t;
  throw std::runtime_error(std::string("the Coral assembler helper '") + kWorkerName + "' was not found (tried " +
                           list + "); build it with the project or point KC_CORAL_ASM_WORKER at it");
}

// The first line of LLVM's own complaint when there is one, else how the process ended.
std::string crash_reason(const ChildOutcome& outcome) {
  for (const char* marker : {"LLVM ERROR: ", "AddressSanitizer: ", "UndefinedBehaviorSanitizer: ", "runtime error: "}) {
    const std::size_t at = outcome.err.find(marker);
    if (at == std::string::npos) continue;
    const std::size_t end = outcome.err.find('\n', at);
    return outcome.err.substr(at, end == std::string::npos ? std::string::npos : end - at);
  }
  return "the assembler process " + outcome.describe();
}

// A sanitizer report about memory misuse, undefined behaviour or a leak comes from instrumented
// code, which is ours (LLVM is not instrumented): a bug to surface in sanitizer CI, not a kernel
// error to hide. A deadly signal (LLVM crashing) is reported by ASan too, and stays the kernel's.
std::string sanitizer_finding(const std::string& err) {
  for (const char* marker : {"ERROR: AddressSanitizer: ", "ERROR: LeakSanitizer: ", "runtime error: "}) {
    const std::size_t at = err.find(marker);
    if (at == std::string::npos) continue;
    const std::size_t end = err.find('\n', at);
    const std::string line = err.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (line.find("SEGV") != std::string::npos || line.find("BUS") != std::string::npos ||
        line.find("deadly signal") != std::string::npos || line.find("stack-overflow") != std::string::npos)
      continue;
    return line;
  }
  return {};
}

std::vector<std::string> split_lines(const std::string& source) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= source.size()) {
    const std::size_t end = source.find('\n', start);
    if (end == std::string::npos) {
      lines.push_back(source.substr(start));
      break;
    }
    lines.push_back(source.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string first_lines(const std::vector<std::string>& lines, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += lines[i] + "\n";
  return out;
}

class Worker {
 public:
  Worker(std::string path, const AssembleOptions& options) : path_(std::move(path)), options_(options) {}

  ChildOutcome run(const std::string& source) const {
    return run_child(path_, {}, encode_request(source, options_), ChildLimits{});
  }

  // The 1-based line whose addition makes the worker crash, or 0 when the probes run out or
  // the crash does not follow from a prefix (it needs a later line too).
  uint32_t crash_line(const std::string& source) const {
    const std::vector<std::string> lines = split_lines(source);
    std::size_t good = 0, bad = lines.size();
    for (int probe = 0; probe < kMaxCrashProbes && bad - good > 1; ++probe) {
      const std::size_t mid = good + (bad - good) / 2;
      const ChildOutcome outcome = run(first_lines(lines, mid));
      if (outcome.timed_out) return 0;
      (outcome.exited_cleanly() ? good : bad) = mid;
    }
    return bad - good == 1 ? static_cast<uint32_t>(bad) : 0;
  }

 private:
  std::string path_;
  AssembleOptions options_;
};

Assembly refused(uint32_t line, std::string message, std::string hint) {
  Assembly a;
  a.diagnostics.push_back({"error", line, 0, std::move(message), std::move(hint)});
  return a;
}

}  // namespace

Assembly assemble_isolated(const std::string& source, const AssembleOptions& options) {
  const Worker worker(find_worker(), options);
  const ChildOutcome outcome = worker.run(source);
  if (!outcome.started) throw std::runtime_error("the Coral assembler helper " + outcome.describe());
  if (outcome.timed_out)
    return refused(0, "assembling this kernel took longer than " + std::to_string(ChildLimits{}.wall_seconds) + " s",
                   "shrink repetitions and macros; the assembler was stopped");
  if (!outcome.exited_cleanly()) {
    if (const std::string finding = sanitizer_finding(outcome.err); !finding.empty())
      throw std::runtime_error("the Coral assembler helper hit a sanitizer report: " + finding);
    const uint32_t line = worker.crash_line(source);
    return refused(line, "LLVM's assembler failed on this kernel (" + crash_reason(outcome) + ")",
                   line ? "rewrite this statement with plain instructions and constant expressions"
                        : "simplify the directives and expressions; LLVM could not assemble them");
  }
  try {
    return decode_assembly(outcome.out);
  } catch (const std::runtime_error& e) {
    // A worker that exits cleanly with bad output is our bug, not the kernel's.
    throw std::runtime_error(std::string("the Coral assembler helper returned malformed output: ") + e.what());
  }
}

}  // namespace coral::assembler
