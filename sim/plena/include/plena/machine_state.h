// Architectural state of one PLENA core: registers and the five memories.
#pragma once

#include <array>
#include <string>
#include <cstdint>
#include <vector>

#include "plena/hbm_bytes.h"

#include "plena/hardware_config.h"
#include "plena/isa.h"

namespace plena {

// Which memory an address refers to. Addresses count elements (HBM: bytes).
enum class Memory : uint8_t { Hbm, MatrixSram, VectorSram, FpSram, IntSram };
constexpr std::size_t kMemoryCount = 5;
const char* memory_name(Memory memory);  // "hbm", "msram", "vsram", "fpsram", "intsram"
bool parse_memory_name(const std::string& name, Memory& out);

// True when [address, address + count) lies inside a memory of `capacity` elements; written
// so that no sum can overflow, because addresses come from untrusted kernels.
inline bool range_within(uint64_t address, uint64_t count, uint64_t capacity) {
  return address <= capacity && count <= capacity - address;
}

struct MachineState;
// Number of elements a memory holds (HBM: bytes).
uint64_t memory_capacity(const MachineState& state, Memory memory);

struct MachineState {
  explicit MachineState(const HardwareConfig& config);

  std::array<uint32_t, kGpRegs> gp{};    // gp[0] is forced to 0 after every write
  std::array<float, kFpRegs> fp{};       // bf16 values; fp[0] is forced to 0.0
  std::array<uint64_t, kAddrRegs> addr{};
  std::array<bool, kAddrRegs> addr_valid{};  // a-registers must be set before use
  uint32_t scale_offset = 0;  // SCALE_REG
  uint32_t stride = 0;        // STRIDE_REG
  uint32_t vmask = 0;         // V_MASK: bit h enables head h (HLEN elements) of a vector

  // On-chip SRAMs hold bf16 values stored as float (always bf16-exact) for fast arithmetic.
  std::vector<float> matrix_sram;
  std::vector<float> vector_sram;
  std::vector<float> fp_sram;
  std::vector<int32_t> int_sram;
  HbmBytes hbm;  // raw bytes: MXFP8 elements and E8M0 scales (or bf16 pairs)
};

}  // namespace plena
