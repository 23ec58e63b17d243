// Helpers shared by the aie_sim tests: assemble-or-fail, run, memory pokes, bf16 values.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "aie/assembler.h"
#include "aie/bf16.h"
#include "aie/config.h"
#include "aie/machine.h"
#include "aie/simulator.h"

namespace aie_test {

inline const aie::HardwareConfig& config() {
  static const aie::HardwareConfig c = aie::HardwareConfig::aie_ml();
  return c;
}

// A smaller config for tests that allocate many states (1 MiB DDR).
inline const aie::HardwareConfig& small_config() {
  static const aie::HardwareConfig c = [] {
    aie::HardwareConfig s = aie::HardwareConfig::aie_ml();
    s.name = "test_small";
    s.ddr_bytes = 1 << 20;
    s.memtile_bytes = 128 * 1024;
    return s;
  }();
  return c;
}

inline aie::Program assemble_ok(const std::string& source,
                                const aie::HardwareConfig& cfg = small_config()) {
  aie::AssemblyResult r = aie::assemble(source, cfg);
  std::string all;
  for (const auto& d : r.diagnostics) all += d.to_string() + "\n";
  EXPECT_TRUE(r.ok()) << all << "source:\n" << source;
  return r.program;
}

// The first diagnostic's text ("" when the source assembled).
inline aie::Diagnostic first_error(const std::string& source,
                                   const aie::HardwareConfig& cfg = small_config()) {
  aie::AssemblyResult r = aie::assemble(source, cfg);
  return r.diagnostics.empty() ? aie::Diagnostic{} : r.diagnostics.front();
}

struct Outcome {
  aie::MachineState state;
  aie::SimResult result;
};

inline Outcome run(const std::string& source, uint64_t seed = 1, const aie::Limits& limits = {},
               const aie::HardwareConfig& cfg = small_config()) {
  Outcome r{aie::MachineState(cfg, seed), {}};
  const aie::Program p = assemble_ok(source, cfg);
  r.result = aie::simulate(p, r.state, cfg, limits);
  return r;
}

// Runs with a setup callback that fills memory before the simulation starts.
template <typename Setup>
Outcome run_with(const std::string& source, Setup setup, const aie::Limits& limits = {},
             const aie::HardwareConfig& cfg = small_config(), uint64_t seed = 1) {
  Outcome r{aie::MachineState(cfg, seed), {}};
  setup(r.state);
  const aie::Program p = assemble_ok(source, cfg);
  r.result = aie::simulate(p, r.state, cfg, limits);
  return r;
}

inline std::string trap_text(const aie::SimResult& r) {
  if (!r.trap) return "no trap";
  return std::string(aie::trap_kind_name(r.trap->kind)) + ": " + r.trap->message;
}

inline void put_bytes(std::vector<uint8_t>& mem, uint32_t at, const void* data, std::size_t n) {
  std::memcpy(mem.data() + at, data, n);
}

inline void put_bf16(std::vector<uint8_t>& mem, uint32_t at, const std::vector<float>& values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    const uint16_t b = aie::float_to_bf16(values[i]);
    std::memcpy(mem.data() + at + 2 * i, &b, 2);
  }
}

inline std::vector<float> get_bf16(const std::vector<uint8_t>& mem, uint32_t at, std::size_t n) {
  std::vector<float> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    uint16_t b;
    std::memcpy(&b, mem.data() + at + 2 * i, 2);
    out[i] = aie::bf16_to_float(b);
  }
  return out;
}

template <typename T>
void put(std::vector<uint8_t>& mem, uint32_t at, const std::vector<T>& values) {
  std::memcpy(mem.data() + at, values.data(), values.size() * sizeof(T));
}

template <typename T>
std::vector<T> get(const std::vector<uint8_t>& mem, uint32_t at, std::size_t n) {
  std::vector<T> out(n);
  std::memcpy(out.data(), mem.data() + at, n * sizeof(T));
  return out;
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string source_dir() { return KC_SOURCE_DIR; }

}  // namespace aie_test
