// Seeded random-program differential test: a small generator of valid-ish programs (most
// operands legal, some deliberately not), each run on sim/plena and on the RTL.
#include <cstdio>
#include <random>

#include "cosim_util.h"
#include "../plena/sim_test_util.h"
#include "plena/assembler.h"
#include "plena/poison.h"

namespace plena::rtl::test {
namespace {

class ProgramGenerator {
 public:
  // `gentle`: no deliberately bad operands, so long programs mostly run to completion.
  ProgramGenerator(uint64_t seed, bool gentle) : rng_(seed), gentle_(gentle) {}

  // Registers point at plausible operands: Vector SRAM rows, Matrix SRAM tiles and column
  // blocks, small offsets; a few are misaligned or out of range.
  void seed_state(MachineState& s) {
    poison(s, rng_());
    // Multiples of 256 are legal for every operand (tile, row, column block); rarely a bad one.
    static const uint32_t kBad[] = {4, 12, 2048, 65520, 65536, 7, 100};
    for (unsigned r = 1; r < 16; ++r)
      s.gp[r] = hostile(4) ? kBad[pick(std::size(kBad))] : 256 * pick(8);
    for (unsigned f = 1; f < 8; ++f) s.fp[f] = s.fp_sram[pick(s.fp_sram.size())] / 1024.0f;
    for (unsigned a = 0; a < 4; ++a) {
      s.addr[a] = uint64_t{pick(64)} * 256;
      s.addr_valid[a] = true;
    }
    s.addr[3] = s.hbm.size() - 64;  // near the end: long transfers run out of range
    s.scale_offset = 8192 + 8 * pick(4);
    s.stride = 16 * (1 + pick(4)) + (chance(10) ? 4 : 0);
    s.vmask = pick(4);
    // Any byte, NaN encodings included (E4M3 S.1111.111, E8M0 0xFF): every NaN is stored as
    // the canonical 0x7FC0 by both backends, so NaNs of either sign may meet freely.
    for (std::size_t i = 0; i < 32768; ++i) s.hbm[i] = static_cast<uint8_t>(rng_());
    for (std::size_t i = 8192; i < 8192 + 4096; ++i)
      s.hbm[i] = static_cast<uint8_t>(118 + pick(16));  // scales near 2^0
  }

  Program program(std::size_t length) {
    Program p;
    while (p.instructions.size() < length) {
      if (chance(8)) append_loop(p);
      else p.instructions.push_back(random_instruction(false));
      // Most accumulations are written out with their matching write-out, so that long
      // programs do not all end in accumulator_misuse.
      const Instruction& last = p.instructions.back();
      if (last.def->unit == Unit::Matrix && last.def->latency != LatencyClass::WriteOut &&
          (gentle_ || chance(70)))
        p.instructions.push_back(write_out_for(last.def->opcode));
    }
    for (std::size_t i = 0; i < p.instructions.size(); ++i)
      p.instructions[i].source_line = static_cast<uint32_t>(i + 1);
    return p;
  }

 private:
  uint32_t pick(std::size_t n) { return static_cast<uint32_t>(rng_() % n); }
  bool chance(unsigned percent) { return pick(100) < percent; }
  bool hostile(unsigned percent) { return !gentle_ && chance(percent); }

  void append_loop(Program& p) {
    const uint8_t counter = static_cast<uint8_t>(12 + pick(4));
    Instruction start = plena::test::loop_start(counter, 1 + pick(3));
    if (hostile(3)) start.imm = 0;
    p.instructions.push_back(start);
    const uint32_t body = 1 + pick(4);
    for (uint32_t i = 0; i < body; ++i) p.instructions.push_back(random_instruction(true));
    p.instructions.push_back(plena::test::loop_end(hostile(5) ? counter - 1 : counter));
  }

  Instruction write_out_for(Opcode op) {
    Opcode wo = Opcode::M_BMV_WO;
    if (op == Opcode::M_MM || op == Opcode::M_TMM) wo = Opcode::M_MM_WO;
    else if (op == Opcode::M_BMM || op == Opcode::M_BTMM) wo = Opcode::M_BMM_WO;
    else if (op == Opcode::M_MV || op == Opcode::M_TMV) wo = Opcode::M_MV_WO;
    return plena::test::inst(wo, static_cast<uint8_t>(pick(12)), 0, 0, 0, 0, 16 * pick(8));
  }

  int64_t operand_value(const OperandSpec& spec) {
    switch (spec.kind) {
      case OperandKind::Gp:
      case OperandKind::GpOrZero: return pick(16);
      case OperandKind::Fp: return hostile(1) ? 8 + pick(8) : pick(8);
      case OperandKind::Addr: return hostile(2) ? 4 + pick(4) : pick(4);
      case OperandKind::Zero: return hostile(1) ? 1 : 0;
      case OperandKind::Flag: return hostile(1) ? 2 : pick(2);
      case OperandKind::ImmU18: return !hostile(8) ? 16 * pick(8) : pick(300);
      case OperandKind::ImmS18: return !hostile(8) ? 16 * (int64_t(pick(9)) - 4) : int64_t(pick(600)) - 300;
      case OperandKind::ImmU20: return pick(3);
      case OperandKind::ImmU22: return 1 + pick(3);
      case OperandKind::None: break;
    }
    return 0;
  }

  Instruction random_instruction(bool in_loop) {
    const auto& table = instruction_table();
    const InstrDef* def = nullptr;
    do {
      def = &table[pick(table.size())];
    } while (def->opcode == Opcode::C_LOOP_START || def->opcode == Opcode::C_LOOP_END ||
             (def->opcode == Opcode::C_BREAK && !chance(10)) ||
             (in_loop && def->unit == Unit::Memory && chance(50)) ||
             (gentle_ && def->latency == LatencyClass::WriteOut));
    Instruction in;
    in.def = def;
    for (const OperandSpec& spec : def->operands)
      if (spec.field != Field::None) set_field_value(in, spec.field, operand_value(spec));
    if (gentle_ && def->unit == Unit::Matrix && def->operands[0].kind == OperandKind::GpOrZero)
      in.rd = 0;  // base + offset could leave the Matrix SRAM
    if (gentle_ && def->unit == Unit::Memory) in.rs2 = static_cast<uint8_t>(pick(3));
    // FP and INT SRAM hold 256 elements: address them mostly from gp0.
    if ((def->opcode >= Opcode::S_LD_FP && def->opcode <= Opcode::S_MAP_V_FP) ||
        def->opcode == Opcode::S_LD_INT || def->opcode == Opcode::S_ST_INT) {
      if (gentle_ || chance(85)) in.rs1 = 0;
      if (def->opcode == Opcode::S_MAP_V_FP) in.imm = 16 * pick(15);
    }
    // Integer results would turn address registers into garbage; in gentle mode they go to
    // gp9..gp11, which no operand below needs to be valid.
    if (gentle_ && def->unit == Unit::Scalar && def->operands[0].kind == OperandKind::Gp &&
        def->latency == LatencyClass::ScalarInt)
      in.rd = static_cast<uint8_t>(9 + pick(3));
    // Integer arithmetic on loop counters would make trip counts explode; keep gp12..15 for loops.
    if (def->unit == Unit::Scalar && in.rd >= 12 && def->operands[0].kind == OperandKind::Gp)
      in.rd = static_cast<uint8_t>(in.rd - 8);
    return in;
  }

  std::mt19937_64 rng_;
  bool gentle_;
};

void run_random_programs(const HardwareConfig& config, uint64_t seed, int count,
                         std::size_t length, bool gentle, int& traps, int* nan_programs = nullptr) {
  ProgramGenerator gen(seed, gentle);
  Limits limits;
  limits.max_instructions = 3000;
  for (int i = 0; i < count; ++i) {
    MachineState state(config);
    gen.seed_state(state);
    const Program p = gen.program(length);
    const CosimOutcome o = cosimulate(p, state, config, limits);
    if (nan_programs && o.model_state_has_nan) ++*nan_programs;
    if (o.model.trap) ++traps;
    ASSERT_EQ(o.result_diff, "") << "seed " << seed << " program " << i << "\n" << disassemble(p);
    ASSERT_EQ(o.state_diff, "") << "seed " << seed << " program " << i << "\n" << disassemble(p);
  }
}

TEST(PlenaRtlRandomCosim, ShortProgramsAgree) {
  int traps = 0;
  run_random_programs(small_preset(), 20240611, 600, 12, false, traps);
  // Both ending kinds must be exercised.
  EXPECT_GT(traps, 60);
  EXPECT_LT(traps, 580);
}

TEST(PlenaRtlRandomCosim, LongerProgramsAgree) {
  // Long programs on data with NaN encodings and overflows: states are compared strictly, NaN
  // bits included, so no program may differ even in a NaN's sign; NaNs must really occur.
  int traps = 0, nan_programs = 0;
  run_random_programs(small_preset(), 777, 200, 40, true, traps, &nan_programs);
  EXPECT_LT(traps, 180);
  EXPECT_GT(nan_programs, 0);
  std::printf("long random programs: %d of 200 trapped, %d end with NaNs in their state\n", traps,
              nan_programs);
}

// Another timing and format point of the same geometry: BF16 HBM classes, a shallow DMA queue,
// slow narrow HBM, a systolic overhead and uneven latencies.
TEST(PlenaRtlRandomCosim, OtherPresetParametersAgree) {
  HardwareConfig config = small_preset();
  config.kv_format = HbmFormat::Bf16;
  config.weight_format = HbmFormat::Bf16;
  config.dma_queue_depth = 2;
  config.hbm_latency = 3;
  config.hbm_bytes_per_cycle = 5;
  config.systolic_overhead = 2;
  config.v_prefetch_rows = 2;
  config.v_writeback_rows = 3;
  for (std::size_t i = 0; i < config.latency.size(); ++i) config.latency[i] = 1 + (i * 7) % 5;
  int traps = 0;
  run_random_programs(config, 4242, 200, 16, false, traps);
  EXPECT_LT(traps, 195);
}

}  // namespace
}  // namespace plena::rtl::test
