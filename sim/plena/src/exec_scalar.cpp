// Scalar unit: 32-bit integer arithmetic on gp registers, BF16 arithmetic on f registers, and
// the FP/INT SRAM loads and stores (docs/plena-model.md, "Scalar unit").
#include <cmath>
#include <cstdint>

#include "exec_context.h"

namespace plena {
namespace {

// gp[rs1] + imm, the SRAM address of the scalar loads and stores (imm is unsigned 18-bit).
uint64_t scalar_address(ExecContext& c, const Instruction& in) {
  return uint64_t{c.gp(in.rs1)} + static_cast<uint64_t>(in.imm);
}

// ---- integer: unsigned 32-bit arithmetic, which wraps modulo 2^32 without UB ----

template <typename Op>
bool int_binary(ExecContext& c, const Instruction& in, Op op) {
  c.set_gp(in.rd, op(c.gp(in.rs1), c.gp(in.rs2)));
  return true;
}

bool exec_s_add_int(ExecContext& c, const Instruction& in) {
  return int_binary(c, in, [](uint32_t a, uint32_t b) { return a + b; });
}
bool exec_s_sub_int(ExecContext& c, const Instruction& in) {
  return int_binary(c, in, [](uint32_t a, uint32_t b) { return a - b; });
}
bool exec_s_mul_int(ExecContext& c, const Instruction& in) {
  // Widen first: uint32_t * uint32_t could promote through int on exotic platforms.
  return int_binary(c, in, [](uint32_t a, uint32_t b) {
    return static_cast<uint32_t>(uint64_t{a} * uint64_t{b});
  });
}

bool exec_s_addi_int(ExecContext& c, const Instruction& in) {
  // imm is sign-extended; adding its two's complement bits wraps like the hardware adder.
  c.set_gp(in.rd, c.gp(in.rs1) + static_cast<uint32_t>(in.imm));
  return true;
}

bool exec_s_lui_int(ExecContext& c, const Instruction& in) {
  c.set_gp(in.rd, static_cast<uint32_t>(static_cast<uint64_t>(in.imm) << 12));
  return true;
}

bool exec_s_ld_int(ExecContext& c, const Instruction& in) {
  const uint64_t addr = scalar_address(c, in);
  if (!c.access(Memory::IntSram, addr, 1, Access::Read)) return false;
  c.set_gp(in.rd, static_cast<uint32_t>(c.state.int_sram[addr]));
  return true;
}

bool exec_s_st_int(ExecContext& c, const Instruction& in) {
  const uint64_t addr = scalar_address(c, in);
  if (!c.access(Memory::IntSram, addr, 1, Access::Write)) return false;
  c.state.int_sram[addr] = static_cast<int32_t>(c.gp(in.rd));
  return true;
}

// ---- floating point: float32 from BF16 operands, rounded to BF16 by set_fp ----

template <typename Op>
bool fp_binary(ExecContext& c, const Instruction& in, Op op) {
  c.set_fp(in.rd, op(c.fp(in.rs1), c.fp(in.rs2)));
  return true;
}

template <typename Op>
bool fp_unary(ExecContext& c, const Instruction& in, Op op) {
  c.set_fp(in.rd, op(c.fp(in.rs1)));
  return true;
}

bool exec_s_add_fp(ExecContext& c, const Instruction& in) {
  return fp_binary(c, in, [](float a, float b) { return a + b; });
}
bool exec_s_sub_fp(ExecContext& c, const Instruction& in) {
  return fp_binary(c, in, [](float a, float b) { return a - b; });
}
bool exec_s_mul_fp(ExecContext& c, const Instruction& in) {
  return fp_binary(c, in, [](float a, float b) { return a * b; });
}
// maxNum: a single NaN operand is ignored, as in the vector unit.
bool exec_s_max_fp(ExecContext& c, const Instruction& in) {
  return fp_binary(c, in, [](float a, float b) { return std::fmax(a, b); });
}
bool exec_s_exp_fp(ExecContext& c, const Instruction& in) {
  return fp_unary(c, in, [](float x) { return numerics::exp_bf16(x); });
}
bool exec_s_reci_fp(ExecContext& c, const Instruction& in) {
  return fp_unary(c, in, [](float x) { return 1.0f / x; });
}
bool exec_s_sqrt_fp(ExecContext& c, const Instruction& in) {
  return fp_unary(c, in, [](float x) { return std::sqrt(x); });
}

bool exec_s_ld_fp(ExecContext& c, const Instruction& in) {
  const uint64_t addr = scalar_address(c, in);
  if (!c.access(Memory::FpSram, addr, 1, Access::Read)) return false;
  c.set_fp(in.rd, c.state.fp_sram[addr]);
  return true;
}

bool exec_s_st_fp(ExecContext& c, const Instruction& in) {
  const uint64_t addr = scalar_address(c, in);
  if (!c.access(Memory::FpSram, addr, 1, Access::Write)) return false;
  c.state.fp_sram[addr] = c.fp(in.rd);
  return true;
}

// V[gp[rd] ..+VLEN] = FP_SRAM[gp[rs1] + imm ..+VLEN].
bool exec_s_map_v_fp(ExecContext& c, const Instruction& in) {
  const uint64_t dst = c.gp(in.rd), src = scalar_address(c, in);
  if (!c.aligned(Memory::VectorSram, dst, c.vlen, "destination address", "VLEN")) return false;
  if (!c.access(Memory::FpSram, src, c.vlen, Access::Read)) return false;
  if (!c.access(Memory::VectorSram, dst, c.vlen, Access::Write)) return false;
  const float* from = c.state.fp_sram.data() + src;
  float* to = c.vsram() + dst;
  for (uint64_t i = 0; i < c.vlen; ++i) to[i] = numerics::round_to_bf16(from[i]);
  return true;
}

}  // namespace

void register_scalar_ops(DispatchTable& t) {
  auto set = [&t](Opcode op, ExecFn fn) { t[static_cast<uint8_t>(op)] = fn; };
  set(Opcode::S_ADD_INT, exec_s_add_int);
  set(Opcode::S_SUB_INT, exec_s_sub_int);
  set(Opcode::S_MUL_INT, exec_s_mul_int);
  set(Opcode::S_ADDI_INT, exec_s_addi_int);
  set(Opcode::S_LUI_INT, exec_s_lui_int);
  set(Opcode::S_LD_INT, exec_s_ld_int);
  set(Opcode::S_ST_INT, exec_s_st_int);
  set(Opcode::S_ADD_FP, exec_s_add_fp);
  set(Opcode::S_SUB_FP, exec_s_sub_fp);
  set(Opcode::S_MUL_FP, exec_s_mul_fp);
  set(Opcode::S_MAX_FP, exec_s_max_fp);
  set(Opcode::S_EXP_FP, exec_s_exp_fp);
  set(Opcode::S_RECI_FP, exec_s_reci_fp);
  set(Opcode::S_SQRT_FP, exec_s_sqrt_fp);
  set(Opcode::S_LD_FP, exec_s_ld_fp);
  set(Opcode::S_ST_FP, exec_s_st_fp);
  set(Opcode::S_MAP_V_FP, exec_s_map_v_fp);
}

}  // namespace plena
