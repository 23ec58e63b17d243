// The issue loop: resolves the program once, then runs one semantic function per instruction
// and charges its cycles (docs/plena-model.md, "Timing").
//
// Resolution does all per-instruction work that does not depend on run-time state: the
// dispatch-table lookup, the latency, and operand checks such as register indices. An
// instruction that fails those checks is bound to a function that traps when (and only when)
// it is reached, so the hot loop never re-validates anything.
#include "plena/simulator.h"

#include <algorithm>
#include <exception>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "exec_context.h"

namespace plena {

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

const char* trap_kind_name(TrapKind kind) {
  switch (kind) {
    case TrapKind::AddressOutOfRange: return "address_out_of_range";
    case TrapKind::MisalignedAddress: return "misaligned_address";
    case TrapKind::BadRegister: return "bad_register";
    case TrapKind::UninitializedAddressRegister: return "uninitialized_address_register";
    case TrapKind::LoopStructure: return "loop_structure";
    case TrapKind::AccumulatorMisuse: return "accumulator_misuse";
    case TrapKind::IllegalInstruction: return "illegal_instruction";
    case TrapKind::InstructionLimit: return "instruction_limit";
    case TrapKind::CycleLimit: return "cycle_limit";
    case TrapKind::WriteProtected: return "write_protected";
  }
  return "unknown";
}

const char* memory_display_name(Memory memory) {
  switch (memory) {
    case Memory::Hbm: return "HBM";
    case Memory::MatrixSram: return "matrix SRAM";
    case Memory::VectorSram: return "vector SRAM";
    case Memory::FpSram: return "FP SRAM";
    case Memory::IntSram: return "INT SRAM";
  }
  return "memory";
}

const char* memory_unit(Memory memory) { return memory == Memory::Hbm ? "bytes" : "elements"; }

// ---------------------------------------------------------------------------------------------
// ExecContext
// ---------------------------------------------------------------------------------------------

ExecContext::ExecContext(MachineState& machine, const HardwareConfig& hw, SimResult& out)
    : state(machine),
      config(hw),
      result(out),
      mlen(hw.mlen),
      blen(hw.blen),
      vlen(hw.vlen),
      hlen(hw.hlen),
      heads(hw.heads()),
      dma(hw) {
  // Cached because every access checks it.
  for (std::size_t m = 0; m < kMemoryCount; ++m)
    capacity_[m] = memory_capacity(machine, static_cast<Memory>(m));
  // Sized for the largest owner: BTMM keeps heads x BLEN x MLEN sums, BTMV heads x MLEN.
  acc.assign(std::max(blen * blen, heads * blen * mlen), 0.0f);
  vacc.assign(heads * mlen, 0.0f);
  scratch.assign(vlen, 0.0f);
}

bool ExecContext::fail(TrapKind kind, std::string message) {
  Trap trap;
  trap.kind = kind;
  trap.pc = pc;
  trap.source_line = op && op->inst ? op->inst->source_line : 0;
  trap.message = std::move(message);
  result.trap = std::move(trap);
  return false;
}

bool ExecContext::fail_at(TrapKind kind, Memory memory, uint64_t address, std::string message) {
  fail(kind, std::move(message));
  result.trap->memory = memory;
  result.trap->address = address;
  return false;
}

bool ExecContext::out_of_range(Memory memory, uint64_t addr, uint64_t len, Access kind) {
  const uint64_t end = addr > std::numeric_limits<uint64_t>::max() - len
                           ? std::numeric_limits<uint64_t>::max()
                           : addr + len;
  const std::string name = memory_display_name(memory);
  return fail_at(TrapKind::AddressOutOfRange, memory, addr,
                 std::string(mnemonic()) + (kind == Access::Read ? " reads " : " writes ") + name +
                     " [" + std::to_string(addr) + ", " + std::to_string(end) + ") but " + name +
                     " holds " + std::to_string(capacity(memory)) + " " + memory_unit(memory));
}

bool ExecContext::hbm_write_allowed(uint64_t addr, uint64_t len) {
  if (!hbm_writable || hbm_writable->empty() || len == 0) return true;
  for (const HbmRange& range : *hbm_writable)
    if (addr >= range.begin && addr < range.end && len <= range.end - addr)
      return true;
  return fail_at(TrapKind::WriteProtected, Memory::Hbm, addr,
                 std::string(mnemonic()) + " writes HBM bytes [" + std::to_string(addr) + ", " +
                     std::to_string(addr + len) +
                     ") outside the writable regions this run allows (the task's scratch area)");
}

bool ExecContext::misaligned(Memory memory, uint64_t addr, uint64_t alignment, const char* what,
                             const char* alignment_name) {
  return fail_at(TrapKind::MisalignedAddress, memory, addr,
                 std::string(mnemonic()) + " " + what + " " + std::to_string(addr) + " in " +
                     memory_display_name(memory) + " must be a multiple of " + alignment_name +
                     " = " + std::to_string(alignment));
}

bool ExecContext::address_register(uint8_t index, uint64_t& out) {
  if (!state.addr_valid[index])
    return fail(TrapKind::UninitializedAddressRegister,
                std::string(mnemonic()) + " uses a" + std::to_string(index) +
                    ", which was never set; load it with C_SET_ADDR_REG first");
  out = state.addr[index];
  return true;
}

namespace {

// ---------------------------------------------------------------------------------------------
// Resolution
// ---------------------------------------------------------------------------------------------

const DispatchTable& dispatch_table() {
  static const DispatchTable table = [] {
    DispatchTable t{};
    register_matrix_ops(t);
    register_vector_ops(t);
    register_scalar_ops(t);
    register_memory_ops(t);
    register_control_ops(t);
    return t;
  }();
  return table;
}

bool exec_static_fault(ExecContext& c, const Instruction&) {
  const auto it = std::lower_bound(c.static_faults.begin(), c.static_faults.end(), c.pc,
                                   [](const StaticFault& f, uint64_t pc) { return f.pc < pc; });
  if (it == c.static_faults.end() || it->pc != c.pc)
    return c.fail(TrapKind::IllegalInstruction, "instruction cannot be executed");
  return c.fail(it->kind, it->message);
}

// The register file an operand kind indexes, or nullptr.
const char* register_prefix(OperandKind kind) {
  switch (kind) {
    case OperandKind::Gp:
    case OperandKind::GpOrZero: return "gp";
    case OperandKind::Fp: return "f";
    case OperandKind::Addr: return "a";
    default: return nullptr;
  }
}

// Checks one operand's field against what its kind allows (register index, 0/1 flag, literal
// 0, immediate range). Directly constructed or decoded instructions can carry any field value;
// only in-range ones may reach the semantics, which index register files without checks.
std::optional<StaticFault> check_operand(const InstrDef& def, const OperandSpec& spec,
                                         const Instruction& in, uint64_t pc) {
  if (spec.field == Field::None || spec.kind == OperandKind::None) return std::nullopt;
  const int64_t value = field_value(in, spec.field);
  const ImmRange allowed = immediate_range(spec.kind);
  if (value >= allowed.min && value <= allowed.max) return std::nullopt;
  const std::string where = std::string(def.mnemonic) + " operand '" + spec.role + "' ";
  if (const char* prefix = register_prefix(spec.kind))
    return StaticFault{pc, TrapKind::BadRegister,
                       where + "names " + prefix + std::to_string(value) + "; only " + prefix +
                           "0.." + prefix + std::to_string(allowed.max) + " exist"};
  return StaticFault{pc, TrapKind::IllegalInstruction,
                     where + "must be in [" + std::to_string(allowed.min) + ", " +
                         std::to_string(allowed.max) + "], got " + std::to_string(value)};
}

std::optional<StaticFault> check_operands(const InstrDef& def, const Instruction& in, uint64_t pc) {
  for (const OperandSpec& spec : def.operands)
    if (auto fault = check_operand(def, spec, in, pc)) return fault;
  return std::nullopt;
}

uint32_t latency_of(const HardwareConfig& config, const InstrDef& def) {
  uint32_t cycles = config.latency_of(def.latency);
  if (def.latency == LatencyClass::MatMul) cycles += config.systolic_overhead;
  return cycles;
}

// The table row for an instruction, looked up by opcode so that a hand-built InstrDef cannot
// smuggle in a different unit or latency.
const InstrDef* table_row(const Instruction& in) {
  return in.def ? find_instruction(static_cast<uint8_t>(in.def->opcode)) : nullptr;
}

ResolvedOp resolve_one(const Instruction& in, uint64_t pc, const HardwareConfig& config,
                       std::vector<StaticFault>& faults) {
  ResolvedOp op;
  op.inst = &in;
  op.fn = exec_static_fault;
  const InstrDef* def = table_row(in);
  if (def == nullptr) {
    faults.push_back({pc, TrapKind::IllegalInstruction,
                      "instruction " + std::to_string(pc) + " has no valid opcode"});
    return op;
  }
  op.def = def;
  op.unit = static_cast<uint8_t>(def->unit);
  op.latency = latency_of(config, *def);
  op.table_index = static_cast<uint8_t>(def - instruction_table().data());
  if (auto fault = check_operands(*def, in, pc)) {
    faults.push_back(std::move(*fault));
    return op;
  }
  const ExecFn fn = dispatch_table()[static_cast<uint8_t>(def->opcode) % kOpcodeSlots];
  if (fn == nullptr) {
    faults.push_back({pc, TrapKind::IllegalInstruction,
                      std::string(def->mnemonic) + " is not implemented by this simulator"});
    return op;
  }
  op.fn = fn;
  return op;
}

std::vector<ResolvedOp> resolve(const Program& program, const HardwareConfig& config,
                                std::vector<StaticFault>& faults) {
  std::vector<ResolvedOp> ops;
  ops.reserve(program.instructions.size());
  for (std::size_t pc = 0; pc < program.instructions.size(); ++pc)
    ops.push_back(resolve_one(program.instructions[pc], pc, config, faults));
  return ops;
}

// ---------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------

// Per-run counters kept in locals of plain arrays; folded into SimResult at the end.
struct RunCounters {
  std::array<uint64_t, kInstructionCount> per_opcode{};
  std::array<UnitCounters, kUnitCount> units{};
  uint64_t instructions = 0;
};

Trap make_trap(TrapKind kind, uint64_t pc, const Program& program, std::string message) {
  Trap trap;
  trap.kind = kind;
  trap.pc = pc;
  trap.source_line = pc < program.instructions.size() ? program.instructions[pc].source_line : 0;
  trap.message = std::move(message);
  return trap;
}

// Registers hold BF16 and gp0/f0 are hard-wired; enforce both on whatever state we were given.
void normalise_registers(MachineState& state) {
  state.gp[0] = 0;
  state.fp[0] = 0.0f;
  for (float& f : state.fp) f = numerics::round_to_bf16(f);
}

// The issue loop. Returns the pc of the last instruction it attempted.
uint64_t issue_loop(ExecContext& ctx, const std::vector<ResolvedOp>& ops, const Limits& limits,
                    const Program& program, RunCounters& counters) {
  const uint64_t size = ops.size();
  uint64_t pc = 0, last_pc = 0;
  while (pc < size) {
    last_pc = pc;
    if (counters.instructions >= limits.max_instructions) {
      ctx.result.trap = make_trap(
          TrapKind::InstructionLimit, pc, program,
          "the program executed max_instructions = " + std::to_string(limits.max_instructions) +
              " instructions without finishing (a loop that runs far too long?)");
      break;
    }
    if (ctx.now > limits.max_cycles) {
      ctx.result.trap = make_trap(
          TrapKind::CycleLimit, pc, program,
          "the program passed max_cycles = " + std::to_string(limits.max_cycles) +
              " cycles (now at cycle " + std::to_string(ctx.now) + ") without finishing");
      break;
    }
    const ResolvedOp& op = ops[pc];
    ctx.pc = pc;
    ctx.next_pc = pc + 1;
    ctx.op = &op;
    ctx.ready = ctx.now;
    if (!op.fn(ctx, *op.inst)) break;
    UnitCounters& unit = counters.units[op.unit];
    unit.stall += ctx.ready - ctx.now;
    unit.busy += op.latency;
    ctx.now = ctx.ready + op.latency;
    ++counters.per_opcode[op.table_index];
    ++counters.instructions;
    pc = ctx.next_pc;
  }
  return last_pc;
}

// Structure and limit checks that can only be made once the loop has stopped.
void check_end_of_run(ExecContext& ctx, const Program& program, const Limits& limits,
                      uint64_t last_pc) {
  SimResult& result = ctx.result;
  if (result.trap) return;
  if (!ctx.stopped && !ctx.loops.empty()) {
    const uint64_t start = ctx.loops.back().start_pc;
    result.trap = make_trap(TrapKind::LoopStructure, start, program,
                            "the C_LOOP_START at instruction " + std::to_string(start) +
                                " opens a loop that no C_LOOP_END closes before the program ends");
    return;
  }
  if (result.cycles > limits.max_cycles)
    result.trap = make_trap(TrapKind::CycleLimit, last_pc, program,
                            "the run took " + std::to_string(result.cycles) +
                                " cycles (including DMA drain), more than max_cycles = " +
                                std::to_string(limits.max_cycles));
}

void fold_counters(const RunCounters& counters, SimResult& result) {
  result.instructions = counters.instructions;
  result.units = counters.units;
  const auto& table = instruction_table();
  for (std::size_t i = 0; i < kInstructionCount; ++i)
    if (counters.per_opcode[i] != 0) result.instruction_mix[table[i].mnemonic] = counters.per_opcode[i];
}

void run(const Program& program, MachineState& state, const HardwareConfig& config,
         const Limits& limits, SimResult& result) {
  if (std::string problem = validate(config); !problem.empty()) {
    result.trap = make_trap(TrapKind::IllegalInstruction, 0, program,
                            "the hardware configuration is invalid: " + problem);
    return;
  }
  normalise_registers(state);
  ExecContext ctx(state, config, result);
  ctx.hbm_writable = &limits.hbm_writable;
  ctx.program_size = program.instructions.size();
  const std::vector<ResolvedOp> ops = resolve(program, config, ctx.static_faults);
  RunCounters counters;
  const uint64_t last_pc = issue_loop(ctx, ops, limits, program, counters);
  fold_counters(counters, result);
  result.stopped_by_break = ctx.stopped;
  result.cycles = std::max(ctx.now, ctx.dma.last_done());
  check_end_of_run(ctx, program, limits, last_pc);
}

}  // namespace

SimResult simulate(const Program& program, MachineState& state, const HardwareConfig& config,
                   const Limits& limits) {
  SimResult result;
  try {
    run(program, state, config, limits, result);
  } catch (const std::exception& e) {
    // Only allocation failure can get here; report it rather than let it escape.
    result.trap = make_trap(TrapKind::IllegalInstruction, 0, program,
                            std::string("the simulator could not run the program: ") + e.what());
  }
  return result;
}

}  // namespace plena
