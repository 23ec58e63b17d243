// libFuzzer target: AIE assembly that assembles (mutations of the seed kernels mostly do) run
// on the aie_ml_small preset with a poison seed, bounded limits and a writable DDR window.
//
// Beyond "never crashes or hangs": the limits hold (bundles and cycles), a trap has a message,
// and two runs of one program from the same state give the same cycles, trap and memories.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "aie/assembler.h"
#include "aie/config.h"
#include "aie/machine.h"
#include "aie/simulator.h"

namespace {

constexpr uint64_t kMaxBundles = 20'000;
constexpr uint64_t kMaxCycles = 2'000'000;

const aie::HardwareConfig& small_preset() {
  static const aie::HardwareConfig config = [] {
    aie::HardwareConfig c;
    std::string error;
    if (!aie::load_hardware_config(KC_SOURCE_DIR "/isa/aie/presets/aie_ml_small.json", c, error)) {
      std::fprintf(stderr, "fuzz_aie_simulator: %s\n", error.c_str());
      std::abort();
    }
    return c;
  }();
  return config;
}

[[noreturn]] void property_failed(const std::string& what) {
  std::fprintf(stderr, "fuzz_aie_simulator: property violated: %s\n", what.c_str());
  std::abort();
}

struct Outcome {
  aie::SimResult result;
  aie::MachineState state;
};

Outcome run(const aie::Program& program) {
  const aie::HardwareConfig& config = small_preset();
  Outcome o{{}, aie::MachineState(config, /*poison_seed=*/7)};
  aie::Limits limits;
  limits.max_bundles = kMaxBundles;
  limits.max_cycles = kMaxCycles;
  limits.ddr_writable = {{4096, 65536}};
  o.result = aie::simulate(program, o.state, config, limits);
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16 * 1024) return 0;
  const aie::AssemblyResult assembled =
      aie::assemble(std::string(reinterpret_cast<const char*>(data), size), small_preset());
  if (!assembled.ok()) return 0;
  const Outcome first = run(assembled.program);
  if (first.result.bundles > kMaxBundles) property_failed("ran more bundles than max_bundles");
  if (first.result.cycles > kMaxCycles && !first.result.trap) property_failed("ran past max_cycles without a trap");
  if (first.result.trap && first.result.trap->message.empty()) property_failed("a trap without a message");
  const Outcome second = run(assembled.program);
  if (second.result.cycles != first.result.cycles || second.result.bundles != first.result.bundles ||
      second.result.trap.has_value() != first.result.trap.has_value())
    property_failed("two runs of one program differ");
  for (aie::MemoryKind kind : {aie::MemoryKind::Dm, aie::MemoryKind::MemTile, aie::MemoryKind::Ddr})
    if (first.state.memory(kind) != second.state.memory(kind)) property_failed("two runs leave different memories");
  return 0;
}
