// Simulated bundles per second of the AIE-ML tile model on a GEMM-like (compute-bound, no
// DMA) kernel and on a DMA-heavy kernel (the bf16 vector-add example: mostly lock waits
// while DMA channels move data). Reported as the counter `bundles_per_second` (and
// `cycles_per_second` for the simulated cycles).
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>

#include "aie/assembler.h"
#include "aie/simulator.h"

namespace {

// 64 column blocks x 64 k-steps of mmac.i8 on operands in data memory, software-pipelined
// so a vldx issues every bundle and a MAC every other bundle.
const char* kGemmLike = R"(
    movi r0, 0
    movi r2, 64
    movi p0, 0
    movi p1, 4096
    vbcst.i8 x11, r0
    movi m0, -4096
outer:
    vups.i8 cm0, x11, 0
    loop 64, kend
    vldx x0, [p0], 64
    vldx x1, [p1], 64
    nop
    nop
    nop
    mmac.i8 cm0, x0, x1
kend:
    nop
    nop
    nop
    vsrs.i8 x2, cm0, 6, rne
    padd p0, m0
    nop
    { vst wl2, [p0, 0] ; sub r2, r2, 1 }
    padd p1, m0
    jnz r2, outer
    done
)";

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void run_kernel(benchmark::State& bench, const std::string& source) {
  const aie::HardwareConfig config = aie::HardwareConfig::aie_ml();
  const aie::AssemblyResult assembled = aie::assemble(source, config);
  if (!assembled.ok()) {
    bench.SkipWithError(assembled.diagnostics.front().to_string().c_str());
    return;
  }
  const aie::MachineState initial(config, 1);
  uint64_t bundles = 0, cycles = 0;
  for (auto _ : bench) {
    bench.PauseTiming();
    aie::MachineState state = initial;
    bench.ResumeTiming();
    const aie::SimResult r = aie::simulate(assembled.program, state, config);
    if (!r.ok()) {
      bench.SkipWithError(r.trap->message.c_str());
      return;
    }
    bundles += r.bundles;
    cycles += r.cycles;
    benchmark::DoNotOptimize(state.dm.data());
  }
  bench.counters["bundles_per_second"] =
      benchmark::Counter(static_cast<double>(bundles), benchmark::Counter::kIsRate);
  bench.counters["cycles_per_second"] =
      benchmark::Counter(static_cast<double>(cycles), benchmark::Counter::kIsRate);
}

void BM_AieGemmLike(benchmark::State& bench) { run_kernel(bench, kGemmLike); }

void BM_AieDmaHeavy(benchmark::State& bench) {
  run_kernel(bench, read_file(std::string(KC_SOURCE_DIR) + "/isa/aie/examples/vadd_bf16.s"));
}

BENCHMARK(BM_AieGemmLike)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AieDmaHeavy)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
