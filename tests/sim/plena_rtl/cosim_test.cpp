// Co-simulation of hand-written programs, instruction group by group, DMA timing cases and
// every run-time trap kind: each runs on sim/plena and on the RTL and must agree exactly.
#include <fstream>
#include <limits>
#include <thread>
#include <sstream>

#include "../plena/sim_test_util.h"
#include "cosim_util.h"
#include "plena/assembler.h"
#include "plena/poison.h"

namespace plena::rtl::test {
namespace {

using plena::test::addi;
using plena::test::inst;
using plena::test::make_program;

Program assemble_or_fail(const std::string& source, const HardwareConfig& config) {
  AssemblyResult r = assemble(source, config);
  for (const Diagnostic& d : r.diagnostics)
    if (d.severity == Diagnostic::Severity::Error) ADD_FAILURE() << d.to_string();
  return r.program;
}

// A state with poisoned SRAMs (realistic BF16 values everywhere), small f-registers, and an
// HBM region of valid MXFP8 data at 0..16 KiB with scales at 64 KiB.
MachineState busy_state(const HardwareConfig& config, uint64_t seed = 1) {
  MachineState s(config);
  poison(s, seed);
  for (unsigned f = 1; f < 8; ++f) s.fp[f] = static_cast<float>(f) * 0.375f - 1.0f;
  for (std::size_t i = 0; i < 16384; ++i) s.hbm[i] = static_cast<uint8_t>((i * 37 + 11) & 0x7E);
  for (std::size_t i = 65536; i < 65536 + 2048; ++i) s.hbm[i] = static_cast<uint8_t>(120 + i % 9);
  return s;
}

struct CosimCase {
  const char* name;
  const char* source;
};

// Register setup shared by the cases: gp1..gp3 Vector SRAM rows, gp4 a tile, gp5 a second
// tile, gp6 a column block, a0 HBM base with scales 64 KiB above it.
constexpr const char* kPrologue = R"(
S_ADDI_INT gp1, gp0, 0
S_ADDI_INT gp2, gp0, 256
S_ADDI_INT gp3, gp0, 512
S_ADDI_INT gp4, gp0, 0
S_ADDI_INT gp5, gp0, 256
S_ADDI_INT gp6, gp0, 4
S_LUI_INT gp7, 16
C_SET_SCALE_REG gp7
S_ADDI_INT gp8, gp0, 32
C_SET_STRIDE_REG gp8
C_SET_ADDR_REG a0, gp0, gp0
)";

const CosimCase kCases[] = {
    {"scalar_int", "S_ADD_INT gp9, gp2, gp3\nS_SUB_INT gp10, gp1, gp3\nS_MUL_INT gp11, gp10, gp10\n"
                   "S_ADDI_INT gp12, gp11, -5\nS_LUI_INT gp13, 1048575\nS_ST_INT gp12, gp0, 7\n"
                   "S_LD_INT gp14, gp0, 7\nS_LD_INT gp15, gp0, 9\n"},
    {"scalar_fp", "S_ADD_FP f1, f2, f3\nS_SUB_FP f2, f1, f4\nS_MUL_FP f3, f2, f5\nS_MAX_FP f4, f3, f6\n"
                  "S_EXP_FP f5, f4\nS_RECI_FP f6, f5\nS_SQRT_FP f7, f6\nS_SQRT_FP f1, f2\n"
                  "S_RECI_FP f2, f0\nS_ST_FP f7, gp0, 3\nS_LD_FP f3, gp0, 3\nS_LD_FP f4, gp0, 200\n"
                  "S_MAP_V_FP gp3, gp0, 100\n"},
    {"vector_elementwise",
     "V_ADD_VV gp3, gp1, gp2, 0\nV_SUB_VV gp3, gp3, gp2, 0\nV_MUL_VV gp2, gp3, gp1, 0\n"
     "V_ADD_VF gp1, gp2, f1, 0\nV_SUB_VF gp1, gp1, f2, 0, 0\nV_SUB_VF gp2, gp1, f3, 0, 1\n"
     "V_MUL_VF gp2, gp2, f4, 0\nV_MAX_VF gp3, gp2, f5, 0\nV_MIN_VF gp3, gp3, f6, 0\n"
     "S_ADDI_INT gp9, gp0, 1\nC_SET_V_MASK_REG gp9\nV_ADD_VV gp3, gp1, gp2, 1\nV_MUL_VF gp2, gp2, f1, 1\n"},
    {"vector_exp_reci_reduce",
     "V_MUL_VF gp2, gp1, f1, 0\nS_ADDI_INT gp9, gp0, 65\nV_EXP_V gp3, gp2, 0\nV_RECI_V gp2, gp3, 0\n"
     "V_RECI_V gp1, gp1, 0\nV_RED_SUM f1, gp3\nV_RED_MAX f2, gp2, 0\nS_ADDI_INT gp9, gp0, 2\n"
     "C_SET_V_MASK_REG gp9\nV_RED_MAX f3, gp1, 1\nV_RED_SUM f0, gp1\nV_EXP_V gp3, gp1, 1\n"},
    {"vector_shift", "S_ADDI_INT gp9, gp0, 3\nV_SHFT_V gp3, gp1, gp9\nS_ADDI_INT gp9, gp0, -5\n"
                     "V_SHFT_V gp3, gp3, gp9\nS_ADDI_INT gp9, gp0, 40\nV_SHFT_V gp2, gp2, gp9\n"},
    {"matrix_block", "M_MM 0, gp6, gp1\nM_TMM 0, gp2, gp5\nM_MM_WO gp3, 0, 8\nM_TMM 0, gp1, gp4\n"
                     "M_MM_WO gp3, 0, 64\n"},
    {"matrix_batched", "M_BTMM gp5, gp4, gp1\nM_BTMM gp0, gp4, gp2\nM_BMM_WO gp3, 0\n"
                       "M_BMM gp0, gp5, gp1\nM_BMM_WO gp3, 128\n"},
    {"matrix_vector", "M_MV 0, gp1, gp4\nM_TMV 0, gp2, gp5\nM_MV_WO gp3, 16\nM_BTMV gp5, gp1, gp4\n"
                      "M_BMV_WO gp3, 32\nM_BMV gp0, gp2, gp5\nM_BMV gp0, gp1, gp5\nM_BMV_WO gp3, 96\n"},
    {"hbm_prefetch_store",
     "H_PREFETCH_M gp5, gp0, a0, 1, 0\nH_PREFETCH_V gp2, gp8, a0, 1, 0\nH_PREFETCH_V gp3, gp0, a0, 0, 1\n"
     "M_MM 0, gp5, gp2\nM_MM_WO gp3, 0, 0\nS_LUI_INT gp10, 1\nH_STORE_V gp3, gp10, a0, 1, 0\n"
     "H_STORE_V gp2, gp10, a0, 0, 0\nH_PREFETCH_V gp1, gp10, a0, 1, 0\n"},
    {"loops_and_break", "C_LOOP_START gp12, 3\nS_ADDI_INT gp9, gp9, 2\nC_LOOP_START gp13, 2\n"
                        "V_ADD_VV gp3, gp3, gp1, 0\nC_LOOP_END gp13\nC_LOOP_END gp12\nC_BREAK\n"
                        "S_ADDI_INT gp9, gp0, 99\n"},
};

class GroupCosim : public ::testing::TestWithParam<CosimCase> {};

TEST_P(GroupCosim, BothBackendsAgree) {
  const HardwareConfig config = small_preset();
  const Program p = assemble_or_fail(std::string(kPrologue) + GetParam().source, config);
  const CosimOutcome o = cosimulate(p, busy_state(config), config);
  EXPECT_COSIM_EQUAL(o);
  EXPECT_FALSE(o.model.trap.has_value()) << o.model.trap->message;
}

INSTANTIATE_TEST_SUITE_P(Instructions, GroupCosim, ::testing::ValuesIn(kCases),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

// ---- DMA timing: queue full, pending ranges, overlapping transfers, BF16 formats ----

TEST(PlenaRtlDmaTiming, QueueFullStallsIssue) {
  HardwareConfig config = small_preset();
  config.dma_queue_depth = 2;
  const Program p = assemble_or_fail(std::string(kPrologue) +
                                         "H_PREFETCH_V gp1, gp0, a0, 1, 0\nH_PREFETCH_V gp2, gp0, a0, 1, 0\n"
                                         "H_PREFETCH_V gp3, gp0, a0, 1, 0\nH_PREFETCH_M gp4, gp0, a0, 0, 0\n"
                                         "S_ADDI_INT gp9, gp0, 1\n",
                                     config);
  const CosimOutcome o = cosimulate(p, busy_state(config), config);
  EXPECT_COSIM_EQUAL(o);
  EXPECT_GT(o.model.units[static_cast<std::size_t>(Unit::Memory)].stall, 0u);
}

TEST(PlenaRtlDmaTiming, PendingRangesStallTheFirstToucher) {
  const HardwareConfig config = small_preset();
  const Program p = assemble_or_fail(
      std::string(kPrologue) +
          "H_PREFETCH_M gp5, gp0, a0, 0, 0\nS_ADDI_INT gp9, gp0, 1\nV_ADD_VV gp3, gp1, gp2, 0\n"
          "M_MV 0, gp1, gp5\nM_MV_WO gp3, 0\nH_STORE_V gp3, gp0, a0, 0, 0\n"
          "H_PREFETCH_V gp1, gp0, a0, 0, 0\nV_ADD_VV gp1, gp1, gp1, 0\n",
      config);
  const CosimOutcome o = cosimulate(p, busy_state(config), config);
  EXPECT_COSIM_EQUAL(o);
  EXPECT_GT(o.model.units[static_cast<std::size_t>(Unit::Matrix)].stall, 0u);
  EXPECT_GT(o.model.units[static_cast<std::size_t>(Unit::Memory)].stall, 0u);
}

TEST(PlenaRtlDmaTiming, OverlappingStoresAndMidBlockPrefetch) {
  const HardwareConfig config = small_preset();
  const Program p = assemble_or_fail(
      std::string(kPrologue) +
          "S_ADDI_INT gp9, gp0, 8\nC_SET_STRIDE_REG gp9\nH_STORE_V gp1, gp0, a0, 1, 0\n"
          "S_ADDI_INT gp10, gp0, 3\nH_PREFETCH_V gp3, gp10, a0, 1, 0\nH_PREFETCH_M gp4, gp10, a0, 1, 1\n"
          "M_MV 0, gp3, gp4\nM_MV_WO gp2, 0\n",
      config);
  const CosimOutcome o = cosimulate(p, busy_state(config), config);
  EXPECT_COSIM_EQUAL(o);
  EXPECT_FALSE(o.model.trap.has_value());
}

TEST(PlenaRtlDmaTiming, Bf16FormatsAndOtherTiming) {
  HardwareConfig config = small_preset();
  config.kv_format = HbmFormat::Bf16;
  config.activation_format = HbmFormat::Bf16;
  config.hbm_latency = 7;
  config.hbm_bytes_per_cycle = 3;
  config.systolic_overhead = 5;
  config.v_prefetch_rows = 3;
  config.v_writeback_rows = 2;
  config.latency.fill(2);
  const Program p = assemble_or_fail(
      std::string(kPrologue) +
          "H_PREFETCH_V gp1, gp0, a0, 1, 0\nH_PREFETCH_M gp4, gp0, a0, 1, 1\nH_PREFETCH_M gp5, gp8, a0, 0, 0\n"
          "M_MM 0, gp6, gp1\nM_MM_WO gp3, 0, 0\nS_LUI_INT gp10, 2\nH_STORE_V gp3, gp10, a0, 1, 1\n"
          "H_STORE_V gp3, gp10, a0, 1, 0\nH_PREFETCH_V gp2, gp10, a0, 1, 0\n",
      config);
  const CosimOutcome o = cosimulate(p, busy_state(config), config);
  EXPECT_COSIM_EQUAL(o);
  EXPECT_FALSE(o.model.trap.has_value());
}

// ---- Traps: every run-time kind, with its pc and address ----

struct TrapCase {
  const char* name;
  TrapKind kind;
  Program program;
};

std::vector<TrapCase> trap_cases() {
  using O = Opcode;
  std::vector<TrapCase> cases;
  cases.push_back({"out_of_range_vector", TrapKind::AddressOutOfRange,
                   make_program({inst(O::S_LUI_INT, 1, 0, 0, 0, 0, 16), inst(O::V_ADD_VV, 2, 1, 0)})});
  cases.push_back({"out_of_range_int", TrapKind::AddressOutOfRange,
                   make_program({inst(O::S_LD_INT, 1, 0, 0, 0, 0, 256)})});
  cases.push_back({"out_of_range_hbm", TrapKind::AddressOutOfRange,
                   make_program({inst(O::S_LUI_INT, 1, 0, 0, 0, 0, 1024), inst(O::C_SET_ADDR_REG, 0, 0, 1),
                                 inst(O::H_PREFETCH_V, 0, 0, 0)})});
  cases.push_back({"hbm_address_overflow", TrapKind::AddressOutOfRange,
                   make_program({addi(1, 0, -1), inst(O::C_SET_ADDR_REG, 0, 1, 1),
                                 inst(O::H_PREFETCH_V, 0, 0, 0)})});
  cases.push_back({"misaligned_vector", TrapKind::MisalignedAddress,
                   make_program({addi(1, 0, 8), inst(O::V_EXP_V, 0, 1)})});
  cases.push_back({"misaligned_store_block", TrapKind::MisalignedAddress,
                   make_program({addi(1, 0, 4), inst(O::C_SET_ADDR_REG, 0, 0, 0), inst(O::H_STORE_V, 0, 1, 0)})});
  cases.push_back({"bad_register", TrapKind::BadRegister, make_program({inst(O::S_ADD_FP, 9, 1, 2)})});
  cases.push_back({"bad_gp_register_unencodable", TrapKind::BadRegister,
                   make_program({addi(1, 0, 1), inst(O::S_ADD_INT, 20, 1, 1)})});
  cases.push_back({"uninitialized_address_register", TrapKind::UninitializedAddressRegister,
                   make_program({inst(O::H_PREFETCH_V, 0, 0, 5)})});
  cases.push_back({"loop_zero_count", TrapKind::LoopStructure,
                   make_program({plena::test::loop_start(3, 0), plena::test::loop_end(3)})});
  cases.push_back({"loop_unclosed", TrapKind::LoopStructure,
                   make_program({addi(1, 0, 1), plena::test::loop_start(3, 2), addi(1, 1, 1)})});
  cases.push_back({"loop_end_without_start", TrapKind::LoopStructure, make_program({plena::test::loop_end(3)})});
  cases.push_back({"accumulator_empty_write_out", TrapKind::AccumulatorMisuse,
                   make_program({inst(O::M_MV_WO, 1, 0, 0, 0, 0, 0)})});
  cases.push_back({"accumulator_family_mix", TrapKind::AccumulatorMisuse,
                   make_program({inst(O::M_MM, 0, 0, 0), inst(O::M_BTMM, 0, 0, 0)})});
  cases.push_back({"illegal_flag", TrapKind::IllegalInstruction, make_program({inst(O::V_EXP_V, 0, 0, 0, 2)})});
  cases.push_back({"illegal_immediate", TrapKind::IllegalInstruction,
                   make_program({inst(O::S_LD_INT, 1, 0, 0, 0, 0, 1 << 18)})});
  cases.push_back({"illegal_placeholder", TrapKind::IllegalInstruction, make_program({inst(O::M_MM, 3, 0, 0)})});
  Instruction no_opcode;
  cases.push_back({"illegal_no_opcode", TrapKind::IllegalInstruction, make_program({addi(1, 0, 1), no_opcode})});
  cases.push_back({"write_protected", TrapKind::WriteProtected,
                   make_program({inst(O::C_SET_ADDR_REG, 0, 0, 0), inst(O::H_STORE_V, 0, 0, 0)})});
  cases.push_back({"instruction_limit", TrapKind::InstructionLimit,
                   make_program({plena::test::loop_start(3, 1000), addi(1, 1, 1), plena::test::loop_end(3)})});
  cases.push_back({"cycle_limit", TrapKind::CycleLimit,
                   make_program({plena::test::loop_start(3, 20), inst(O::M_MV, 0, 0, 0),
                                 plena::test::loop_end(3)})});
  cases.push_back({"cycle_limit_in_drain", TrapKind::CycleLimit,
                   make_program({inst(O::C_SET_ADDR_REG, 1, 0, 0), inst(O::H_PREFETCH_M, 0, 0, 1)})});
  return cases;
}

TEST(PlenaRtlTraps, EveryKindAgrees) {
  const HardwareConfig config = small_preset();
  for (const TrapCase& c : trap_cases()) {
    SCOPED_TRACE(c.name);
    Limits limits;
    limits.max_instructions = 500;
    limits.max_cycles = std::string(c.name) == "instruction_limit" ? 1000000
                        : std::string(c.name) == "cycle_limit_in_drain" ? 30 : 200;
    if (std::string(c.name) == "write_protected") limits.hbm_writable = {{4096, 8192}};
    const CosimOutcome o = cosimulate(c.program, busy_state(config), config, limits);
    EXPECT_COSIM_EQUAL(o);
    ASSERT_TRUE(o.rtl.trap.has_value());
    EXPECT_EQ(trap_kind_name(o.rtl.trap->kind), std::string(trap_kind_name(c.kind))) << o.model.trap->message;
  }
}

TEST(PlenaRtlTraps, InvalidConfigIsReportedLikeTheModel) {
  HardwareConfig config = small_preset();
  config.latency[0] = 0;
  const CosimOutcome o = cosimulate(make_program({addi(1, 0, 1)}), busy_state(config), config);
  EXPECT_COSIM_EQUAL(o);
  ASSERT_TRUE(o.rtl.trap.has_value());
}

TEST(PlenaRtlSupport, UnsupportedConfigIsNamedAndThrown) {
  const HardwareConfig config = HardwareConfig::kernelcraft_default();
  const std::string why = supports(config);
  EXPECT_NE(why.find("mlen"), std::string::npos) << why;
  MachineState state(config);
  EXPECT_THROW(plena::rtl::simulate(make_program({addi(1, 0, 1)}), state, config), std::invalid_argument);
  EXPECT_EQ(supports(small_preset()), "");
}

// ---- The shipped example kernels (written for MLEN 64, but they assemble and run on the
// small preset, which exercises the same instruction mix) ----

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(PlenaRtlExamples, ShippedKernelsAgree) {
  const HardwareConfig config = small_preset();
  for (const char* name : {"gemm_64", "softmax_row", "vector_scale_add"}) {
    SCOPED_TRACE(name);
    const std::string source =
        read_file(std::string(KC_SOURCE_DIR) + "/isa/plena/examples/" + name + ".asm");
    ASSERT_FALSE(source.empty());
    const Program p = assemble_or_fail(source, config);
    MachineState state = busy_state(config, 7);
    state.fp_sram[0] = -std::numeric_limits<float>::infinity();
    const CosimOutcome o = cosimulate(p, state, config);
    EXPECT_COSIM_EQUAL(o);
    EXPECT_FALSE(o.model.trap.has_value()) << o.model.trap->message;
  }
}

TEST(PlenaRtlRuns, SequentialAndConcurrentRunsAreIndependent) {
  const HardwareConfig config = small_preset();
  const Program p = assemble_or_fail(std::string(kPrologue) + kCases[8].source, config);
  const MachineState initial = busy_state(config);
  MachineState a = initial, b = initial;
  const SimResult ra = plena::rtl::simulate(p, a, config);
  std::thread other([&] { b = initial; (void)plena::rtl::simulate(p, b, config); });
  other.join();
  EXPECT_EQ(diff_states(a, b), "");
  MachineState c = initial;
  EXPECT_EQ(diff_results(ra, plena::rtl::simulate(p, c, config)), "");
}

}  // namespace
}  // namespace plena::rtl::test
