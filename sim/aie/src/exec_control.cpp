// Jumps, zero-overhead loops, `done`, core lock operations and DMA control.
#include "exec_context.h"
#include "locks.h"

namespace aie {
namespace {

bool inside_running_loop(const ExecContext& ctx, uint32_t target) {
  return ctx.loops.empty() || (target >= ctx.loops.back().start && target < ctx.loops.back().end);
}

void take_branch(ExecContext& ctx, uint32_t target) {
  if (!inside_running_loop(ctx, target)) {
    const LoopFrame& f = ctx.loops.back();
    ctx.fail(TrapKind::LoopStructure,
             "a branch in " + ctx.where(ctx.pc()) + " jumps to bundle " + std::to_string(target) +
                 ", outside the running loop body (bundles " + std::to_string(f.start) + ".." +
                 std::to_string(f.end - 1) + "); a zero-overhead loop can only end by running out");
    return;
  }
  ctx.jump(target);
}

using FieldSetter = void (*)(BufferDescriptor&, uint32_t);

// Indexed by BdField; strides and `next` are two's complement.
constexpr FieldSetter kFieldSetters[kBdFieldCount] = {
    [](BufferDescriptor& bd, uint32_t v) { bd.src_addr = v; },
    [](BufferDescriptor& bd, uint32_t v) { bd.dst_addr = v; },
    [](BufferDescriptor& bd, uint32_t v) { bd.size[0] = v; },
    [](BufferDescriptor& bd, uint32_t v) { bd.size[1] = v; },
    [](BufferDescriptor& bd, uint32_t v) { bd.size[2] = v; },
    [](BufferDescriptor& bd, uint32_t v) { bd.src_stride[0] = static_cast<int32_t>(v); },
    [](BufferDescriptor& bd, uint32_t v) { bd.src_stride[1] = static_cast<int32_t>(v); },
    [](BufferDescriptor& bd, uint32_t v) { bd.src_stride[2] = static_cast<int32_t>(v); },
    [](BufferDescriptor& bd, uint32_t v) { bd.dst_stride[0] = static_cast<int32_t>(v); },
    [](BufferDescriptor& bd, uint32_t v) { bd.dst_stride[1] = static_cast<int32_t>(v); },
    [](BufferDescriptor& bd, uint32_t v) { bd.dst_stride[2] = static_cast<int32_t>(v); },
    [](BufferDescriptor& bd, uint32_t v) {
      bd.next = static_cast<int32_t>(v) < 0 ? -1 : static_cast<int32_t>(v);
    },
    [](BufferDescriptor& bd, uint32_t v) { bd.acq_value = v; },
    [](BufferDescriptor& bd, uint32_t v) { bd.rel_value = v; },
};

}  // namespace

void exec_jump(ExecContext& ctx, const Instruction& in, const InstrDef&) {
  take_branch(ctx, static_cast<uint32_t>(in.ops[0].imm));
}

void exec_branch(ExecContext& ctx, const Instruction& in, const InstrDef& def) {
  const uint32_t value = ctx.read_r(static_cast<unsigned>(in.ops[0].reg));
  if (ctx.failed()) return;
  const bool taken = def.op == AluOp::BranchIfZero ? value == 0 : value != 0;
  if (taken) take_branch(ctx, static_cast<uint32_t>(in.ops[1].imm));
}

void exec_loop(ExecContext& ctx, const Instruction& in, const InstrDef&) {
  const auto count = static_cast<int32_t>(ctx.read_operand_value(in.ops[0]));
  if (ctx.failed()) return;
  const uint32_t start = ctx.pc() + 1;
  const auto end = static_cast<uint32_t>(in.ops[1].imm);
  const std::string here = "`loop` in " + ctx.where(ctx.pc());
  if (count < 1) {
    ctx.fail(TrapKind::LoopStructure,
             here + " got a count of " + std::to_string(count) +
                 "; a zero-overhead loop runs its body at least once, so guard a count of 0 "
                 "with a branch");
    return;
  }
  if (ctx.loops.size() >= ctx.config.max_loop_depth) {
    ctx.fail(TrapKind::LoopStructure,
             here + " would nest " + std::to_string(ctx.loops.size() + 1) +
                 " loops; the preset allows " + std::to_string(ctx.config.max_loop_depth) +
                 " (use a counter and jnz for outer loops)");
    return;
  }
  if (end <= start || end > ctx.program.size() ||
      (!ctx.loops.empty() && end > ctx.loops.back().end)) {
    ctx.fail(TrapKind::LoopStructure, here + " has an empty or badly nested body");
    return;
  }
  ctx.loops.push_back({start, end, static_cast<uint64_t>(count)});
}

void exec_done(ExecContext& ctx, const Instruction&, const InstrDef&) { ctx.halt(); }

void exec_lock_acquire(ExecContext& ctx, const Instruction& in, const InstrDef&) {
  // bundle_wait() already held the bundle until the lock was high enough.
  lock_acquire(ctx.state, static_cast<uint32_t>(in.ops[0].reg), static_cast<uint32_t>(in.ops[1].imm));
}

void exec_lock_release(ExecContext& ctx, const Instruction& in, const InstrDef&) {
  const auto lock = static_cast<uint32_t>(in.ops[0].reg);
  const auto value = static_cast<uint32_t>(in.ops[1].imm);
  if (!lock_release(ctx.state, ctx.config, lock, value))
    ctx.fail(TrapKind::LockOverflow,
             "`rel` in " + ctx.where(ctx.pc()) + " would raise " + lock_name(lock, ctx.config) +
                 " from " + std::to_string(ctx.state.locks[lock]) + " by " +
                 std::to_string(value) + " above its maximum " +
                 std::to_string(ctx.config.lock_max) + "; every rel needs a matching acq");
}

void exec_dma_start(ExecContext& ctx, const Instruction& in, const InstrDef&) {
  ctx.dma.enqueue(static_cast<unsigned>(in.ops[0].reg), static_cast<uint32_t>(in.ops[1].reg));
}

void exec_dma_wait(ExecContext&, const Instruction&, const InstrDef&) {
  // bundle_wait() held the bundle until the channel went quiet; nothing left to do.
}

void exec_bd_set(ExecContext& ctx, const Instruction& in, const InstrDef&) {
  const auto bd = static_cast<uint32_t>(in.ops[0].reg);
  const auto field = static_cast<BdField>(in.ops[1].reg);
  const uint32_t value = ctx.read_operand_value(in.ops[2]);
  if (ctx.failed()) return;
  const std::string here = "`bd.set` in " + ctx.where(ctx.pc());
  if (!ctx.state.bds[bd].valid) {
    ctx.fail(TrapKind::DmaError, here + " changes bd" + std::to_string(bd) +
                                     ", which no .bd directive defined; define it first");
    return;
  }
  if (ctx.dma.bd_in_use(bd)) {
    ctx.fail(TrapKind::DmaError,
             here + " changes bd" + std::to_string(bd) +
                 " while a channel runs or has queued it; dma.wait (or a lock) first");
    return;
  }
  const auto as_int = static_cast<int32_t>(value);
  const bool bad_next = field == BdField::Next && as_int >= static_cast<int32_t>(ctx.config.bd_count);
  const bool bad_lock_value = (field == BdField::AcqValue || field == BdField::RelValue) &&
                              value > ctx.config.lock_max;
  if (bad_next || bad_lock_value) {
    ctx.fail(TrapKind::BadOperandValue, here + " sets " + std::string(bd_field_name(field)) +
                                            " to " + std::to_string(as_int) + ", out of range");
    return;
  }
  kFieldSetters[static_cast<std::size_t>(field)](ctx.state.bds[bd], value);
}

WaitCause bundle_wait(ExecContext& ctx, const Bundle& bundle) {
  const auto& table = instruction_table();
  for (const Instruction& in : bundle.instrs) {
    switch (table[in.def].group) {
      case ExecGroup::LockAcquire:
        if (!lock_can_acquire(ctx.state, static_cast<uint32_t>(in.ops[0].reg),
                              static_cast<uint32_t>(in.ops[1].imm)))
          return WaitCause::Lock;
        break;
      case ExecGroup::DmaStart:
        if (ctx.dma.queue_full(static_cast<unsigned>(in.ops[0].reg))) return WaitCause::Dma;
        break;
      case ExecGroup::DmaWait:
        if (!ctx.dma.quiet(static_cast<unsigned>(in.ops[0].reg))) return WaitCause::Dma;
        break;
      default: break;
    }
  }
  return WaitCause::None;
}

}  // namespace aie
