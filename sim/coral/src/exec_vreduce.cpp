// Reductions: integer (vred*), widening integer (vwredsum[u]) and float (vfredosum in strict
// element order, vfredusum as a balanced tree, vfredmin/vfredmax). The result goes to element 0
// of vd; with vl = 0 nothing is written. Inactive elements do not take part.
#include <vector>

#include "fp.h"
#include "vector.h"

namespace coral {
namespace {

using namespace vec;
using C = InstructionClass;

bool check_reduction(Hart& h, const Decoded& d) {
  return require_vtype(h, d) && require_aligned(h, d, d.rs2, h.vtype.group_regs(), "vs2");
}

void finish_reduction(Hart& h, const Decoded& d) {
  const uint32_t regs = h.vtype.group_regs();
  const uint32_t elements = h.vl;
  finish(h, VUnit::Vperm, regs, group(d.rs2, regs) | group(d.rs1, 1) | mask_read(d), group(d.rd, 1));
  h.vfx.reduction = true;
  h.vfx.elements = elements;
}

enum class IntRed { Sum, And, Or, Xor, Minu, Min, Maxu, Max };

template <IntRed kOp, typename T>
T combine(T acc, T x) {
  using S = Signed<T>;
  switch (kOp) {
    case IntRed::Sum: return static_cast<T>(acc + x);
    case IntRed::And: return static_cast<T>(acc & x);
    case IntRed::Or: return static_cast<T>(acc | x);
    case IntRed::Xor: return static_cast<T>(acc ^ x);
    case IntRed::Minu: return x < acc ? x : acc;
    case IntRed::Min: return static_cast<S>(x) < static_cast<S>(acc) ? x : acc;
    case IntRed::Maxu: return x > acc ? x : acc;
    case IntRed::Max: return static_cast<S>(x) > static_cast<S>(acc) ? x : acc;
  }
  return acc;
}

template <IntRed kOp>
bool exec_int_reduction(Hart& h, const Decoded& d) {
  if (!check_reduction(h, d)) return false;
  if (h.vl > 0) {
    with_sew(h.vtype.sew, [&](auto zero) {
      using T = decltype(zero);
      T acc = h.velem<T>(d.rs1, 0);
      for_active(h, d, [&](uint32_t i) { acc = combine<kOp, T>(acc, h.velem<T>(d.rs2, i)); });
      h.set_velem<T>(d.rd, 0, acc);
    });
  }
  finish_reduction(h, d);
  return true;
}

template <bool kSigned>
bool exec_widening_sum(Hart& h, const Decoded& d) {
  if (!check_reduction(h, d)) return false;
  if (h.vtype.sew > 16) return h.illegal(d, "widening reductions need SEW 8 or 16 (2*SEW <= ELEN 32)");
  if (h.vl > 0) {
    with_sew(h.vtype.sew, [&](auto zero) {
      using T = decltype(zero);
      if constexpr (sizeof(T) <= 2) {
        using W = Wide<T>;
        W acc = h.velem<W>(d.rs1, 0);
        for_active(h, d, [&](uint32_t i) { acc = static_cast<W>(acc + extend<W>(h.velem<T>(d.rs2, i), kSigned)); });
        h.set_velem<W>(d.rd, 0, acc);
      }
    });
  }
  finish_reduction(h, d);
  return true;
}

bool float_reduction_checks(Hart& h, const Decoded& d, int& rm) {
  if (!check_reduction(h, d) || !require_sew32_float(h, d)) return false;
  rm = vector_rounding(h, d);
  return rm >= 0;
}

// Strict order: ((vs1[0] + vs2[0]) + vs2[1]) + ...
bool exec_vfredosum(Hart& h, const Decoded& d) {
  int rm;
  if (!float_reduction_checks(h, d, rm)) return false;
  if (h.vl > 0) {
    uint32_t flags = 0;
    uint32_t acc = h.velem<uint32_t>(d.rs1, 0);
    for_active(h, d, [&](uint32_t i) { acc = fp::add(acc, h.velem<uint32_t>(d.rs2, i), rm, flags); });
    h.set_velem<uint32_t>(d.rd, 0, acc);
    h.fflags |= flags;
  }
  finish_reduction(h, d);
  return true;
}

// Unordered sum, implemented in a fixed (documented) order: the active elements are added as a
// balanced binary tree (pairs of neighbours, then pairs of partial sums, ...), an odd element
// out carried up unchanged; vs1[0] is added to the tree's result last.
bool exec_vfredusum(Hart& h, const Decoded& d) {
  int rm;
  if (!float_reduction_checks(h, d, rm)) return false;
  if (h.vl > 0) {
    uint32_t flags = 0;
    uint32_t values[8 * kVlenBytes / 4];
    uint32_t count = 0;
    for_active(h, d, [&](uint32_t i) { values[count++] = h.velem<uint32_t>(d.rs2, i); });
    while (count > 1) {
      uint32_t next = 0;
      for (uint32_t i = 0; i + 1 < count; i += 2) values[next++] = fp::add(values[i], values[i + 1], rm, flags);
      if (count % 2) values[next++] = values[count - 1];
      count = next;
    }
    uint32_t acc = h.velem<uint32_t>(d.rs1, 0);
    if (count == 1) acc = fp::add(values[0], acc, rm, flags);
    h.set_velem<uint32_t>(d.rd, 0, acc);
    h.fflags |= flags;
  }
  finish_reduction(h, d);
  return true;
}

template <bool kMax>
bool exec_vfred_minmax(Hart& h, const Decoded& d) {
  int rm;
  if (!float_reduction_checks(h, d, rm)) return false;
  if (h.vl > 0) {
    uint32_t flags = 0;
    uint32_t acc = h.velem<uint32_t>(d.rs1, 0);
    for_active(h, d, [&](uint32_t i) {
      const uint32_t x = h.velem<uint32_t>(d.rs2, i);
      acc = kMax ? fp::max(acc, x, flags) : fp::min(acc, x, flags);
    });
    h.set_velem<uint32_t>(d.rd, 0, acc);
    h.fflags |= flags;
  }
  finish_reduction(h, d);
  return true;
}

}  // namespace

void add_vector_reduction_rows(std::vector<InstrDef>& rows) {
  const C R = C::VectorReduction;
  rows.push_back(opv_row("vredsum.vs", 0x00, kMVV, exec_int_reduction<IntRed::Sum>, R));
  rows.push_back(opv_row("vredand.vs", 0x01, kMVV, exec_int_reduction<IntRed::And>, R));
  rows.push_back(opv_row("vredor.vs", 0x02, kMVV, exec_int_reduction<IntRed::Or>, R));
  rows.push_back(opv_row("vredxor.vs", 0x03, kMVV, exec_int_reduction<IntRed::Xor>, R));
  rows.push_back(opv_row("vredminu.vs", 0x04, kMVV, exec_int_reduction<IntRed::Minu>, R));
  rows.push_back(opv_row("vredmin.vs", 0x05, kMVV, exec_int_reduction<IntRed::Min>, R));
  rows.push_back(opv_row("vredmaxu.vs", 0x06, kMVV, exec_int_reduction<IntRed::Maxu>, R));
  rows.push_back(opv_row("vredmax.vs", 0x07, kMVV, exec_int_reduction<IntRed::Max>, R));
  rows.push_back(opv_row("vwredsumu.vs", 0x30, kIVV, exec_widening_sum<false>, R));
  rows.push_back(opv_row("vwredsum.vs", 0x31, kIVV, exec_widening_sum<true>, R));
  rows.push_back(opv_row("vfredusum.vs", 0x01, kFVV, exec_vfredusum, R));
  rows.push_back(opv_row("vfredosum.vs", 0x03, kFVV, exec_vfredosum, R));
  rows.push_back(opv_row("vfredmin.vs", 0x05, kFVV, exec_vfred_minmax<false>, R));
  rows.push_back(opv_row("vfredmax.vs", 0x07, kFVV, exec_vfred_minmax<true>, R));
}

}  // namespace coral
