#include "plena/machine_state.h"

#include <cctype>
#include <cstddef>
#include <string>

namespace plena {
namespace {

// Short, stable names: they appear in trap JSON, CLI flags and memory dumps.
constexpr const char* kMemoryNames[kMemoryCount] = {"hbm", "msram", "vsram", "fpsram", "intsram"};

std::string lower(const std::string& text) {
  std::string out = text;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

MachineState::MachineState(const HardwareConfig& config)
    : matrix_sram(config.matrix_sram_elems, 0.0f),
      vector_sram(config.vector_sram_elems, 0.0f),
      fp_sram(config.fp_sram_elems, 0.0f),
      int_sram(config.int_sram_elems, 0),
      hbm(config.hbm_bytes) {}  // zero without touching a page (see hbm_bytes.h)

uint64_t memory_capacity(const MachineState& state, Memory memory) {
  switch (memory) {
    case Memory::Hbm: return state.hbm.size();
    case Memory::MatrixSram: return state.matrix_sram.size();
    case Memory::VectorSram: return state.vector_sram.size();
    case Memory::FpSram: return state.fp_sram.size();
    case Memory::IntSram: return state.int_sram.size();
  }
  return 0;
}

const char* memory_name(Memory memory) {
  const auto index = static_cast<std::size_t>(memory);
  return index < kMemoryCount ? kMemoryNames[index] : "unknown";
}

bool parse_memory_name(const std::string& name, Memory& out) {
  const std::string key = lower(name);
  for (std::size_t i = 0; i < kMemoryCount; ++i) {
    if (key == kMemoryNames[i]) {
      out = static_cast<Memory>(i);
      return true;
    }
  }
  return false;
}

}  // namespace plena
