// Scoring one kernel for one (platform, task, config, preset): assemble, run on the visible and
// hidden seeds, compare outputs with the MLIR golden, and relate cycles to the compiler baseline
// and the roofline (docs/metrics.md).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kernelcraft/baselines/baseline.h"
#include "kernelcraft/core/comparison.h"
#include "kernelcraft/core/platform.h"
#include "kernelcraft/core/task.h"
#include "kernelcraft/core/workload_layout.h"
#include "kernelcraft/reference/golden_model.h"

namespace kc {

struct SeedResult {
  uint64_t seed = 0;
  bool hidden = false;
  bool passed = false;
  uint64_t cycles = 0;
  uint64_t instructions = 0;
  std::optional<TrapInfo> trap;
  std::vector<TensorComparison> outputs;
  std::map<std::string, UnitActivity> units;
  // The simulated outputs, row-major, one vector per output tensor (EvalOptions::keep_outputs).
  std::vector<std::vector<float>> actual;
};

struct EvalTiming {  // wall-clock milliseconds spent in each phase of evaluate()
  double golden_ms = 0;    // inputs, rounding, staging and MLIR golden outputs (first use only)
  double assemble_ms = 0;
  double simulate_ms = 0;
  double check_ms = 0;     // reading outputs back and comparing
};

struct EvalReport {
  std::string platform, task, config, preset, parameters;
  bool assembled = false;
  std::vector<SourceDiagnostic> diagnostics;
  std::size_t instruction_count = 0;
  std::map<std::string, uint64_t> instruction_classes;
  std::vector<SeedResult> seeds;
  bool passed = false;           // assembled, no trap, every seed within tolerance
  uint64_t cycles = 0;           // max over the seeds run
  std::optional<uint64_t> baseline_cycles;
  double speedup = 0;            // baseline_cycles / cycles (0 when either is missing)
  double roofline_cycles = 0;
  double sol_percent = 0;        // 100 * roofline_cycles / cycles
  FlopCount flops;
  uint64_t offchip_bytes = 0;
  std::string baseline_error;    // why baseline_cycles is missing, if it is
  EvalTiming timing;
};

struct EvalOptions {
  std::vector<uint64_t> seeds;   // empty: the visible seed and every hidden seed
  bool compare_with_baseline = true;
  RunLimits limits;              // writable_offchip is always taken from the layout
  std::size_t max_reported_mismatches = 8;
  bool keep_outputs = false;     // fill SeedResult::actual (view_output)
};

// One (platform, task, config, preset). Inputs, goldens and baseline cycles are computed on
// first use and cached, so an agent's repeated run_eval calls pay for them once.
class Evaluator {
 public:
  Evaluator(const Platform& platform, std::shared_ptr<const TaskSpec> task, const std::string& config,
            const std::string& preset);

  EvalReport evaluate(const std::string& kernel_source, const EvalOptions& options = {});

  const Platform& platform() const { return platform_; }
  const TaskInstance& instance() const { return instance_; }
  const WorkloadLayout& layout() const { return layout_; }
  const std::string& preset() const { return preset_; }
  double roofline_cycles();
  // Baseline kernel source with `knobs`; InputError when the platform has none for this task.
  std::string baseline_source(const BaselineKnobs& knobs = {}) const;

  struct SeedData {
    MemoryImage image;                          // staged inputs and constants
    std::vector<std::vector<float>> stored;     // inputs as the kernel reads them
    std::vector<std::vector<float>> golden;     // golden outputs
  };
  const SeedData& seed_data(uint64_t seed);

 private:
  const GoldenModel& golden_model();
  std::optional<uint64_t> baseline_cycles(std::string& error, const EvalOptions& options);
  SeedResult run_seed(const AssembledProgram& program, uint64_t seed, const EvalOptions& options,
                      EvalTiming& timing);

  const Platform& platform_;
  TaskInstance instance_;
  std::string preset_;
  WorkloadLayout layout_;
  std::shared_ptr<const GoldenModel> golden_;
  std::map<uint64_t, SeedData> seeds_;
  std::optional<std::optional<uint64_t>> baseline_cycles_;
  std::string baseline_error_;
};

// The seeds evaluate() uses when EvalOptions::seeds is empty: visible first, then hidden.
std::vector<uint64_t> scoring_seeds();

// Why a kernel was rejected, as a stable class (src/eval/failure_class.cpp): "" when `report`
// passed, else "assembly_error", "program_too_large", "trap:<kind>" (e.g. trap:write_protected,
// trap:instruction_limit), "nonfinite" (an output element is NaN/Inf) or "mismatch" (finite
// values outside tolerance). Taken from the first failing seed, visible seeds before hidden.
std::string failure_class(const EvalReport& report);

// The same failure in one or two sentences an honest agent can act on: which seed (visible or
// hidden), which tensor, how many elements and the first coordinates, or the trap's line and
// message, or the first assembly error. "" when `report` passed.
std::string failure_message(const EvalReport& report);

}  // namespace kc
