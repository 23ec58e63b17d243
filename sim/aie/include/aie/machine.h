// Architectural state of the modelled tile: registers, the three memories, locks and BDs.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "aie/config.h"
#include "aie/isa.h"

namespace aie {

// Which memory an address refers to. Addresses are byte offsets into that memory.
enum class MemoryKind : uint8_t { Dm, MemTile, Ddr };
const char* memory_name(MemoryKind memory);  // "dm", "mem", "ddr" (the assembler's spelling)
bool parse_memory_name(const std::string& name, MemoryKind& out);

// True when [address, address + count) lies inside a memory of `capacity` bytes, computed
// without overflow because addresses come from untrusted kernels.
inline bool range_within(uint64_t address, uint64_t count, uint64_t capacity) {
  return address <= capacity && count <= capacity - address;
}

enum class AccType : uint8_t { Acc32, Acc64, Fp32 };
const char* acc_type_name(AccType type);  // "acc32", "acc64", "fp32"
std::size_t acc_lanes(AccType type);      // 32, 16, 32

// A 1024-bit accumulator: 32 x int32 (acc32), 16 x int64 (acc64) or 32 x fp32.
struct Accumulator {
  AccType type = AccType::Acc32;
  std::array<int64_t, kAccLanes> ints{};
  std::array<float, kAccLanes> floats{};
};

// A DMA buffer descriptor. Sizes and strides count 32-bit words: word (i0, i1, i2) of the
// transfer is read at src_addr + 4 * (i0*src_stride[0] + i1*src_stride[1] + i2*src_stride[2])
// and written at the same expression over dst_addr / dst_stride; i0 runs fastest.
struct BufferDescriptor {
  bool valid = false;  // set by a .bd directive
  MemoryKind src_mem = MemoryKind::Ddr;
  MemoryKind dst_mem = MemoryKind::MemTile;
  uint32_t src_addr = 0;
  uint32_t dst_addr = 0;
  std::array<uint32_t, 3> size{1, 1, 1};
  std::array<int32_t, 3> src_stride{1, 0, 0};
  std::array<int32_t, 3> dst_stride{1, 0, 0};
  int32_t acq_lock = -1;  // global lock index (tile locks first, then memory-tile locks)
  uint32_t acq_value = 0;
  int32_t rel_lock = -1;
  uint32_t rel_value = 0;
  int32_t next = -1;      // BD run after this one on the same channel; -1 = none

  uint64_t words() const { return uint64_t{size[0]} * size[1] * size[2]; }
};

struct MachineState {
  // Memories start filled with the seed's poison pattern (poison.h).
  MachineState(const HardwareConfig& config, uint64_t poison_seed);

  std::array<uint32_t, kScalarRegs> r{};
  std::array<uint32_t, kPointerRegs> p{};
  std::array<uint32_t, kModifierRegs> m{};
  std::array<std::array<uint8_t, kHalfBytes>, kVectorHalves> w{};  // half 2n = wlN, 2n+1 = whN
  std::array<Accumulator, kAccRegs> acc{};
  // Reading a register nothing has written traps (uninitialized_register).
  std::array<bool, kScalarRegs> r_init{};
  std::array<bool, kPointerRegs> p_init{};
  std::array<bool, kModifierRegs> m_init{};
  std::array<bool, kVectorHalves> w_init{};
  std::array<bool, kAccRegs> acc_init{};

  std::vector<uint8_t> dm;
  std::vector<uint8_t> memtile;
  std::vector<uint8_t> ddr;

  std::vector<uint32_t> locks;  // tile locks [0, tile_locks), then memory-tile locks
  std::vector<BufferDescriptor> bds;

  std::vector<uint8_t>& memory(MemoryKind kind);
  const std::vector<uint8_t>& memory(MemoryKind kind) const;

  // Convenience setters for harnesses and tests (they mark the register initialised).
  void set_r(unsigned index, uint32_t value);
  void set_p(unsigned index, uint32_t value);
  void set_m(unsigned index, uint32_t value);
};

}  // namespace aie
