// Every trap kind, with the instruction index, source line, memory and address it reports, and
// the guarantee that a trapped instruction leaves the state untouched. Small preset: vector
// SRAM 1024 elements, matrix SRAM 256, FP/INT SRAM 64, HBM 4096 bytes.
#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "sim_test_util.h"

namespace plena {
namespace {

using test::addi;
using test::inst;
using test::loop_end;
using test::loop_start;
using test::Sim;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Checks kind, pc and (pc + 1) as the source line (make_program numbers lines from 1).
void expect_trap(const SimResult& r, TrapKind kind, uint64_t pc) {
  ASSERT_TRUE(r.trap.has_value()) << "expected " << trap_kind_name(kind);
  EXPECT_EQ(r.trap->kind, kind) << trap_kind_name(r.trap->kind) << ": " << r.trap->message;
  EXPECT_EQ(r.trap->pc, pc) << r.trap->message;
  EXPECT_EQ(r.trap->source_line, pc + 1);
}

void expect_memory_trap(const SimResult& r, TrapKind kind, uint64_t pc, Memory memory,
                        uint64_t address) {
  expect_trap(r, kind, pc);
  ASSERT_TRUE(r.trap && r.trap->memory.has_value()) << (r.trap ? r.trap->message : "");
  EXPECT_EQ(*r.trap->memory, memory) << r.trap->message;
  EXPECT_EQ(r.trap->address, address) << r.trap->message;
}

TEST(SimTraps, KindNamesAreStableSnakeCase) {
  EXPECT_STREQ(trap_kind_name(TrapKind::AddressOutOfRange), "address_out_of_range");
  EXPECT_STREQ(trap_kind_name(TrapKind::MisalignedAddress), "misaligned_address");
  EXPECT_STREQ(trap_kind_name(TrapKind::BadRegister), "bad_register");
  EXPECT_STREQ(trap_kind_name(TrapKind::UninitializedAddressRegister), "uninitialized_address_register");
  EXPECT_STREQ(trap_kind_name(TrapKind::LoopStructure), "loop_structure");
  EXPECT_STREQ(trap_kind_name(TrapKind::AccumulatorMisuse), "accumulator_misuse");
  EXPECT_STREQ(trap_kind_name(TrapKind::IllegalInstruction), "illegal_instruction");
  EXPECT_STREQ(trap_kind_name(TrapKind::InstructionLimit), "instruction_limit");
  EXPECT_STREQ(trap_kind_name(TrapKind::CycleLimit), "cycle_limit");
}

// ---------------------------------------------------------------------------------------------
// address_out_of_range, one per memory
// ---------------------------------------------------------------------------------------------

TEST(SimTraps, VectorSramOutOfRangeNamesTheRangeAndCapacityAndChangesNothing) {
  Sim s;
  s.set_row(8, {-1, -1, -1, -1, -1, -1, -1, -1});
  s.state.gp[1] = 1024;
  s.state.gp[2] = 8;
  const SimResult r = s.run({addi(3, 0, 5), inst(Opcode::V_ADD_VV, 2, 0, 1)});
  expect_memory_trap(r, TrapKind::AddressOutOfRange, 1, Memory::VectorSram, 1024);
  EXPECT_EQ(r.trap->message,
            "V_ADD_VV reads vector SRAM [1024, 1032) but vector SRAM holds 1024 elements");
  EXPECT_EQ(s.state.gp[3], 5u);  // the instruction before the trap ran
  EXPECT_EQ(test::slice(s.state.vector_sram, 8, 8), std::vector<float>(8, -1.0f));
  EXPECT_EQ(r.instructions, 1u);
}

TEST(SimTraps, VectorWriteOutOfRangeSaysWrites) {
  Sim s;
  s.state.gp[2] = 1024;
  const SimResult r = s.run({inst(Opcode::V_EXP_V, 2, 0)});
  expect_memory_trap(r, TrapKind::AddressOutOfRange, 0, Memory::VectorSram, 1024);
  EXPECT_TRUE(contains(r.trap->message, "V_EXP_V writes vector SRAM")) << r.trap->message;
}

TEST(SimTraps, MatrixSramOutOfRange) {
  Sim s;
  s.state.gp[1] = 254;  // column block 254..255 would need rows up to 254 + 7*8 + 1
  const SimResult r = s.run({inst(Opcode::M_MM, 0, 1, 0)});
  expect_memory_trap(r, TrapKind::AddressOutOfRange, 0, Memory::MatrixSram, 254);
  EXPECT_EQ(r.trap->message,
            "M_MM reads matrix SRAM [254, 312) but matrix SRAM holds 256 elements");
}

TEST(SimTraps, FpSramOutOfRange) {
  Sim s;
  s.state.gp[1] = 60;
  const SimResult r = s.run({inst(Opcode::S_LD_FP, 1, 1, 0, 0, 0, 4)});
  expect_memory_trap(r, TrapKind::AddressOutOfRange, 0, Memory::FpSram, 64);
  EXPECT_TRUE(contains(r.trap->message, "holds 64 elements")) << r.trap->message;
}

TEST(SimTraps, MapVFpReadsAWholeRowOfFpSram) {
  Sim s;
  s.state.gp[1] = 57;  // 57 + 8 > 64
  const SimResult r = s.run({inst(Opcode::S_MAP_V_FP, 0, 1)});
  expect_memory_trap(r, TrapKind::AddressOutOfRange, 0, Memory::FpSram, 57);
}

TEST(SimTraps, IntSramOutOfRangeWithoutAddressWrap) {
  Sim s;
  s.state.gp[1] = 0xFFFFFFFFu;
  const SimResult r = s.run({inst(Opcode::S_ST_INT, 2, 1, 0, 0, 0, 262143)});
  expect_memory_trap(r, TrapKind::AddressOutOfRange, 0, Memory::IntSram, 0xFFFFFFFFull + 262143);
}

TEST(SimTraps, HbmElementsOutOfRange) {
  Sim s;
  s.set_addr_reg(0, 4090);
  const SimResult r = s.run({inst(Opcode::H_PREFETCH_V, 0, 0, 0)});
  expect_memory_trap(r, TrapKind::AddressOutOfRange, 0, Memory::Hbm, 4090);
  EXPECT_EQ(r.trap->message, "H_PREFETCH_V reads HBM [4090, 4098) but HBM holds 4096 bytes");
  EXPECT_EQ(r.hbm_bytes_read, 0u);
}

TEST(SimTraps, HbmScaleOutOfRange) {
  Sim s;
  s.set_addr_reg(0, 0);
  s.state.scale_offset = 4096;
  s.set_row(0, {1, 1, 1, 1, 1, 1, 1, 1});
  const SimResult r = s.run({inst(Opcode::H_STORE_V, 0, 0, 0)});
  expect_memory_trap(r, TrapKind::AddressOutOfRange, 0, Memory::Hbm, 4096);
  EXPECT_TRUE(contains(r.trap->message, "writes HBM")) << r.trap->message;
  EXPECT_EQ(s.state.hbm[0], 0);  // elements were in range but nothing was written
}

TEST(SimTraps, StoresOutsideTheWritableHbmRangesAreWriteProtected) {
  Sim s;
  s.limits.hbm_writable = {{2048, 3072}, {3584, 3712}};  // data and its scales
  s.state.scale_offset = 1536;                           // scales of 2048.. at 3584..
  s.set_row(0, {1, 2, 3, 4, 5, 6, 7, 8});
  s.set_addr_reg(0, 0);
  s.set_addr_reg(1, 2048);
  // Into the writable range (and its scales): fine. Then over the inputs at HBM 0: a trap.
  const SimResult r = s.run({inst(Opcode::H_STORE_V, 0, 0, 1), inst(Opcode::H_STORE_V, 0, 0, 0)});
  expect_memory_trap(r, TrapKind::WriteProtected, 1, Memory::Hbm, 0);
  EXPECT_TRUE(contains(r.trap->message, "outside the writable regions")) << r.trap->message;
  EXPECT_NE(s.state.hbm[2048], 0);  // the first store landed
  EXPECT_EQ(s.state.hbm[0], 0);     // the protected bytes did not change
  EXPECT_STREQ(trap_kind_name(TrapKind::WriteProtected), "write_protected");
}

TEST(SimTraps, HbmAddressNearTwoToTheSixtyFourDoesNotWrap) {
  Sim s;
  s.set_addr_reg(0, std::numeric_limits<uint64_t>::max() - 3);
  const SimResult r = s.run({inst(Opcode::H_PREFETCH_M, 0, 0, 0)});
  expect_trap(r, TrapKind::AddressOutOfRange, 0);
  s.set_addr_reg(0, std::numeric_limits<uint64_t>::max() - 3);
  s.state.scale_offset = 100;
  const SimResult r2 = s.run({inst(Opcode::H_PREFETCH_V, 0, 0, 0)});
  expect_trap(r2, TrapKind::AddressOutOfRange, 0);
}

// ---------------------------------------------------------------------------------------------
// misaligned_address
// ---------------------------------------------------------------------------------------------

TEST(SimTraps, MisalignedVectorAddress) {
  Sim s;
  s.state.gp[1] = 3;
  const SimResult r = s.run({inst(Opcode::V_ADD_VV, 0, 1, 0)});
  expect_memory_trap(r, TrapKind::MisalignedAddress, 0, Memory::VectorSram, 3);
  EXPECT_TRUE(contains(r.trap->message, "multiple of VLEN = 8")) << r.trap->message;
}

TEST(SimTraps, MisalignedMatrixAndWriteOutAddresses) {
  Sim s;
  s.state.gp[1] = 3;
  expect_memory_trap(s.run({inst(Opcode::M_MM, 0, 1, 0)}), TrapKind::MisalignedAddress, 0,
                     Memory::MatrixSram, 3);
  expect_memory_trap(s.run({inst(Opcode::M_MV, 0, 0, 1)}), TrapKind::MisalignedAddress, 0,
                     Memory::MatrixSram, 3);
  const SimResult wo = s.run({inst(Opcode::M_MM), inst(Opcode::M_MM_WO, 1, 0, 0)});
  expect_memory_trap(wo, TrapKind::MisalignedAddress, 1, Memory::VectorSram, 3);
  EXPECT_TRUE(contains(wo.trap->message, "multiple of BLEN = 2")) << wo.trap->message;
}

TEST(SimTraps, PrefetchMDestinationMustBeATile) {
  Sim s;
  s.set_addr_reg(0, 0);
  s.state.gp[1] = 8;
  const SimResult r = s.run({inst(Opcode::H_PREFETCH_M, 1, 0, 0)});
  expect_memory_trap(r, TrapKind::MisalignedAddress, 0, Memory::MatrixSram, 8);
}

TEST(SimTraps, MxStoreRowMustStartOnABlockBoundary) {
  Sim s;
  s.set_addr_reg(0, 100);
  s.state.gp[1] = 4;
  const SimResult r = s.run({inst(Opcode::H_STORE_V, 0, 1, 0)});
  expect_memory_trap(r, TrapKind::MisalignedAddress, 0, Memory::Hbm, 104);
  EXPECT_TRUE(contains(r.trap->message, "multiple of 8")) << r.trap->message;
  EXPECT_EQ(r.hbm_bytes_written, 0u);
}

TEST(SimTraps, StridedMxStoreChecksEveryRow) {
  Sim s;
  s.set_addr_reg(0, 0);
  s.state.stride = 12;  // row 1 starts at element 12
  const SimResult r = s.run({inst(Opcode::H_STORE_V, 0, 0, 0, 1)});
  expect_memory_trap(r, TrapKind::MisalignedAddress, 0, Memory::Hbm, 12);
  EXPECT_EQ(s.state.hbm[0], 0);  // row 0 was not written either
}

TEST(SimTraps, Bf16StoreHasNoBlockAlignment) {
  HardwareConfig c = test::small_config();
  c.activation_format = HbmFormat::Bf16;
  Sim s(c);
  s.set_addr_reg(0, 0);
  s.state.gp[1] = 4;
  EXPECT_RUN_OK(s.run({inst(Opcode::H_STORE_V, 0, 1, 0)}));
}

// ---------------------------------------------------------------------------------------------
// bad_register, illegal_instruction
// ---------------------------------------------------------------------------------------------

TEST(SimTraps, F8AsAnOperandIsABadRegister) {
  Sim s;
  const SimResult r = s.run({addi(1, 0, 1), addi(2, 0, 2), inst(Opcode::V_ADD_VF, 0, 0, 8)});
  expect_trap(r, TrapKind::BadRegister, 2);
  EXPECT_TRUE(contains(r.trap->message, "f8")) << r.trap->message;
  EXPECT_EQ(s.state.gp[2], 2u);
  expect_trap(s.run({inst(Opcode::S_ADD_FP, 9, 1, 1)}), TrapKind::BadRegister, 0);
  expect_trap(s.run({inst(Opcode::V_RED_SUM, 15, 0)}), TrapKind::BadRegister, 0);
}

TEST(SimTraps, A8AndGp16AreBadRegisters) {
  Sim s;
  s.set_addr_reg(0, 0);
  const SimResult a8 = s.run({inst(Opcode::H_PREFETCH_V, 0, 0, 8)});
  expect_trap(a8, TrapKind::BadRegister, 0);
  EXPECT_TRUE(contains(a8.trap->message, "a8")) << a8.trap->message;
  expect_trap(s.run({inst(Opcode::C_SET_ADDR_REG, 8, 1, 2)}), TrapKind::BadRegister, 0);
  const SimResult gp16 = s.run({inst(Opcode::S_ADD_INT, 1, 16, 0)});
  expect_trap(gp16, TrapKind::BadRegister, 0);
  EXPECT_TRUE(contains(gp16.trap->message, "gp16")) << gp16.trap->message;
  expect_trap(s.run({inst(Opcode::M_BMM, 200, 0, 0)}), TrapKind::BadRegister, 0);
}

TEST(SimTraps, OutOfRangeFieldValuesAreIllegalInstructions) {
  Sim s;
  expect_trap(s.run({inst(Opcode::V_ADD_VV, 0, 0, 0, 2)}), TrapKind::IllegalInstruction, 0);  // rmask 2
  expect_trap(s.run({inst(Opcode::V_SUB_VF, 0, 0, 0, 0, 3)}), TrapKind::IllegalInstruction, 0);  // rorder 3
  expect_trap(s.run({addi(1, 0, 1 << 17)}), TrapKind::IllegalInstruction, 0);
  expect_trap(s.run({inst(Opcode::S_LD_INT, 1, 0, 0, 0, 0, -1)}), TrapKind::IllegalInstruction, 0);
  expect_trap(s.run({test::lui(1, 1 << 20)}), TrapKind::IllegalInstruction, 0);
  expect_trap(s.run({inst(Opcode::M_MM, 3, 0, 0)}), TrapKind::IllegalInstruction, 0);  // rd must be 0
}

TEST(SimTraps, InstructionWithoutDefinitionIsIllegal) {
  Sim s;
  Program p = test::make_program({addi(1, 0, 1)});
  Instruction unknown;
  unknown.source_line = 2;
  p.instructions.push_back(unknown);
  const SimResult r = s.run(p);
  expect_trap(r, TrapKind::IllegalInstruction, 1);
  EXPECT_EQ(s.state.gp[1], 1u);
}

TEST(SimTraps, InvalidHardwareConfigIsReportedNotCrashed) {
  HardwareConfig c = test::small_config();
  Sim s(c);
  s.config.blen = 3;  // MLEN 8 is not a multiple
  const SimResult r = s.run({inst(Opcode::M_MM)});
  ASSERT_TRUE(r.trap.has_value());
  EXPECT_EQ(r.trap->kind, TrapKind::IllegalInstruction);
  EXPECT_TRUE(contains(r.trap->message, "configuration")) << r.trap->message;
}

// ---------------------------------------------------------------------------------------------
// uninitialized_address_register
// ---------------------------------------------------------------------------------------------

TEST(SimTraps, UnsetAddressRegister) {
  Sim s;
  const SimResult r = s.run({inst(Opcode::H_PREFETCH_V, 0, 0, 3)});
  expect_trap(r, TrapKind::UninitializedAddressRegister, 0);
  EXPECT_TRUE(contains(r.trap->message, "a3")) << r.trap->message;
  EXPECT_FALSE(r.trap->memory.has_value());
  EXPECT_RUN_OK(s.run({inst(Opcode::C_SET_ADDR_REG, 3, 0, 0), inst(Opcode::H_PREFETCH_V, 0, 0, 3)}));
}

// ---------------------------------------------------------------------------------------------
// loop_structure
// ---------------------------------------------------------------------------------------------

TEST(SimTraps, LoopEndMustNameTheInnermostCounter) {
  Sim s;
  const SimResult r = s.run({loop_start(1, 2), addi(3, 3, 1), loop_end(2)});
  expect_trap(r, TrapKind::LoopStructure, 2);
  EXPECT_TRUE(contains(r.trap->message, "gp1")) << r.trap->message;
}

TEST(SimTraps, LoopEndWithoutStart) {
  Sim s;
  expect_trap(s.run({addi(1, 0, 1), loop_end(1)}), TrapKind::LoopStructure, 1);
}

TEST(SimTraps, LoopNestingDeeperThanTheLimit) {
  HardwareConfig c = test::small_config();
  c.max_loop_depth = 2;
  Sim s(c);
  expect_trap(s.run({loop_start(1, 2), loop_start(2, 2), loop_start(3, 2), loop_end(3),
                     loop_end(2), loop_end(1)}),
              TrapKind::LoopStructure, 2);
}

TEST(SimTraps, LoopCountZeroAndGp0CounterAndReusedCounter) {
  Sim s;
  expect_trap(s.run({loop_start(1, 0), loop_end(1)}), TrapKind::LoopStructure, 0);
  expect_trap(s.run({loop_start(0, 3), loop_end(0)}), TrapKind::LoopStructure, 0);
  expect_trap(s.run({loop_start(1, 2), loop_start(1, 3), loop_end(1), loop_end(1)}),
              TrapKind::LoopStructure, 1);
}

TEST(SimTraps, LoopLeftOpenAtTheEndOfTheProgram) {
  Sim s;
  const SimResult r = s.run({addi(2, 0, 1), loop_start(1, 3), addi(2, 2, 1)});
  expect_trap(r, TrapKind::LoopStructure, 1);
}

TEST(SimTraps, LoopBodyLongerThanTheLimit) {
  HardwareConfig c = test::small_config();
  c.max_loop_body = 2;
  Sim s(c);
  expect_trap(s.run({loop_start(1, 2), addi(2, 2, 1), addi(2, 2, 1), addi(2, 2, 1), loop_end(1)}),
              TrapKind::LoopStructure, 4);
}

// ---------------------------------------------------------------------------------------------
// accumulator_misuse
// ---------------------------------------------------------------------------------------------

TEST(SimTraps, MixingBmmAndBtmmWithoutWriteOut) {
  Sim s;
  const SimResult r = s.run({inst(Opcode::M_BMM), inst(Opcode::M_BTMM)});
  expect_trap(r, TrapKind::AccumulatorMisuse, 1);
  EXPECT_TRUE(contains(r.trap->message, "M_BMM_WO")) << r.trap->message;
  EXPECT_EQ(r.macs, 128u);  // the first one ran
  EXPECT_RUN_OK(s.run({inst(Opcode::M_BMM), inst(Opcode::M_BMM_WO), inst(Opcode::M_BTMM),
                       inst(Opcode::M_BMM_WO)}));
}

TEST(SimTraps, MixingBlockAndBatchedMatmuls) {
  Sim s;
  expect_trap(s.run({inst(Opcode::M_MM), inst(Opcode::M_BMM)}), TrapKind::AccumulatorMisuse, 1);
  expect_trap(s.run({inst(Opcode::M_BTMM), inst(Opcode::M_TMM)}), TrapKind::AccumulatorMisuse, 1);
  expect_trap(s.run({inst(Opcode::M_MV), inst(Opcode::M_BMV)}), TrapKind::AccumulatorMisuse, 1);
  expect_trap(s.run({inst(Opcode::M_BMV), inst(Opcode::M_BTMV)}), TrapKind::AccumulatorMisuse, 1);
  EXPECT_RUN_OK(s.run({inst(Opcode::M_MM), inst(Opcode::M_TMM), inst(Opcode::M_MM_WO)}));
  // The block and row accumulators are independent of each other.
  EXPECT_RUN_OK(s.run({inst(Opcode::M_MM), inst(Opcode::M_MV), inst(Opcode::M_MV_WO),
                       inst(Opcode::M_MM_WO)}));
}

TEST(SimTraps, WriteOutOfAnEmptyAccumulator) {
  Sim s;
  for (Opcode wo : {Opcode::M_MM_WO, Opcode::M_BMM_WO, Opcode::M_MV_WO, Opcode::M_BMV_WO}) {
    const SimResult r = s.run({inst(wo)});
    expect_trap(r, TrapKind::AccumulatorMisuse, 0);
    EXPECT_TRUE(contains(r.trap->message, "empty")) << r.trap->message;
  }
  // A second write-out after the first cleared the accumulator.
  expect_trap(s.run({inst(Opcode::M_MM), inst(Opcode::M_MM_WO), inst(Opcode::M_MM_WO)}),
              TrapKind::AccumulatorMisuse, 2);
}

TEST(SimTraps, WriteOutMustMatchTheProducer) {
  Sim s;
  const SimResult r = s.run({inst(Opcode::M_MM), inst(Opcode::M_BMM_WO)});
  expect_trap(r, TrapKind::AccumulatorMisuse, 1);
  EXPECT_TRUE(contains(r.trap->message, "M_MM_WO")) << r.trap->message;
  expect_trap(s.run({inst(Opcode::M_BTMM), inst(Opcode::M_MM_WO)}), TrapKind::AccumulatorMisuse, 1);
  expect_trap(s.run({inst(Opcode::M_BTMV), inst(Opcode::M_MV_WO)}), TrapKind::AccumulatorMisuse, 1);
  expect_trap(s.run({inst(Opcode::M_TMV), inst(Opcode::M_BMV_WO)}), TrapKind::AccumulatorMisuse, 1);
}

// ---------------------------------------------------------------------------------------------
// instruction_limit, cycle_limit
// ---------------------------------------------------------------------------------------------

Program effectively_infinite_loop() {
  // (2^22 - 1)^2 iterations: about 1.8e13 instructions.
  return test::make_program({loop_start(1, (1 << 22) - 1), loop_start(2, (1 << 22) - 1),
                             addi(3, 3, 1), loop_end(2), loop_end(1)});
}

TEST(SimTraps, InstructionLimitStopsAnEffectivelyInfiniteLoop) {
  Sim s;
  s.limits.max_instructions = 1'000'000;
  const SimResult r = s.run(effectively_infinite_loop());
  ASSERT_TRUE(r.trap.has_value());
  EXPECT_EQ(r.trap->kind, TrapKind::InstructionLimit);
  EXPECT_EQ(r.instructions, 1'000'000u);
  EXPECT_LT(r.trap->pc, 5u);
}

TEST(SimTraps, DefaultInstructionLimitAlsoEndsTheLoop) {
  Sim s;
  const auto start = std::chrono::steady_clock::now();
  const SimResult r = s.run(effectively_infinite_loop());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(r.trap.has_value());
  EXPECT_EQ(r.trap->kind, TrapKind::InstructionLimit);
  EXPECT_EQ(r.instructions, Limits{}.max_instructions);
  RecordProperty("seconds", std::to_string(seconds));
}

TEST(SimTraps, CycleLimit) {
  HardwareConfig c = test::small_config();
  test::set_latency(c, LatencyClass::VecRedSum, 8);
  Sim s(c);
  s.limits.max_cycles = 1000;
  const SimResult r = s.run({loop_start(1, 100000), inst(Opcode::V_RED_SUM, 1, 0), loop_end(1)});
  ASSERT_TRUE(r.trap.has_value());
  EXPECT_EQ(r.trap->kind, TrapKind::CycleLimit);
  // Each pass costs 8 + 1 cycles; the run stops at the first instruction issued past 1000.
  EXPECT_GT(r.cycles, 1000u);
  EXPECT_LE(r.cycles, 1009u);
}

TEST(SimTraps, CycleLimitCountsTheDmaDrain) {
  Sim s;
  s.limits.max_cycles = 50;
  s.set_addr_reg(0, 0);
  const SimResult r = s.run({inst(Opcode::H_PREFETCH_V, 0, 0, 0)});  // done at 104
  expect_trap(r, TrapKind::CycleLimit, 0);
  EXPECT_EQ(r.cycles, 104u);
}

// ---------------------------------------------------------------------------------------------
// Robustness: arbitrary field values, registers and addresses must end in a result or a trap,
// never a crash (run under ASan/UBSan to make this test bite).
// ---------------------------------------------------------------------------------------------

Instruction random_instruction(std::mt19937& rng) {
  const auto& table = instruction_table();
  auto pick = [&rng](uint32_t n) { return static_cast<uint32_t>(rng() % n); };
  Instruction in;
  in.def = pick(40) == 0 ? nullptr : &table[pick(kInstructionCount)];
  // Mostly small (legal) register numbers, sometimes anything a byte can hold.
  auto field = [&]() { return static_cast<uint8_t>(pick(8) == 0 ? pick(256) : pick(8)); };
  in.rd = field();
  in.rs1 = field();
  in.rs2 = field();
  in.rs3 = static_cast<uint8_t>(pick(4) == 0 ? pick(16) : pick(2));
  in.funct1 = static_cast<uint8_t>(pick(4) == 0 ? pick(16) : pick(2));
  const int64_t imms[] = {0, 1, 8, 64, 4095, (1 << 17) - 1, -1, -(1 << 17), 1 << 22, -(int64_t{1} << 40)};
  in.imm = pick(2) ? imms[pick(10)] : static_cast<int64_t>(pick(1 << 18));
  return in;
}

TEST(SimTraps, RandomProgramsNeverCrash) {
  std::mt19937 rng(2024);
  const uint32_t interesting[] = {0, 1, 3, 8, 64, 256, 1024, 4090, 0x7FFFFFFF, 0x80000000u, 0xFFFFFFFFu};
  for (int round = 0; round < 3000; ++round) {
    Sim s;
    s.limits.max_instructions = 2000;
    for (uint32_t& g : s.state.gp) g = interesting[rng() % 11];
    for (unsigned a = 0; a < kAddrRegs; ++a)
      if (rng() % 2) s.set_addr_reg(a, rng() % 3 ? rng() % 4096 : ~uint64_t{0} - rng() % 16);
    s.state.scale_offset = interesting[rng() % 11];
    s.state.stride = interesting[rng() % 11];
    s.state.vmask = static_cast<uint32_t>(rng());
    Program p;
    const int length = 1 + static_cast<int>(rng() % 24);
    for (int i = 0; i < length; ++i) p.instructions.push_back(random_instruction(rng));
    const SimResult r = s.run(p);
    if (r.trap) {
      EXPECT_LE(r.trap->pc, p.instructions.size());
    }
    EXPECT_LE(r.instructions, 2000u);
  }
}

}  // namespace
}  // namespace plena
