// Mask instructions: mask-register logicals, vcpop.m, vfirst.m, vmsbf/vmsif/vmsof, viota.
#include "vector.h"

namespace coral {
namespace {

using namespace vec;
using C = InstructionClass;

// ---- logicals over mask bits [vstart, vl); tail bits keep their values ----
enum class Logic { AndN, And, Or, Xor, OrN, Nand, Nor, Xnor };

template <Logic kOp>
bool logic(bool a, bool b) {
  switch (kOp) {
    case Logic::AndN: return a && !b;
    case Logic::And: return a && b;
    case Logic::Or: return a || b;
    case Logic::Xor: return a != b;
    case Logic::OrN: return a || !b;
    case Logic::Nand: return !(a && b);
    case Logic::Nor: return !(a || b);
    case Logic::Xnor: return a == b;
  }
  return false;
}

template <Logic kOp>
bool exec_mask_logic(Hart& h, const Decoded& d) {
  if (!require_vtype(h, d)) return false;
  uint8_t result[kVlenBytes];
  std::memcpy(result, h.v + d.rd * kVlenBytes, kVlenBytes);
  for (uint32_t i = h.vstart; i < h.vl; ++i) {
    const bool bit = logic<kOp>(get_mask_bit(h, d.rs2, i), get_mask_bit(h, d.rs1, i));
    result[i / 8] = static_cast<uint8_t>(bit ? result[i / 8] | (1u << (i % 8)) : result[i / 8] & ~(1u << (i % 8)));
  }
  std::memcpy(h.v + d.rd * kVlenBytes, result, kVlenBytes);
  finish(h, VUnit::Valu, 1, group(d.rs1, 1) | group(d.rs2, 1), group(d.rd, 1));
  return true;
}

bool active(const Hart& h, const Decoded& d, uint32_t i) { return !masked(d) || h.mask_bit(i); }

bool exec_vcpop(Hart& h, const Decoded& d) {
  if (!require_vtype(h, d)) return false;
  uint32_t count = 0;
  for (uint32_t i = h.vstart; i < h.vl; ++i) count += active(h, d, i) && get_mask_bit(h, d.rs2, i);
  h.set_x(d.rd, count);
  finish(h, VUnit::Valu, 1, group(d.rs2, 1) | mask_read(d), 0);
  return true;
}

bool exec_vfirst(Hart& h, const Decoded& d) {
  if (!require_vtype(h, d)) return false;
  uint32_t first = 0xFFFFFFFFu;
  for (uint32_t i = h.vstart; i < h.vl; ++i)
    if (active(h, d, i) && get_mask_bit(h, d.rs2, i)) {
      first = i;
      break;
    }
  h.set_x(d.rd, first);
  finish(h, VUnit::Valu, 1, group(d.rs2, 1) | mask_read(d), 0);
  return true;
}

// vmsbf (before first), vmsif (including first), vmsof (only first).
enum class SetFirst { Before, Including, Only };

template <SetFirst kOp>
bool exec_set_first(Hart& h, const Decoded& d) {
  if (!require_vtype(h, d)) return false;
  if (d.rd == d.rs2 || (masked(d) && d.rd == 0))
    return h.illegal(d, "the destination may not overlap the source mask or v0");
  bool seen = false;
  for (uint32_t i = h.vstart; i < h.vl; ++i) {
    if (!active(h, d, i)) continue;
    const bool bit = get_mask_bit(h, d.rs2, i);
    bool out = false;
    if (kOp == SetFirst::Before) out = !seen && !bit;
    if (kOp == SetFirst::Including) out = !seen;
    if (kOp == SetFirst::Only) out = !seen && bit;
    seen = seen || bit;
    set_mask_bit(h, d.rd, i, out);
  }
  finish(h, VUnit::Valu, 1, group(d.rs2, 1) | mask_read(d), group(d.rd, 1));
  return true;
}

// viota.m: vd[i] = number of set source bits among active elements before i.
bool exec_viota(Hart& h, const Decoded& d) {
  const uint32_t regs = h.vtype.group_regs();
  if (!require_vtype(h, d) || !require_aligned(h, d, d.rd, regs, "vd") || !require_not_v0(h, d, d.rd) ||
      !require_disjoint(h, d, d.rd, regs, d.rs2, 1, "viota may not overwrite its source mask"))
    return false;
  uint32_t count = 0;
  with_sew(h.vtype.sew, [&](auto zero) {
    using T = decltype(zero);
    for (uint32_t i = h.vstart; i < h.vl; ++i) {
      if (!active(h, d, i)) continue;
      h.set_velem<T>(d.rd, i, static_cast<T>(count));
      count += get_mask_bit(h, d.rs2, i);
    }
  });
  finish(h, VUnit::Valu, regs, group(d.rs2, 1) | mask_read(d), group(d.rd, regs));
  return true;
}

template <Logic kOp>
InstrDef logic_row(const char* name, uint32_t f6) {
  InstrDef row = opv_row(name, f6, kMVV, exec_mask_logic<kOp>, C::VectorMask);
  row.match |= 1u << 25;  // always unmasked
  row.mask |= 1u << 25;
  return row;
}

}  // namespace

void add_vector_mask_rows(std::vector<InstrDef>& rows) {
  rows.push_back(logic_row<Logic::AndN>("vmandn.mm", 0x18));
  rows.push_back(logic_row<Logic::And>("vmand.mm", 0x19));
  rows.push_back(logic_row<Logic::Or>("vmor.mm", 0x1A));
  rows.push_back(logic_row<Logic::Xor>("vmxor.mm", 0x1B));
  rows.push_back(logic_row<Logic::OrN>("vmorn.mm", 0x1C));
  rows.push_back(logic_row<Logic::Nand>("vmnand.mm", 0x1D));
  rows.push_back(logic_row<Logic::Nor>("vmnor.mm", 0x1E));
  rows.push_back(logic_row<Logic::Xnor>("vmxnor.mm", 0x1F));
  rows.push_back(opv_row_vs1("vcpop.m", 0x10, kMVV, 0x10, exec_vcpop, C::VectorMask, kRdX));
  rows.push_back(opv_row_vs1("vfirst.m", 0x10, kMVV, 0x11, exec_vfirst, C::VectorMask, kRdX));
  rows.push_back(opv_row_vs1("vmsbf.m", 0x14, kMVV, 0x01, exec_set_first<SetFirst::Before>, C::VectorMask));
  rows.push_back(opv_row_vs1("vmsof.m", 0x14, kMVV, 0x02, exec_set_first<SetFirst::Only>, C::VectorMask));
  rows.push_back(opv_row_vs1("vmsif.m", 0x14, kMVV, 0x03, exec_set_first<SetFirst::Including>, C::VectorMask));
  rows.push_back(opv_row_vs1("viota.m", 0x14, kMVV, 0x10, exec_viota, C::VectorMask));
}

}  // namespace coral
