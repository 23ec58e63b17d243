// The C++ PLENA model against the Verilated RTL on the same kernels: compiler baselines of a
// few tasks on the small preset (the RTL's geometry), visible seed.
//
//   BM_ModelOverRtl/<task>/<config>: each iteration simulates the kernel once on each backend,
//     alternately, so machine noise hits both alike, from the same initial machine state
//     (PlenaPlatform::initial_state: poisoned memories, staged inputs). Only the simulation is
//     timed: for the model plena::simulate; for the RTL plena::rtl::simulate, which includes
//     what that backend needs per run (building the Verilated model, loading program, registers
//     and SRAMs through the backdoor, clocking, reading the state back). Work both backends share
//     and that is not simulation (the harness building the machine state, comparing outputs) is
//     left out; eval_bench measures whole evaluations. Each iteration checks that the backends
//     agree on cycles and instructions.
//     Counters: cycles, model and RTL simulated cycles per second, and
//     model_over_rtl = RTL simulation time / model simulation time. Target (issue 9): >= 1000.
//
// Run: build/bench/plena_rtl_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "kernelcraft/core/seeds.h"
#include "kernelcraft/eval/evaluator.h"
#include "kernelcraft/platform/plena_platform.h"
#include "plena/assembler.h"
#include "plena_rtl/rtl_simulator.h"

namespace {

const kc::PlenaPlatform& platform() {
  static const kc::PlenaPlatform model(KC_SOURCE_DIR, kc::PlenaBackend::Model);
  return model;
}

std::shared_ptr<const kc::TaskSpec> task_named(const std::string& name) {
  static const auto suite = kc::load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  return kc::find_task(suite, name);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void BM_ModelOverRtl(benchmark::State& state, const std::string& task, const std::string& config) {
  const std::string preset = "small";
  kc::Evaluator evaluator(platform(), task_named(task), config, preset);
  const plena::HardwareConfig& hw = platform().config(preset);
  const plena::AssemblyResult assembled = plena::assemble(evaluator.baseline_source(), hw);
  if (!assembled.ok()) {
    state.SkipWithError("the baseline does not assemble");
    return;
  }
  kc::RunLimits run_limits;
  run_limits.writable_offchip = evaluator.layout().writable;
  run_limits.poison_seed = kc::kVisibleSeed;
  const plena::Limits limits = kc::PlenaPlatform::simulator_limits(run_limits);
  const plena::MachineState initial =
      platform().initial_state(evaluator.seed_data(kc::kVisibleSeed).image, preset, run_limits.poison_seed);
  double model_s = 0, rtl_s = 0, cycles = 0;
  for (auto _ : state) {
    state.PauseTiming();
    plena::MachineState on_model = initial, on_rtl = initial;
    state.ResumeTiming();
    auto start = std::chrono::steady_clock::now();
    const plena::SimResult m = plena::simulate(assembled.program, on_model, hw, limits);
    model_s += seconds_since(start);
    start = std::chrono::steady_clock::now();
    const plena::SimResult r = plena::rtl::simulate(assembled.program, on_rtl, hw, limits);
    rtl_s += seconds_since(start);
    if (!m.ok() || !r.ok() || m.cycles != r.cycles || m.instructions != r.instructions) {
      state.SkipWithError("the backends disagree or the baseline traps");
      return;
    }
    cycles += double(m.cycles);
  }
  state.counters["cycles"] = cycles / double(state.iterations());
  state.counters["model_cycles_per_s"] = cycles / model_s;
  state.counters["rtl_cycles_per_s"] = cycles / rtl_s;
  state.counters["model_over_rtl"] = rtl_s / model_s;
}

void register_benchmarks() {
  // One or two kernels of each kind the baselines produce: elementwise, row-wise, matrix
  // multiply (two sizes), a feed-forward block and flash attention.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"silu", "C2"}, {"softmax", "C2"}, {"rms_norm", "C1"}, {"gemm", "C1"},
      {"gemm", "C2"}, {"ffn", "C1"},     {"flash_attention", "C1"}};
  for (const auto& [task, config] : cases) {
    benchmark::RegisterBenchmark((std::string("BM_ModelOverRtl/") + task + "/" + config).c_str(), BM_ModelOverRtl,
                                 std::string(task), std::string(config))
        ->Unit(benchmark::kMillisecond);
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_benchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
