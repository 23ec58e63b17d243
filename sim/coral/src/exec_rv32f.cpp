// RV32F: single-precision loads/stores, arithmetic, fused multiply-add, conversions, moves,
// compares and classify. fflags accumulate; results that are NaN are the canonical NaN.
#include "fp.h"
#include "hart.h"

namespace coral {
namespace {

#define DEFINE(name) bool exec_##name(Hart& h, const Decoded& d)

uint32_t fa(const Hart& h, const Decoded& d) { return h.f[d.rs1]; }
uint32_t fb(const Hart& h, const Decoded& d) { return h.f[d.rs2]; }
uint32_t fc(const Hart& h, const Decoded& d) { return h.f[d.rs3]; }

// Resolves the rounding mode (static or frm) or traps on a reserved one.
bool with_rm(Hart& h, const Decoded& d, int& rm) {
  rm = h.rounding_mode(d.funct3);
  if (rm >= 0) return true;
  return h.illegal(d, d.funct3 == 7 ? "frm holds the reserved rounding mode " + std::to_string(h.frm)
                                    : "rounding mode " + std::to_string(d.funct3) + " is reserved");
}

template <typename Op>
bool fp_result(Hart& h, const Decoded& d, Op op) {
  int rm;
  if (!with_rm(h, d, rm)) return false;
  uint32_t flags = 0;
  h.f[d.rd] = op(rm, flags);
  h.fflags |= flags;
  return true;
}

DEFINE(flw) {
  uint32_t value = 0;
  if (!h.load(h.x[d.rs1] + static_cast<uint32_t>(d.imm), value)) return false;
  h.f[d.rd] = value;
  return true;
}
DEFINE(fsw) { return h.store(h.x[d.rs1] + static_cast<uint32_t>(d.imm), fb(h, d)); }

DEFINE(fadd_s) { return fp_result(h, d, [&](int rm, uint32_t& fl) { return fp::add(fa(h, d), fb(h, d), rm, fl); }); }
DEFINE(fsub_s) { return fp_result(h, d, [&](int rm, uint32_t& fl) { return fp::sub(fa(h, d), fb(h, d), rm, fl); }); }
DEFINE(fmul_s) { return fp_result(h, d, [&](int rm, uint32_t& fl) { return fp::mul(fa(h, d), fb(h, d), rm, fl); }); }
DEFINE(fdiv_s) { return fp_result(h, d, [&](int rm, uint32_t& fl) { return fp::div(fa(h, d), fb(h, d), rm, fl); }); }
DEFINE(fsqrt_s) { return fp_result(h, d, [&](int rm, uint32_t& fl) { return fp::sqrt(fa(h, d), rm, fl); }); }

DEFINE(fmadd_s) { return fp_result(h, d, [&](int rm, uint32_t& fl) { return fp::fma(fa(h, d), fb(h, d), fc(h, d), false, false, rm, fl); }); }
DEFINE(fmsub_s) { return fp_result(h, d, [&](int rm, uint32_t& fl) { return fp::fma(fa(h, d), fb(h, d), fc(h, d), false, true, rm, fl); }); }
DEFINE(fnmsub_s) { return fp_result(h, d, [&](int rm, uint32_t& fl) { return fp::fma(fa(h, d), fb(h, d), fc(h, d), true, false, rm, fl); }); }
DEFINE(fnmadd_s) { return fp_result(h, d, [&](int rm, uint32_t& fl) { return fp::fma(fa(h, d), fb(h, d), fc(h, d), true, true, rm, fl); }); }

constexpr uint32_t kSign = 0x80000000u;
DEFINE(fsgnj_s) { h.f[d.rd] = (fa(h, d) & ~kSign) | (fb(h, d) & kSign); return true; }
DEFINE(fsgnjn_s) { h.f[d.rd] = (fa(h, d) & ~kSign) | (~fb(h, d) & kSign); return true; }
DEFINE(fsgnjx_s) { h.f[d.rd] = fa(h, d) ^ (fb(h, d) & kSign); return true; }

DEFINE(fmin_s) { h.f[d.rd] = fp::min(fa(h, d), fb(h, d), h.fflags); return true; }
DEFINE(fmax_s) { h.f[d.rd] = fp::max(fa(h, d), fb(h, d), h.fflags); return true; }

template <typename Convert>
bool to_x(Hart& h, const Decoded& d, Convert convert) {
  int rm;
  if (!with_rm(h, d, rm)) return false;
  h.set_x(d.rd, convert(fa(h, d), rm, h.fflags));
  return true;
}
DEFINE(fcvt_w_s) { return to_x(h, d, fp::to_int32); }
DEFINE(fcvt_wu_s) { return to_x(h, d, fp::to_uint32); }
DEFINE(fcvt_s_w) {
  return fp_result(h, d, [&](int rm, uint32_t& fl) { return fp::from_int32(static_cast<int32_t>(h.x[d.rs1]), rm, fl); });
}
DEFINE(fcvt_s_wu) {
  return fp_result(h, d, [&](int rm, uint32_t& fl) { return fp::from_uint32(h.x[d.rs1], rm, fl); });
}

DEFINE(fmv_x_w) { h.set_x(d.rd, fa(h, d)); return true; }
DEFINE(fmv_w_x) { h.f[d.rd] = h.x[d.rs1]; return true; }
DEFINE(feq_s) { h.set_x(d.rd, fp::eq(fa(h, d), fb(h, d), h.fflags)); return true; }
DEFINE(flt_s) { h.set_x(d.rd, fp::lt(fa(h, d), fb(h, d), h.fflags)); return true; }
DEFINE(fle_s) { h.set_x(d.rd, fp::le(fa(h, d), fb(h, d), h.fflags)); return true; }
DEFINE(fclass_s) { h.set_x(d.rd, fp::classify(fa(h, d))); return true; }

#undef DEFINE

using C = InstructionClass;
using T = Timing;
constexpr uint32_t kOpFp = 0x53;
constexpr uint32_t kMaskFunct7 = 0xFE00007F;          // rm free
constexpr uint32_t kMaskFunct7Rs2 = 0xFFF0007F;       // unary, rm free
constexpr uint32_t kMaskFunct7F3 = 0xFE00707F;        // fixed funct3
constexpr uint32_t kMaskFunct7Rs2F3 = 0xFFF0707F;     // unary, fixed funct3
constexpr uint8_t kFFF = kRdF | kRs1F | kRs2F;

InstrDef fp_row(const char* name, uint32_t funct7, uint32_t rs2, int funct3, ExecFn fn, T timing,
                uint8_t operands, C cls = C::Float) {
  const bool unary = !(operands & kRs2F);
  uint32_t match = (funct7 << 25) | kOpFp;
  uint32_t mask = unary ? kMaskFunct7Rs2 : kMaskFunct7;
  if (unary) match |= rs2 << 20;
  if (funct3 >= 0) {
    match |= static_cast<uint32_t>(funct3) << 12;
    mask = unary ? kMaskFunct7Rs2F3 : kMaskFunct7F3;
  }
  return {name, match, mask, fn, cls, timing, operands, ImmFormat::None};
}

InstrDef r4_row(const char* name, uint32_t opcode, ExecFn fn) {
  return {name, opcode, 0x0600007F, fn, C::Float, T::FpArith, kFFF | kRs3F, ImmFormat::None};
}

}  // namespace

void add_rv32f_rows(std::vector<InstrDef>& rows) {
  rows.push_back({"flw", (2u << 12) | 0x07, kMaskI, exec_flw, C::Load, T::Load, kRdF | kRs1X, ImmFormat::I});
  rows.push_back({"fsw", (2u << 12) | 0x27, kMaskI, exec_fsw, C::Store, T::Store, kRs1X | kRs2F, ImmFormat::S});
  for (const InstrDef& row : {
           r4_row("fmadd.s", 0x43, exec_fmadd_s), r4_row("fmsub.s", 0x47, exec_fmsub_s),
           r4_row("fnmsub.s", 0x4B, exec_fnmsub_s), r4_row("fnmadd.s", 0x4F, exec_fnmadd_s),
           fp_row("fadd.s", 0x00, 0, -1, exec_fadd_s, T::FpArith, kFFF),
           fp_row("fsub.s", 0x04, 0, -1, exec_fsub_s, T::FpArith, kFFF),
           fp_row("fmul.s", 0x08, 0, -1, exec_fmul_s, T::FpArith, kFFF),
           fp_row("fdiv.s", 0x0C, 0, -1, exec_fdiv_s, T::FpDivSqrt, kFFF, C::FloatDivSqrt),
           fp_row("fsqrt.s", 0x2C, 0, -1, exec_fsqrt_s, T::FpDivSqrt, kRdF | kRs1F, C::FloatDivSqrt),
           fp_row("fsgnj.s", 0x10, 0, 0, exec_fsgnj_s, T::FpConvert, kFFF),
           fp_row("fsgnjn.s", 0x10, 0, 1, exec_fsgnjn_s, T::FpConvert, kFFF),
           fp_row("fsgnjx.s", 0x10, 0, 2, exec_fsgnjx_s, T::FpConvert, kFFF),
           fp_row("fmin.s", 0x14, 0, 0, exec_fmin_s, T::FpConvert, kFFF),
           fp_row("fmax.s", 0x14, 0, 1, exec_fmax_s, T::FpConvert, kFFF),
           fp_row("fcvt.w.s", 0x60, 0, -1, exec_fcvt_w_s, T::FpConvert, kRdX | kRs1F),
           fp_row("fcvt.wu.s", 0x60, 1, -1, exec_fcvt_wu_s, T::FpConvert, kRdX | kRs1F),
           fp_row("fmv.x.w", 0x70, 0, 0, exec_fmv_x_w, T::FpConvert, kRdX | kRs1F),
           fp_row("fclass.s", 0x70, 0, 1, exec_fclass_s, T::FpConvert, kRdX | kRs1F),
           fp_row("feq.s", 0x50, 0, 2, exec_feq_s, T::FpConvert, kRdX | kRs1F | kRs2F),
           fp_row("flt.s", 0x50, 0, 1, exec_flt_s, T::FpConvert, kRdX | kRs1F | kRs2F),
           fp_row("fle.s", 0x50, 0, 0, exec_fle_s, T::FpConvert, kRdX | kRs1F | kRs2F),
           fp_row("fcvt.s.w", 0x68, 0, -1, exec_fcvt_s_w, T::FpConvert, kRdF | kRs1X),
           fp_row("fcvt.s.wu", 0x68, 1, -1, exec_fcvt_s_wu, T::FpConvert, kRdF | kRs1X),
           fp_row("fmv.w.x", 0x78, 0, 0, exec_fmv_w_x, T::FpConvert, kRdF | kRs1X)})
    rows.push_back(row);
}

}  // namespace coral
