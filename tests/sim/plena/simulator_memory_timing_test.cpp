// HBM transfers (MXFP8/BF16 layout, strides) and the timing model: per-class latencies, DMA
// channel occupancy, pending ranges and queue depth. Cycle counts are derived by hand from
// docs/plena-model.md "Timing" on the small preset: every latency 1 unless a test changes it,
// hbm_latency 100, 4 bytes per cycle. One MXFP8 row of 8 elements moves 8 + 1 scale = 9 bytes,
// i.e. ceil(9 / 4) = 3 channel cycles.
#include <gtest/gtest.h>

#include <vector>

#include "plena/hbm_codec.h"
#include "sim_test_util.h"

namespace plena {
namespace {

using test::inst;
using test::set_latency;
using test::Sim;
using test::slice;
using V = std::vector<float>;

// H_* operand order: rd (SRAM address reg), rs1 (HBM offset reg), rs2 (a-reg), rs3 (rstride),
// funct1 (precision).
Instruction prefetch_v(uint8_t dst, uint8_t off, uint8_t a, uint8_t rstride = 0, uint8_t prec = 0) {
  return inst(Opcode::H_PREFETCH_V, dst, off, a, rstride, prec);
}
Instruction prefetch_m(uint8_t dst, uint8_t off, uint8_t a, uint8_t rstride = 0, uint8_t prec = 0) {
  return inst(Opcode::H_PREFETCH_M, dst, off, a, rstride, prec);
}
Instruction store_v(uint8_t src, uint8_t off, uint8_t a, uint8_t rstride = 0, uint8_t prec = 0) {
  return inst(Opcode::H_STORE_V, src, off, a, rstride, prec);
}

void write_hbm(Sim& s, HbmFormat f, uint64_t base, uint64_t scale_base, const V& values) {
  std::string error;
  ASSERT_TRUE(write_hbm_tensor(s.state.hbm, f, base, scale_base, 0, values.data(), values.size(), error))
      << error;
}

// ---------------------------------------------------------------------------------------------
// Data movement
// ---------------------------------------------------------------------------------------------

// [1..8]: scale byte 122 (X = 3 - 8), elements 0x60 0x68 0x6C 0x70 0x72 0x74 0x76 0x78.
TEST(SimHbm, StoreQuantisesWithTheSharedScaleAtBasePlusScaleRegPlusOffsetOver8) {
  Sim s;
  s.set_row(0, {1, 2, 3, 4, 5, 6, 7, 8});
  s.set_addr_reg(0, 256);
  s.state.gp[1] = 16;    // element offset
  s.state.gp[2] = 1024;  // SCALE_REG
  const SimResult r = s.run({inst(Opcode::C_SET_SCALE_REG, 2), store_v(0, 1, 0)});
  EXPECT_RUN_OK(r);
  EXPECT_EQ(std::vector<uint8_t>(s.state.hbm.begin() + 272, s.state.hbm.begin() + 280),
            (std::vector<uint8_t>{0x60, 0x68, 0x6C, 0x70, 0x72, 0x74, 0x76, 0x78}));
  EXPECT_EQ(s.state.hbm[256 + 1024 + 2], 122);
  EXPECT_EQ(s.state.hbm[256 + 1024 + 1], 0);
  EXPECT_EQ(r.hbm_bytes_written, 9u);
  EXPECT_EQ(r.hbm_bytes_read, 0u);
}

TEST(SimHbm, PrefetchDequantisesAndRepresentableValuesRoundTripExactly) {
  Sim s;
  s.set_row(0, {1, 2, 3, 4, 5, 6, 7, 8});
  s.set_row(8, {-0.25f, 0.5f, 0.75f, 1.5f, -3, 2, 1, 0});
  s.set_addr_reg(3, 100);
  s.state.scale_offset = 2000;
  s.state.gp[1] = 0;
  s.state.gp[2] = 8;
  s.state.gp[4] = 16;  // destination rows 2..3
  s.state.gp[5] = 24;
  const SimResult r = s.run({store_v(1, 1, 3), store_v(2, 2, 3), prefetch_v(4, 1, 3), prefetch_v(5, 2, 3)});
  EXPECT_RUN_OK(r);
  EXPECT_EQ(slice(s.state.vector_sram, 16, 8), (V{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(slice(s.state.vector_sram, 24, 8), (V{-0.25f, 0.5f, 0.75f, 1.5f, -3, 2, 1, 0}));
  EXPECT_EQ(r.hbm_bytes_read, 18u);
  EXPECT_EQ(r.hbm_bytes_written, 18u);
}

// Next to amax 8 (scale 2^-5), 1.0625 scales to 34: halfway between the E4M3 neighbours 32 and
// 36, so it rounds to even (32) and comes back as 1.0.
TEST(SimHbm, StoreRoundsToTheBlockGrid) {
  Sim s;
  s.set_row(0, {8, 1.0625f, 0, 0, 0, 0, 0, 0});
  s.set_addr_reg(0, 0);
  s.state.scale_offset = 512;
  s.state.gp[5] = 8;
  EXPECT_RUN_OK(s.run({store_v(0, 0, 0), prefetch_v(5, 0, 0)}));
  EXPECT_EQ(slice(s.state.vector_sram, 8, 2), (V{8, 1}));
}

// HBM element e holds floor(e / 8) + 1: constant blocks, each exact in MXFP8.
void load_block_numbered_tensor(Sim& s, uint64_t count) {
  V values;
  for (uint64_t e = 0; e < count; ++e) values.push_back(static_cast<float>(e / 8 + 1));
  write_hbm(s, HbmFormat::Mxfp8, 0, 2048, values);
  s.set_addr_reg(1, 0);
  s.state.scale_offset = 2048;
}

TEST(SimHbm, StridedPrefetchVReadsVPrefetchRowsAtStrideReg) {
  Sim s;
  load_block_numbered_tensor(s, 64);
  s.state.gp[1] = 8;    // element offset of row 0
  s.state.gp[2] = 24;   // STRIDE_REG
  s.state.gp[3] = 32;   // destination
  const SimResult r = s.run({inst(Opcode::C_SET_STRIDE_REG, 2), prefetch_v(3, 1, 1, 1)});
  EXPECT_RUN_OK(r);
  // v_prefetch_rows = 2: elements 8..15 (block 1 -> 2) and 32..39 (block 4 -> 5).
  EXPECT_EQ(slice(s.state.vector_sram, 32, 8), V(8, 2.0f));
  EXPECT_EQ(slice(s.state.vector_sram, 40, 8), V(8, 5.0f));
  EXPECT_EQ(r.hbm_bytes_read, 18u);
}

TEST(SimHbm, PrefetchMRowPitchIsStrideRegOrMlen) {
  Sim s;
  load_block_numbered_tensor(s, 96);
  s.state.gp[2] = 12;  // STRIDE_REG: rows start mid-block
  s.state.gp[3] = 64;  // tile 1
  const SimResult r = s.run({inst(Opcode::C_SET_STRIDE_REG, 2), prefetch_m(3, 0, 1, 1), prefetch_m(0, 0, 1, 0)});
  EXPECT_RUN_OK(r);
  for (int row = 0; row < 8; ++row)
    for (int c = 0; c < 8; ++c) {
      EXPECT_EQ(s.m(64 + row * 8 + c), static_cast<float>((12 * row + c) / 8 + 1)) << row << "," << c;
      EXPECT_EQ(s.m(row * 8 + c), static_cast<float>(row + 1));
    }
  // Pitch 12: rows 1, 3, 5, 7 straddle two blocks -> 12 scale bytes + 64 elements.
  // Pitch 8: one scale per row -> 8 + 64.
  EXPECT_EQ(r.hbm_bytes_read, 76u + 72u);
}

TEST(SimHbm, StridedStoreWritesVWritebackRows) {
  Sim s;
  s.set_row(0, V(8, 1.0f));
  s.set_row(8, V(8, 2.0f));
  s.set_addr_reg(0, 0);
  s.state.scale_offset = 1000;
  s.state.stride = 32;
  s.state.gp[1] = 16;
  const SimResult r = s.run({store_v(0, 1, 0, 1)});
  EXPECT_RUN_OK(r);
  // 1.0 and 2.0 alone in a block: amax = value -> X = e - 8 -> every element scales to 2^8 = 0x78.
  EXPECT_EQ(s.state.hbm[16], 0x78);
  EXPECT_EQ(s.state.hbm[48], 0x78);
  EXPECT_EQ(s.state.hbm[1000 + 2], 119);  // 1.0: X = 0 - 8
  EXPECT_EQ(s.state.hbm[1000 + 6], 120);  // 2.0: X = 1 - 8
  EXPECT_EQ(s.state.hbm[24], 0);          // nothing between the rows
  EXPECT_EQ(r.hbm_bytes_written, 18u);
}

TEST(SimHbm, Bf16FormatStoresTwoBytesPerElementWithoutScales) {
  HardwareConfig c = test::small_config();
  c.activation_format = HbmFormat::Bf16;
  Sim s(c);
  s.set_row(0, {1.5f, -2, 0, 0, 0, 0, 0, 1});
  s.set_addr_reg(0, 100);
  s.state.gp[1] = 3;  // element offset: byte 100 + 6
  s.state.gp[2] = 8;
  const SimResult r = s.run({store_v(0, 1, 0), prefetch_v(2, 1, 0)});
  EXPECT_RUN_OK(r);
  // 1.5 = 0x3FC0, -2 = 0xC000, 1 = 0x3F80, little endian.
  EXPECT_EQ(std::vector<uint8_t>(s.state.hbm.begin() + 106, s.state.hbm.begin() + 110),
            (std::vector<uint8_t>{0xC0, 0x3F, 0x00, 0xC0}));
  EXPECT_EQ(s.state.hbm[120], 0x80);
  EXPECT_EQ(s.state.hbm[121], 0x3F);
  EXPECT_EQ(slice(s.state.vector_sram, 8, 8), (V{1.5f, -2, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(r.hbm_bytes_written, 16u);
  EXPECT_EQ(r.hbm_bytes_read, 16u);
}

TEST(SimHbm, PrecisionOneSelectsTheKvFormat) {
  HardwareConfig c = test::small_config();
  c.kv_format = HbmFormat::Bf16;
  Sim s(c);
  s.set_row(0, V(8, 1.5f));
  s.set_addr_reg(0, 0);
  const SimResult r = s.run({store_v(0, 0, 0, 0, 1)});
  EXPECT_RUN_OK(r);
  EXPECT_EQ(s.state.hbm[0], 0xC0);
  EXPECT_EQ(s.state.hbm[1], 0x3F);
  EXPECT_EQ(r.hbm_bytes_written, 16u);
}

TEST(SimHbm, WeightFormatAppliesToPrefetchM) {
  HardwareConfig c = test::small_config();
  c.weight_format = HbmFormat::Bf16;
  Sim s(c);
  V values;
  for (int i = 0; i < 64; ++i) values.push_back(static_cast<float>(i - 20));
  write_hbm(s, HbmFormat::Bf16, 0, 0, values);
  s.set_addr_reg(0, 0);
  const SimResult r = s.run({prefetch_m(0, 0, 0)});
  EXPECT_RUN_OK(r);
  EXPECT_EQ(slice(s.state.matrix_sram, 0, 64), values);
  EXPECT_EQ(r.hbm_bytes_read, 128u);
}

// ---------------------------------------------------------------------------------------------
// Timing
// ---------------------------------------------------------------------------------------------

struct ClassCase {
  LatencyClass cls;
  std::vector<Instruction> program;  // the last instruction is of class `cls`
};

std::vector<ClassCase> one_instruction_per_class() {
  return {
      {LatencyClass::MatMul, {inst(Opcode::M_MM)}},
      {LatencyClass::MatVec, {inst(Opcode::M_TMV)}},
      {LatencyClass::BatchedMatVec, {inst(Opcode::M_BTMV)}},
      {LatencyClass::WriteOut, {inst(Opcode::M_MV), inst(Opcode::M_MV_WO)}},
      {LatencyClass::VecAdd, {inst(Opcode::V_SUB_VF)}},
      {LatencyClass::VecMul, {inst(Opcode::V_MUL_VV)}},
      {LatencyClass::VecExp, {inst(Opcode::V_EXP_V)}},
      {LatencyClass::VecReci, {inst(Opcode::V_RECI_V)}},
      {LatencyClass::VecMaxMin, {inst(Opcode::V_MAX_VF)}},
      {LatencyClass::VecRedSum, {inst(Opcode::V_RED_SUM)}},
      {LatencyClass::VecShift, {inst(Opcode::V_SHFT_V)}},
      {LatencyClass::ScalarInt, {inst(Opcode::S_MUL_INT)}},
      {LatencyClass::ScalarFpBasic, {inst(Opcode::S_ADD_FP)}},
      {LatencyClass::ScalarFpComplex, {inst(Opcode::S_SQRT_FP)}},
      {LatencyClass::ScalarMem, {inst(Opcode::S_LD_INT)}},
      {LatencyClass::MapVectorFromFp, {inst(Opcode::S_MAP_V_FP)}},
      {LatencyClass::HbmIssue, {inst(Opcode::H_PREFETCH_V)}},
      {LatencyClass::Control, {inst(Opcode::C_SET_STRIDE_REG)}},
  };
}

uint64_t run_cycles(const HardwareConfig& c, const std::vector<Instruction>& program,
                    SimResult* out = nullptr) {
  Sim s(c);
  s.set_addr_reg(0, 0);
  Program p;
  p.instructions = program;
  const SimResult r = s.run(p);
  EXPECT_RUN_OK(r);
  if (out) *out = r;
  return r.cycles;
}

TEST(SimTiming, EveryLatencyClassCostsItsConfiguredCycles) {
  const std::vector<ClassCase> cases = one_instruction_per_class();
  ASSERT_EQ(cases.size(), kLatencyClassCount);
  for (uint32_t bump : {0u, 7u}) {
    HardwareConfig c = test::small_config();
    for (std::size_t i = 0; i < kLatencyClassCount; ++i)
      c.latency[i] = static_cast<uint32_t>(10 + 3 * i + bump);
    for (const ClassCase& k : cases) {
      ASSERT_EQ(k.program.back().def->latency, k.cls);
      const uint32_t expected = c.latency_of(k.cls);
      SimResult r;
      const uint64_t cycles = run_cycles(c, k.program, &r);
      const std::string name(latency_class_name(k.cls));
      if (k.cls == LatencyClass::WriteOut) {
        EXPECT_EQ(cycles, c.latency_of(LatencyClass::MatVec) + expected) << name;
      } else if (k.cls == LatencyClass::HbmIssue) {
        // Issue holds the memory unit; the run ends when the 9-byte transfer lands.
        EXPECT_EQ(r.units[static_cast<std::size_t>(Unit::Memory)].busy, expected) << name;
        EXPECT_EQ(cycles, expected + 3u + 100u) << name;
      } else {
        EXPECT_EQ(cycles, expected) << name;
      }
    }
  }
}

TEST(SimTiming, SystolicOverheadIsAddedToMatMulOnly) {
  HardwareConfig c = test::small_config();
  set_latency(c, LatencyClass::MatMul, 8);
  set_latency(c, LatencyClass::MatVec, 8);
  c.systolic_overhead = 5;
  EXPECT_EQ(run_cycles(c, {inst(Opcode::M_MM)}), 13u);
  EXPECT_EQ(run_cycles(c, {inst(Opcode::M_BTMM)}), 13u);
  EXPECT_EQ(run_cycles(c, {inst(Opcode::M_MV)}), 8u);
}

TEST(SimTiming, BusyCyclesAreChargedPerUnit) {
  HardwareConfig c = test::small_config();
  set_latency(c, LatencyClass::MatMul, 5);
  set_latency(c, LatencyClass::VecAdd, 3);
  set_latency(c, LatencyClass::ScalarInt, 2);
  SimResult r;
  const uint64_t cycles =
      run_cycles(c, {inst(Opcode::M_MM), inst(Opcode::V_ADD_VV), inst(Opcode::S_ADD_INT),
                     inst(Opcode::S_ADD_INT), inst(Opcode::C_SET_SCALE_REG)}, &r);
  EXPECT_EQ(cycles, 5u + 3u + 2u + 2u + 1u);
  EXPECT_EQ(r.units[static_cast<std::size_t>(Unit::Matrix)].busy, 5u);
  EXPECT_EQ(r.units[static_cast<std::size_t>(Unit::Vector)].busy, 3u);
  EXPECT_EQ(r.units[static_cast<std::size_t>(Unit::Scalar)].busy, 4u);
  EXPECT_EQ(r.units[static_cast<std::size_t>(Unit::Control)].busy, 1u);
  EXPECT_EQ(r.units[static_cast<std::size_t>(Unit::Memory)].busy, 0u);
  for (const UnitCounters& u : r.units) EXPECT_EQ(u.stall, 0u);
}

// Prefetch: issue [0,1), channel [1,4), done 104. The consumer of row 0 waits until 104.
TEST(SimTiming, ConsumerOfAPendingPrefetchStallsUntilItCompletes) {
  Sim s;
  s.set_addr_reg(0, 0);
  s.state.gp[1] = 0;   // prefetch destination row 0
  s.state.gp[2] = 16;
  s.state.gp[3] = 8;
  const SimResult r = s.run({prefetch_v(1, 0, 0), inst(Opcode::V_ADD_VV, 2, 3, 3),
                             inst(Opcode::V_ADD_VV, 2, 1, 1)});
  EXPECT_RUN_OK(r);
  // Independent add: [1,2). Dependent add: waits 2 -> 104, runs [104,105).
  EXPECT_EQ(r.cycles, 105u);
  EXPECT_EQ(r.units[static_cast<std::size_t>(Unit::Vector)].stall, 102u);
  EXPECT_EQ(r.units[static_cast<std::size_t>(Unit::Vector)].busy, 2u);
  EXPECT_EQ(r.units[static_cast<std::size_t>(Unit::Memory)].busy, 1u);
}

TEST(SimTiming, IndependentInstructionsDoNotWaitAndTheRunEndsWhenDmaDrains) {
  Sim s;
  s.set_addr_reg(0, 0);
  s.state.gp[2] = 16;
  s.state.gp[3] = 8;
  const SimResult r = s.run({prefetch_v(1, 0, 0), inst(Opcode::V_ADD_VV, 2, 3, 3)});
  EXPECT_RUN_OK(r);
  EXPECT_EQ(r.cycles, 104u);  // last retire at 2, transfer done at 104
  for (const UnitCounters& u : r.units) EXPECT_EQ(u.stall, 0u);
}

TEST(SimTiming, WritingAPendingDestinationAlsoWaits) {
  Sim s;
  s.set_addr_reg(0, 0);
  s.state.gp[3] = 8;
  // V_ADD_VV writes row 0 (the prefetch destination) from row 1.
  const SimResult r = s.run({prefetch_v(0, 0, 0), inst(Opcode::V_ADD_VV, 0, 3, 3)});
  EXPECT_RUN_OK(r);
  EXPECT_EQ(r.cycles, 105u);
}

// Tile prefetch: 64 elements + 8 scales = 72 bytes = 18 channel cycles: issue [0,1),
// channel [1,19), done 119. M_MM on tile 1 waits; M_MM on tile 0 does not.
TEST(SimTiming, MatmulWaitsOnlyForItsOwnTile) {
  Sim s;
  s.set_addr_reg(0, 0);
  s.state.gp[1] = 64;
  const SimResult independent = s.run({prefetch_m(1, 0, 0), inst(Opcode::M_MM, 0, 0, 0)});
  EXPECT_RUN_OK(independent);
  EXPECT_EQ(independent.cycles, 119u);
  EXPECT_EQ(independent.units[static_cast<std::size_t>(Unit::Matrix)].stall, 0u);

  Sim t;
  t.set_addr_reg(0, 0);
  t.state.gp[1] = 64;
  const SimResult dependent = t.run({prefetch_m(1, 0, 0), inst(Opcode::M_MM, 0, 1, 0)});
  EXPECT_RUN_OK(dependent);
  EXPECT_EQ(dependent.cycles, 120u);  // waits 1 -> 119, runs [119, 120)
  EXPECT_EQ(dependent.units[static_cast<std::size_t>(Unit::Matrix)].stall, 118u);
}

// Two tile prefetches share the channel: P0 [1,19) done 119; P1 starts at 19, [19,37) done 137.
TEST(SimTiming, TransfersSerialiseOnTheChannel) {
  Sim s;
  s.set_addr_reg(0, 0);
  s.state.gp[1] = 64;
  const SimResult r = s.run({prefetch_m(0, 0, 0), prefetch_m(1, 0, 0)});
  EXPECT_RUN_OK(r);
  EXPECT_EQ(r.cycles, 137u);
  EXPECT_EQ(r.hbm_bytes_read, 144u);
}

TEST(SimTiming, BandwidthSetsChannelOccupancy) {
  HardwareConfig c = test::small_config();
  c.hbm_bytes_per_cycle = 1;
  c.hbm_latency = 10;
  Sim s(c);
  s.set_addr_reg(0, 0);
  // 9 bytes at 1 byte/cycle: issue [0,1), channel [1,10), done 20.
  EXPECT_EQ(s.run({prefetch_v(0, 0, 0)}).cycles, 20u);
}

// Queue depth 2: P0 done 104, P1 [4,7) done 107; P2 finds two in flight at cycle 2 and waits
// for the oldest (104): issue [104,105), channel [105,108), done 208.
TEST(SimTiming, FullDmaQueueStallsIssueUntilTheOldestTransferCompletes) {
  HardwareConfig c = test::small_config();
  c.dma_queue_depth = 2;
  Sim s(c);
  s.set_addr_reg(0, 0);
  s.state.gp[1] = 0;
  s.state.gp[2] = 8;
  s.state.gp[3] = 16;
  const SimResult r = s.run({prefetch_v(1, 0, 0), prefetch_v(2, 0, 0), prefetch_v(3, 0, 0)});
  EXPECT_RUN_OK(r);
  EXPECT_EQ(r.cycles, 208u);
  EXPECT_EQ(r.units[static_cast<std::size_t>(Unit::Memory)].stall, 102u);
  EXPECT_EQ(r.units[static_cast<std::size_t>(Unit::Memory)].busy, 3u);
}

TEST(SimTiming, QueueWithRoomDoesNotStall) {
  Sim s;  // depth 4
  s.set_addr_reg(0, 0);
  s.state.gp[2] = 8;
  s.state.gp[3] = 16;
  const SimResult r = s.run({prefetch_v(1, 0, 0), prefetch_v(2, 0, 0), prefetch_v(3, 0, 0)});
  EXPECT_RUN_OK(r);
  // Channel: [1,4) [4,7) [7,10); last done 110.
  EXPECT_EQ(r.cycles, 110u);
  EXPECT_EQ(r.units[static_cast<std::size_t>(Unit::Memory)].stall, 0u);
}

// Store: issue [0,1), channel [1,4), done 104; its HBM bytes are pending until then. A prefetch
// of the same bytes waits: issue [104,105), channel [105,108), done 208.
TEST(SimTiming, PrefetchOfBytesAnInFlightStoreWritesWaitsForTheStore) {
  Sim s;
  s.set_row(0, {1, 2, 3, 4, 5, 6, 7, 8});
  s.set_addr_reg(0, 0);
  s.state.scale_offset = 1024;
  s.state.gp[2] = 8;
  const SimResult r = s.run({store_v(0, 0, 0), prefetch_v(2, 0, 0)});
  EXPECT_RUN_OK(r);
  EXPECT_EQ(r.cycles, 208u);
  EXPECT_EQ(r.units[static_cast<std::size_t>(Unit::Memory)].stall, 103u);
  EXPECT_EQ(slice(s.state.vector_sram, 8, 8), (V{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST(SimTiming, PrefetchOfOtherBytesDoesNotWaitForAStore) {
  Sim s;
  s.set_addr_reg(0, 0);
  s.state.scale_offset = 1024;
  s.state.gp[1] = 64;  // elements [64,72), scale byte 1032: disjoint from the store's
  s.state.gp[2] = 8;
  const SimResult r = s.run({store_v(0, 0, 0), prefetch_v(2, 1, 0)});
  EXPECT_RUN_OK(r);
  // Prefetch issue [1,2), channel [4,7), done 107.
  EXPECT_EQ(r.cycles, 107u);
  EXPECT_EQ(r.units[static_cast<std::size_t>(Unit::Memory)].stall, 0u);
}

TEST(SimTiming, StoreWaitsForAPendingPrefetchOfItsSource) {
  Sim s;
  s.set_addr_reg(0, 0);
  s.state.gp[1] = 64;
  // Prefetch row 0 from HBM 0 (done 104); the store of row 0 to HBM 64 waits for it:
  // issue [104,105), channel [105,108), done 208.
  const SimResult r = s.run({prefetch_v(0, 0, 0), store_v(0, 1, 0)});
  EXPECT_RUN_OK(r);
  EXPECT_EQ(r.cycles, 208u);
}

TEST(SimTiming, StoreReadsItsSourceAtIssue) {
  Sim s;
  s.set_row(0, {1, 2, 3, 4, 5, 6, 7, 8});
  s.set_addr_reg(0, 0);
  s.state.scale_offset = 1024;
  s.state.gp[2] = 8;
  s.state.fp[1] = 100;
  // The add overwrites the store's source right after issue; the store already has the data.
  const SimResult r = s.run({store_v(0, 0, 0), inst(Opcode::V_ADD_VF, 0, 0, 1), prefetch_v(2, 0, 0)});
  EXPECT_RUN_OK(r);
  EXPECT_EQ(slice(s.state.vector_sram, 8, 8), (V{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(s.v(0), 101.0f);
  // The add does not wait: the store's VSRAM source is not pending.
  EXPECT_EQ(r.units[static_cast<std::size_t>(Unit::Vector)].stall, 0u);
}

TEST(SimTiming, ScalarWorkOverlapsATransfer) {
  Sim s;
  s.set_addr_reg(0, 0);
  Program p = test::make_program({prefetch_v(0, 0, 0), test::loop_start(1, 50), test::addi(2, 2, 1),
                                  test::loop_end(1)});
  const SimResult r = s.run(p);
  EXPECT_RUN_OK(r);
  // 1 + 1 + 100 instruction cycles = 102 < 104: the run still ends at the transfer's completion.
  EXPECT_EQ(r.cycles, 104u);
}

TEST(SimTiming, SameProgramTwiceGivesIdenticalResults) {
  auto run_once = [](SimResult& r, MachineState& out) {
    Sim s;
    for (int i = 0; i < 64; ++i) {
      s.v(i) = static_cast<float>((i * 7) % 11) - 5;
      s.m(i) = static_cast<float>((i * 5) % 13) * 0.25f;
    }
    s.set_addr_reg(0, 0);
    s.state.scale_offset = 2048;
    s.state.gp[1] = 64;
    s.state.gp[2] = 128;
    s.state.fp[1] = 0.5f;
    r = s.run({store_v(0, 0, 0), prefetch_m(1, 0, 0), inst(Opcode::M_MM, 0, 1, 0),
               inst(Opcode::M_MM_WO, 2, 0, 0), inst(Opcode::V_EXP_V, 2, 2),
               inst(Opcode::V_RED_SUM, 1, 2), store_v(2, 1, 0)});
    out = s.state;
  };
  SimResult a, b;
  MachineState sa(test::small_config()), sb(test::small_config());
  run_once(a, sa);
  run_once(b, sb);
  EXPECT_RUN_OK(a);
  EXPECT_EQ(a.cycles, b.cycles);
  EXPECT_EQ(a.instructions, b.instructions);
  EXPECT_EQ(a.macs, b.macs);
  for (std::size_t u = 0; u < kUnitCount; ++u) {
    EXPECT_EQ(a.units[u].busy, b.units[u].busy);
    EXPECT_EQ(a.units[u].stall, b.units[u].stall);
  }
  EXPECT_EQ(sa.vector_sram, sb.vector_sram);
  EXPECT_EQ(sa.matrix_sram, sb.matrix_sram);
  EXPECT_EQ(sa.hbm, sb.hbm);
  EXPECT_EQ(sa.fp, sb.fp);
}

}  // namespace
}  // namespace plena
