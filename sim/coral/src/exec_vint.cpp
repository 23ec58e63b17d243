// Vector integer arithmetic: single-width (.vv/.vx/.vi), multiply-add, widening, narrowing
// shifts, integer extension, merge/move, vid, and compares that write masks.
#include <limits>

#include "vector.h"

namespace coral {
namespace {

using namespace vec;
using C = InstructionClass;

// Where the second operand of a .vv/.vx/.vi form comes from.
enum class Src { V, X, I, U };  // vs1, x[rs1], sign-extended simm5, zero-extended uimm5

template <typename T, Src S>
T operand(const Hart& h, const Decoded& d, uint32_t i) {
  if constexpr (S == Src::V) return h.velem<T>(d.rs1, i);
  else if constexpr (S == Src::X) return static_cast<T>(h.x[d.rs1]);
  else if constexpr (S == Src::I) return static_cast<T>(simm5(d));
  else return static_cast<T>(d.rs1);
}

template <typename T>
constexpr uint32_t bits() { return sizeof(T) * 8; }

// ---- single-width operations: apply(vs2 element, operand) ----
#define BINARY(Name, Unit, expr)                      \
  struct Name {                                       \
    static constexpr VUnit unit = VUnit::Unit;        \
    template <typename T>                             \
    static T apply(T a, T b) {                        \
      using S = Signed<T>;                            \
      (void)sizeof(S);                                \
      return static_cast<T>(expr);                    \
    }                                                 \
  };
BINARY(Add, Valu, a + b)
BINARY(Sub, Valu, a - b)
BINARY(Rsub, Valu, b - a)
BINARY(And, Valu, a & b)
BINARY(Or, Valu, a | b)
BINARY(Xor, Valu, a ^ b)
BINARY(Sll, Valu, static_cast<uint32_t>(a) << (b & (bits<T>() - 1)))
BINARY(Srl, Valu, a >> (b & (bits<T>() - 1)))
BINARY(Sra, Valu, static_cast<S>(a) >> (b & (bits<T>() - 1)))
BINARY(Minu, Valu, a < b ? a : b)
BINARY(Maxu, Valu, a > b ? a : b)
BINARY(Min, Valu, static_cast<S>(a) < static_cast<S>(b) ? a : b)
BINARY(Max, Valu, static_cast<S>(a) > static_cast<S>(b) ? a : b)
BINARY(Mul, Vmac, uint64_t{a} * uint64_t{b})
BINARY(Mulhu, Vmac, (uint64_t{a} * uint64_t{b}) >> bits<T>())
BINARY(Mulh, Vmac, static_cast<uint64_t>(int64_t{static_cast<S>(a)} * int64_t{static_cast<S>(b)}) >> bits<T>())
BINARY(Mulhsu, Vmac, static_cast<uint64_t>(int64_t{static_cast<S>(a)} * static_cast<int64_t>(uint64_t{b})) >> bits<T>())
BINARY(Divu, Vdiv, b == 0 ? static_cast<T>(~T{0}) : static_cast<T>(a / b))
BINARY(Remu, Vdiv, b == 0 ? a : static_cast<T>(a % b))
#undef BINARY

// Signed division: x / 0 = -1, MIN / -1 = MIN (overflow), remainders to match.
struct Div {
  static constexpr VUnit unit = VUnit::Vdiv;
  template <typename T>
  static T apply(T a, T b) {
    using S = Signed<T>;
    if (b == 0) return static_cast<T>(~T{0});
    if (static_cast<S>(a) == std::numeric_limits<S>::min() && static_cast<S>(b) == -1) return a;
    return static_cast<T>(static_cast<S>(a) / static_cast<S>(b));
  }
};
struct Rem {
  static constexpr VUnit unit = VUnit::Vdiv;
  template <typename T>
  static T apply(T a, T b) {
    using S = Signed<T>;
    if (b == 0) return a;
    if (static_cast<S>(a) == std::numeric_limits<S>::min() && static_cast<S>(b) == -1) return 0;
    return static_cast<T>(static_cast<S>(a) % static_cast<S>(b));
  }
};

// Checks shared by single-width instructions: vtype, group alignment, v0 overlap.
bool check_single(Hart& h, const Decoded& d, bool vs1_is_vector, bool vs2_used = true) {
  const uint32_t regs = h.vtype.group_regs();
  return require_vtype(h, d) && require_aligned(h, d, d.rd, regs, "vd") &&
         (!vs2_used || require_aligned(h, d, d.rs2, regs, "vs2")) &&
         (!vs1_is_vector || require_aligned(h, d, d.rs1, regs, "vs1")) && require_not_v0(h, d, d.rd);
}

template <typename Op, Src S>
bool exec_binary(Hart& h, const Decoded& d) {
  if (!check_single(h, d, S == Src::V)) return false;
  with_sew(h.vtype.sew, [&](auto zero) {
    using T = decltype(zero);
    for_active(h, d, [&](uint32_t i) {
      h.set_velem<T>(d.rd, i, Op::template apply<T>(h.velem<T>(d.rs2, i), operand<T, S>(h, d, i)));
    });
  });
  const uint32_t regs = h.vtype.group_regs();
  finish(h, Op::unit, regs, group(d.rs2, regs) | (S == Src::V ? group(d.rs1, regs) : 0) | mask_read(d),
         group(d.rd, regs));
  return true;
}

// ---- multiply-add: apply(vd, vs2, operand) ----
#define TERNARY(Name, expr)                                  \
  struct Name {                                              \
    template <typename T>                                    \
    static T apply(T acc, T a, T b) {                        \
      return static_cast<T>(expr);                           \
    }                                                        \
  };
TERNARY(Macc, uint64_t{b} * a + acc)     // vd = vs1 * vs2 + vd
TERNARY(Nmsac, acc - uint64_t{b} * a)    // vd = -(vs1 * vs2) + vd
TERNARY(Madd, uint64_t{b} * acc + a)     // vd = vs1 * vd + vs2
TERNARY(Nmsub, a - uint64_t{b} * acc)    // vd = -(vs1 * vd) + vs2
#undef TERNARY

template <typename Op, Src S>
bool exec_mac(Hart& h, const Decoded& d) {
  if (!check_single(h, d, S == Src::V)) return false;
  with_sew(h.vtype.sew, [&](auto zero) {
    using T = decltype(zero);
    for_active(h, d, [&](uint32_t i) {
      h.set_velem<T>(d.rd, i, Op::template apply<T>(h.velem<T>(d.rd, i), h.velem<T>(d.rs2, i),
                                                    operand<T, S>(h, d, i)));
    });
  });
  const uint32_t regs = h.vtype.group_regs();
  finish(h, VUnit::Vmac, regs,
         group(d.rs2, regs) | group(d.rd, regs) | (S == Src::V ? group(d.rs1, regs) : 0) | mask_read(d),
         group(d.rd, regs));
  return true;
}

// ---- widening: 2*SEW result from SEW operands (or a 2*SEW vs2 for the .w forms) ----
enum class WideOp { Add, Sub, Mul, Macc };

template <WideOp kOp, typename W>
W widen_apply(W acc, W a, W b) {
  switch (kOp) {
    case WideOp::Add: return static_cast<W>(a + b);
    case WideOp::Sub: return static_cast<W>(a - b);
    case WideOp::Mul: return static_cast<W>(uint64_t{a} * uint64_t{b});
    case WideOp::Macc: return static_cast<W>(uint64_t{acc} + uint64_t{a} * uint64_t{b});
  }
  return 0;
}

// kSignedA / kSignedB: how vs2 and the second operand extend; kWideVs2: the .w forms.
template <WideOp kOp, bool kSignedA, bool kSignedB, bool kWideVs2, Src S>
bool exec_widen(Hart& h, const Decoded& d) {
  if (!require_vtype(h, d)) return false;
  if (h.vtype.sew > 16)
    return h.illegal(d, "widening needs 2*SEW <= ELEN (32): SEW must be 8 or 16, not " + std::to_string(h.vtype.sew));
  if (h.vtype.lmul_log2 > 2) return h.illegal(d, "widening needs LMUL <= 4 (the result group would exceed 8 registers)");
  const uint32_t narrow = h.vtype.group_regs();
  const uint32_t wide = regs_for(h.vtype.lmul_log2 + 1);
  const uint32_t vs2_regs = kWideVs2 ? wide : narrow;
  if (!require_aligned(h, d, d.rd, wide, "vd") || !require_aligned(h, d, d.rs2, vs2_regs, "vs2") ||
      (S == Src::V && !require_aligned(h, d, d.rs1, narrow, "vs1")) || !require_not_v0(h, d, d.rd))
    return false;
  if (!kWideVs2 && !require_disjoint(h, d, d.rd, wide, d.rs2, narrow, "widening sources may not overlap the wider destination"))
    return false;
  if (S == Src::V && !require_disjoint(h, d, d.rd, wide, d.rs1, narrow, "widening sources may not overlap the wider destination"))
    return false;
  with_sew(h.vtype.sew, [&](auto zero) {
    using T = decltype(zero);
    if constexpr (sizeof(T) <= 2) {
      using W = Wide<T>;
      for_active(h, d, [&](uint32_t i) {
        const W a = kWideVs2 ? h.velem<W>(d.rs2, i) : extend<W>(h.velem<T>(d.rs2, i), kSignedA);
        const W b = extend<W>(operand<T, S>(h, d, i), kSignedB);
        const W acc = kOp == WideOp::Macc ? h.velem<W>(d.rd, i) : W{0};
        h.set_velem<W>(d.rd, i, widen_apply<kOp, W>(acc, a, b));
      });
    }
  });
  finish(h, kOp == WideOp::Mul || kOp == WideOp::Macc ? VUnit::Vmac : VUnit::Valu, wide,
         group(d.rs2, vs2_regs) | (S == Src::V ? group(d.rs1, narrow) : 0) |
             (kOp == WideOp::Macc ? group(d.rd, wide) : 0) | mask_read(d),
         group(d.rd, wide));
  return true;
}

// ---- narrowing shifts: SEW result from a 2*SEW vs2 ----
template <bool kArithmetic, Src S>
bool exec_narrow(Hart& h, const Decoded& d) {
  if (!require_vtype(h, d)) return false;
  if (h.vtype.sew > 16) return h.illegal(d, "narrowing needs a 2*SEW source <= ELEN (32): SEW must be 8 or 16");
  if (h.vtype.lmul_log2 > 2) return h.illegal(d, "narrowing needs LMUL <= 4");
  const uint32_t narrow = h.vtype.group_regs();
  const uint32_t wide = regs_for(h.vtype.lmul_log2 + 1);
  if (!require_aligned(h, d, d.rd, narrow, "vd") || !require_aligned(h, d, d.rs2, wide, "vs2") ||
      (S == Src::V && !require_aligned(h, d, d.rs1, narrow, "vs1")) || !require_not_v0(h, d, d.rd))
    return false;
  // Overlap is allowed only in the lowest-numbered part of the source group.
  if (d.rd != d.rs2 && !require_disjoint(h, d, d.rd, narrow, d.rs2, wide, "a narrowing destination may overlap only the lowest part of vs2"))
    return false;
  const Snapshot source(h, d.rs2, wide);
  with_sew(h.vtype.sew, [&](auto zero) {
    using T = decltype(zero);
    if constexpr (sizeof(T) <= 2) {
      using W = Wide<T>;
      for_active(h, d, [&](uint32_t i) {
        const W value = source.get<W>(i);
        const uint32_t shift = static_cast<uint32_t>(operand<T, S>(h, d, i)) & (2 * bits<T>() - 1);
        const W shifted = kArithmetic ? static_cast<W>(static_cast<Signed<W>>(value) >> shift)
                                      : static_cast<W>(value >> shift);
        h.set_velem<T>(d.rd, i, static_cast<T>(shifted));
      });
    }
  });
  finish(h, VUnit::Valu, wide, group(d.rs2, wide) | (S == Src::V ? group(d.rs1, narrow) : 0) | mask_read(d),
         group(d.rd, narrow));
  return true;
}

// ---- vzext / vsext: SEW result from SEW/factor source ----
template <uint32_t kFactor, bool kSigned>
bool exec_extend(Hart& h, const Decoded& d) {
  if (!require_vtype(h, d)) return false;
  const int factor_log2 = kFactor == 2 ? 1 : kFactor == 4 ? 2 : 3;
  if (h.vtype.sew / kFactor < 8)
    return h.illegal(d, "the source EEW SEW/" + std::to_string(kFactor) + " would be below 8 bits");
  if (h.vtype.lmul_log2 - factor_log2 < -3) return h.illegal(d, "the source EMUL would be below 1/8");
  const uint32_t regs = h.vtype.group_regs();
  const uint32_t src_regs = regs_for(h.vtype.lmul_log2 - factor_log2);
  if (!require_aligned(h, d, d.rd, regs, "vd") || !require_aligned(h, d, d.rs2, src_regs, "vs2") ||
      !require_not_v0(h, d, d.rd))
    return false;
  const Snapshot source(h, d.rs2, src_regs);
  with_sew(h.vtype.sew, [&](auto zero) {
    using T = decltype(zero);
    for_active(h, d, [&](uint32_t i) {
      T value = 0;
      if (sizeof(T) / kFactor == 1) value = extend<T>(source.get<uint8_t>(i), kSigned);
      else if (sizeof(T) / kFactor == 2) value = extend<T>(source.get<uint16_t>(i), kSigned);
      h.set_velem<T>(d.rd, i, value);
    });
  });
  finish(h, VUnit::Valu, regs, group(d.rs2, src_regs) | mask_read(d), group(d.rd, regs));
  return true;
}

// ---- vmerge (vm = 0) and vmv.v.* (vm = 1): every body element is written ----
template <Src S>
bool exec_merge(Hart& h, const Decoded& d) {
  const bool merge = masked(d);
  if (!check_single(h, d, S == Src::V, merge)) return false;
  with_sew(h.vtype.sew, [&](auto zero) {
    using T = decltype(zero);
    for (uint32_t i = h.vstart; i < h.vl; ++i) {
      const bool take_operand = !merge || h.mask_bit(i);
      h.set_velem<T>(d.rd, i, take_operand ? operand<T, S>(h, d, i) : h.velem<T>(d.rs2, i));
    }
  });
  const uint32_t regs = h.vtype.group_regs();
  finish(h, VUnit::Valu, regs,
         (merge ? group(d.rs2, regs) | 1u : 0) | (S == Src::V ? group(d.rs1, regs) : 0), group(d.rd, regs));
  return true;
}

bool exec_vid(Hart& h, const Decoded& d) {
  if (!check_single(h, d, false, false)) return false;
  with_sew(h.vtype.sew, [&](auto zero) {
    using T = decltype(zero);
    for_active(h, d, [&](uint32_t i) { h.set_velem<T>(d.rd, i, static_cast<T>(i)); });
  });
  const uint32_t regs = h.vtype.group_regs();
  finish(h, VUnit::Valu, regs, mask_read(d), group(d.rd, regs));
  return true;
}

// ---- compares: one mask bit per element ----
#define COMPARE(Name, expr)                 \
  struct Name {                             \
    template <typename T>                   \
    static bool apply(T a, T b) {           \
      using S = Signed<T>;                  \
      (void)sizeof(S);                      \
      return expr;                          \
    }                                       \
  };
COMPARE(Eq, a == b)
COMPARE(Ne, a != b)
COMPARE(Ltu, a < b)
COMPARE(Lt, static_cast<S>(a) < static_cast<S>(b))
COMPARE(Leu, a <= b)
COMPARE(Le, static_cast<S>(a) <= static_cast<S>(b))
COMPARE(Gtu, a > b)
COMPARE(Gt, static_cast<S>(a) > static_cast<S>(b))
#undef COMPARE

template <typename Cmp, Src S>
bool exec_compare(Hart& h, const Decoded& d) {
  const uint32_t regs = h.vtype.group_regs();
  if (!require_vtype(h, d) || !require_aligned(h, d, d.rs2, regs, "vs2") ||
      (S == Src::V && !require_aligned(h, d, d.rs1, regs, "vs1")))
    return false;
  uint8_t result[kVlenBytes];
  std::memcpy(result, h.v + d.rd * kVlenBytes, kVlenBytes);
  with_sew(h.vtype.sew, [&](auto zero) {
    using T = decltype(zero);
    for_active(h, d, [&](uint32_t i) {
      const bool bit = Cmp::template apply<T>(h.velem<T>(d.rs2, i), operand<T, S>(h, d, i));
      result[i / 8] = static_cast<uint8_t>(bit ? result[i / 8] | (1u << (i % 8)) : result[i / 8] & ~(1u << (i % 8)));
    });
  });
  std::memcpy(h.v + d.rd * kVlenBytes, result, kVlenBytes);
  finish(h, VUnit::Valu, regs, group(d.rs2, regs) | (S == Src::V ? group(d.rs1, regs) : 0) | mask_read(d),
         group(d.rd, 1));
  return true;
}

// Adds the .vv/.vx/.vi rows of one funct6 (forms chosen by the flags).
template <template <Src> class Exec>
void forms(std::vector<InstrDef>& rows, const char* vv, const char* vx, const char* vi, uint32_t f6,
           uint32_t f3_vv, uint32_t f3_vx, C cls, bool unsigned_imm = false) {
  if (vv) rows.push_back(opv_row(vv, f6, f3_vv, Exec<Src::V>::fn, cls));
  if (vx) rows.push_back(opv_row(vx, f6, f3_vx, Exec<Src::X>::fn, cls));
  if (vi) rows.push_back(opv_row(vi, f6, kIVI, unsigned_imm ? Exec<Src::U>::fn : Exec<Src::I>::fn, cls));
}

template <typename Op>
struct Bin {
  template <Src S>
  struct E {
    static constexpr ExecFn fn = exec_binary<Op, S>;
  };
};
template <typename Op>
struct Mac {
  template <Src S>
  struct E {
    static constexpr ExecFn fn = exec_mac<Op, S>;
  };
};
template <typename Cmp>
struct Cmp_ {
  template <Src S>
  struct E {
    static constexpr ExecFn fn = exec_compare<Cmp, S>;
  };
};
template <bool kArithmetic>
struct Narrow {
  template <Src S>
  struct E {
    static constexpr ExecFn fn = exec_narrow<kArithmetic, S>;
  };
};
template <Src S>
struct Merge {
  static constexpr ExecFn fn = exec_merge<S>;
};

template <WideOp kOp, bool kSignedA, bool kSignedB, bool kWideVs2>
void wide_rows(std::vector<InstrDef>& rows, const char* vv, const char* vx, uint32_t f6, C cls) {
  if (vv) rows.push_back(opv_row(vv, f6, kMVV, exec_widen<kOp, kSignedA, kSignedB, kWideVs2, Src::V>, cls));
  if (vx) rows.push_back(opv_row(vx, f6, kMVX, exec_widen<kOp, kSignedA, kSignedB, kWideVs2, Src::X>, cls));
}

}  // namespace

void add_vector_int_rows(std::vector<InstrDef>& rows) {
  const C I = C::VectorInt, M = C::VectorMac;
  forms<Bin<Add>::E>(rows, "vadd.vv", "vadd.vx", "vadd.vi", 0x00, kIVV, kIVX, I);
  forms<Bin<Sub>::E>(rows, "vsub.vv", "vsub.vx", nullptr, 0x02, kIVV, kIVX, I);
  forms<Bin<Rsub>::E>(rows, nullptr, "vrsub.vx", "vrsub.vi", 0x03, kIVV, kIVX, I);
  forms<Bin<Minu>::E>(rows, "vminu.vv", "vminu.vx", nullptr, 0x04, kIVV, kIVX, I);
  forms<Bin<Min>::E>(rows, "vmin.vv", "vmin.vx", nullptr, 0x05, kIVV, kIVX, I);
  forms<Bin<Maxu>::E>(rows, "vmaxu.vv", "vmaxu.vx", nullptr, 0x06, kIVV, kIVX, I);
  forms<Bin<Max>::E>(rows, "vmax.vv", "vmax.vx", nullptr, 0x07, kIVV, kIVX, I);
  forms<Bin<And>::E>(rows, "vand.vv", "vand.vx", "vand.vi", 0x09, kIVV, kIVX, I);
  forms<Bin<Or>::E>(rows, "vor.vv", "vor.vx", "vor.vi", 0x0A, kIVV, kIVX, I);
  forms<Bin<Xor>::E>(rows, "vxor.vv", "vxor.vx", "vxor.vi", 0x0B, kIVV, kIVX, I);
  forms<Bin<Sll>::E>(rows, "vsll.vv", "vsll.vx", "vsll.vi", 0x25, kIVV, kIVX, I, true);
  forms<Bin<Srl>::E>(rows, "vsrl.vv", "vsrl.vx", "vsrl.vi", 0x28, kIVV, kIVX, I, true);
  forms<Bin<Sra>::E>(rows, "vsra.vv", "vsra.vx", "vsra.vi", 0x29, kIVV, kIVX, I, true);
  forms<Narrow<false>::E>(rows, "vnsrl.wv", "vnsrl.wx", "vnsrl.wi", 0x2C, kIVV, kIVX, I, true);
  forms<Narrow<true>::E>(rows, "vnsra.wv", "vnsra.wx", "vnsra.wi", 0x2D, kIVV, kIVX, I, true);

  forms<Cmp_<Eq>::E>(rows, "vmseq.vv", "vmseq.vx", "vmseq.vi", 0x18, kIVV, kIVX, I);
  forms<Cmp_<Ne>::E>(rows, "vmsne.vv", "vmsne.vx", "vmsne.vi", 0x19, kIVV, kIVX, I);
  forms<Cmp_<Ltu>::E>(rows, "vmsltu.vv", "vmsltu.vx", nullptr, 0x1A, kIVV, kIVX, I);
  forms<Cmp_<Lt>::E>(rows, "vmslt.vv", "vmslt.vx", nullptr, 0x1B, kIVV, kIVX, I);
  forms<Cmp_<Leu>::E>(rows, "vmsleu.vv", "vmsleu.vx", "vmsleu.vi", 0x1C, kIVV, kIVX, I);
  forms<Cmp_<Le>::E>(rows, "vmsle.vv", "vmsle.vx", "vmsle.vi", 0x1D, kIVV, kIVX, I);
  forms<Cmp_<Gtu>::E>(rows, nullptr, "vmsgtu.vx", "vmsgtu.vi", 0x1E, kIVV, kIVX, I);
  forms<Cmp_<Gt>::E>(rows, nullptr, "vmsgt.vx", "vmsgt.vi", 0x1F, kIVV, kIVX, I);

  // vmv.v.* (vm = 1, vs2 = 0) before vmerge.v*m (vm = 0).
  rows.push_back(opv_row_vs2("vmv.v.v", 0x17, kIVV, 0, true, Merge<Src::V>::fn, I));
  rows.push_back(opv_row_vs2("vmv.v.x", 0x17, kIVX, 0, true, Merge<Src::X>::fn, I));
  rows.push_back(opv_row_vs2("vmv.v.i", 0x17, kIVI, 0, true, Merge<Src::I>::fn, I));
  auto merge_row = [&](const char* name, uint32_t f3, ExecFn fn) {
    InstrDef row = opv_row(name, 0x17, f3, fn, I);
    row.mask |= 1u << 25;  // vm = 0
    return row;
  };
  rows.push_back(merge_row("vmerge.vvm", kIVV, Merge<Src::V>::fn));
  rows.push_back(merge_row("vmerge.vxm", kIVX, Merge<Src::X>::fn));
  rows.push_back(merge_row("vmerge.vim", kIVI, Merge<Src::I>::fn));

  forms<Bin<Divu>::E>(rows, "vdivu.vv", "vdivu.vx", nullptr, 0x20, kMVV, kMVX, I);
  forms<Bin<Div>::E>(rows, "vdiv.vv", "vdiv.vx", nullptr, 0x21, kMVV, kMVX, I);
  forms<Bin<Remu>::E>(rows, "vremu.vv", "vremu.vx", nullptr, 0x22, kMVV, kMVX, I);
  forms<Bin<Rem>::E>(rows, "vrem.vv", "vrem.vx", nullptr, 0x23, kMVV, kMVX, I);
  forms<Bin<Mulhu>::E>(rows, "vmulhu.vv", "vmulhu.vx", nullptr, 0x24, kMVV, kMVX, M);
  forms<Bin<Mul>::E>(rows, "vmul.vv", "vmul.vx", nullptr, 0x25, kMVV, kMVX, M);
  forms<Bin<Mulhsu>::E>(rows, "vmulhsu.vv", "vmulhsu.vx", nullptr, 0x26, kMVV, kMVX, M);
  forms<Bin<Mulh>::E>(rows, "vmulh.vv", "vmulh.vx", nullptr, 0x27, kMVV, kMVX, M);
  forms<Mac<Madd>::E>(rows, "vmadd.vv", "vmadd.vx", nullptr, 0x29, kMVV, kMVX, M);
  forms<Mac<Nmsub>::E>(rows, "vnmsub.vv", "vnmsub.vx", nullptr, 0x2B, kMVV, kMVX, M);
  forms<Mac<Macc>::E>(rows, "vmacc.vv", "vmacc.vx", nullptr, 0x2D, kMVV, kMVX, M);
  forms<Mac<Nmsac>::E>(rows, "vnmsac.vv", "vnmsac.vx", nullptr, 0x2F, kMVV, kMVX, M);

  wide_rows<WideOp::Add, false, false, false>(rows, "vwaddu.vv", "vwaddu.vx", 0x30, I);
  wide_rows<WideOp::Add, true, true, false>(rows, "vwadd.vv", "vwadd.vx", 0x31, I);
  wide_rows<WideOp::Sub, false, false, false>(rows, "vwsubu.vv", "vwsubu.vx", 0x32, I);
  wide_rows<WideOp::Sub, true, true, false>(rows, "vwsub.vv", "vwsub.vx", 0x33, I);
  wide_rows<WideOp::Add, false, false, true>(rows, "vwaddu.wv", "vwaddu.wx", 0x34, I);
  wide_rows<WideOp::Add, true, true, true>(rows, "vwadd.wv", "vwadd.wx", 0x35, I);
  wide_rows<WideOp::Sub, false, false, true>(rows, "vwsubu.wv", "vwsubu.wx", 0x36, I);
  wide_rows<WideOp::Sub, true, true, true>(rows, "vwsub.wv", "vwsub.wx", 0x37, I);
  wide_rows<WideOp::Mul, false, false, false>(rows, "vwmulu.vv", "vwmulu.vx", 0x38, M);
  wide_rows<WideOp::Mul, true, false, false>(rows, "vwmulsu.vv", "vwmulsu.vx", 0x3A, M);
  wide_rows<WideOp::Mul, true, true, false>(rows, "vwmul.vv", "vwmul.vx", 0x3B, M);
  wide_rows<WideOp::Macc, false, false, false>(rows, "vwmaccu.vv", "vwmaccu.vx", 0x3C, M);
  wide_rows<WideOp::Macc, true, true, false>(rows, "vwmacc.vv", "vwmacc.vx", 0x3D, M);
  wide_rows<WideOp::Macc, true, false, false>(rows, nullptr, "vwmaccus.vx", 0x3E, M);
  wide_rows<WideOp::Macc, false, true, false>(rows, "vwmaccsu.vv", "vwmaccsu.vx", 0x3F, M);

  rows.push_back(opv_row_vs1("vzext.vf4", 0x12, kMVV, 0x04, exec_extend<4, false>, I));
  rows.push_back(opv_row_vs1("vsext.vf4", 0x12, kMVV, 0x05, exec_extend<4, true>, I));
  rows.push_back(opv_row_vs1("vzext.vf2", 0x12, kMVV, 0x06, exec_extend<2, false>, I));
  rows.push_back(opv_row_vs1("vsext.vf2", 0x12, kMVV, 0x07, exec_extend<2, true>, I));
  InstrDef vid = opv_row_vs1("vid.v", 0x14, kMVV, 0x11, exec_vid, I);
  vid.mask |= 0x1F << 20;  // vs2 = 0
  rows.push_back(vid);
}

}  // namespace coral
