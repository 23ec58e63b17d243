// Vector floating point (Zve32f: SEW = 32 only): arithmetic, fused multiply-add, min/max,
// sign injection, conversions, classify, square root, estimates, merge/move and compares.
// NaN results are canonical; fflags accumulate across the active elements.
#include <cmath>

#include "fp.h"
#include "vector.h"

namespace coral {
namespace {

using namespace vec;
using C = InstructionClass;

enum class Src { V, F };  // vs1 or f[rs1]

template <Src S>
uint32_t operand(const Hart& h, const Decoded& d, uint32_t i) {
  if constexpr (S == Src::V) return h.velem<uint32_t>(d.rs1, i);
  else return h.f[d.rs1];
}

bool check_float(Hart& h, const Decoded& d, bool vs1_is_vector, bool vs2_used = true) {
  const uint32_t regs = h.vtype.group_regs();
  return require_vtype(h, d) && require_sew32_float(h, d) && require_aligned(h, d, d.rd, regs, "vd") &&
         (!vs2_used || require_aligned(h, d, d.rs2, regs, "vs2")) &&
         (!vs1_is_vector || require_aligned(h, d, d.rs1, regs, "vs1")) && require_not_v0(h, d, d.rd);
}

// ---- arithmetic: apply(vs2, operand, rm, flags) ----
#define FBINARY(Name, Unit, expr)                                                       \
  struct Name {                                                                         \
    static constexpr VUnit unit = VUnit::Unit;                                          \
    static uint32_t apply(uint32_t a, uint32_t b, int rm, uint32_t& flags) {            \
      (void)rm;                                                                         \
      (void)flags;                                                                      \
      return expr;                                                                      \
    }                                                                                   \
  };
FBINARY(Fadd, Vfalu, fp::add(a, b, rm, flags))
FBINARY(Fsub, Vfalu, fp::sub(a, b, rm, flags))
FBINARY(Frsub, Vfalu, fp::sub(b, a, rm, flags))
FBINARY(Fmul, Vfalu, fp::mul(a, b, rm, flags))
FBINARY(Fdiv, Vfdiv, fp::div(a, b, rm, flags))
FBINARY(Frdiv, Vfdiv, fp::div(b, a, rm, flags))
FBINARY(Fmin, Vfalu, fp::min(a, b, flags))
FBINARY(Fmax, Vfalu, fp::max(a, b, flags))
FBINARY(Fsgnj, Vfalu, (a & 0x7FFFFFFFu) | (b & 0x80000000u))
FBINARY(Fsgnjn, Vfalu, (a & 0x7FFFFFFFu) | (~b & 0x80000000u))
FBINARY(Fsgnjx, Vfalu, a ^ (b & 0x80000000u))
#undef FBINARY

// Host arithmetic for the common operations: one flag read-back per instruction instead of
// one per element (flags only accumulate, so the result is the same).
enum class Host { None, Add, Sub, Rsub, Mul, Div, Rdiv };
template <typename Op> constexpr Host host_op = Host::None;
template <> constexpr Host host_op<Fadd> = Host::Add;
template <> constexpr Host host_op<Fsub> = Host::Sub;
template <> constexpr Host host_op<Frsub> = Host::Rsub;
template <> constexpr Host host_op<Fmul> = Host::Mul;
template <> constexpr Host host_op<Fdiv> = Host::Div;
template <> constexpr Host host_op<Frdiv> = Host::Rdiv;

template <Host kOp>
float host_apply(float a, float b) {
  switch (kOp) {
    case Host::Add: return a + b;
    case Host::Sub: return a - b;
    case Host::Rsub: return b - a;
    case Host::Mul: return a * b;
    case Host::Div: return a / b;
    case Host::Rdiv: return b / a;
    case Host::None: break;
  }
  return 0.0f;
}

template <typename Op, Src S>
bool exec_fbinary(Hart& h, const Decoded& d) {
  if (!check_float(h, d, S == Src::V)) return false;
  const int rm = vector_rounding(h, d);
  if (rm < 0) return false;
  uint32_t flags = 0;
  if constexpr (host_op<Op> != Host::None) {
    if (rm != fp::kRMM) {
      fp::HostRounding scope(rm);
      for_active(h, d, [&](uint32_t i) {
        float r = host_apply<host_op<Op>>(fp::to_float(h.velem<uint32_t>(d.rs2, i)), fp::to_float(operand<S>(h, d, i)));
        fp::fence_value(r);
        h.set_velem<uint32_t>(d.rd, i, fp::canonicalize(r));
      });
      flags = fp::HostRounding::flags();
    }
  }
  if (host_op<Op> == Host::None || rm == fp::kRMM) {
    for_active(h, d, [&](uint32_t i) {
      h.set_velem<uint32_t>(d.rd, i, Op::apply(h.velem<uint32_t>(d.rs2, i), operand<S>(h, d, i), rm, flags));
    });
  }
  h.fflags |= flags;
  const uint32_t regs = h.vtype.group_regs();
  finish(h, Op::unit, regs, group(d.rs2, regs) | (S == Src::V ? group(d.rs1, regs) : 0) | mask_read(d),
         group(d.rd, regs));
  return true;
}

// ---- fused multiply-add. kProductOfVd: the product uses vd (vfmadd family) instead of vs2 ----
template <bool kProductOfVd, bool kNegateProduct, bool kNegateAddend, Src S>
bool exec_ffma(Hart& h, const Decoded& d) {
  if (!check_float(h, d, S == Src::V)) return false;
  const int rm = vector_rounding(h, d);
  if (rm < 0) return false;
  uint32_t flags = 0;
  const uint32_t product_sign = kNegateProduct ? 0x80000000u : 0;
  const uint32_t addend_sign = kNegateAddend ? 0x80000000u : 0;
  if (rm != fp::kRMM) {
    // One flag read-back per instruction (see exec_fbinary).
    fp::HostRounding scope(rm);
    uint32_t invalid = 0;
    for_active(h, d, [&](uint32_t i) {
      const uint32_t vd = h.velem<uint32_t>(d.rd, i), vs2 = h.velem<uint32_t>(d.rs2, i);
      const uint32_t a = operand<S>(h, d, i) ^ product_sign;
      const uint32_t b = kProductOfVd ? vd : vs2;
      const uint32_t c = (kProductOfVd ? vs2 : vd) ^ addend_sign;
      // 0 * inf is invalid even with a quiet-NaN addend.
      invalid |= (fp::is_inf(a) && fp::is_zero(b)) || (fp::is_zero(a) && fp::is_inf(b));
      float r = std::fma(fp::to_float(a), fp::to_float(b), fp::to_float(c));
      fp::fence_value(r);
      h.set_velem<uint32_t>(d.rd, i, fp::canonicalize(r));
    });
    flags = fp::HostRounding::flags() | (invalid ? uint32_t{fp::kNV} : 0u);
  } else {
    for_active(h, d, [&](uint32_t i) {
      const uint32_t vd = h.velem<uint32_t>(d.rd, i), vs2 = h.velem<uint32_t>(d.rs2, i);
      const uint32_t multiplicand = kProductOfVd ? vd : vs2;
      const uint32_t addend = kProductOfVd ? vs2 : vd;
      h.set_velem<uint32_t>(d.rd, i, fp::fma(operand<S>(h, d, i), multiplicand, addend, kNegateProduct,
                                             kNegateAddend, rm, flags));
    });
  }
  h.fflags |= flags;
  const uint32_t regs = h.vtype.group_regs();
  finish(h, VUnit::Vfalu, regs,
         group(d.rs2, regs) | group(d.rd, regs) | (S == Src::V ? group(d.rs1, regs) : 0) | mask_read(d),
         group(d.rd, regs));
  return true;
}

// ---- unary: apply(vs2, rm, flags) ----
enum class Unary { CvtXu, CvtX, CvtFXu, CvtFX, RtzXu, RtzX, Sqrt, Rsqrt7, Rec7, Class };
template <Unary kOp>
uint32_t unary(uint32_t a, int rm, uint32_t& flags) {
  switch (kOp) {
    case Unary::CvtXu: return fp::to_uint32(a, rm, flags);
    case Unary::CvtX: return fp::to_int32(a, rm, flags);
    case Unary::CvtFXu: return fp::from_uint32(a, rm, flags);
    case Unary::CvtFX: return fp::from_int32(static_cast<int32_t>(a), rm, flags);
    case Unary::RtzXu: return fp::to_uint32(a, fp::kRTZ, flags);
    case Unary::RtzX: return fp::to_int32(a, fp::kRTZ, flags);
    case Unary::Sqrt: return fp::sqrt(a, rm, flags);
    case Unary::Rsqrt7: return fp::rsqrt7(a, flags);
    case Unary::Rec7: return fp::rec7(a, rm, flags);
    case Unary::Class: return fp::classify(a);
  }
  return 0;
}

template <Unary kOp>
bool exec_funary(Hart& h, const Decoded& d) {
  if (!check_float(h, d, false)) return false;
  const int rm = vector_rounding(h, d);
  if (rm < 0) return false;
  uint32_t flags = 0;
  for_active(h, d, [&](uint32_t i) { h.set_velem<uint32_t>(d.rd, i, unary<kOp>(h.velem<uint32_t>(d.rs2, i), rm, flags)); });
  h.fflags |= flags;
  const uint32_t regs = h.vtype.group_regs();
  const VUnit unit = kOp == Unary::Sqrt ? VUnit::Vfdiv : VUnit::Vfalu;
  finish(h, unit, regs, group(d.rs2, regs) | mask_read(d), group(d.rd, regs));
  return true;
}

// vfmerge.vfm (vm = 0) / vfmv.v.f (vm = 1).
bool exec_fmerge(Hart& h, const Decoded& d) {
  const bool merge = masked(d);
  if (!check_float(h, d, false, merge)) return false;
  for (uint32_t i = h.vstart; i < h.vl; ++i)
    h.set_velem<uint32_t>(d.rd, i, !merge || h.mask_bit(i) ? h.f[d.rs1] : h.velem<uint32_t>(d.rs2, i));
  const uint32_t regs = h.vtype.group_regs();
  finish(h, VUnit::Valu, regs, (merge ? group(d.rs2, regs) | 1u : 0), group(d.rd, regs));
  return true;
}

// ---- compares into a mask ----
enum class Cmp { Eq, Ne, Lt, Le, Gt, Ge };
template <Cmp kOp>
bool compare(uint32_t a, uint32_t b, uint32_t& flags) {
  switch (kOp) {
    case Cmp::Eq: return fp::eq(a, b, flags);
    case Cmp::Ne: return !fp::eq(a, b, flags);
    case Cmp::Lt: return fp::lt(a, b, flags);
    case Cmp::Le: return fp::le(a, b, flags);
    case Cmp::Gt: return fp::lt(b, a, flags);
    case Cmp::Ge: return fp::le(b, a, flags);
  }
  return false;
}

template <Cmp kOp, Src S>
bool exec_fcompare(Hart& h, const Decoded& d) {
  const uint32_t regs = h.vtype.group_regs();
  if (!require_vtype(h, d) || !require_sew32_float(h, d) || !require_aligned(h, d, d.rs2, regs, "vs2") ||
      (S == Src::V && !require_aligned(h, d, d.rs1, regs, "vs1")))
    return false;
  uint8_t result[kVlenBytes];
  std::memcpy(result, h.v + d.rd * kVlenBytes, kVlenBytes);
  uint32_t flags = 0;
  for_active(h, d, [&](uint32_t i) {
    const bool bit = compare<kOp>(h.velem<uint32_t>(d.rs2, i), operand<S>(h, d, i), flags);
    result[i / 8] = static_cast<uint8_t>(bit ? result[i / 8] | (1u << (i % 8)) : result[i / 8] & ~(1u << (i % 8)));
  });
  std::memcpy(h.v + d.rd * kVlenBytes, result, kVlenBytes);
  h.fflags |= flags;
  finish(h, VUnit::Vfalu, regs, group(d.rs2, regs) | (S == Src::V ? group(d.rs1, regs) : 0) | mask_read(d),
         group(d.rd, 1));
  return true;
}

template <typename Op>
void binary_rows(std::vector<InstrDef>& rows, const char* vv, const char* vf, uint32_t f6, C cls = C::VectorFloat) {
  if (vv) rows.push_back(opv_row(vv, f6, kFVV, exec_fbinary<Op, Src::V>, cls));
  if (vf) rows.push_back(opv_row(vf, f6, kFVF, exec_fbinary<Op, Src::F>, cls));
}
template <bool kVd, bool kNegP, bool kNegA>
void fma_rows(std::vector<InstrDef>& rows, const char* vv, const char* vf, uint32_t f6) {
  rows.push_back(opv_row(vv, f6, kFVV, exec_ffma<kVd, kNegP, kNegA, Src::V>, C::VectorFloat));
  rows.push_back(opv_row(vf, f6, kFVF, exec_ffma<kVd, kNegP, kNegA, Src::F>, C::VectorFloat));
}
template <Cmp kOp>
void compare_rows(std::vector<InstrDef>& rows, const char* vv, const char* vf, uint32_t f6) {
  if (vv) rows.push_back(opv_row(vv, f6, kFVV, exec_fcompare<kOp, Src::V>, C::VectorFloat));
  if (vf) rows.push_back(opv_row(vf, f6, kFVF, exec_fcompare<kOp, Src::F>, C::VectorFloat));
}

}  // namespace

void add_vector_float_rows(std::vector<InstrDef>& rows) {
  binary_rows<Fadd>(rows, "vfadd.vv", "vfadd.vf", 0x00);
  binary_rows<Fsub>(rows, "vfsub.vv", "vfsub.vf", 0x02);
  binary_rows<Frsub>(rows, nullptr, "vfrsub.vf", 0x27);
  binary_rows<Fmul>(rows, "vfmul.vv", "vfmul.vf", 0x24);
  binary_rows<Fdiv>(rows, "vfdiv.vv", "vfdiv.vf", 0x20);
  binary_rows<Frdiv>(rows, nullptr, "vfrdiv.vf", 0x21);
  binary_rows<Fmin>(rows, "vfmin.vv", "vfmin.vf", 0x04);
  binary_rows<Fmax>(rows, "vfmax.vv", "vfmax.vf", 0x06);
  binary_rows<Fsgnj>(rows, "vfsgnj.vv", "vfsgnj.vf", 0x08);
  binary_rows<Fsgnjn>(rows, "vfsgnjn.vv", "vfsgnjn.vf", 0x09);
  binary_rows<Fsgnjx>(rows, "vfsgnjx.vv", "vfsgnjx.vf", 0x0A);

  fma_rows<true, false, false>(rows, "vfmadd.vv", "vfmadd.vf", 0x28);
  fma_rows<true, true, true>(rows, "vfnmadd.vv", "vfnmadd.vf", 0x29);
  fma_rows<true, false, true>(rows, "vfmsub.vv", "vfmsub.vf", 0x2A);
  fma_rows<true, true, false>(rows, "vfnmsub.vv", "vfnmsub.vf", 0x2B);
  fma_rows<false, false, false>(rows, "vfmacc.vv", "vfmacc.vf", 0x2C);
  fma_rows<false, true, true>(rows, "vfnmacc.vv", "vfnmacc.vf", 0x2D);
  fma_rows<false, false, true>(rows, "vfmsac.vv", "vfmsac.vf", 0x2E);
  fma_rows<false, true, false>(rows, "vfnmsac.vv", "vfnmsac.vf", 0x2F);

  const C F = C::VectorFloat;
  rows.push_back(opv_row_vs1("vfcvt.xu.f.v", 0x12, kFVV, 0x00, exec_funary<Unary::CvtXu>, F));
  rows.push_back(opv_row_vs1("vfcvt.x.f.v", 0x12, kFVV, 0x01, exec_funary<Unary::CvtX>, F));
  rows.push_back(opv_row_vs1("vfcvt.f.xu.v", 0x12, kFVV, 0x02, exec_funary<Unary::CvtFXu>, F));
  rows.push_back(opv_row_vs1("vfcvt.f.x.v", 0x12, kFVV, 0x03, exec_funary<Unary::CvtFX>, F));
  rows.push_back(opv_row_vs1("vfcvt.rtz.xu.f.v", 0x12, kFVV, 0x06, exec_funary<Unary::RtzXu>, F));
  rows.push_back(opv_row_vs1("vfcvt.rtz.x.f.v", 0x12, kFVV, 0x07, exec_funary<Unary::RtzX>, F));
  rows.push_back(opv_row_vs1("vfsqrt.v", 0x13, kFVV, 0x00, exec_funary<Unary::Sqrt>, F));
  rows.push_back(opv_row_vs1("vfrsqrt7.v", 0x13, kFVV, 0x04, exec_funary<Unary::Rsqrt7>, F));
  rows.push_back(opv_row_vs1("vfrec7.v", 0x13, kFVV, 0x05, exec_funary<Unary::Rec7>, F));
  rows.push_back(opv_row_vs1("vfclass.v", 0x13, kFVV, 0x10, exec_funary<Unary::Class>, F));

  rows.push_back(opv_row_vs2("vfmv.v.f", 0x17, kFVF, 0, true, exec_fmerge, F));
  InstrDef merge = opv_row("vfmerge.vfm", 0x17, kFVF, exec_fmerge, F);
  merge.mask |= 1u << 25;  // vm = 0
  rows.push_back(merge);

  compare_rows<Cmp::Eq>(rows, "vmfeq.vv", "vmfeq.vf", 0x18);
  compare_rows<Cmp::Le>(rows, "vmfle.vv", "vmfle.vf", 0x19);
  compare_rows<Cmp::Lt>(rows, "vmflt.vv", "vmflt.vf", 0x1B);
  compare_rows<Cmp::Ne>(rows, "vmfne.vv", "vmfne.vf", 0x1C);
  compare_rows<Cmp::Gt>(rows, nullptr, "vmfgt.vf", 0x1D);
  compare_rows<Cmp::Ge>(rows, nullptr, "vmfge.vf", 0x1F);
}

}  // namespace coral
