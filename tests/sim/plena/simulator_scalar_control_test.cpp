// Scalar unit (integer and BF16 arithmetic, FP/INT SRAM) and control (special registers,
// hardware loops, C_BREAK). Expected values worked out by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "sim_test_util.h"

namespace plena {
namespace {

using test::addi;
using test::inst;
using test::loop_end;
using test::loop_start;
using test::Sim;

// ---- integer ----

TEST(SimScalar, IntegerAddSubMulWrapModulo2To32) {
  Sim s;
  s.state.gp[1] = 7;
  s.state.gp[2] = 5;
  s.state.gp[3] = 70000;
  s.state.gp[4] = 0x10000;
  EXPECT_RUN_OK(s.run({
      inst(Opcode::S_ADD_INT, 5, 1, 2),
      inst(Opcode::S_SUB_INT, 6, 2, 1),
      inst(Opcode::S_MUL_INT, 7, 3, 3),
      inst(Opcode::S_MUL_INT, 8, 4, 4),
  }));
  EXPECT_EQ(s.state.gp[5], 12u);
  EXPECT_EQ(s.state.gp[6], 0xFFFFFFFEu);  // 5 - 7
  EXPECT_EQ(s.state.gp[7], 605032704u);   // 4'900'000'000 - 2^32
  EXPECT_EQ(s.state.gp[8], 0u);           // 2^32 mod 2^32
}

TEST(SimScalar, AddiSignExtendsTheImmediateAndWraps) {
  Sim s;
  EXPECT_RUN_OK(s.run({
      addi(1, 0, -1),
      addi(2, 1, 1),
      addi(3, 0, -131072),  // most negative imm18
      addi(4, 0, 131071),   // most positive imm18
      addi(5, 4, -131071),
  }));
  EXPECT_EQ(s.state.gp[1], 0xFFFFFFFFu);
  EXPECT_EQ(s.state.gp[2], 0u);
  EXPECT_EQ(s.state.gp[3], 0xFFFE0000u);
  EXPECT_EQ(s.state.gp[4], 131071u);
  EXPECT_EQ(s.state.gp[5], 0u);
}

TEST(SimScalar, LuiShiftsByTwelve) {
  Sim s;
  EXPECT_RUN_OK(s.run({test::lui(1, 0xFFFFF), test::lui(2, 1), addi(2, 2, 5)}));
  EXPECT_EQ(s.state.gp[1], 0xFFFFF000u);
  EXPECT_EQ(s.state.gp[2], 4101u);
}

TEST(SimScalar, IntSramStoreAndLoadUseRegisterPlusImmediate) {
  Sim s;
  s.state.gp[1] = static_cast<uint32_t>(-5);
  s.state.gp[2] = 3;
  s.state.int_sram[9] = 1234;
  EXPECT_RUN_OK(s.run({
      inst(Opcode::S_ST_INT, 1, 2, 0, 0, 0, 4),  // INT[3 + 4] = -5
      inst(Opcode::S_LD_INT, 3, 0, 0, 0, 0, 7),
      inst(Opcode::S_LD_INT, 4, 2, 0, 0, 0, 6),
  }));
  EXPECT_EQ(s.state.int_sram[7], -5);
  EXPECT_EQ(s.state.gp[3], 0xFFFFFFFBu);
  EXPECT_EQ(s.state.gp[4], 1234u);
}

TEST(SimScalar, Gp0IgnoresWrites) {
  Sim s;
  s.state.int_sram[0] = 99;
  EXPECT_RUN_OK(s.run({addi(0, 0, 5), test::lui(0, 3), inst(Opcode::S_LD_INT, 0, 0, 0, 0, 0, 0),
                       inst(Opcode::S_ADD_INT, 1, 0, 0)}));
  EXPECT_EQ(s.state.gp[0], 0u);
  EXPECT_EQ(s.state.gp[1], 0u);
}

// ---- floating point ----

TEST(SimScalar, FpBasicArithmetic) {
  Sim s;
  s.state.fp[1] = 1.5f;
  s.state.fp[2] = 0.25f;
  EXPECT_RUN_OK(s.run({
      inst(Opcode::S_ADD_FP, 3, 1, 2),
      inst(Opcode::S_SUB_FP, 4, 1, 2),
      inst(Opcode::S_MUL_FP, 5, 1, 2),
      inst(Opcode::S_MAX_FP, 6, 2, 1),
  }));
  EXPECT_EQ(s.state.fp[3], 1.75f);
  EXPECT_EQ(s.state.fp[4], 1.25f);
  EXPECT_EQ(s.state.fp[5], 0.375f);
  EXPECT_EQ(s.state.fp[6], 1.5f);
}

// exp(0.25) = 1.28403 -> 164.35/128 -> 164/128 = 1.28125; 1/1.5 = 1.3333/2 -> 171/256 =
// 0.66796875; sqrt(2) = 1.41421 -> 181.02/128 -> 1.4140625.
TEST(SimScalar, FpComplexOpsRoundToBf16) {
  Sim s;
  s.state.fp[1] = 0.25f;
  s.state.fp[2] = 1.5f;
  s.state.fp[3] = 2.0f;
  s.state.fp[4] = -1.0f;
  EXPECT_RUN_OK(s.run({
      inst(Opcode::S_EXP_FP, 5, 1),
      inst(Opcode::S_RECI_FP, 6, 2),
      inst(Opcode::S_SQRT_FP, 7, 3),
      inst(Opcode::S_SQRT_FP, 4, 4),
      inst(Opcode::S_SQRT_FP, 1, 1),
  }));
  EXPECT_EQ(s.state.fp[5], 1.28125f);
  EXPECT_EQ(s.state.fp[6], 0.66796875f);
  EXPECT_EQ(s.state.fp[7], 1.4140625f);
  EXPECT_TRUE(std::isnan(s.state.fp[4]));
  EXPECT_EQ(s.state.fp[1], 0.5f);
}

TEST(SimScalar, FpAddRoundsTiesToEven) {
  Sim s;
  s.state.fp[1] = 1.0f;
  s.state.fp[2] = std::ldexp(1.0f, -8);  // half an ulp of 1 in BF16
  EXPECT_RUN_OK(s.run({inst(Opcode::S_ADD_FP, 3, 1, 2)}));
  EXPECT_EQ(s.state.fp[3], 1.0f);
}

TEST(SimScalar, MaxFpIgnoresASingleNan) {
  Sim s;
  s.state.fp[1] = std::nanf("");
  s.state.fp[2] = -3.0f;
  EXPECT_RUN_OK(s.run({inst(Opcode::S_MAX_FP, 3, 1, 2)}));
  EXPECT_EQ(s.state.fp[3], -3.0f);
}

TEST(SimScalar, FpSramLoadStoreAndF0StaysZero) {
  Sim s;
  s.state.fp_sram[10] = 2.5f;
  s.state.fp[3] = -0.75f;
  s.state.gp[1] = 4;
  EXPECT_RUN_OK(s.run({
      inst(Opcode::S_LD_FP, 1, 1, 0, 0, 0, 6),   // f1 = FP[4 + 6]
      inst(Opcode::S_ST_FP, 3, 1, 0, 0, 0, 8),   // FP[12] = f3
      inst(Opcode::S_LD_FP, 0, 1, 0, 0, 0, 6),   // ignored
      inst(Opcode::S_ADD_FP, 0, 1, 1),           // ignored
  }));
  EXPECT_EQ(s.state.fp[1], 2.5f);
  EXPECT_EQ(s.state.fp_sram[12], -0.75f);
  EXPECT_EQ(s.state.fp[0], 0.0f);
}

TEST(SimScalar, MapVFpCopiesAVectorRowFromFpSram) {
  Sim s;
  for (int i = 0; i < 8; ++i) s.state.fp_sram[8 + i] = static_cast<float>(i) - 3.5f;
  s.state.gp[1] = 4;
  s.state.gp[3] = 16;
  EXPECT_RUN_OK(s.run({inst(Opcode::S_MAP_V_FP, 3, 1, 0, 0, 0, 4)}));  // V[16..] = FP[8..]
  EXPECT_EQ(test::slice(s.state.vector_sram, 16, 8),
            (std::vector<float>{-3.5f, -2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 3.5f}));
}

// ---- control registers ----

TEST(SimControl, SpecialRegistersTakeGpValues) {
  Sim s;
  s.state.gp[1] = 0x12;
  s.state.gp[2] = 0x345678;
  s.state.gp[3] = 77;
  EXPECT_RUN_OK(s.run({
      inst(Opcode::C_SET_ADDR_REG, 2, 1, 2),
      inst(Opcode::C_SET_SCALE_REG, 3),
      inst(Opcode::C_SET_STRIDE_REG, 2),
      inst(Opcode::C_SET_V_MASK_REG, 1),
  }));
  EXPECT_EQ(s.state.addr[2], 0x1200345678ull);
  EXPECT_TRUE(s.state.addr_valid[2]);
  EXPECT_FALSE(s.state.addr_valid[1]);
  EXPECT_EQ(s.state.scale_offset, 77u);
  EXPECT_EQ(s.state.stride, 0x345678u);
  EXPECT_EQ(s.state.vmask, 0x12u);
}

// ---- loops ----

TEST(SimControl, LoopRunsItsBodyNTimes) {
  Sim s;
  const SimResult r = s.run({loop_start(1, 5), addi(2, 2, 1), loop_end(1)});
  EXPECT_RUN_OK(r);
  EXPECT_EQ(s.state.gp[2], 5u);
  EXPECT_EQ(s.state.gp[1], 0u);  // the counter is architecturally visible
  EXPECT_EQ(r.instructions, 1u + 5u * 2u);
  EXPECT_EQ(r.instruction_mix.at("C_LOOP_START"), 1u);
  EXPECT_EQ(r.instruction_mix.at("S_ADDI_INT"), 5u);
  EXPECT_EQ(r.instruction_mix.at("C_LOOP_END"), 5u);
  EXPECT_EQ(r.instruction_mix.size(), 3u);
}

TEST(SimControl, LoopOfOneRunsOnce) {
  Sim s;
  EXPECT_RUN_OK(s.run({loop_start(1, 1), addi(2, 2, 1), loop_end(1), addi(3, 0, 9)}));
  EXPECT_EQ(s.state.gp[2], 1u);
  EXPECT_EQ(s.state.gp[3], 9u);
}

TEST(SimControl, NestedLoopsMultiplyTripCounts) {
  Sim s;
  const SimResult r = s.run({loop_start(1, 3), loop_start(2, 4), addi(3, 3, 1), loop_end(2),
                             addi(4, 4, 1), loop_end(1)});
  EXPECT_RUN_OK(r);
  EXPECT_EQ(s.state.gp[3], 12u);
  EXPECT_EQ(s.state.gp[4], 3u);
  // 1 + 3 * (start + 4 * (addi + end) + addi + end)
  EXPECT_EQ(r.instructions, 1u + 3u * (1u + 4u * 2u + 2u));
}

TEST(SimControl, WritingTheCounterInTheBodyChangesTheTripCount) {
  Sim s;
  // The body sets the counter to 1, so C_LOOP_END takes it to 0 and exits after one pass.
  EXPECT_RUN_OK(s.run({loop_start(1, 10), addi(2, 2, 1), addi(1, 0, 1), loop_end(1)}));
  EXPECT_EQ(s.state.gp[2], 1u);
}

TEST(SimControl, SequentialLoopsMayReuseACounter) {
  Sim s;
  EXPECT_RUN_OK(s.run({loop_start(1, 2), addi(2, 2, 1), loop_end(1), loop_start(1, 3),
                       addi(2, 2, 10), loop_end(1)}));
  EXPECT_EQ(s.state.gp[2], 32u);
}

TEST(SimControl, BreakStopsTheProgram) {
  Sim s;
  const SimResult r = s.run({addi(1, 0, 1), inst(Opcode::C_BREAK), addi(1, 0, 2)});
  EXPECT_RUN_OK(r);
  EXPECT_TRUE(r.stopped_by_break);
  EXPECT_EQ(s.state.gp[1], 1u);
  EXPECT_EQ(r.instructions, 2u);
}

TEST(SimControl, BreakInsideALoopIsNotAStructureError) {
  Sim s;
  const SimResult r = s.run({loop_start(1, 5), addi(2, 2, 1), inst(Opcode::C_BREAK), loop_end(1)});
  EXPECT_RUN_OK(r);
  EXPECT_TRUE(r.stopped_by_break);
  EXPECT_EQ(s.state.gp[2], 1u);
}

TEST(SimControl, InstructionsAfterBreakAreNeverChecked) {
  Sim s;
  Instruction bad = inst(Opcode::V_ADD_VF, 1, 1, 9);  // f9 does not exist
  Program p = test::make_program({inst(Opcode::C_BREAK)});
  p.instructions.push_back(bad);
  const SimResult r = s.run(p);
  EXPECT_RUN_OK(r);
  EXPECT_TRUE(r.stopped_by_break);
}

TEST(SimControl, ProgramWithoutBreakIsNotStoppedByBreak) {
  Sim s;
  const SimResult r = s.run({addi(1, 0, 1)});
  EXPECT_RUN_OK(r);
  EXPECT_FALSE(r.stopped_by_break);
}

TEST(SimControl, EmptyProgramRunsZeroCycles) {
  Sim s;
  const SimResult r = s.run(Program{});
  EXPECT_RUN_OK(r);
  EXPECT_EQ(r.cycles, 0u);
  EXPECT_EQ(r.instructions, 0u);
}

}  // namespace
}  // namespace plena
