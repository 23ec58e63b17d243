#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "harness.h"

namespace coral::test {
namespace {

using namespace enc;
constexpr uint32_t kFflags = 0x001, kFrm = 0x002, kFcsr = 0x003;
constexpr uint32_t NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16;
constexpr uint32_t kQNaN = 0x7fc00000u;
constexpr uint32_t kSNaN = 0x7f800001u;
constexpr uint32_t kNegQNaNPayload = 0xffc12345u;

TEST(CoralRv32f, ArithmeticAndFusedMultiplyAdd) {
  Harness h;
  Program p;
  p.lf(1, 1.5f).lf(2, -2.25f).lf(3, 10.0f);
  p << fadd(4, 1, 2) << fsub(5, 1, 2) << fmul(6, 1, 2) << fdiv(7, 3, 1) << fsqrt(8, 3)
    << fmadd(9, 1, 2, 3) << fmsub(10, 1, 2, 3) << fnmsub(11, 1, 2, 3) << fnmadd(12, 1, 2, 3)
    << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(h.f(4), -0.75f);
  EXPECT_EQ(h.f(5), 3.75f);
  EXPECT_EQ(h.f(6), -3.375f);
  EXPECT_EQ(h.f(7), 10.0f / 1.5f);
  EXPECT_EQ(h.f(8), std::sqrt(10.0f));
  EXPECT_EQ(h.f(9), 1.5f * -2.25f + 10.0f);
  EXPECT_EQ(h.f(10), 1.5f * -2.25f - 10.0f);
  EXPECT_EQ(h.f(11), -(1.5f * -2.25f) + 10.0f);
  EXPECT_EQ(h.f(12), -(1.5f * -2.25f) - 10.0f);
}

TEST(CoralRv32f, FusedMultiplyAddRoundsOnce) {
  Harness h;
  Program p;
  // (1 + 2^-12)^2 - 1 = 2^-11 + 2^-24: a separate multiply would round the 2^-24 away.
  p.lf_bits(1, 0x3f800800u).lf(2, -1.0f);
  p << fmadd(3, 1, 1, 2) << fmul(4, 1, 1) << fadd(4, 4, 2) << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(h.f(3), std::ldexp(1.0f, -11) + std::ldexp(1.0f, -24));
  EXPECT_EQ(h.f(4), std::ldexp(1.0f, -11));
}

TEST(CoralRv32f, NaNsAreCanonicalAndSignalingNaNsRaiseInvalid) {
  Harness h;
  Program p;
  p.lf_bits(1, kNegQNaNPayload).lf(2, 1.0f).lf_bits(3, kSNaN).lf(4, 0.0f).lf(5, INFINITY);
  p << fadd(6, 1, 2) << csrr(a0, kFflags)  // quiet NaN in: canonical NaN out, no flag
    << fmul(7, 3, 2) << csrrw(a1, kFflags, zero)  // signaling NaN: NV
    << fmul(8, 5, 4) << csrrw(a2, kFflags, zero)  // inf * 0: NV
    << fsub(9, 5, 5) << csrrw(a3, kFflags, zero)  // inf - inf: NV
    << fmadd(10, 5, 4, 1) << csrrw(a4, kFflags, zero)  // inf * 0 + qNaN: NV
    << fsgnj(11, 1, 2) << fmv_x_w(a5, 11)  // sign injection keeps the payload
    << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(h.machine.f_bits(6), kQNaN);
  EXPECT_EQ(h.x(a0), 0u);
  EXPECT_EQ(h.machine.f_bits(7), kQNaN);
  EXPECT_EQ(h.x(a1), NV);
  EXPECT_EQ(h.machine.f_bits(8), kQNaN);
  EXPECT_EQ(h.x(a2), NV);
  EXPECT_EQ(h.x(a3), NV);
  EXPECT_EQ(h.machine.f_bits(10), kQNaN);
  EXPECT_EQ(h.x(a4), NV);
  EXPECT_EQ(h.x(a5), kNegQNaNPayload & 0x7fffffffu);
}

TEST(CoralRv32f, MinMaxFollowF22) {
  Harness h;
  Program p;
  p.lf(1, 0.0f).lf(2, -0.0f).lf_bits(3, kQNaN).lf(4, 3.0f).lf_bits(5, kSNaN);
  p << fmin(6, 1, 2) << fmax(7, 2, 1) << fmin(8, 3, 4) << fmax(9, 4, 3) << fmin(10, 3, 3)
    << csrr(a0, kFflags) << fmax(11, 5, 4) << csrr(a1, kFflags) << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(h.machine.f_bits(6), 0x80000000u);  // min(+0, -0) = -0
  EXPECT_EQ(h.machine.f_bits(7), 0x00000000u);  // max(-0, +0) = +0
  EXPECT_EQ(h.f(8), 3.0f);                      // one NaN: the other operand
  EXPECT_EQ(h.f(9), 3.0f);
  EXPECT_EQ(h.machine.f_bits(10), kQNaN);       // both NaN: canonical
  EXPECT_EQ(h.x(a0), 0u);                       // quiet NaNs raise nothing
  EXPECT_EQ(h.f(11), 3.0f);
  EXPECT_EQ(h.x(a1), NV);                       // signaling NaN raises NV
}

TEST(CoralRv32f, ConversionsSaturateAndRoundInEveryMode) {
  Harness h;
  Program p;
  p.lf(1, 2.5f).lf(2, -2.5f).lf(3, 3e9f).lf_bits(4, kQNaN).lf(5, -1.0f).lf(6, -0.5f);
  // 2.5 and -2.5 in RNE, RTZ, RDN, RUP, RMM.
  // Results in x18..x27 (s2..s11), flags in a0..a5, saturation cases in t0..t4.
  for (uint32_t rm = 0; rm <= 4; ++rm) p << fcvt_w_s(18 + rm, 1, rm);
  for (uint32_t rm = 0; rm <= 4; ++rm) p << fcvt_w_s(23 + rm, 2, rm);
  p << csrrw(a0, kFflags, zero);
  p << fcvt_w_s(t0, 3, 1) << csrrw(a1, kFflags, zero)   // too large: INT_MAX, NV
    << fcvt_w_s(t1, 4, 1) << csrrw(a2, kFflags, zero)   // NaN: INT_MAX, NV
    << fcvt_wu_s(t2, 5, 1) << csrrw(a3, kFflags, zero)  // negative: 0, NV
    << fcvt_wu_s(t3, 6, 1) << csrrw(a4, kFflags, zero)  // -0.5 truncates to 0: only NX
    << fcvt_wu_s(t4, 3, 1) << csrrw(a5, kFflags, zero)  // 3e9 fits unsigned exactly
    << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  const int32_t pos[5] = {2, 2, 2, 3, 3};
  const int32_t neg[5] = {-2, -2, -3, -2, -3};
  for (uint32_t rm = 0; rm <= 4; ++rm) {
    EXPECT_EQ(static_cast<int32_t>(h.x(18 + rm)), pos[rm]) << "rm " << rm;
    EXPECT_EQ(static_cast<int32_t>(h.x(23 + rm)), neg[rm]) << "rm " << rm;
  }
  EXPECT_EQ(h.x(a0), NX);
  EXPECT_EQ(h.x(t0), 0x7FFFFFFFu);
  EXPECT_EQ(h.x(a1), NV);
  EXPECT_EQ(h.x(t1), 0x7FFFFFFFu);
  EXPECT_EQ(h.x(a2), NV);
  EXPECT_EQ(h.x(t2), 0u);
  EXPECT_EQ(h.x(a3), NV);
  EXPECT_EQ(h.x(t3), 0u);
  EXPECT_EQ(h.x(a4), NX);
  EXPECT_EQ(h.x(t4), 3000000000u);
  EXPECT_EQ(h.x(a5), 0u);
}

TEST(CoralRv32f, IntToFloatUsesTheDynamicRoundingMode) {
  Harness h;
  Program p;
  p.li(a0, 16777217);  // 2^24 + 1 is not representable
  p << fcvt_s_w(1, a0) << csrrw(a1, kFflags, zero);  // frm = RNE -> 2^24
  p << csrrwi(zero, kFrm, 3) << fcvt_s_w(2, a0) << csrr(a2, kFcsr)  // RUP -> 2^24 + 2
    << fcvt_s_wu(3, zero) << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(h.f(1), 16777216.0f);
  EXPECT_EQ(h.x(a1), NX);
  EXPECT_EQ(h.f(2), 16777218.0f);
  EXPECT_EQ(h.x(a2), (3u << 5) | NX);
  EXPECT_EQ(h.f(3), 0.0f);
}

TEST(CoralRv32f, FlagsForDivideByZeroOverflowUnderflow) {
  Harness h;
  Program p;
  p.lf(1, 1.0f).lf(2, 0.0f).lf(3, 3e38f).lf(4, 1e-30f).lf(5, 3.0f);
  p << fdiv(6, 1, 2) << csrrw(a0, kFflags, zero)   // 1/0 = inf, DZ
    << fmul(7, 3, 3) << csrrw(a1, kFflags, zero)   // overflow: OF | NX
    << fmul(8, 4, 4) << csrrw(a2, kFflags, zero)   // underflow to 0: UF | NX
    << fdiv(9, 1, 5) << csrrw(a3, kFflags, zero)   // 1/3 inexact: NX
    << fsqrt(10, 1) << csrrw(a4, kFflags, zero)    // exact: nothing
    << fsqrt(11, 5, 0) << fmv_x_w(a5, 11) << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_TRUE(std::isinf(h.f(6)));
  EXPECT_EQ(h.x(a0), DZ);
  EXPECT_TRUE(std::isinf(h.f(7)));
  EXPECT_EQ(h.x(a1), OF | NX);
  EXPECT_EQ(h.f(8), 0.0f);
  EXPECT_EQ(h.x(a2), UF | NX);
  EXPECT_EQ(h.x(a3), NX);
  EXPECT_EQ(h.x(a4), 0u);
}

TEST(CoralRv32f, StaticRoundingModesOnArithmetic) {
  Harness h;
  Program p;
  p.lf(1, 1.0f).lf_bits(2, 0x33800000u);  // 2^-24: exactly half an ulp of 1.0
  p << fadd(3, 1, 2, 0)    // RNE: tie to even -> 1.0
    << fadd(4, 1, 2, 4)    // RMM: tie away -> 1 + 2^-23
    << fadd(5, 1, 2, 3)    // RUP -> 1 + 2^-23
    << fadd(6, 1, 2, 1)    // RTZ -> 1.0
    << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(h.machine.f_bits(3), 0x3f800000u);
  EXPECT_EQ(h.machine.f_bits(4), 0x3f800001u);
  EXPECT_EQ(h.machine.f_bits(5), 0x3f800001u);
  EXPECT_EQ(h.machine.f_bits(6), 0x3f800000u);
}

TEST(CoralRv32f, ComparesClassifyMovesAndMemory) {
  Harness h;
  h.data = bytes_of(std::vector<float>{2.0f, 0.0f});
  Program p;
  p.li(s0, h.dtcm()).lf_bits(3, kQNaN).lf_bits(4, kSNaN);
  p << flw(1, s0, 0) << fadd(2, 1, 1) << fsw(2, s0, 4) << lw(a0, s0, 4)
    << feq(a1, 1, 1) << flt(a2, 1, 2) << fle(a3, 2, 1) << feq(a4, 3, 3) << csrrw(a5, kFflags, zero)
    << flt(a6, 3, 1) << csrrw(a7, kFflags, zero) << feq(t0, 4, 1) << csrrw(t1, kFflags, zero)
    << fclass(t2, 1) << fclass(t3, 3) << fclass(t4, 4) << fsgnjx(5, 1, 1) << fclass(t5, 5)
    << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(h.x(a0), bits_of(4.0f));
  EXPECT_EQ(h.x(a1), 1u);
  EXPECT_EQ(h.x(a2), 1u);
  EXPECT_EQ(h.x(a3), 0u);
  EXPECT_EQ(h.x(a4), 0u);
  EXPECT_EQ(h.x(a5), 0u);   // feq on quiet NaN: no flag
  EXPECT_EQ(h.x(a6), 0u);
  EXPECT_EQ(h.x(a7), NV);   // flt on any NaN: NV
  EXPECT_EQ(h.x(t0), 0u);
  EXPECT_EQ(h.x(t1), NV);   // feq on signaling NaN: NV
  EXPECT_EQ(h.x(t2), 1u << 6);
  EXPECT_EQ(h.x(t3), 1u << 9);
  EXPECT_EQ(h.x(t4), 1u << 8);
  EXPECT_EQ(h.x(t5), 1u << 6);  // x ^ sign(x) = |x|
}

TEST(CoralRv32f, ReservedRoundingModeIsIllegal) {
  Harness h;
  Program p;
  p << fadd(1, 1, 1, 5) << ebreak();
  RunResult r = h.run(p);
  ASSERT_TRUE(r.trap);
  EXPECT_EQ(r.trap->kind, TrapKind::IllegalInstruction);
  EXPECT_NE(r.trap->message.find("rounding mode 5 is reserved"), std::string::npos);
  Program q;
  q << csrrwi(zero, kFrm, 6) << fadd(1, 1, 1) << ebreak();
  r = h.run(q);
  ASSERT_TRUE(r.trap);
  EXPECT_NE(r.trap->message.find("frm holds the reserved rounding mode 6"), std::string::npos);
  EXPECT_EQ(r.trap->pc, 4u);
}

}  // namespace
}  // namespace coral::test
