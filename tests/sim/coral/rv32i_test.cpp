#include <gtest/gtest.h>

#include "harness.h"

namespace coral::test {
namespace {

using namespace enc;

TEST(CoralRv32i, ArithmeticLogicAndX0) {
  Harness h;
  Program p;
  p.li(a0, 0x80000000u).li(a1, 7);
  p << add(a2, a0, a1) << sub(a3, a1, a0) << xor_(a4, a0, a1) << or_(a5, a0, a1) << and_(a6, a0, a0)
    << slt(a7, a0, a1) << sltu(t0, a0, a1) << addi(t1, a1, -8) << slti(t2, a0, 0)
    << sltiu(s0, a1, -1)  // -1 sign-extends to 0xFFFFFFFF: 7 < that
    << xori(s1, a1, -1) << ori(t3, zero, 0x7FF) << andi(t4, a0, -1) << addi(zero, a1, 5)
    << lui(t5, 0xFFFFF) << auipc(t6, 1) << ebreak();
  const RunResult r = h.run(p);
  ASSERT_TRUE(r.ok()) << r.trap->message;
  EXPECT_EQ(h.x(a2), 0x80000007u);
  EXPECT_EQ(h.x(a3), 0x80000007u);
  EXPECT_EQ(h.x(a4), 0x80000007u);
  EXPECT_EQ(h.x(a5), 0x80000007u);
  EXPECT_EQ(h.x(a6), 0x80000000u);
  EXPECT_EQ(h.x(a7), 1u);
  EXPECT_EQ(h.x(t0), 0u);
  EXPECT_EQ(h.x(t1), 0xFFFFFFFFu);
  EXPECT_EQ(h.x(t2), 1u);
  EXPECT_EQ(h.x(s0), 1u);
  EXPECT_EQ(h.x(s1), ~7u);
  EXPECT_EQ(h.x(t3), 0x7FFu);
  EXPECT_EQ(h.x(t4), 0x80000000u);
  EXPECT_EQ(h.x(zero), 0u);
  EXPECT_EQ(h.x(t5), 0xFFFFF000u);
  EXPECT_EQ(h.x(t6), 19 * 4 + 0x1000u);  // auipc is instruction 19
  EXPECT_EQ(r.instructions, p.size());
}

TEST(CoralRv32i, Shifts) {
  Harness h;
  Program p;
  p.li(a0, 0x80000010u).li(a1, 33);  // shift amounts use the low 5 bits
  p << sll(a2, a0, a1) << srl(a3, a0, a1) << sra(a4, a0, a1) << slli(a5, a0, 31)
    << srli(a6, a0, 4) << srai(a7, a0, 4) << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(h.x(a2), 0x00000020u);
  EXPECT_EQ(h.x(a3), 0x40000008u);
  EXPECT_EQ(h.x(a4), 0xC0000008u);
  EXPECT_EQ(h.x(a5), 0u);
  EXPECT_EQ(h.x(a6), 0x08000001u);
  EXPECT_EQ(h.x(a7), 0xF8000001u);
}

TEST(CoralRv32i, LoadsSignAndZeroExtendStoresTruncate) {
  Harness h;
  h.data = {0x80, 0xFF, 0x7F, 0x80, 0, 0, 0, 0};
  Program p;
  p.li(s0, h.dtcm());
  p << lb(a0, s0, 0) << lbu(a1, s0, 0) << lh(a2, s0, 0) << lhu(a3, s0, 2) << lh(a4, s0, 2)
    << lw(a5, s0, 0);
  p.li(t0, 0x12345678);
  p << sb(t0, s0, 4) << sh(t0, s0, 6) << lw(a6, s0, 4) << sw(t0, s0, 8) << lw(a7, s0, 8) << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(h.x(a0), 0xFFFFFF80u);
  EXPECT_EQ(h.x(a1), 0x80u);
  EXPECT_EQ(h.x(a2), 0xFFFFFF80u);
  EXPECT_EQ(h.x(a3), 0x807Fu);
  EXPECT_EQ(h.x(a4), 0xFFFF807Fu);
  EXPECT_EQ(h.x(a5), 0x807FFF80u);
  EXPECT_EQ(h.x(a6), 0x56780078u);
  EXPECT_EQ(h.x(a7), 0x12345678u);
}

TEST(CoralRv32i, BranchesAndLoops) {
  Harness h;
  Program p;
  // Sum 1..10 with a backward bne.
  p << addi(a0, zero, 0) << addi(a1, zero, 10);
  const std::size_t loop = p.size();
  p << add(a0, a0, a1) << addi(a1, a1, -1) << bne(a1, zero, Program::offset(loop + 2, loop));
  // Each taken branch skips the addi after it.
  p << addi(a2, zero, -1) << addi(a3, zero, 1);
  p << blt(a2, a3, 8) << addi(s0, zero, 1);  // signed: -1 < 1 taken
  p << bltu(a2, a3, 8) << addi(s1, zero, 1);  // unsigned: 0xFFFFFFFF < 1 not taken -> s1 = 1
  p << bge(a3, a2, 8) << addi(t0, zero, 1);
  p << bgeu(a2, a3, 8) << addi(t1, zero, 1);
  p << beq(a3, a3, 8) << addi(t2, zero, 1);
  p << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(h.x(a0), 55u);
  EXPECT_EQ(h.x(s0), 0u);
  EXPECT_EQ(h.x(s1), 1u);
  EXPECT_EQ(h.x(t0), 0u);
  EXPECT_EQ(h.x(t1), 0u);
  EXPECT_EQ(h.x(t2), 0u);
}

TEST(CoralRv32i, JalAndJalrLink) {
  Harness h;
  Program p;
  p << jal(ra, 12)                  // 0: call 12
    << addi(a1, zero, 5)            // 4: return lands here
    << ebreak()                     // 8
    << addi(a0, zero, 9)            // 12: callee
    << jalr(t0, ra, 1);             // 16: return (bit 0 cleared), t0 = 20
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(h.x(ra), 4u);
  EXPECT_EQ(h.x(a0), 9u);
  EXPECT_EQ(h.x(a1), 5u);
  EXPECT_EQ(h.x(t0), 20u);
}

TEST(CoralRv32i, StackPointerStartsAtDtcmTopAndFencesAreNoOps) {
  Harness h;
  Program p;
  p << fence() << fence_i() << addi(a0, sp, 0) << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(h.x(a0), h.config.dtcm_top());
  EXPECT_EQ(h.x(a0) % 16, 0u);
}

TEST(CoralRv32i, MulDivCornerCases) {
  Harness h;
  Program p;
  p.li(a0, 0x80000000u).li(a1, 0xFFFFFFFFu).li(a2, 7);
  p << mul(s0, a0, a1) << mulh(s1, a0, a1) << mulhu(t0, a0, a1) << mulhsu(t1, a1, a1)
    << div(t2, a0, a1)    // overflow: INT_MIN
    << rem(t3, a0, a1)    // overflow: 0
    << div(t4, a2, zero)  // by zero: -1
    << divu(t5, a2, zero) // by zero: 0xFFFFFFFF
    << rem(t6, a2, zero)  // by zero: dividend
    << remu(a3, a2, zero) << div(a4, a1, a2)  // -1 / 7 = 0 (truncates)
    << rem(a5, a1, a2)    // -1 % 7 = -1
    << divu(a6, a1, a2) << remu(a7, a1, a2) << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(h.x(s0), 0x80000000u);
  EXPECT_EQ(h.x(s1), 0u);           // INT_MIN * -1 = 2^31: high word 0
  EXPECT_EQ(h.x(t0), 0x7FFFFFFFu);  // 2^31 * (2^32-1) >> 32
  EXPECT_EQ(h.x(t1), 0xFFFFFFFFu);  // -1 * (2^32-1) -> high word -1
  EXPECT_EQ(h.x(t2), 0x80000000u);
  EXPECT_EQ(h.x(t3), 0u);
  EXPECT_EQ(h.x(t4), 0xFFFFFFFFu);
  EXPECT_EQ(h.x(t5), 0xFFFFFFFFu);
  EXPECT_EQ(h.x(t6), 7u);
  EXPECT_EQ(h.x(a3), 7u);
  EXPECT_EQ(h.x(a4), 0u);
  EXPECT_EQ(h.x(a5), 0xFFFFFFFFu);
  EXPECT_EQ(h.x(a6), 0xFFFFFFFFu / 7);
  EXPECT_EQ(h.x(a7), 0xFFFFFFFFu % 7);
}

}  // namespace
}  // namespace coral::test
