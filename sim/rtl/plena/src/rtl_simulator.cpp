// Testbench wrapper: builds a context and model per run, loads the program and state through
// the backdoor while the core is in reset, clocks it (serving its HBM port) until it
// finishes, and reads state, counters and trap back.
#include "plena_rtl/rtl_simulator.h"

#include <memory>
#include <stdexcept>

#include "Vplena_core.h"
#include "Vplena_core___024root.h"
#include "hbm_port_model.h"
#include "plena/numerics.h"
#include "rtl_config.h"
#include "state_backdoor.h"
#include "trap_messages.h"
#include "verilated.h"

namespace plena::rtl {
namespace {

template <typename T>
std::string mismatch(const char* field, T value, T rtl) {
  return std::string("hardware config field '") + field + "' is " + std::to_string(value) +
         " but the RTL was verilated for " + std::to_string(rtl);
}

template <typename T>
std::string at_most(const char* field, T value, T rtl) {
  return std::string("hardware config field '") + field + "' is " + std::to_string(value) +
         " but the RTL supports at most " + std::to_string(rtl);
}

void clock(Vplena_core& core, HbmPortModel& hbm) {
  core.clk = 1;
  core.eval();
  hbm.serve(core);
  core.clk = 0;
  core.eval();
}

constexpr std::array<Memory, 5> kMemoryByCode = {Memory::Hbm, Memory::MatrixSram,
                                                 Memory::VectorSram, Memory::FpSram,
                                                 Memory::IntSram};

void collect(const Vplena_core& core, const Program& program, const Limits& limits,
             SimResult& result) {
  result.cycles = core.cycles;
  result.instructions = core.instructions;
  result.hbm_bytes_read = core.hbm_bytes_read;
  result.hbm_bytes_written = core.hbm_bytes_written;
  result.macs = core.macs;
  result.stopped_by_break = core.stopped_by_break != 0;
  for (std::size_t u = 0; u < kUnitCount; ++u) {
    result.units[u].busy = (uint64_t{core.unit_busy[2 * u + 1]} << 32) | core.unit_busy[2 * u];
    result.units[u].stall = (uint64_t{core.unit_stall[2 * u + 1]} << 32) | core.unit_stall[2 * u];
  }
  const auto& counts = core.rootp->plena_core__DOT__opcode_count;
  for (const InstrDef& def : instruction_table()) {
    const uint64_t n = counts[static_cast<uint8_t>(def.opcode)];
    if (n != 0) result.instruction_mix[def.mnemonic] = n;
  }
  if (!core.trap_valid) return;
  Trap trap;
  trap.kind = static_cast<TrapKind>(core.trap_kind);
  trap.pc = core.trap_pc;
  trap.source_line = trap.pc < program.instructions.size() ? program.instructions[trap.pc].source_line : 0;
  if (core.trap_mem < kMemoryByCode.size()) {
    trap.memory = kMemoryByCode[core.trap_mem];
    trap.address = core.trap_addr;
  }
  trap.message = trap_message(trap, program, limits, result.cycles);
  result.trap = std::move(trap);
}

void check_runnable(const Program& program, const HardwareConfig& config, const Limits& limits) {
  if (std::string why = supports(config); !why.empty()) throw std::invalid_argument(why);
  if (program.instructions.size() > kProgramDepth)
    throw std::invalid_argument("the program has " + std::to_string(program.instructions.size()) +
                                " instructions but the RTL program memory holds " +
                                std::to_string(kProgramDepth));
  if (limits.hbm_writable.size() > kMaxWritableRanges)
    throw std::invalid_argument("the run allows " + std::to_string(limits.hbm_writable.size()) +
                                " writable HBM ranges but the RTL holds at most " +
                                std::to_string(kMaxWritableRanges));
}

}  // namespace

std::string supports(const HardwareConfig& c) {
  using B = RtlBuild;
  if (c.mlen != B::mlen) return mismatch("mlen", c.mlen, B::mlen);
  if (c.blen != B::blen) return mismatch("blen", c.blen, B::blen);
  if (c.vlen != B::vlen) return mismatch("vlen", c.vlen, B::vlen);
  if (c.hlen != B::hlen) return mismatch("hlen", c.hlen, B::hlen);
  if (c.matrix_sram_elems != B::matrix_sram_elems)
    return mismatch("matrix_sram_elems", c.matrix_sram_elems, B::matrix_sram_elems);
  if (c.vector_sram_elems != B::vector_sram_elems)
    return mismatch("vector_sram_elems", c.vector_sram_elems, B::vector_sram_elems);
  if (c.fp_sram_elems != B::fp_sram_elems) return mismatch("fp_sram_elems", c.fp_sram_elems, B::fp_sram_elems);
  if (c.int_sram_elems != B::int_sram_elems)
    return mismatch("int_sram_elems", c.int_sram_elems, B::int_sram_elems);
  if (c.dma_queue_depth > B::max_queue_depth)
    return at_most("dma_queue_depth", c.dma_queue_depth, B::max_queue_depth);
  if (c.v_prefetch_rows > B::max_vector_rows)
    return at_most("v_prefetch_rows", c.v_prefetch_rows, B::max_vector_rows);
  if (c.v_writeback_rows > B::max_vector_rows)
    return at_most("v_writeback_rows", c.v_writeback_rows, B::max_vector_rows);
  if (c.max_loop_depth > B::max_loop_depth)
    return at_most("max_loop_depth", c.max_loop_depth, B::max_loop_depth);
  if (c.dma_queue_depth == 0 || c.hbm_bytes_per_cycle == 0 || c.v_prefetch_rows == 0 ||
      c.v_writeback_rows == 0)
    return "hardware config fields dma_queue_depth, hbm_bytes_per_cycle, v_prefetch_rows and "
           "v_writeback_rows must be at least 1 for the RTL";
  return "";
}

SimResult simulate(const Program& program, MachineState& state, const HardwareConfig& config,
                   const Limits& limits) {
  check_runnable(program, config, limits);
  SimResult result;
  if (std::string problem = validate(config); !problem.empty()) {
    // Same report as sim/plena: nothing runs, the state is untouched.
    Trap trap;
    trap.kind = TrapKind::IllegalInstruction;
    trap.source_line = program.instructions.empty() ? 0 : program.instructions[0].source_line;
    trap.message = "the hardware configuration is invalid: " + problem;
    result.trap = std::move(trap);
    return result;
  }
  // Registers hold BF16 and gp0/f0 are hard-wired, as sim/plena enforces at the start.
  state.gp[0] = 0;
  state.fp[0] = 0.0f;
  for (float& f : state.fp) f = numerics::round_to_bf16(f);

  auto context = std::make_unique<VerilatedContext>();
  context->fatalOnError(false);
  auto core = std::make_unique<Vplena_core>(context.get(), "plena_core");
  HbmPortModel hbm(state.hbm);
  apply_config(*core, config, limits, program.instructions.size());
  core->rst = 1;
  core->clk = 0;
  core->hbm_rsp_valid = 0;
  core->eval();
  clock(*core, hbm);
  clock(*core, hbm);
  load_program(*core, program);
  load_state(*core, state);
  core->rst = 0;
  while (!core->finished) clock(*core, hbm);
  read_back_state(*core, state);
  collect(*core, program, limits, result);
  core->final();
  return result;
}

}  // namespace plena::rtl
