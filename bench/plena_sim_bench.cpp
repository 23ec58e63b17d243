// Simulator throughput on a GEMM-shaped PLENA instruction stream, beside a host float GEMM of
// the same matrices in the same process. Target (issue 2): the simulator's MAC rate is at least
// 25% of the host GEMM's. Run: build/bench/plena_sim_bench (medians of 5 repetitions).
#include <benchmark/benchmark.h>

#include <chrono>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "plena/assembler.h"
#include "plena/numerics.h"
#include "plena/simulator.h"

namespace {

// C[M x N] = A[M x K] . W[K x N] with M = N = 64, K = 256 on the default preset.
constexpr uint32_t kM = 64, kN = 64, kK = 256;

// Activations: K/VLEN chunks of M rows (the [h//VLEN, s, VLEN] layout); weights: K/MLEN tiles
// stacked in Matrix SRAM; output after the activations.
const char* kGemmKernel = R"(
  S_ADDI_INT gp1, gp0, 0        ; row-block offset in the activations
  S_LUI_INT gp10, 4             ; gp10 = 16384: output base
  C_LOOP_START gp2, 16          ; 16 row blocks of BLEN rows
    S_ADDI_INT gp3, gp0, 0      ; column-block offset (cb * BLEN)
    C_LOOP_START gp4, 16        ; 16 column blocks
      S_ADD_INT gp5, gp1, gp0   ; vector operand: chunk 0, this row block
      S_ADD_INT gp6, gp3, gp0   ; matrix operand: tile 0, this column block
      C_LOOP_START gp7, 4       ; K / MLEN accumulation steps
        M_MM 0, gp6, gp5
        S_ADDI_INT gp5, gp5, 4096
        S_ADDI_INT gp6, gp6, 4096
      C_LOOP_END gp7
      S_ADD_INT gp8, gp10, gp1
      S_ADD_INT gp8, gp8, gp3
      M_MM_WO gp8, 0, 0
      S_ADDI_INT gp3, gp3, 4
    C_LOOP_END gp4
    S_ADDI_INT gp1, gp1, 256
  C_LOOP_END gp2
)";

struct GemmFixture {
  plena::HardwareConfig config = plena::HardwareConfig::kernelcraft_default();
  plena::Program program;
  std::vector<float> a = std::vector<float>(kM * kK);  // row-major M x K
  std::vector<float> w = std::vector<float>(kK * kN);  // row-major K x N
  std::vector<float> c = std::vector<float>(kM * kN);

  GemmFixture() {
    plena::AssemblyResult assembled = plena::assemble(kGemmKernel, config);
    if (!assembled.ok()) throw std::runtime_error(assembled.diagnostics.front().to_string());
    program = std::move(assembled.program);
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    for (float& x : a) x = plena::numerics::round_to_bf16(dist(rng));
    for (float& x : w) x = plena::numerics::round_to_bf16(dist(rng));
  }

  void load(plena::MachineState& state) const {
    const uint32_t vlen = config.vlen, mlen = config.mlen;
    for (uint32_t m = 0; m < kM; ++m)
      for (uint32_t k = 0; k < kK; ++k)
        state.vector_sram[(k / vlen * kM + m) * vlen + k % vlen] = a[m * kK + k];
    for (uint32_t k = 0; k < kK; ++k)
      for (uint32_t n = 0; n < kN; ++n) state.matrix_sram[k / mlen * mlen * mlen + (k % mlen) * mlen + n] = w[k * kN + n];
  }

  void host_gemm() {
    std::fill(c.begin(), c.end(), 0.0f);
    for (uint32_t m = 0; m < kM; ++m)
      for (uint32_t k = 0; k < kK; ++k) {
        const float x = a[m * kK + k];
        for (uint32_t n = 0; n < kN; ++n) c[m * kN + n] += x * w[k * kN + n];
      }
    benchmark::DoNotOptimize(c.data());
  }
};

constexpr double kMacs = double(kM) * kN * kK;

void BM_SimulatorGemm(benchmark::State& st) {
  GemmFixture f;
  plena::MachineState state(f.config);
  f.load(state);
  uint64_t cycles = 0;
  for (auto _ : st) {
    const plena::SimResult r = plena::simulate(f.program, state, f.config);
    if (!r.ok()) st.SkipWithError(r.trap->message.c_str());
    cycles += r.cycles;
  }
  st.counters["sim_cycles_per_s"] = benchmark::Counter(double(cycles), benchmark::Counter::kIsRate);
  st.counters["MACs_per_s"] =
      benchmark::Counter(kMacs * double(st.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SimulatorGemm)->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly(true);

void BM_HostGemm(benchmark::State& st) {
  GemmFixture f;
  for (auto _ : st) f.host_gemm();
  st.counters["MACs_per_s"] =
      benchmark::Counter(kMacs * double(st.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_HostGemm)->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly(true);

// Both sides timed alternately in the same iteration, so machine noise hits them alike.
void BM_SimulatorOverHostMacRate(benchmark::State& st) {
  GemmFixture f;
  plena::MachineState state(f.config);
  f.load(state);
  double sim_seconds = 0, host_seconds = 0;
  using clock = std::chrono::steady_clock;
  for (auto _ : st) {
    const auto t0 = clock::now();
    benchmark::DoNotOptimize(plena::simulate(f.program, state, f.config).cycles);
    const auto t1 = clock::now();
    f.host_gemm();
    const auto t2 = clock::now();
    sim_seconds += std::chrono::duration<double>(t1 - t0).count();
    host_seconds += std::chrono::duration<double>(t2 - t1).count();
  }
  st.counters["sim_mac_rate_over_host"] = host_seconds / sim_seconds;
}
BENCHMARK(BM_SimulatorOverHostMacRate)->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly(true);

}  // namespace

BENCHMARK_MAIN();
