// Simulated instructions per second of the Coral NPU model (items_per_second = instructions).
// Target: >= 50 M instructions/s on one core for both loops (Release build).
#include <benchmark/benchmark.h>

#include <cstring>
#include <vector>

#include "../tests/sim/coral/encode.h"
#include "coral/config.h"
#include "coral/elf.h"
#include "coral/machine.h"

namespace {

using namespace coral::test::enc;

enum Reg : uint32_t { zero = 0, t0 = 5, t1 = 6, t2 = 7, s0 = 8, s1 = 9, a0 = 10, a1 = 11 };

constexpr uint32_t kElements = 1024;
constexpr uint32_t kRepeats = 64;

void li(std::vector<uint32_t>& code, uint32_t rd, uint32_t value) {
  code.push_back(lui(rd, ((value + 0x800) >> 12) & 0xFFFFF));
  code.push_back(addi(rd, rd, static_cast<int32_t>((value & 0xFFF) << 20) >> 20));
}

std::vector<uint8_t> to_elf(const std::vector<uint32_t>& code, uint32_t itcm_base) {
  const std::size_t header = 52 + 32;
  std::vector<uint8_t> elf(header + code.size() * 4, 0);
  const uint8_t ident[] = {0x7f, 'E', 'L', 'F', 1, 1, 1};
  std::memcpy(elf.data(), ident, sizeof ident);
  auto put16 = [&](std::size_t at, uint32_t v) { elf[at] = uint8_t(v); elf[at + 1] = uint8_t(v >> 8); };
  auto put32 = [&](std::size_t at, uint32_t v) { for (int i = 0; i < 4; ++i) elf[at + std::size_t(i)] = uint8_t(v >> (8 * i)); };
  put16(16, 2); put16(18, 243); put32(20, 1); put32(24, itcm_base); put32(28, 52);
  put16(40, 52); put16(42, 32); put16(44, 1);
  put32(52, 1); put32(56, header); put32(60, itcm_base); put32(64, itcm_base);
  put32(68, uint32_t(code.size() * 4)); put32(72, uint32_t(code.size() * 4)); put32(76, 5);
  std::memcpy(elf.data() + header, code.data(), code.size() * 4);
  return elf;
}

// Float dot product of two DTCM arrays, repeated kRepeats times.
std::vector<uint32_t> scalar_dot(const coral::CoralConfig& c) {
  std::vector<uint32_t> code;
  li(code, t2, kRepeats);
  const std::size_t outer = code.size();
  li(code, s0, c.dtcm_base);
  li(code, s1, c.dtcm_base + kElements * 4);
  li(code, t0, kElements);
  const std::size_t loop = code.size();
  code.push_back(flw(1, s0, 0));
  code.push_back(flw(2, s1, 0));
  code.push_back(fmadd(0, 1, 2, 0));
  code.push_back(addi(s0, s0, 4));
  code.push_back(addi(s1, s1, 4));
  code.push_back(addi(t0, t0, -1));
  code.push_back(bne(t0, zero, static_cast<int32_t>(loop * 4) - static_cast<int32_t>(code.size() * 4)));
  code.push_back(addi(t2, t2, -1));
  code.push_back(bne(t2, zero, static_cast<int32_t>(outer * 4) - static_cast<int32_t>(code.size() * 4)));
  code.push_back(ebreak());
  return code;
}

// y = a * x + y, strip-mined with vsetvli at the given LMUL.
std::vector<uint32_t> vector_axpy(const coral::CoralConfig& c, int lmul_log2) {
  std::vector<uint32_t> code;
  li(code, t2, kRepeats);
  const std::size_t outer = code.size();
  li(code, s0, c.dtcm_base);
  li(code, s1, c.dtcm_base + kElements * 4);
  li(code, a0, kElements);
  const std::size_t loop = code.size();
  code.push_back(vsetvli(t0, a0, vtype(32, lmul_log2)));
  code.push_back(vle(32, 8, s0));
  code.push_back(vle(32, 16, s1));
  code.push_back(opv(0x2C, FVF, 16, 8, 1));  // vfmacc.vf v16, f1, v8
  code.push_back(vse(32, 16, s1));
  code.push_back(slli(t1, t0, 2));
  code.push_back(add(s0, s0, t1));
  code.push_back(add(s1, s1, t1));
  code.push_back(sub(a0, a0, t0));
  code.push_back(bne(a0, zero, static_cast<int32_t>(loop * 4) - static_cast<int32_t>(code.size() * 4)));
  code.push_back(addi(t2, t2, -1));
  code.push_back(bne(t2, zero, static_cast<int32_t>(outer * 4) - static_cast<int32_t>(code.size() * 4)));
  code.push_back(ebreak());
  return code;
}

void simulate(benchmark::State& state, const std::vector<uint32_t>& code, const coral::CoralConfig& config) {
  coral::Machine machine(config);
  coral::RunOptions options;
  machine.reset(options);
  machine.load(coral::parse_elf(to_elf(code, config.itcm_base)));
  std::vector<float> data(2 * kElements);
  for (uint32_t i = 0; i < data.size(); ++i) data[i] = 0.001f * static_cast<float>(i % 97);
  std::vector<uint8_t> bytes(data.size() * 4);
  std::memcpy(bytes.data(), data.data(), bytes.size());
  machine.write(config.dtcm_base, bytes);
  uint64_t instructions = 0;
  for (auto _ : state) {
    const coral::RunResult result = machine.run(options);
    if (!result.ok()) state.SkipWithError("the benchmark kernel trapped");
    instructions += result.instructions;
    benchmark::DoNotOptimize(result.cycles);
  }
  state.SetItemsProcessed(static_cast<int64_t>(instructions));
}

coral::CoralConfig bench_config() {
  return coral::load_config_file(std::string(KC_SOURCE_DIR) + "/isa/coral_npu/presets/coral.json");
}

void BM_ScalarFloatDot(benchmark::State& state) {
  const coral::CoralConfig config = bench_config();
  simulate(state, scalar_dot(config), config);
}
BENCHMARK(BM_ScalarFloatDot)->Unit(benchmark::kMillisecond);

void BM_VectorAxpy(benchmark::State& state) {
  const coral::CoralConfig config = bench_config();
  simulate(state, vector_axpy(config, static_cast<int>(state.range(0))), config);
}
BENCHMARK(BM_VectorAxpy)->Arg(0)->Arg(2)->ArgName("lmul_log2")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
