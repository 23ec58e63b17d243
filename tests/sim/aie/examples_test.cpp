// The kernels in isa/aie/examples/ assemble, run without traps and compute the right values;
// their code also appears verbatim in isa/aie/10-examples.md.
#include <cmath>
#include <random>

#include "aie_test_util.h"

namespace {

using namespace aie_test;

std::string example(const std::string& name) {
  return read_text(source_dir() + "/isa/aie/examples/" + name);
}

aie::HardwareConfig preset() {
  aie::HardwareConfig c;
  std::string error;
  EXPECT_TRUE(aie::load_hardware_config(source_dir() + "/isa/aie/presets/aie_ml.json", c, error))
      << error;
  return c;
}

std::vector<float> random_bf16(std::size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-4.0f, 4.0f);
  std::vector<float> v(n);
  for (float& x : v) x = aie::round_to_bf16(dist(rng));
  return v;
}

TEST(AieExamples, VaddBf16AddsEveryLane) {
  const aie::HardwareConfig cfg = preset();
  const std::size_t n = 1024;
  const auto a = random_bf16(n, 1), b = random_bf16(n, 2);
  aie::Limits limits;
  limits.ddr_writable = {{0x2000, 0x2000 + 2 * n}};
  Outcome r = run_with(example("vadd_bf16.s"), [&](aie::MachineState& s) {
    put_bf16(s.ddr, 0x0000, a);
    put_bf16(s.ddr, 0x1000, b);
  }, limits, cfg);
  ASSERT_TRUE(r.result.ok()) << trap_text(r.result);
  EXPECT_TRUE(r.result.stopped);
  const auto c = get_bf16(r.state.ddr, 0x2000, n);
  for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(c[i], aie::round_to_bf16(a[i] + b[i])) << i;
  EXPECT_EQ(r.result.stalls.bank_conflict, 0u);  // B_DM is placed two banks after A_DM
}

TEST(AieExamples, ReluInt8ClampsNegatives) {
  const aie::HardwareConfig cfg = preset();
  const std::size_t n = 4096;
  std::vector<int8_t> x(n);
  std::mt19937 rng(7);
  for (auto& v : x) v = static_cast<int8_t>(rng());
  aie::Limits limits;
  limits.ddr_writable = {{0x1000, 0x1000 + n}};
  Outcome r = run_with(example("relu_i8.s"), [&](aie::MachineState& s) { put(s.ddr, 0, x); }, limits, cfg);
  ASSERT_TRUE(r.result.ok()) << trap_text(r.result);
  const auto y = get<int8_t>(r.state.ddr, 0x1000, n);
  for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(y[i], std::max<int8_t>(x[i], 0)) << i;
}

TEST(AieExamples, GemmBf16MatchesReferenceBitExactly) {
  const aie::HardwareConfig cfg = preset();
  const int M = 16, K = 64, N = 32;
  const auto a = random_bf16(M * K, 3), b = random_bf16(K * N, 4);
  aie::Limits limits;
  limits.ddr_writable = {{0x2000, 0x2000 + 2 * M * N}};
  Outcome r = run_with(example("gemm_bf16.s"), [&](aie::MachineState& s) {
    put_bf16(s.ddr, 0x0000, a);
    put_bf16(s.ddr, 0x1000, b);
  }, limits, cfg);
  ASSERT_TRUE(r.result.ok()) << trap_text(r.result);
  const auto c = get_bf16(r.state.ddr, 0x2000, M * N);
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) {
      float sum = 0.0f;  // the model's order: k = 0..K-1, one fp32 rounding per step
      for (int k = 0; k < K; ++k) sum += a[i * K + k] * b[k * N + j];
      ASSERT_EQ(c[i * N + j], aie::round_to_bf16(sum)) << i << "," << j;
    }
  EXPECT_EQ(r.result.macs, uint64_t(M) * K * N);
  EXPECT_GT(r.result.stalls.lock_wait, 0u);
}

TEST(AieExamples, ExampleCodeAppearsInTheExamplesSection) {
  const std::string doc = read_text(source_dir() + "/isa/aie/10-examples.md");
  for (const char* name : {"vadd_bf16.s", "relu_i8.s", "gemm_bf16.s"}) {
    const std::string code = example(name);
    ASSERT_FALSE(code.empty()) << name;
    EXPECT_NE(doc.find(code), std::string::npos) << name << " differs from its copy in 10-examples.md";
  }
}

}  // namespace
