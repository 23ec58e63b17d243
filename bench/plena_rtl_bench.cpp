// The C++ PLENA model against the Verilated RTL on the same kernels: compiler baselines of a
// few tasks on the small preset (the RTL's geometry), visible seed.
//
//   BM_ModelOverRtl/<task>/<config>: each iteration evaluates the kernel once on each backend,
//     alternately, so machine noise hits both alike; counters: model and RTL simulated cycles
//     per second, and model_over_rtl = RTL simulation time / model simulation time.
//     Target (issue 9): model_over_rtl >= 1000.
//
// Run: build/bench/plena_rtl_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "kernelcraft/core/seeds.h"
#include "kernelcraft/eval/evaluator.h"
#include "kernelcraft/platform/plena_platform.h"

namespace {

const kc::PlenaPlatform& backend(kc::PlenaBackend which) {
  static const kc::PlenaPlatform model(KC_SOURCE_DIR, kc::PlenaBackend::Model);
  static const kc::PlenaPlatform rtl(KC_SOURCE_DIR, kc::PlenaBackend::Rtl);
  return which == kc::PlenaBackend::Rtl ? rtl : model;
}

std::shared_ptr<const kc::TaskSpec> task_named(const std::string& name) {
  static const auto suite = kc::load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  return kc::find_task(suite, name);
}

void BM_ModelOverRtl(benchmark::State& state, const std::string& task, const std::string& config) {
  kc::Evaluator model(backend(kc::PlenaBackend::Model), task_named(task), config, "small");
  kc::Evaluator rtl(backend(kc::PlenaBackend::Rtl), task_named(task), config, "small");
  const std::string kernel = model.baseline_source();
  kc::EvalOptions options;
  options.compare_with_baseline = false;
  options.seeds = {kc::kVisibleSeed};
  model.evaluate(kernel, options);  // inputs and goldens computed outside the timing
  rtl.evaluate(kernel, options);
  double model_ms = 0, rtl_ms = 0, cycles = 0;
  for (auto _ : state) {
    const kc::EvalReport m = model.evaluate(kernel, options);
    const kc::EvalReport r = rtl.evaluate(kernel, options);
    if (!m.passed || !r.passed || m.cycles != r.cycles) {
      state.SkipWithError("the backends disagree or the baseline fails");
      return;
    }
    model_ms += m.timing.simulate_ms;
    rtl_ms += r.timing.simulate_ms;
    cycles += double(m.cycles);
  }
  state.counters["cycles"] = cycles / double(state.iterations());
  state.counters["model_cycles_per_s"] = cycles / (model_ms / 1000.0);
  state.counters["rtl_cycles_per_s"] = cycles / (rtl_ms / 1000.0);
  state.counters["model_over_rtl"] = rtl_ms / model_ms;
}

void register_benchmarks() {
  for (const auto& [task, config] : std::initializer_list<std::pair<const char*, const char*>>{
           {"gemm", "C1"}, {"softmax", "C1"}, {"rms_norm", "C1"}, {"ffn", "C1"}}) {
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
