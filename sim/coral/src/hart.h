// Private: the architectural state one run works on, plus the helpers every semantic function
// uses (register writes, checked memory access, traps).
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "coral/config.h"
#include "coral/trap.h"
#include "decoded.h"
#include "memory.h"

namespace coral {

class TimingModel;

// Vector engine execution units.
enum class VUnit : uint8_t { Valu, Vmac, Vdiv, Vfalu, Vfdiv, Vperm, Vlsu };
constexpr int kVUnitCount = 7;

// What a vector instruction did, filled by its semantic function for the cycle model.
struct VectorEffect {
  VUnit unit = VUnit::Valu;
  uint32_t uops = 1;          // micro-ops (register-group size), at least 1
  uint32_t reads = 0;         // bitmask of vector registers read
  uint32_t writes = 0;        // bitmask of vector registers written
  uint32_t mem_bytes = 0;     // memory instructions: bytes moved
  uint32_t mem_elements = 0;  // strided/indexed: elements moved
  bool strided = false;       // element-wise memory access
  bool ext = false;           // touched EXT memory
  bool reduction = false;     // reductions: extra log2(elements) cycles
  uint32_t elements = 0;      // reductions: elements reduced
};

// vtype decoded once per vsetvl.
struct VType {
  bool vill = true;
  uint32_t sew = 8;     // bits
  int lmul_log2 = 0;    // -3..3
  bool vta = false, vma = false;
  uint32_t vlmax = 0;
  uint32_t group_regs() const { return lmul_log2 > 0 ? 1u << lmul_log2 : 1u; }
};

constexpr uint32_t kVlenBytes = 16;

class Hart {
 public:
  Hart(const CoralConfig& machine_config, Memory& memory) : config(machine_config), mem(memory) {}

  const CoralConfig& config;
  Memory& mem;
  TimingModel* timing = nullptr;

  uint32_t x[32] = {};
  uint32_t f[32] = {};  // raw binary32 bits
  alignas(16) uint8_t v[32 * kVlenBytes] = {};
  uint32_t pc = 0, next_pc = 0;
  uint32_t fflags = 0, frm = 0;
  uint32_t vl = 0, vtype_bits = 0x80000000u, vstart = 0;
  VType vtype;
  uint64_t instret = 0;

  std::optional<Trap> trap;
  bool halted = false;

  // Side outputs of the current instruction for the cycle model.
  Region last_region = Region::None;
  uint32_t last_bytes = 0;
  VectorEffect vfx;

  void set_x(uint8_t r, uint32_t value) {
    x[r] = value;
    x[0] = 0;  // cheaper than a branch; x0 stays zero
  }

  // ---- traps: each returns false so callers can `return fail(...)` ----
  bool fail(TrapKind kind, std::string message, std::optional<uint32_t> address = std::nullopt);
  bool illegal(const Decoded& d, const std::string& why);
  bool bad_access(uint32_t addr, uint32_t len, bool store, const char* what);

  // Checked data access: natural alignment, mapped region, EXT write ranges, ITCM read-only.
  template <typename T>
  bool load(uint32_t addr, T& out) {
    if (addr & (sizeof(T) - 1)) return misaligned(addr, sizeof(T), false, "load");
    const Region region = mem.region_of(addr, sizeof(T));
    if (region == Region::None) return bad_access(addr, sizeof(T), false, "load");
    std::memcpy(&out, mem.host(region, addr), sizeof(T));
    last_region = region;
    last_bytes = sizeof(T);
    return true;
  }
  template <typename T>
  bool store(uint32_t addr, T value) {
    if (addr & (sizeof(T) - 1)) return misaligned(addr, sizeof(T), true, "store");
    const Region region = writable_region(addr, sizeof(T), "store");
    if (region == Region::None) return false;
    std::memcpy(mem.host(region, addr), &value, sizeof(T));
    last_region = region;
    last_bytes = sizeof(T);
    return true;
  }
  // The region a store of [addr, addr+len) may write, or None after recording the trap.
  Region writable_region(uint32_t addr, uint32_t len, const char* what) {
    const Region region = mem.region_of(addr, len);
    if (region == Region::Dtcm) return region;
    if (region == Region::Ext && mem.ext_writable(addr, len)) return region;
    bad_access(addr, len, true, what);
    return Region::None;
  }
  bool misaligned(uint32_t addr, uint32_t size, bool store, const char* what);

  // Vector register file views.
  // Element i of the register group starting at `reg` (groups are contiguous in the file).
  template <typename T>
  T velem(uint32_t reg, uint32_t i) const {
    T value;
    std::memcpy(&value, v + reg * kVlenBytes + i * sizeof(T), sizeof(T));
    return value;
  }
  template <typename T>
  void set_velem(uint32_t reg, uint32_t i, T value) {
    std::memcpy(v + reg * kVlenBytes + i * sizeof(T), &value, sizeof(T));
  }
  bool mask_bit(uint32_t i) const { return (v[i / 8] >> (i % 8)) & 1u; }

  // Current fcsr rounding mode for an instruction's rm field, or -1 if reserved.
  int rounding_mode(uint8_t rm) const {
    const uint32_t mode = rm == 7 ? frm : rm;
    return mode <= 4 ? static_cast<int>(mode) : -1;
  }
};

std::string hex32(uint32_t value);

}  // namespace coral
