// Vector unit semantics on the small preset (VLEN = 8, HLEN = 4: heads are lanes 0..3 and
// 4..7). Expected values are worked out by hand (comments show how).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "sim_test_util.h"

namespace plena {
namespace {

using test::inst;
using test::Sim;
using test::slice;
using V = std::vector<float>;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// Row 0 = A = 1..8, row 1 = B = 8, 6, ..., -6. gp1 -> A, gp2 -> B, gp3 -> row 2 (destination).
Sim two_rows() {
  Sim s;
  s.set_row(0, {1, 2, 3, 4, 5, 6, 7, 8});
  s.set_row(8, {8, 6, 4, 2, 0, -2, -4, -6});
  s.state.gp[1] = 0;
  s.state.gp[2] = 8;
  s.state.gp[3] = 16;
  return s;
}

V row(Sim& s, uint64_t addr) { return slice(s.state.vector_sram, addr, 8); }

TEST(SimVector, AddVv) {
  Sim s = two_rows();
  EXPECT_RUN_OK(s.run({inst(Opcode::V_ADD_VV, 3, 1, 2)}));
  EXPECT_EQ(row(s, 16), (V{9, 8, 7, 6, 5, 4, 3, 2}));
}

TEST(SimVector, SubVvComputesSecondMinusFirst) {
  Sim s = two_rows();
  EXPECT_RUN_OK(s.run({inst(Opcode::V_SUB_VV, 3, 1, 2)}));
  EXPECT_EQ(row(s, 16), (V{7, 4, 1, -2, -5, -8, -11, -14}));  // B - A
}

TEST(SimVector, MulVv) {
  Sim s = two_rows();
  EXPECT_RUN_OK(s.run({inst(Opcode::V_MUL_VV, 3, 1, 2)}));
  EXPECT_EQ(row(s, 16), (V{8, 12, 12, 8, 0, -12, -28, -48}));
}

TEST(SimVector, DestinationMayAliasASource) {
  Sim s = two_rows();
  EXPECT_RUN_OK(s.run({inst(Opcode::V_ADD_VV, 1, 1, 1)}));
  EXPECT_EQ(row(s, 0), (V{2, 4, 6, 8, 10, 12, 14, 16}));
}

TEST(SimVector, AddMulVfBroadcastTheFRegister) {
  Sim s = two_rows();
  s.state.fp[1] = 0.5f;
  s.state.gp[4] = 24;
  EXPECT_RUN_OK(s.run({inst(Opcode::V_ADD_VF, 3, 1, 1), inst(Opcode::V_MUL_VF, 4, 1, 1)}));
  EXPECT_EQ(row(s, 16), (V{1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f, 7.5f, 8.5f}));
  EXPECT_EQ(row(s, 24), (V{0.5f, 1, 1.5f, 2, 2.5f, 3, 3.5f, 4}));
}

TEST(SimVector, SubVfOrderSelectsOperandOrder) {
  Sim s = two_rows();
  s.state.fp[1] = 0.5f;
  s.state.gp[4] = 24;
  EXPECT_RUN_OK(s.run({inst(Opcode::V_SUB_VF, 3, 1, 1, 0, 0), inst(Opcode::V_SUB_VF, 4, 1, 1, 0, 1)}));
  EXPECT_EQ(row(s, 16), (V{0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f, 7.5f}));          // A - f
  EXPECT_EQ(row(s, 24), (V{-0.5f, -1.5f, -2.5f, -3.5f, -4.5f, -5.5f, -6.5f, -7.5f}));  // f - A
}

TEST(SimVector, MaxMinVfClampAgainstTheFRegister) {
  Sim s = two_rows();
  s.state.fp[2] = 4;
  s.state.gp[4] = 24;
  EXPECT_RUN_OK(s.run({inst(Opcode::V_MAX_VF, 3, 2, 2), inst(Opcode::V_MIN_VF, 4, 2, 2)}));
  EXPECT_EQ(row(s, 16), (V{8, 6, 4, 4, 4, 4, 4, 4}));
  EXPECT_EQ(row(s, 24), (V{4, 4, 4, 2, 0, -2, -4, -6}));
}

TEST(SimVector, MaxMinIgnoreASingleNan) {
  Sim s;
  s.set_row(0, {kNaN, 1, 9, 0, 0, 0, 0, 0});
  s.state.fp[1] = 4;
  s.state.gp[3] = 8;
  s.state.gp[4] = 16;
  EXPECT_RUN_OK(s.run({inst(Opcode::V_MAX_VF, 3, 0, 1), inst(Opcode::V_MIN_VF, 4, 0, 1)}));
  EXPECT_EQ(s.v(8), 4.0f);
  EXPECT_EQ(s.v(9), 4.0f);
  EXPECT_EQ(s.v(10), 9.0f);
  EXPECT_EQ(s.v(16), 4.0f);
  EXPECT_EQ(s.v(18), 4.0f);
}

// exp(1) = 2.71828 = 1.35914 * 2 -> 7-bit mantissa 174/128 -> 2.71875;
// exp(-1) = 0.367879 = 1.47152 / 4 -> 188/128 / 4 = 0.3671875; exp(2) = 7.38906 -> 236/128 * 4 = 7.375.
TEST(SimVector, ExpRoundsToBf16) {
  Sim s;
  s.set_row(0, {0, 1, -1, 2, -kInf, 0, 0, 0});
  s.state.gp[3] = 8;
  EXPECT_RUN_OK(s.run({inst(Opcode::V_EXP_V, 3, 0)}));
  EXPECT_EQ(row(s, 8), (V{1, 2.71875f, 0.3671875f, 7.375f, 0, 1, 1, 1}));
}

// 1/3 = 1.3333 / 4 -> 170.67/128 rounds to 171/128 -> 0.333984375; 1/0 = inf.
TEST(SimVector, ReciprocalFollowsIeee) {
  Sim s;
  s.set_row(0, {4, 0, 3, -0.5f, -0.0f, 1, 1, 1});
  s.state.gp[3] = 8;
  EXPECT_RUN_OK(s.run({inst(Opcode::V_RECI_V, 3, 0)}));
  EXPECT_EQ(row(s, 8), (V{0.25f, kInf, 0.333984375f, -2, -kInf, 1, 1, 1}));
}

TEST(SimVector, RedSumAddsTheRowToTheFRegister) {
  Sim s = two_rows();
  s.state.fp[2] = 1;
  EXPECT_RUN_OK(s.run({inst(Opcode::V_RED_SUM, 2, 1)}));
  EXPECT_EQ(s.state.fp[2], 37.0f);  // 1 + 36
}

// 256 + 1 + 1 = 258 (BF16-exact) only if the sum is rounded once at the end: rounding after
// each add would keep 256 (257 ties to even). A single 257 rounds to 256.
TEST(SimVector, RedSumRoundsOnceAtTheEnd) {
  Sim s;
  s.set_row(0, {256, 1, 1, 0, 0, 0, 0, 0});
  s.set_row(8, {256, 1, 0, 0, 0, 0, 0, 0});
  s.state.gp[2] = 8;
  EXPECT_RUN_OK(s.run({inst(Opcode::V_RED_SUM, 1, 0), inst(Opcode::V_RED_SUM, 2, 2)}));
  EXPECT_EQ(s.state.fp[1], 258.0f);
  EXPECT_EQ(s.state.fp[2], 256.0f);
}

TEST(SimVector, RedMaxKeepsTheLargerOfRegisterAndRow) {
  Sim s;
  s.set_row(0, {9, 9, 9, 9, -3, -1, -2, -5});
  s.state.fp[1] = -100;
  s.state.fp[2] = 50;
  EXPECT_RUN_OK(s.run({inst(Opcode::V_RED_MAX, 1, 0), inst(Opcode::V_RED_MAX, 2, 0)}));
  EXPECT_EQ(s.state.fp[1], 9.0f);
  EXPECT_EQ(s.state.fp[2], 50.0f);
}

TEST(SimVector, MaskedRedMaxSkipsDisabledHeads) {
  Sim s;
  s.set_row(0, {9, 9, 9, 9, -3, -1, -2, -5});
  s.state.fp[1] = -100;
  s.state.gp[5] = 0b10;  // head 1 only
  EXPECT_RUN_OK(s.run({inst(Opcode::C_SET_V_MASK_REG, 5), inst(Opcode::V_RED_MAX, 1, 0, 0, 1)}));
  EXPECT_EQ(s.state.fp[1], -1.0f);
}

TEST(SimVector, ReductionIntoF0IsDiscarded) {
  Sim s = two_rows();
  EXPECT_RUN_OK(s.run({inst(Opcode::V_RED_SUM, 0, 1), inst(Opcode::V_RED_MAX, 0, 1)}));
  EXPECT_EQ(s.state.fp[0], 0.0f);
}

TEST(SimVector, MaskedAddUpdatesOnlyEnabledHeads) {
  Sim s = two_rows();
  s.set_row(16, {-1, -1, -1, -1, -1, -1, -1, -1});
  s.state.gp[5] = 0b10;
  EXPECT_RUN_OK(s.run({inst(Opcode::C_SET_V_MASK_REG, 5), inst(Opcode::V_ADD_VV, 3, 1, 2, 1)}));
  EXPECT_EQ(row(s, 16), (V{-1, -1, -1, -1, 5, 4, 3, 2}));
}

TEST(SimVector, MaskBitsBeyondTheHeadsAreIgnoredAndZeroMaskChangesNothing) {
  Sim s = two_rows();
  s.set_row(16, {-1, -1, -1, -1, -1, -1, -1, -1});
  s.set_row(24, {-1, -1, -1, -1, -1, -1, -1, -1});
  s.state.gp[4] = 24;
  s.state.gp[5] = 0xFFFFFFFDu;  // head 0 on, head 1 off, bits 2..31 do not name heads
  s.state.fp[1] = 10;
  EXPECT_RUN_OK(s.run({inst(Opcode::C_SET_V_MASK_REG, 5), inst(Opcode::V_MUL_VF, 3, 1, 1, 1),
                       inst(Opcode::C_SET_V_MASK_REG, 0), inst(Opcode::V_EXP_V, 4, 1, 0, 1)}));
  EXPECT_EQ(row(s, 16), (V{10, 20, 30, 40, -1, -1, -1, -1}));
  EXPECT_EQ(row(s, 24), (V{-1, -1, -1, -1, -1, -1, -1, -1}));
}

TEST(SimVector, UnmaskedOpsIgnoreVMask) {
  Sim s = two_rows();
  s.state.gp[5] = 0;
  s.state.fp[1] = 1;
  EXPECT_RUN_OK(s.run({inst(Opcode::C_SET_V_MASK_REG, 5), inst(Opcode::V_SUB_VF, 3, 1, 1, 0, 0)}));
  EXPECT_EQ(row(s, 16), (V{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(SimVector, ShiftMovesLanesAndFillsZeros) {
  Sim s = two_rows();
  s.state.gp[4] = 24;
  s.state.gp[6] = 2;
  s.state.gp[7] = static_cast<uint32_t>(-3);
  EXPECT_RUN_OK(s.run({inst(Opcode::V_SHFT_V, 3, 1, 6), inst(Opcode::V_SHFT_V, 4, 1, 7)}));
  EXPECT_EQ(row(s, 16), (V{3, 4, 5, 6, 7, 8, 0, 0}));  // V[i] = A[i + 2]
  EXPECT_EQ(row(s, 24), (V{0, 0, 0, 1, 2, 3, 4, 5}));  // V[i] = A[i - 3]
}

TEST(SimVector, ShiftsByVlenOrMoreGiveZeros) {
  for (uint32_t shift : {8u, 9u, 1000u, 0x7FFFFFFFu, 0x80000000u, static_cast<uint32_t>(-8)}) {
    Sim s = two_rows();
    s.set_row(16, {-1, -1, -1, -1, -1, -1, -1, -1});
    s.state.gp[6] = shift;
    EXPECT_RUN_OK(s.run({inst(Opcode::V_SHFT_V, 3, 1, 6)}));
    EXPECT_EQ(row(s, 16), V(8, 0.0f)) << "shift " << shift;
  }
}

TEST(SimVector, ShiftInPlace) {
  Sim s = two_rows();
  s.state.gp[6] = 1;
  EXPECT_RUN_OK(s.run({inst(Opcode::V_SHFT_V, 1, 1, 6)}));
  EXPECT_EQ(row(s, 0), (V{2, 3, 4, 5, 6, 7, 8, 0}));
}

// BF16 has 7 fraction bits: near 1 the spacing is 2^-7. 1 + 2^-9 (quarter ulp) -> 1;
// 1 + 2^-8 (half ulp, tie) -> 1 (even); 1 + 3*2^-9 -> 1 + 2^-7; (1 + 2^-7) + 2^-8 is a tie
// between an odd and an even mantissa -> 1 + 2^-6.
TEST(SimVector, ResultsAreRoundedToBf16NearestEven) {
  Sim s;
  const float u = std::ldexp(1.0f, -9);
  const float one_ulp = std::ldexp(1.0f, -7);
  s.set_row(0, {1, 1, 1, 1 + one_ulp, 0, 0, 0, 0});
  s.set_row(8, {u, 2 * u, 3 * u, 2 * u, 0, 0, 0, 0});
  s.state.gp[2] = 8;
  s.state.gp[3] = 16;
  EXPECT_RUN_OK(s.run({inst(Opcode::V_ADD_VV, 3, 0, 2)}));
  EXPECT_EQ(s.v(16), 1.0f);
  EXPECT_EQ(s.v(17), 1.0f);
  EXPECT_EQ(s.v(18), 1.0f + one_ulp);
  EXPECT_EQ(s.v(19), 1.0f + 2 * one_ulp);
}

}  // namespace
}  // namespace plena
