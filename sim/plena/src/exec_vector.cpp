// Vector unit: elementwise ops on one VLEN row, reductions into f-registers, and the shift
// (docs/plena-model.md, "Vector unit"). Each element is computed in float32 from BF16
// operands and rounded to BF16 once.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "exec_context.h"

namespace plena {
namespace {

using numerics::round_to_bf16;
constexpr Memory kV = Memory::VectorSram;

bool vector_row(ExecContext& c, uint64_t addr, Access kind, const char* what) {
  return c.aligned(kV, addr, c.vlen, what, "VLEN") && c.access(kV, addr, c.vlen, kind);
}

// Calls body(i) for every lane the instruction operates on: all VLEN lanes, or, with the mask
// operand set, the HLEN lanes of each head whose V_MASK bit is set.
template <typename Body>
void for_each_lane(const ExecContext& c, bool masked, Body&& body) {
  if (!masked) {
    for (uint64_t i = 0; i < c.vlen; ++i) body(i);
    return;
  }
  const uint32_t mask = c.state.vmask;
  for (uint64_t h = 0; h < c.heads; ++h) {
    if (((mask >> h) & 1u) == 0) continue;
    for (uint64_t i = h * c.hlen; i < (h + 1) * c.hlen; ++i) body(i);
  }
}

// IEEE maxNum/minNum: a single NaN operand is ignored.
float max_num(float a, float b) { return std::fmax(a, b); }
float min_num(float a, float b) { return std::fmin(a, b); }

// V[rd] = op(V[rs1], V[rs2]) per lane. Lane i reads only lane i, so operands may alias.
template <typename Op>
bool vector_vector(ExecContext& c, const Instruction& in, Op op) {
  const uint64_t dst = c.gp(in.rd), a = c.gp(in.rs1), b = c.gp(in.rs2);
  if (!vector_row(c, a, Access::Read, "first source address")) return false;
  if (!vector_row(c, b, Access::Read, "second source address")) return false;
  if (!vector_row(c, dst, Access::Write, "destination address")) return false;
  float* v = c.vsram();
  for_each_lane(c, in.rs3 != 0, [&](uint64_t i) { v[dst + i] = round_to_bf16(op(v[a + i], v[b + i])); });
  return true;
}

// V[rd] = op(V[rs1], f[rs2]) per lane.
template <typename Op>
bool vector_scalar(ExecContext& c, const Instruction& in, Op op) {
  const uint64_t dst = c.gp(in.rd), a = c.gp(in.rs1);
  if (!vector_row(c, a, Access::Read, "source address")) return false;
  if (!vector_row(c, dst, Access::Write, "destination address")) return false;
  const float f = c.fp(in.rs2);
  float* v = c.vsram();
  for_each_lane(c, in.rs3 != 0, [&](uint64_t i) { v[dst + i] = round_to_bf16(op(v[a + i], f)); });
  return true;
}

// V[rd] = op(V[rs1]) per lane.
template <typename Op>
bool vector_unary(ExecContext& c, const Instruction& in, Op op) {
  const uint64_t dst = c.gp(in.rd), a = c.gp(in.rs1);
  if (!vector_row(c, a, Access::Read, "source address")) return false;
  if (!vector_row(c, dst, Access::Write, "destination address")) return false;
  float* v = c.vsram();
  for_each_lane(c, in.rs3 != 0, [&](uint64_t i) { v[dst + i] = round_to_bf16(op(v[a + i])); });
  return true;
}

bool exec_v_add_vv(ExecContext& c, const Instruction& in) {
  return vector_vector(c, in, [](float a, float b) { return a + b; });
}
// As specified: the second operand minus the first.
bool exec_v_sub_vv(ExecContext& c, const Instruction& in) {
  return vector_vector(c, in, [](float a, float b) { return b - a; });
}
bool exec_v_mul_vv(ExecContext& c, const Instruction& in) {
  return vector_vector(c, in, [](float a, float b) { return a * b; });
}

bool exec_v_add_vf(ExecContext& c, const Instruction& in) {
  return vector_scalar(c, in, [](float v, float f) { return v + f; });
}
// funct1 is rorder: 0 computes V - f, 1 computes f - V.
bool exec_v_sub_vf(ExecContext& c, const Instruction& in) {
  if (in.funct1 != 0) return vector_scalar(c, in, [](float v, float f) { return f - v; });
  return vector_scalar(c, in, [](float v, float f) { return v - f; });
}
bool exec_v_mul_vf(ExecContext& c, const Instruction& in) {
  return vector_scalar(c, in, [](float v, float f) { return v * f; });
}
bool exec_v_max_vf(ExecContext& c, const Instruction& in) { return vector_scalar(c, in, max_num); }
bool exec_v_min_vf(ExecContext& c, const Instruction& in) { return vector_scalar(c, in, min_num); }

bool exec_v_exp_v(ExecContext& c, const Instruction& in) {
  return vector_unary(c, in, [](float x) { return numerics::exp_bf16(x); });
}
// IEEE division: 1/0 = inf, 1/inf = 0.
bool exec_v_reci_v(ExecContext& c, const Instruction& in) {
  return vector_unary(c, in, [](float x) { return 1.0f / x; });
}

// f[rd] += sum of the row: a float32 running sum that starts from f[rd], adds the lanes in
// index order and is rounded to BF16 once at the end.
bool exec_v_red_sum(ExecContext& c, const Instruction& in) {
  const uint64_t src = c.gp(in.rs1);
  if (!vector_row(c, src, Access::Read, "source address")) return false;
  const float* v = c.vsram() + src;
  float sum = c.fp(in.rd);
  for (uint64_t i = 0; i < c.vlen; ++i) sum += v[i];
  c.set_fp(in.rd, sum);
  return true;
}

// f[rd] = max(f[rd], max of the enabled lanes); disabled lanes are skipped.
bool exec_v_red_max(ExecContext& c, const Instruction& in) {
  const uint64_t src = c.gp(in.rs1);
  if (!vector_row(c, src, Access::Read, "source address")) return false;
  const float* v = c.vsram() + src;
  float best = c.fp(in.rd);
  for_each_lane(c, in.rs3 != 0, [&](uint64_t i) { best = max_num(best, v[i]); });
  c.set_fp(in.rd, best);
  return true;
}

// V[rd][i] = V[rs1][i + s], s = (int32) gp[rs2], zero outside the row. The source is copied
// first because rd may equal rs1.
bool exec_v_shft_v(ExecContext& c, const Instruction& in) {
  const uint64_t dst = c.gp(in.rd), src = c.gp(in.rs1);
  if (!vector_row(c, src, Access::Read, "source address")) return false;
  if (!vector_row(c, dst, Access::Write, "destination address")) return false;
  const int64_t shift = static_cast<int32_t>(c.gp(in.rs2));
  const int64_t lanes = static_cast<int64_t>(c.vlen);
  float* v = c.vsram();
  std::copy(v + src, v + src + c.vlen, c.scratch.begin());
  for (int64_t i = 0; i < lanes; ++i) {
    const int64_t from = i + shift;
    v[dst + static_cast<uint64_t>(i)] = (from >= 0 && from < lanes) ? c.scratch[static_cast<std::size_t>(from)] : 0.0f;
  }
  return true;
}

}  // namespace

void register_vector_ops(DispatchTable& t) {
  auto set = [&t](Opcode op, ExecFn fn) { t[static_cast<uint8_t>(op)] = fn; };
  set(Opcode::V_ADD_VV, exec_v_add_vv);
  set(Opcode::V_SUB_VV, exec_v_sub_vv);
  set(Opcode::V_MUL_VV, exec_v_mul_vv);
  set(Opcode::V_ADD_VF, exec_v_add_vf);
  set(Opcode::V_SUB_VF, exec_v_sub_vf);
  set(Opcode::V_MUL_VF, exec_v_mul_vf);
  set(Opcode::V_MAX_VF, exec_v_max_vf);
  set(Opcode::V_MIN_VF, exec_v_min_vf);
  set(Opcode::V_EXP_V, exec_v_exp_v);
  set(Opcode::V_RECI_V, exec_v_reci_v);
  set(Opcode::V_RED_SUM, exec_v_red_sum);
  set(Opcode::V_RED_MAX, exec_v_red_max);
  set(Opcode::V_SHFT_V, exec_v_shft_v);
}

}  // namespace plena
