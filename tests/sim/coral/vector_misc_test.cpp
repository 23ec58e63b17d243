// Vector masks, permutations, reductions and floating point.
#include <gtest/gtest.h>

#include <cmath>

#include "coral/instruction_class.h"
#include "harness.h"

namespace coral::test {
namespace {

using namespace enc;

// Loads v8 (group) from 32-bit data at the DTCM base with vl = n, e32, LMUL 2^lmul_log2.
Program load_v8(Harness& h, const std::vector<uint32_t>& values, uint32_t n, int lmul_log2 = 0) {
  std::vector<uint32_t> data = values;
  data.resize(64, 0);
  h.data = bytes_of(data);
  Program p;
  p.li(s0, h.dtcm()).li(a0, n);
  p << vsetvli(zero, a0, vtype(32, lmul_log2)) << vle(32, 8, s0);
  return p;
}

std::vector<uint32_t> floats(const std::vector<float>& values) {
  std::vector<uint32_t> out;
  for (float v : values) out.push_back(bits_of(v));
  return out;
}

TEST(CoralVectorMask, LogicalsPopcountFirstAndSetFirst) {
  Harness h;
  Program p;
  p.li(a1, 0b10110100).li(a2, 0b01100110);
  p << vsetivli(zero, 8, vtype(8, 0)) << opv(0x10, MVX, 1, 0, a1) << opv(0x10, MVX, 2, 0, a2)  // vmv.s.x
    << opv(0x19, MVV, 3, 1, 2) << opv(0x1A, MVV, 4, 1, 2) << opv(0x1B, MVV, 5, 1, 2)
    << opv(0x18, MVV, 6, 1, 2) << opv(0x1D, MVV, 7, 1, 2)
    << opv(0x10, MVV, a3, 1, 0x10) << opv(0x10, MVV, a4, 1, 0x11)   // vcpop.m, vfirst.m
    << opv(0x10, MVV, a5, 9, 0x11)                                  // vfirst of an all-zero mask
    << opv(0x14, MVV, 10, 1, 0x01) << opv(0x14, MVV, 11, 1, 0x03) << opv(0x14, MVV, 12, 1, 0x02)
    << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(h.velem<uint8_t>(3, 0), 0b00100100u);  // and
  EXPECT_EQ(h.velem<uint8_t>(4, 0), 0b11110110u);  // or
  EXPECT_EQ(h.velem<uint8_t>(5, 0), 0b11010010u);  // xor
  EXPECT_EQ(h.velem<uint8_t>(6, 0), 0b10010000u);  // andn: v1 & ~v2
  EXPECT_EQ(h.velem<uint8_t>(7, 0), 0b11011011u);  // nand
  EXPECT_EQ(h.x(a3), 4u);
  EXPECT_EQ(h.x(a4), 2u);
  EXPECT_EQ(h.x(a5), 0xFFFFFFFFu);
  EXPECT_EQ(h.velem<uint8_t>(10, 0), 0b00000011u);  // vmsbf
  EXPECT_EQ(h.velem<uint8_t>(11, 0), 0b00000111u);  // vmsif
  EXPECT_EQ(h.velem<uint8_t>(12, 0), 0b00000100u);  // vmsof
}

TEST(CoralVectorPermute, ScalarMovesSlidesAndGathers) {
  Harness h;
  Program p = load_v8(h, {10, 20, 30, 0xFFFFFFF0u}, 4);
  p.li(a1, 99).li(a2, 1);
  p << opv(0x10, MVV, a3, 11, 0)  // vmv.x.s of v11 (zero) -- placeholder to check x writes
    << vsetivli(zero, 4, vtype(32, 0))
    << opv(0x17, IVI, 1, 0, 0) << opv(0x0E, IVI, 1, 8, 2)        // vslideup.vi 2: v1 = 0 0 10 20
    << opv(0x0F, IVX, 2, 8, a2)                                   // vslidedown.vx 1: 20 30 -16 0
    << opv(0x0E, MVX, 3, 8, a1)                                   // vslide1up: 99 10 20 30
    << opv(0x0F, MVX, 4, 8, a1)                                   // vslide1down: 20 30 -16 99
    << opv(0x17, IVV, 5, 0, 8) << opv(0x0C, IVX, 6, 8, a2)        // vrgather.vx 1: all 20
    << opv(0x17, IVI, 7, 0, 3) << opv(0x0C, IVV, 12, 8, 7)        // vrgather.vv idx 3: all -16
    << opv(0x0C, IVI, 13, 8, 9)                                   // index 9 >= VLMAX: 0
    << vsetivli(zero, 2, vtype(8, 0)) << opv(0x10, MVV, a4, 8, 0) // vmv.x.s at SEW 8: sign-extends 10
    << vsetivli(zero, 4, vtype(32, 0)) << opv(0x10, MVV, a5, 8, 0)
    << opv(0x0F, IVI, 14, 8, 3) << opv(0x10, MVV, a6, 14, 0)      // -16 via slide down 3
    << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  const uint32_t v1[4] = {0, 0, 10, 20}, v2[4] = {20, 30, 0xFFFFFFF0u, 0}, v3[4] = {99, 10, 20, 30},
                 v4[4] = {20, 30, 0xFFFFFFF0u, 99};
  for (unsigned i = 0; i < 4; ++i) {
    EXPECT_EQ(h.velem<uint32_t>(1, i), v1[i]) << i;
    EXPECT_EQ(h.velem<uint32_t>(2, i), v2[i]) << i;
    EXPECT_EQ(h.velem<uint32_t>(3, i), v3[i]) << i;
    EXPECT_EQ(h.velem<uint32_t>(4, i), v4[i]) << i;
    EXPECT_EQ(h.velem<uint32_t>(6, i), 20u);
    EXPECT_EQ(h.velem<uint32_t>(12, i), 0xFFFFFFF0u);
    EXPECT_EQ(h.velem<uint32_t>(13, i), 0u);
  }
  EXPECT_EQ(h.x(a4), 10u);
  EXPECT_EQ(h.x(a5), 10u);
  EXPECT_EQ(h.x(a6), 0xFFFFFFF0u);
}

TEST(CoralVectorPermute, WholeRegisterMovesIgnoreVtype) {
  Harness h;
  Program p = load_v8(h, {1, 2, 3, 4, 5, 6, 7, 8}, 8, 1);  // v8-v9
  p << 0x9e2030d7u        // vmv1r.v v1, v2 (llvm-mc-16)
    << 0x9f03b457u        // vmv8r.v v8, v16: v8-v15 = v16-v23 (zero)
    << opv(0x27, IVI, 2, 8, 1) << ebreak();  // vmv2r.v v2, v8 after the copy: zeros
  Program q = load_v8(h, {1, 2, 3, 4, 5, 6, 7, 8}, 8, 1);
  q.li(a1, 0x80000000u);
  q << vsetvl(zero, a0, a1)                 // vill: whole-register moves still work
    << opv(0x27, IVI, 4, 8, 1) << ebreak();  // vmv2r.v v4, v8
  ASSERT_TRUE(h.run(q).ok());
  EXPECT_EQ(h.velem<uint32_t>(4, 7), 8u);
  EXPECT_EQ(instruction_name(0x9e2030d7u), "vmv1r.v");
  EXPECT_EQ(instruction_name(0x9f03b457u), "vmv8r.v");
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(h.velem<uint32_t>(8, 0), 0u);
  EXPECT_EQ(h.velem<uint32_t>(2, 5), 0u);
  Program bad;
  bad << opv(0x27, IVI, 3, 8, 1) << ebreak();  // v3 is not a 2-register group
  const RunResult r = h.run(bad);
  ASSERT_TRUE(r.trap);
  EXPECT_EQ(r.trap->kind, TrapKind::IllegalInstruction);
}

TEST(CoralVectorPermute, SlideUpOverlapIsIllegal) {
  Harness h;
  Program p;
  p << vsetivli(zero, 4, vtype(32, 0)) << opv(0x0E, IVI, 8, 8, 1) << ebreak();
  const RunResult r = h.run(p);
  ASSERT_TRUE(r.trap);
  EXPECT_NE(r.trap->message.find("overlap"), std::string::npos);
}

TEST(CoralVectorReduction, IntegerReductionsRespectMaskAndVl) {
  Harness h;
  Program p = load_v8(h, {5, static_cast<uint32_t>(-3), 7, 1, 100, 0, 0, 0}, 4);
  p.li(a1, 1000).li(a2, 0b0101);
  p << opv(0x10, MVX, 1, 0, a1)                 // v1[0] = 1000
    << opv(0x00, MVV, 2, 8, 1)                  // vredsum: 1000 + 5 - 3 + 7 + 1
    << opv(0x07, MVV, 3, 8, 1)                  // vredmax (signed): 1000
    << opv(0x05, MVV, 4, 8, 1)                  // vredmin: -3
    << opv(0x06, MVV, 5, 8, 1)                  // vredmaxu: 0xFFFFFFFD
    << opv(0x10, MVX, 0, 0, a2)                 // v0 = 0b0101
    << opv(0x00, MVV, 6, 8, 1, false)           // masked sum: 1000 + 5 + 7
    << opv(0x17, IVI, 7, 0, 9) << vsetivli(zero, 0, vtype(32, 0)) << opv(0x00, MVV, 7, 8, 1)  // vl 0: untouched
    << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(h.velem<uint32_t>(2, 0), 1010u);
  EXPECT_EQ(h.velem<uint32_t>(3, 0), 1000u);
  EXPECT_EQ(h.velem<int32_t>(4, 0), -3);
  EXPECT_EQ(h.velem<uint32_t>(5, 0), 0xFFFFFFFDu);
  EXPECT_EQ(h.velem<uint32_t>(6, 0), 1012u);
  EXPECT_EQ(h.velem<uint32_t>(7, 0), 9u);
}

TEST(CoralVectorReduction, WideningSum) {
  Harness h;
  h.data = {200, 200, 200, 0x80};
  Program p;
  p.li(s0, h.dtcm());
  p << vsetivli(zero, 4, vtype(8, 0)) << vle(8, 8, s0) << vsetivli(zero, 4, vtype(16, 0))
    << opv(0x17, IVI, 1, 0, 0) << vsetivli(zero, 4, vtype(8, 0))
    << opv(0x30, IVV, 2, 8, 1)   // vwredsumu: 200*3 + 128
    << opv(0x31, IVV, 3, 8, 1)   // vwredsum: -56*3 - 128
    << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(h.velem<uint16_t>(2, 0), 728u);
  EXPECT_EQ(h.velem<int16_t>(3, 0), -296);
}

TEST(CoralVectorReduction, FloatOrderedVersusTreeOrder) {
  Harness h;
  // Ordered: ((((0 + 1e8) + 1) + -1e8) + 1) = 1 (each 1 is absorbed by 1e8 then lost: 0 + 1 = 1).
  // Tree: (1e8 + 1) + (-1e8 + 1) = 1e8 + -1e8 = 0, then + vs1[0] (0) = 0.
  Program p = load_v8(h, floats({1e8f, 1.0f, -1e8f, 1.0f}), 4);
  p << opv(0x17, IVI, 1, 0, 0)
    << opv(0x03, FVV, 2, 8, 1)   // vfredosum
    << opv(0x01, FVV, 3, 8, 1)   // vfredusum
    << opv(0x07, FVV, 4, 8, 1)   // vfredmax
    << opv(0x05, FVV, 5, 8, 1)   // vfredmin
    << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(float_of(h.velem<uint32_t>(2, 0)), 1.0f);
  EXPECT_EQ(float_of(h.velem<uint32_t>(3, 0)), 0.0f);
  EXPECT_EQ(float_of(h.velem<uint32_t>(4, 0)), 1e8f);
  EXPECT_EQ(float_of(h.velem<uint32_t>(5, 0)), -1e8f);
}

TEST(CoralVectorFloat, ArithmeticFmaAndScalarOperand) {
  Harness h;
  const std::vector<float> a = {1.5f, -2.0f, 3.25f, 100.0f};
  Program p = load_v8(h, floats(a), 4);
  p.lf(1, 0.5f);
  p << opv(0x00, FVV, 2, 8, 8)        // vfadd.vv: 2a
    << opv(0x24, FVF, 3, 8, 1)        // vfmul.vf: a * 0.5
    << opv(0x27, FVF, 4, 8, 1)        // vfrsub.vf: 0.5 - a
    << opv(0x20, FVV, 5, 8, 3)        // vfdiv.vv: a / (a/2) = 2
    << opv(0x17, FVF, 6, 0, 1)        // vfmv.v.f 0.5
    << opv(0x2C, FVV, 6, 8, 8)        // vfmacc.vv: v6 = a*a + 0.5
    << opv(0x17, FVF, 7, 0, 1)
    << opv(0x28, FVF, 7, 8, 1)        // vfmadd.vf: v7 = 0.5 * v7 + a
    << opv(0x17, FVF, 9, 0, 1)
    << opv(0x2D, FVF, 9, 8, 1)        // vfnmacc.vf: v9 = -(0.5*a) - 0.5
    << opv(0x10, FVV, 2, 5, 0)        // vfmv.f.s f2 = v5[0]
    << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  for (unsigned i = 0; i < 4; ++i) {
    EXPECT_EQ(float_of(h.velem<uint32_t>(2, i)), 2 * a[i]);
    EXPECT_EQ(float_of(h.velem<uint32_t>(3, i)), a[i] * 0.5f);
    EXPECT_EQ(float_of(h.velem<uint32_t>(4, i)), 0.5f - a[i]);
    EXPECT_EQ(float_of(h.velem<uint32_t>(5, i)), 2.0f);
    EXPECT_EQ(float_of(h.velem<uint32_t>(6, i)), std::fma(a[i], a[i], 0.5f));
    EXPECT_EQ(float_of(h.velem<uint32_t>(7, i)), 0.25f + a[i]);
    EXPECT_EQ(float_of(h.velem<uint32_t>(9, i)), -(0.5f * a[i]) - 0.5f);
  }
  EXPECT_EQ(h.f(2), 2.0f);
}

TEST(CoralVectorFloat, CornerCasesAndFlags) {
  Harness h;
  Program p = load_v8(h, {0xffc00001u, bits_of(-0.0f), bits_of(0.0f), bits_of(2.5f)}, 4);
  p.lf(1, 0.0f);
  p << csrrw(zero, 0x001, zero)
    << opv(0x00, FVF, 2, 8, 1)            // NaN + 0 -> canonical NaN
    << opv(0x04, FVF, 3, 8, 1)            // vfmin.vf with +0: -0 stays -0 (element 1)
    << opv(0x20, FVF, 4, 8, 1)            // x / 0: DZ (and NV for 0/0)
    << csrrw(a1, 0x001, zero)
    << opv(0x12, FVV, 5, 8, 0x01)         // vfcvt.x.f.v (RNE): 2.5 -> 2, NaN -> INT_MAX
    << opv(0x12, FVV, 6, 8, 0x07)         // vfcvt.rtz.x.f.v
    << opv(0x13, FVV, 7, 8, 0x10)         // vfclass
    << opv(0x18, FVF, 9, 8, 1)            // vmfeq.vf 0: -0 == 0 and 0 == 0
    << opv(0x1C, FVV, 10, 8, 8)           // vmfne.vv: NaN != NaN
    << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(h.velem<uint32_t>(2, 0), 0x7fc00000u);
  EXPECT_EQ(h.velem<uint32_t>(3, 1), 0x80000000u);
  EXPECT_EQ(h.x(a1), 8u | 16u);  // DZ | NV
  EXPECT_EQ(h.velem<int32_t>(5, 3), 2);
  EXPECT_EQ(h.velem<int32_t>(5, 0), INT32_MAX);
  EXPECT_EQ(h.velem<int32_t>(6, 3), 2);
  EXPECT_EQ(h.velem<uint32_t>(7, 0), 1u << 9);
  EXPECT_EQ(h.velem<uint32_t>(7, 1), 1u << 3);
  EXPECT_EQ(h.velem<uint32_t>(7, 3), 1u << 6);
  EXPECT_EQ(h.velem<uint8_t>(9, 0) & 0xF, 0b0110u);
  EXPECT_EQ(h.velem<uint8_t>(10, 0) & 0xF, 0b0001u);
}

TEST(CoralVectorFloat, EstimatesMatchTheSpecTables) {
  Harness h;
  Program p = load_v8(h, floats({1.0f, 4.0f, 2.0f, -1.0f}), 4);
  p << csrrw(zero, 0x001, zero) << opv(0x13, FVV, 1, 8, 0x04)  // vfrsqrt7
    << opv(0x13, FVV, 2, 8, 0x05)                               // vfrec7
    << csrrw(a1, 0x001, zero) << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  // 1.0: index 64 (odd exponent) -> 127; 4.0 likewise (one octave below 0.5).
  EXPECT_EQ(h.velem<uint32_t>(1, 0), 0x3F7F0000u);
  EXPECT_EQ(h.velem<uint32_t>(1, 1), 0x3EFF0000u);
  // 2.0: index 0 (even exponent) -> 52: 0.70703125.
  EXPECT_EQ(h.velem<uint32_t>(1, 2), 0x3F340000u);
  EXPECT_EQ(h.velem<uint32_t>(1, 3), 0x7fc00000u);  // negative: NaN, NV
  EXPECT_EQ(h.velem<uint32_t>(2, 0), 0x3F7F0000u);
  EXPECT_EQ(h.velem<uint32_t>(2, 2), 0x3EFF0000u);
  EXPECT_EQ(h.velem<uint32_t>(2, 3), 0xBF7F0000u);
  EXPECT_EQ(h.x(a1), 16u);
  for (unsigned i = 0; i < 3; ++i) {
    const float x = float_of(h.velem<uint32_t>(8, i));
    EXPECT_NEAR(float_of(h.velem<uint32_t>(1, i)), 1 / std::sqrt(x), 1 / std::sqrt(x) / 100);
    EXPECT_NEAR(float_of(h.velem<uint32_t>(2, i)), 1 / x, 1 / x / 100);
  }
}

TEST(CoralVectorFloat, NeedsSew32) {
  Harness h;
  Program p;
  p << vsetivli(zero, 4, vtype(16, 0)) << opv(0x00, FVV, 1, 2, 3) << ebreak();
  const RunResult r = h.run(p);
  ASSERT_TRUE(r.trap);
  EXPECT_NE(r.trap->message.find("SEW=32"), std::string::npos);
}

TEST(CoralVectorDecode, UnsupportedEncodingsAreNamedIllegal) {
  Harness h;
  Program p;
  // vaadd.vv (fixed point, funct6 0x09 OPMVV) is outside the subset.
  p << vsetivli(zero, 4, vtype(32, 0)) << opv(0x09, MVV, 1, 2, 3) << ebreak();
  RunResult r = h.run(p);
  ASSERT_TRUE(r.trap);
  EXPECT_NE(r.trap->message.find("unsupported vector instruction"), std::string::npos);
  // Indexed load vluxei32.v (mop 01).
  Program q;
  q << vmem(0x07, 0, 1, true, 2, s0, 32, 1) << ebreak();
  r = h.run(q);
  ASSERT_TRUE(r.trap);
  EXPECT_NE(r.trap->message.find("unsupported vector memory"), std::string::npos);
}

}  // namespace
}  // namespace coral::test
