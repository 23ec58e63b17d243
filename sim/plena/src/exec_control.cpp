// Control: special registers, hardware loops and C_BREAK (docs/plena-model.md, "Control").
//
// The assembler checks loop structure statically, but programs may also arrive as binary
// .mem files, so every structural rule is enforced here at run time as well.
#include <string>

#include "exec_context.h"

namespace plena {
namespace {

std::string gp_name(uint8_t r) { return "gp" + std::to_string(r); }

bool loop_trap(ExecContext& c, const std::string& message) {
  return c.fail(TrapKind::LoopStructure, std::string(c.mnemonic()) + " " + message);
}

bool exec_c_set_addr_reg(ExecContext& c, const Instruction& in) {
  c.state.addr[in.rd] = (uint64_t{c.gp(in.rs1)} << 32) | c.gp(in.rs2);
  c.state.addr_valid[in.rd] = true;
  return true;
}

bool exec_c_set_scale_reg(ExecContext& c, const Instruction& in) {
  c.state.scale_offset = c.gp(in.rd);
  return true;
}

bool exec_c_set_stride_reg(ExecContext& c, const Instruction& in) {
  c.state.stride = c.gp(in.rd);
  return true;
}

bool exec_c_set_v_mask_reg(ExecContext& c, const Instruction& in) {
  c.state.vmask = c.gp(in.rd);
  return true;
}

bool exec_c_loop_start(ExecContext& c, const Instruction& in) {
  // gp0 always reads 0, so its loop could never count: always a kernel bug.
  if (in.rd == 0) return loop_trap(c, "cannot use gp0 as a loop counter (gp0 always reads 0)");
  if (in.imm <= 0) return loop_trap(c, "needs an iteration count of at least 1, got 0");
  if (c.loops.size() >= c.config.max_loop_depth)
    return loop_trap(c, "opens a loop nested deeper than max_loop_depth = " +
                            std::to_string(c.config.max_loop_depth));
  for (const LoopFrame& open : c.loops)
    if (open.counter == in.rd)
      return loop_trap(c, "reuses " + gp_name(in.rd) +
                              " as a counter while the loop opened at instruction " +
                              std::to_string(open.start_pc) + " still uses it");
  c.set_gp(in.rd, static_cast<uint32_t>(in.imm));
  c.loops.push_back(LoopFrame{in.rd, c.pc});
  return true;
}

bool exec_c_loop_end(ExecContext& c, const Instruction& in) {
  if (c.loops.empty()) return loop_trap(c, "has no matching C_LOOP_START (no loop is open)");
  const LoopFrame frame = c.loops.back();
  if (frame.counter != in.rd)
    return loop_trap(c, "names " + gp_name(in.rd) + " but the innermost open loop (opened at "
                        "instruction " + std::to_string(frame.start_pc) + ") counts with " +
                        gp_name(frame.counter));
  const uint64_t body = c.pc - frame.start_pc - 1;
  if (body > c.config.max_loop_body)
    return loop_trap(c, "closes a loop body of " + std::to_string(body) +
                            " instructions; max_loop_body is " +
                            std::to_string(c.config.max_loop_body));
  const uint32_t remaining = c.gp(in.rd) - 1u;
  c.set_gp(in.rd, remaining);
  if (remaining != 0) c.next_pc = frame.start_pc + 1;
  else c.loops.pop_back();
  return true;
}

bool exec_c_break(ExecContext& c, const Instruction&) {
  c.stopped = true;
  c.next_pc = c.program_size;
  return true;
}

}  // namespace

void register_control_ops(DispatchTable& t) {
  auto set = [&t](Opcode op, ExecFn fn) { t[static_cast<uint8_t>(op)] = fn; };
  set(Opcode::C_SET_ADDR_REG, exec_c_set_addr_reg);
  set(Opcode::C_SET_SCALE_REG, exec_c_set_scale_reg);
  set(Opcode::C_SET_STRIDE_REG, exec_c_set_stride_reg);
  set(Opcode::C_SET_V_MASK_REG, exec_c_set_v_mask_reg);
  set(Opcode::C_LOOP_START, exec_c_loop_start);
  set(Opcode::C_LOOP_END, exec_c_loop_end);
  set(Opcode::C_BREAK, exec_c_break);
}

}  // namespace plena
