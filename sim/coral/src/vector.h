// Private: helpers shared by the vector semantic files (exec_v*.cpp).
//
// Policies: tail-agnostic and mask-agnostic elements keep their old values (the spec allows
// it, and it is deterministic), so both policies behave like "undisturbed". Elements below
// vstart are not touched; vstart is 0 after every vector instruction.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>

#include "hart.h"

namespace coral::vec {

inline bool masked(const Decoded& d) { return ((d.word >> 25) & 1u) == 0; }
inline uint32_t funct6(uint32_t word) { return word >> 26; }
inline int32_t simm5(const Decoded& d) { return static_cast<int32_t>(static_cast<uint32_t>(d.rs1) << 27) >> 27; }

// Registers [reg, reg + regs) as a bitmask (regs <= 8, reg + regs <= 32 checked by callers).
inline uint32_t group(uint32_t reg, uint32_t regs) {
  const uint64_t bits = ((uint64_t{1} << regs) - 1) << reg;
  return static_cast<uint32_t>(bits);
}

// Register-group size for an effective LMUL given as log2 (fractional groups use 1 register).
inline uint32_t regs_for(int emul_log2) { return emul_log2 > 0 ? 1u << emul_log2 : 1u; }

// The decoded form of a vtype value (vill when SEW, LMUL or reserved bits are not supported).
VType decode_vtype(uint32_t bits);

// ---- checks: each returns false after recording an illegal_instruction trap ----
// The common case is inline; the *_fault functions build the message.
bool vill_fault(Hart& h, const Decoded& d);
bool group_fault(Hart& h, const Decoded& d, uint32_t reg, uint32_t regs, const char* role);
bool v0_fault(Hart& h, const Decoded& d);
bool sew_fault(Hart& h, const Decoded& d);

inline bool require_vtype(Hart& h, const Decoded& d) { return !h.vtype.vill || vill_fault(h, d); }
// Register groups (regs = 1, 2, 4 or 8) start at a multiple of their size.
inline bool require_aligned(Hart& h, const Decoded& d, uint32_t reg, uint32_t regs, const char* role) {
  return ((reg & (regs - 1)) == 0 && reg + regs <= 32) || group_fault(h, d, reg, regs, role);
}
// A masked instruction whose destination is not a mask may not write v0.
inline bool require_not_v0(Hart& h, const Decoded& d, uint32_t vd) {
  return !masked(d) || vd != 0 || v0_fault(h, d);
}
inline bool require_sew32_float(Hart& h, const Decoded& d) { return h.vtype.sew == 32 || sew_fault(h, d); }
// dst group [vd, vd+dst_regs) may not overlap src group [vs, vs+src_regs).
bool require_disjoint(Hart& h, const Decoded& d, uint32_t vd, uint32_t dst_regs, uint32_t vs,
                      uint32_t src_regs, const char* why);

// Records what the cycle model needs and clears vstart.
inline void finish(Hart& h, VUnit unit, uint32_t uops, uint32_t reads, uint32_t writes) {
  VectorEffect& e = h.vfx;
  e = VectorEffect{};
  e.unit = unit;
  e.uops = uops;
  e.reads = reads;
  e.writes = writes;
  h.vstart = 0;
}

inline uint32_t mask_read(const Decoded& d) { return masked(d) ? 1u : 0u; }

// Calls body(i) for each active body element in [vstart, vl).
template <typename Body>
inline void for_active(Hart& h, const Decoded& d, Body body) {
  if (masked(d)) {
    for (uint32_t i = h.vstart; i < h.vl; ++i)
      if (h.mask_bit(i)) body(i);
  } else {
    for (uint32_t i = h.vstart; i < h.vl; ++i) body(i);
  }
}

// Calls fn.template operator()<T>() with T the unsigned element type of the current SEW.
template <typename Fn>
inline void with_sew(uint32_t sew, Fn&& fn) {
  switch (sew) {
    case 8: fn(uint8_t{}); break;
    case 16: fn(uint16_t{}); break;
    default: fn(uint32_t{}); break;
  }
}

template <typename T>
using Signed = std::make_signed_t<T>;
template <typename T>
using Wide = std::conditional_t<sizeof(T) == 1, uint16_t, std::conditional_t<sizeof(T) == 2, uint32_t, uint64_t>>;

// Mask register bit write.
inline void set_mask_bit(Hart& h, uint32_t reg, uint32_t i, bool value) {
  uint8_t& byte = h.v[reg * kVlenBytes + i / 8];
  const uint8_t bit = static_cast<uint8_t>(1u << (i % 8));
  byte = value ? static_cast<uint8_t>(byte | bit) : static_cast<uint8_t>(byte & ~bit);
}
inline bool get_mask_bit(const Hart& h, uint32_t reg, uint32_t i) {
  return (h.v[reg * kVlenBytes + i / 8] >> (i % 8)) & 1u;
}

// Rounding mode from frm for vector float instructions, or -1 (trap recorded).
int vector_rounding(Hart& h, const Decoded& d);

// Row constructors: OP-V with funct6/funct3 (and optionally the vs1 or vs2 field fixed).
constexpr uint32_t kOpV = 0x57;
enum Funct3 : uint32_t { kIVV = 0, kFVV = 1, kMVV = 2, kIVI = 3, kIVX = 4, kFVF = 5, kMVX = 6 };
InstrDef opv_row(const char* name, uint32_t f6, uint32_t f3, ExecFn fn, InstructionClass cls,
                 uint8_t scalar_operands = 0);
// With the vs1 field (bits 19:15) fixed to `vs1`.
InstrDef opv_row_vs1(const char* name, uint32_t f6, uint32_t f3, uint32_t vs1, ExecFn fn,
                     InstructionClass cls, uint8_t scalar_operands = 0);
// With the vs2 field (bits 24:20) fixed to `vs2`, and optionally vm fixed to 1.
InstrDef opv_row_vs2(const char* name, uint32_t f6, uint32_t f3, uint32_t vs2, bool vm_one,
                     ExecFn fn, InstructionClass cls, uint8_t scalar_operands = 0);
// Operand bits implied by the funct3 form (x[rs1] for .vx, f[rs1] for .vf).
uint8_t form_operands(uint32_t f3);

// A copy of a source register group, for instructions whose destination may overlap it
// (widening, narrowing, extension, slides, gathers) so results never feed back into sources.
class Snapshot {
 public:
  Snapshot(const Hart& h, uint32_t reg, uint32_t regs) {
    std::memcpy(bytes_, h.v + reg * kVlenBytes, regs * kVlenBytes);
  }
  template <typename T>
  T get(uint32_t i) const {
    T value;
    std::memcpy(&value, bytes_ + i * sizeof(T), sizeof(T));
    return value;
  }

 private:
  uint8_t bytes_[8 * kVlenBytes];
};

// Sign- or zero-extends a narrow unsigned element to the wide unsigned type.
template <typename W, typename T>
inline W extend(T value, bool is_signed) {
  return is_signed ? static_cast<W>(static_cast<std::make_signed_t<W>>(static_cast<Signed<T>>(value)))
                   : static_cast<W>(value);
}

}  // namespace coral::vec
