// Where `eval` spends its time, per level-1 PLENA task and configuration (default preset), with
// the task's baseline kernel as the kernel under test.
//
//   BM_EvalSteadyState: one Evaluator reused, as in an agent episode (run_eval many times):
//     inputs and goldens are cached after the first call. Counters (ms per evaluate(), medians
//     over repetitions): golden, assemble, simulate, check, and overhead_pct =
//     100 * (golden + assemble + check) / simulate. Target (issue 3): overhead_pct <= 50 for
//     every level-1 configuration.
//   BM_EvalCold: a fresh Evaluator per call (first use in a process): the one-off cost of
//     generating inputs and JIT-compiling and running the MLIR golden.
//
// Run: build/bench/eval_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "kernelcraft/eval/evaluator.h"
#include "kernelcraft/platform/plena_platform.h"

namespace {

const kc::PlenaPlatform& plena() {
  static const kc::PlenaPlatform platform(KC_SOURCE_DIR);
  return platform;
}

std::shared_ptr<const kc::TaskSpec> task_named(const std::string& name) {
  static const auto suite = kc::load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  return kc::find_task(suite, name);
}

kc::EvalOptions bench_options() {
  kc::EvalOptions options;
  options.compare_with_baseline = false;
  return options;
}

void report_phases(benchmark::State& state, const kc::EvalTiming& total, double calls) {
  const double golden = total.golden_ms / calls, assemble = total.assemble_ms / calls;
  const double simulate = total.simulate_ms / calls, check = total.check_ms / calls;
  state.counters["golden_ms"] = golden;
  state.counters["assemble_ms"] = assemble;
  state.counters["simulate_ms"] = simulate;
  state.counters["check_ms"] = check;
  state.counters["overhead_pct"] = simulate > 0 ? 100.0 * (golden + assemble + check) / simulate : 0;
}

void accumulate(kc::EvalTiming& total, const kc::EvalTiming& t) {
  total.golden_ms += t.golden_ms;
  total.assemble_ms += t.assemble_ms;
  total.simulate_ms += t.simulate_ms;
  total.check_ms += t.check_ms;
}

void BM_EvalSteadyState(benchmark::State& state, std::string task, std::string config) {
  kc::Evaluator evaluator(plena(), task_named(task), config, "default");
  const std::string kernel = evaluator.baseline_source();
  evaluator.evaluate(kernel, bench_options());  // warm the input/golden cache
  kc::EvalTiming total;
  double calls = 0;
  for (auto _ : state) {
    const kc::EvalReport report = evaluator.evaluate(kernel, bench_options());
    if (!report.passed) state.SkipWithError("baseline kernel failed");
    accumulate(total, report.timing);
    ++calls;
  }
  report_phases(state, total, calls);
}

void BM_EvalCold(benchmark::State& state, std::string task, std::string config) {
  kc::EvalTiming total;
  double calls = 0;
  for (auto _ : state) {
    kc::Evaluator evaluator(plena(), task_named(task), config, "default");
    const kc::EvalReport report = evaluator.evaluate(evaluator.baseline_source(), bench_options());
    if (!report.passed) state.SkipWithError("baseline kernel failed");
    accumulate(total, report.timing);
    ++calls;
  }
  report_phases(state, total, calls);
}

// Level-1 PLENA tasks that have a baseline, every configuration.
void register_benchmarks() {
  const auto suite = kc::load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  for (const auto& task : suite) {
    if (task->level != 1 || !task->supports("plena") || !kc::has_baseline("plena", task->name)) continue;
    for (const std::string& config : task->config_names()) {
      const std::string name = task->name + "/" + config;
      benchmark::RegisterBenchmark(("BM_EvalSteadyState/" + name).c_str(), BM_EvalSteadyState,
                                   task->name, config)->Unit(benchmark::kMillisecond);
      benchmark::RegisterBenchmark(("BM_EvalCold/" + name).c_str(), BM_EvalCold, task->name, config)
          ->Unit(benchmark::kMillisecond)->Iterations(1);
    }
  }
}

}  // namespace

// Registration reads the task suite and the baseline table, so it runs in main(), after every
// static object those depend on has been constructed.
int main(int argc, char** argv) {
  register_benchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
