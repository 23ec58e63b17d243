// The Platform contract (DESIGN.md section 4): every accelerator, built in or external, is used
// by the harness only through this interface.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kernelcraft/core/memory_image.h"
#include "kernelcraft/core/task.h"
#include "kernelcraft/core/workload_layout.h"

namespace kc {

struct SourceDiagnostic {
  std::string severity;  // "error" | "warning"
  uint32_t line = 0;
  uint32_t column = 0;
  std::string message;
  std::string hint;
};

// Every platform starts the diagnostic that refuses a program for its size (source bytes or
// instruction count) with this text, so scoring classifies it as "program_too_large" rather
// than as an ordinary assembly error.
constexpr const char kProgramTooLarge[] = "program too large";

// Kernel sources above 4 MiB are refused on every platform before any assembler reads them: room
// for about 170,000 instruction lines, far more than a kernel needs once loops repeat its code,
// and it bounds what one assembly can cost whatever the caller passes.
constexpr std::size_t kMaxKernelSourceBytes = 4u << 20;

// The "program too large" diagnostic for a source of `bytes` over kMaxKernelSourceBytes, else
// nullopt; `hint` says how to shrink it on this platform.
inline std::optional<SourceDiagnostic> oversized_source(std::size_t bytes, const std::string& hint) {
  if (bytes <= kMaxKernelSourceBytes) return std::nullopt;
  return SourceDiagnostic{"error", 1, 1,
                          std::string(kProgramTooLarge) + ": the source has " + std::to_string(bytes) +
                              " bytes; at most " + std::to_string(kMaxKernelSourceBytes) + " (4 MiB) are accepted",
                          hint};
}

// A program in the platform's own representation; the harness only lists and runs it.
class AssembledProgram {
 public:
  virtual ~AssembledProgram() = default;
  virtual std::size_t instruction_count() const = 0;
  // One line per instruction: index, encoded word(s), canonical text, source line.
  virtual std::string listing() const = 0;
  // The platform's machine-code file format (PLENA: `.mem`, one hex word per line).
  virtual std::string machine_code() const = 0;
  // Static instruction counts by class (get_instruction_size).
  virtual std::map<std::string, uint64_t> instruction_classes() const = 0;
};

struct AssembleResult {
  std::vector<SourceDiagnostic> diagnostics;
  std::shared_ptr<const AssembledProgram> program;  // null when there are errors
  bool ok() const { return program != nullptr; }
};

struct RunLimits {
  uint64_t max_instructions = 50'000'000;
  uint64_t max_cycles = 2'000'000'000;
  // Off-chip ranges a kernel may write; a write elsewhere off chip traps. Empty: no restriction.
  std::vector<MemoryRange> writable_offchip;
  // When set, on-chip memories start filled with a garbage pattern derived from this seed
  // (before the input image is loaded), so a kernel cannot rely on locations it never wrote.
  // The Evaluator sets it to the input seed of each run; unset, memories start at zero.
  std::optional<uint64_t> poison_seed;
};

// Best-case throughput of one hardware preset, for roofline bounds.
struct PeakRates {
  double matrix_flops_per_cycle = 0;  // best matrix instruction: 2 * MACs / latency
  double vector_flops_per_cycle = 0;  // best elementwise rate
  double offchip_bytes_per_cycle = 0;
};

struct TrapInfo {
  std::string kind;  // stable snake_case name
  uint64_t pc = 0;  // the platform's program counter: PLENA instruction index, Coral byte address
  uint32_t line = 0;
  std::string memory;
  uint64_t address = 0;
  std::string message;
};

struct UnitActivity {
  uint64_t busy = 0;
  uint64_t stall = 0;
};

struct SimReport {
  uint64_t cycles = 0;
  uint64_t instructions = 0;
  std::map<std::string, UnitActivity> units;
  std::map<std::string, uint64_t> instruction_mix;
  std::map<std::string, uint64_t> counters;  // platform extras: hbm bytes, MACs, ...
  bool stopped_by_break = false;
  std::optional<TrapInfo> trap;
  MemoryImage dumped;  // the requested regions, in request order (empty after a load error)
  bool ok() const { return !trap.has_value(); }
};

struct DocSection {
  std::string id;     // file stem, e.g. "02-matrix"
  std::string title;  // first heading
  std::string text;   // markdown
};

class Platform {
 public:
  virtual ~Platform() = default;
  virtual std::string name() const = 0;
  virtual std::string description() const = 0;
  virtual std::vector<std::string> preset_names() const = 0;
  virtual std::string default_preset() const = 0;
  // Preset parameters as JSON text (for prompts and run records). Unknown name: InputError.
  virtual std::string describe_preset(const std::string& preset) const = 0;

  virtual AssembleResult assemble(const std::string& source, const std::string& preset) const = 0;
  // Loads `input`, runs, then reads `dumps`. Bad images/regions throw InputError; kernel faults
  // are reported as a trap in the result, never thrown.
  virtual SimReport run(const AssembledProgram& program, const std::string& preset,
                        const MemoryImage& input, const std::vector<MemoryRegion>& dumps,
                        const RunLimits& limits) const = 0;
  virtual std::vector<DocSection> docs() const = 0;

  // Where `instance`'s tensors and constants live on `preset`. A task/config that the layout
  // cannot place (too large, unaligned widths) throws InputError saying which limit it breaks.
  virtual WorkloadLayout layout(const TaskInstance& instance, const std::string& preset) const = 0;
  // The values a kernel actually reads after `values` are stored as `placement` says
  // (e.g. rounded to MXFP8); golden outputs are computed from these.
  virtual std::vector<float> stored_values(const TensorPlacement& placement,
                                           const std::vector<float>& values) const = 0;
  virtual PeakRates peak_rates(const std::string& preset) const = 0;
  // The platform whose column of the tasks' support matrix and whose `platform_configs` shapes
  // this one follows: itself for the built-ins; an external platform follows its layout platform.
  virtual std::string task_platform() const { return name(); }
  // Folder of example kernels (`demo` runs them); empty when the platform ships none.
  virtual std::string examples_directory() const { return {}; }
};

}  // namespace kc
