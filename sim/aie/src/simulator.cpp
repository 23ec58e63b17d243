// The issue loop: checks the program once, then runs one bundle per cycle, charges stalls,
// advances the DMA engine, and stops on `done` (after DMA traffic drains), a trap or a limit.
#include "aie/simulator.h"

#include <vector>

#include "decoder.h"
#include "dma.h"
#include "exec_context.h"
#include "locks.h"

namespace aie {
namespace {

Trap make_trap(TrapKind kind, uint32_t pc, const Program& program, std::string message) {
  Trap t;
  t.kind = kind;
  t.pc = pc;
  t.source_line = pc < program.bundles.size() ? program.bundles[pc].line : 0;
  t.message = std::move(message);
  return t;
}

// Static checks of a program that may not come from the assembler. Returns false with the
// trap set when something would make execution unsafe or meaningless.
bool check_program(const Program& program, const MachineState& state, const HardwareConfig& config,
                   SimResult& result) {
  auto bad = [&](uint32_t pc, std::string message) {
    result.trap = make_trap(TrapKind::IllegalBundle, pc, program, std::move(message));
    return false;
  };
  if (std::string problem = validate(config); !problem.empty())
    return bad(0, "invalid hardware config: " + problem);
  if (state.dm.size() != config.dm_bytes || state.memtile.size() != config.memtile_bytes ||
      state.ddr.size() != config.ddr_bytes || state.locks.size() != config.lock_count() ||
      state.bds.size() != config.bd_count)
    return bad(0, "the machine state was built for a different hardware config");
  if (program.size() > config.max_bundles())
    return bad(0, "the program has " + std::to_string(program.size()) +
                      " bundles; program memory holds " + std::to_string(config.max_bundles()));
  for (std::size_t pc = 0; pc < program.size(); ++pc) {
    const Bundle& b = program.bundles[pc];
    for (const Instruction& in : b.instrs)
      if (std::string p = check_instruction(in, config, program.size()); !p.empty())
        return bad(static_cast<uint32_t>(pc), "illegal bundle: " + p);
    if (std::string p = check_bundle(b); !p.empty())
      return bad(static_cast<uint32_t>(pc), "illegal bundle: " + p);
  }
  for (const auto& [index, bd] : program.bds)
    if (index >= config.bd_count) return bad(0, "a .bd names bd" + std::to_string(index));
  for (const LockInit& l : program.locks)
    if (l.lock >= config.lock_count() || l.value > config.lock_max)
      return bad(0, "a .lock directive is out of range");
  return true;
}

class Runner {
 public:
  Runner(const Program& program, MachineState& state, const HardwareConfig& config,
         const Limits& limits, SimResult& result)
      : program_(program), config_(config), limits_(limits), result_(result),
        dma_(state, config, limits, result), ctx_(program, state, config, limits, result, dma_),
        mix_(instruction_table().size(), 0) {}

  void run() {
    uint32_t pc = 0;
    while (!result_.trap) {
      if (!within_limits(pc)) break;
      const Bundle& bundle = program_.bundles[pc];
      if (!wait_until_ready(pc, bundle)) break;
      if (!execute(pc, bundle)) break;
      if (ctx_.halted()) {
        result_.stopped = true;
        drain(pc);
        break;
      }
      pc = next_pc(pc);
    }
    result_.cycles = cycle_;
    for (std::size_t i = 0; i < mix_.size(); ++i)
      if (mix_[i]) result_.instruction_mix[instruction_table()[i].mnemonic] = mix_[i];
  }

 private:
  bool within_limits(uint32_t pc) {
    if (pc >= program_.size()) {
      trap(TrapKind::PcOutOfRange, pc,
           "execution reached bundle " + std::to_string(pc) +
               ", past the last bundle, without `done`; end the kernel with `done`");
      return false;
    }
    if (result_.bundles >= limits_.max_bundles) {
      trap(TrapKind::InstructionLimit, pc,
           "the kernel executed " + std::to_string(result_.bundles) +
               " bundles, the limit; look for a loop that never ends");
      return false;
    }
    if (cycle_ >= limits_.max_cycles) {
      trap(TrapKind::CycleLimit, pc,
           "the kernel ran for " + std::to_string(cycle_) + " cycles, the limit");
      return false;
    }
    return true;
  }

  void trap(TrapKind kind, uint32_t pc, std::string message) {
    if (!result_.trap) result_.trap = make_trap(kind, pc, program_, std::move(message));
  }

  // Advances the DMA engine `cycles` cycles, attributing any DMA trap to bundle `pc`.
  bool advance_dma(uint64_t cycles, uint32_t pc) {
    for (uint64_t i = 0; i < cycles; ++i) {
      Trap t;
      if (!dma_.step(t)) {
        t.pc = pc;
        t.source_line = pc < program_.size() ? program_.bundles[pc].line : 0;
        t.message += " (while " + ctx_.where(pc) + " was executing)";
        if (!result_.trap) result_.trap = std::move(t);
        return false;
      }
    }
    return true;
  }

  std::string wait_reason(const Bundle& bundle) const {
    const auto& table = instruction_table();
    for (const Instruction& in : bundle.instrs) {
      const ExecGroup g = table[in.def].group;
      if (g == ExecGroup::LockAcquire) {
        const auto lock = static_cast<uint32_t>(in.ops[0].reg);
        return "`acq` waits for " + lock_name(lock, config_) + " >= " +
               std::to_string(in.ops[1].imm) + " (it is " +
               std::to_string(ctx_.state.locks[lock]) + ")";
      }
      if (g == ExecGroup::DmaWait || g == ExecGroup::DmaStart)
        return std::string("`") + table[in.def].mnemonic + "` waits for " +
               channel_name(static_cast<unsigned>(in.ops[0].reg), config_);
    }
    return "the bundle waits";
  }

  bool wait_until_ready(uint32_t pc, const Bundle& bundle) {
    for (;;) {
      const WaitCause cause = bundle_wait(ctx_, bundle);
      if (cause == WaitCause::None) return true;
      if (!dma_.can_progress()) {
        trap(TrapKind::Deadlock, pc,
             "deadlock in " + ctx_.where(pc) + ": " + wait_reason(bundle) +
                 ", and no DMA channel can make progress (" + dma_.summary() + ")");
        return false;
      }
      if (!advance_dma(1, pc)) return false;
      ++cycle_;
      (cause == WaitCause::Lock ? result_.stalls.lock_wait : result_.stalls.dma) += 1;
      if (cycle_ >= limits_.max_cycles) {
        trap(TrapKind::CycleLimit, pc,
             "the kernel ran for " + std::to_string(cycle_) + " cycles, the limit, while " +
                 wait_reason(bundle));
        return false;
      }
    }
  }

  bool execute(uint32_t pc, const Bundle& bundle) {
    const auto& table = instruction_table();
    ctx_.begin_bundle(pc, cycle_);
    for (const Instruction& in : bundle.instrs) {
      const InstrDef& def = table[in.def];
      ctx_.set_current(in);
      exec_function(def.group)(ctx_, in, def);
      if (ctx_.failed()) return false;
    }
    const uint32_t stall = bank_conflict_stall(ctx_.accesses(), config_);
    ctx_.commit(stall);
    if (ctx_.failed()) return false;
    count(bundle);
    uint64_t used = 1 + stall;
    result_.stalls.bank_conflict += stall;
    if (ctx_.jump_target()) {
      used += config_.branch_penalty;
      result_.stalls.branch += config_.branch_penalty;
    }
    if (!advance_dma(used, pc)) return false;
    cycle_ += used;
    return true;
  }

  void count(const Bundle& bundle) {
    const auto& table = instruction_table();
    ++result_.bundles;
    if (bundle.instrs.empty()) ++result_.empty_bundles;
    for (const Instruction& in : bundle.instrs) {
      ++mix_[in.def];
      result_.slot_use[static_cast<std::size_t>(table[in.def].slot)] += table[in.def].slots_used;
    }
  }

  uint32_t next_pc(uint32_t pc) {
    if (auto target = ctx_.jump_target()) return *target;
    uint32_t next = pc + 1;
    // Zero-overhead loops: falling into the end of the innermost body repeats it.
    while (!ctx_.loops.empty() && next == ctx_.loops.back().end) {
      LoopFrame& f = ctx_.loops.back();
      if (--f.remaining > 0) return f.start;
      ctx_.loops.pop_back();
    }
    return next;
  }

  void drain(uint32_t pc) {
    while (dma_.can_progress()) {
      if (cycle_ >= limits_.max_cycles) {
        trap(TrapKind::CycleLimit, pc, "DMA traffic was still running at the cycle limit");
        return;
      }
      if (!advance_dma(1, pc)) return;
      ++cycle_;
      ++result_.stalls.drain;
    }
  }

  const Program& program_;
  const HardwareConfig& config_;
  const Limits& limits_;
  SimResult& result_;
  DmaEngine dma_;
  ExecContext ctx_;
  std::vector<uint64_t> mix_;
  uint64_t cycle_ = 0;
};

}  // namespace

SimResult simulate(const Program& program, MachineState& state, const HardwareConfig& config,
                   const Limits& limits) {
  SimResult result;
  if (!check_program(program, state, config, result)) return result;
  for (const auto& [index, bd] : program.bds) state.bds[index] = bd;
  for (const LockInit& l : program.locks) state.locks[l.lock] = l.value;
  Runner runner(program, state, config, limits, result);
  runner.run();
  return result;
}

}  // namespace aie
