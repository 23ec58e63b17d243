// Lane-wise vector operations, compares/selects, shifts, moves and the bf16 non-linear set.
//
// bf16 arithmetic is computed in fp32 (exact inputs, one fp32 rounding) and then rounded to
// bf16 with round-to-nearest-even. vexp2/vinv/vrsqrt are a modelling stand-in for AIE API's
// LUT-based functions: fp32 library results rounded RNE.
#include <cmath>
#include <cstring>
#include <limits>

#include "lanes.h"

namespace aie {
namespace {

using IntOp = int64_t (*)(int64_t, int64_t);
using FloatOp = float (*)(float, float);

struct LaneOps {
  AluOp op;
  IntOp ints;
  FloatOp floats;
};

float nan_or(float a, float b, float value) {
  return std::isnan(a) || std::isnan(b) ? std::numeric_limits<float>::quiet_NaN() : value;
}

constexpr LaneOps kLaneOps[] = {
    {AluOp::Add, [](int64_t a, int64_t b) { return a + b; }, [](float a, float b) { return a + b; }},
    {AluOp::Sub, [](int64_t a, int64_t b) { return a - b; }, [](float a, float b) { return a - b; }},
    {AluOp::Mul,
     [](int64_t a, int64_t b) {
       return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
     },
     [](float a, float b) { return a * b; }},
    {AluOp::Max, [](int64_t a, int64_t b) { return a > b ? a : b; },
     [](float a, float b) { return nan_or(a, b, a > b ? a : b); }},
    {AluOp::Min, [](int64_t a, int64_t b) { return a < b ? a : b; },
     [](float a, float b) { return nan_or(a, b, a < b ? a : b); }},
};

const LaneOps* find_ops(AluOp op) {
  for (const LaneOps& l : kLaneOps)
    if (l.op == op) return &l;
  return nullptr;
}

bool compare(AluOp op, double a, double b) {
  switch (op) {
    case AluOp::Lt: return a < b;
    case AluOp::Ge: return a >= b;
    default: return a == b;
  }
}

float nonlinear(AluOp op, float x) {
  switch (op) {
    case AluOp::Exp2: return std::exp2(x);
    case AluOp::Inv: return 1.0f / x;
    default: return 1.0f / std::sqrt(x);
  }
}

unsigned reg(const Operand& op) { return static_cast<unsigned>(op.reg); }

}  // namespace

void exec_vec_elementwise(ExecContext& ctx, const Instruction& in, const InstrDef& def) {
  const Vec a = ctx.read_x(reg(in.ops[1]));
  const Vec b = ctx.read_x(reg(in.ops[2]));
  const LaneOps* ops = find_ops(def.op);
  if (ops == nullptr) {
    ctx.fail(TrapKind::IllegalBundle, std::string("`") + def.mnemonic + "` has no lane operation");
    return;
  }
  Vec out{};
  const std::size_t n = lane_count(def.type);
  for (std::size_t i = 0; i < n; ++i) {
    if (def.type == ElemType::Bf16)
      set_bf16(out.data(), i, ops->floats(get_bf16(a.data(), i), get_bf16(b.data(), i)));
    else
      set_int(out.data(), def.type, i,
              ops->ints(get_int(a.data(), def.type, i), get_int(b.data(), def.type, i)));
  }
  ctx.write_x(reg(in.ops[0]), out);
}

void exec_vec_compare(ExecContext& ctx, const Instruction& in, const InstrDef& def) {
  const Vec a = ctx.read_x(reg(in.ops[1]));
  const Vec b = ctx.read_x(reg(in.ops[2]));
  uint32_t mask = 0;
  const std::size_t n = lane_count(def.type);
  for (std::size_t i = 0; i < n; ++i) {
    const bool bit = def.type == ElemType::Bf16
                         ? compare(def.op, get_bf16(a.data(), i), get_bf16(b.data(), i))
                         : compare(def.op, static_cast<double>(get_int(a.data(), def.type, i)),
                                   static_cast<double>(get_int(b.data(), def.type, i)));
    if (bit) mask |= 1u << i;
  }
  ctx.write_scalar(ScalarFile::R, reg(in.ops[0]), mask);
}

void exec_vec_select(ExecContext& ctx, const Instruction& in, const InstrDef& def) {
  const Vec a = ctx.read_x(reg(in.ops[1]));
  const Vec b = ctx.read_x(reg(in.ops[2]));
  const uint32_t mask = ctx.read_r(reg(in.ops[3]));
  const std::size_t width = elem_bytes(def.type);
  Vec out{};
  for (std::size_t i = 0; i < kVectorBytes / width; ++i)
    std::memcpy(out.data() + i * width, ((mask >> i) & 1 ? b : a).data() + i * width, width);
  ctx.write_x(reg(in.ops[0]), out);
}

void exec_vec_shift(ExecContext& ctx, const Instruction& in, const InstrDef&) {
  const Vec a = ctx.read_x(reg(in.ops[1]));
  const Vec b = ctx.read_x(reg(in.ops[2]));
  const uint32_t shift = ctx.read_operand_value(in.ops[3]);
  if (ctx.failed()) return;
  if (shift > kVectorBytes) {
    ctx.fail(TrapKind::BadOperandValue, "`vshift` in " + ctx.where(ctx.pc()) +
                                            " got a byte count of " + std::to_string(shift) +
                                            "; allowed 0..64");
    return;
  }
  uint8_t both[2 * kVectorBytes];
  std::memcpy(both, a.data(), kVectorBytes);
  std::memcpy(both + kVectorBytes, b.data(), kVectorBytes);
  Vec out;
  std::memcpy(out.data(), both + shift, kVectorBytes);
  ctx.write_x(reg(in.ops[0]), out);
}

void exec_vec_broadcast(ExecContext& ctx, const Instruction& in, const InstrDef& def) {
  const uint32_t value = ctx.read_r(reg(in.ops[1]));
  Vec out{};
  const std::size_t n = lane_count(def.type);
  for (std::size_t i = 0; i < n; ++i) set_int(out.data(), def.type, i, value);
  ctx.write_x(reg(in.ops[0]), out);
}

void exec_vec_extract(ExecContext& ctx, const Instruction& in, const InstrDef& def) {
  const Vec v = ctx.read_x(reg(in.ops[1]));
  const auto lane = static_cast<std::size_t>(in.ops[2].imm) % lane_count(def.type);
  const ElemType as = def.type == ElemType::Bf16 ? ElemType::U16 : def.type;
  ctx.write_scalar(ScalarFile::R, reg(in.ops[0]),
                   static_cast<uint32_t>(get_int(v.data(), as, lane)));
}

void exec_vec_move(ExecContext& ctx, const Instruction& in, const InstrDef&) {
  ctx.write_x(reg(in.ops[0]), ctx.read_x(reg(in.ops[1])));
}

void exec_vec_nonlinear(ExecContext& ctx, const Instruction& in, const InstrDef& def) {
  const Vec a = ctx.read_x(reg(in.ops[1]));
  Vec out{};
  for (std::size_t i = 0; i < lane_count(ElemType::Bf16); ++i)
    set_bf16(out.data(), i, nonlinear(def.op, get_bf16(a.data(), i)));
  ctx.write_x(reg(in.ops[0]), out);
}

void exec_vec_convert(ExecContext& ctx, const Instruction& in, const InstrDef& def) {
  const Vec a = ctx.read_x(reg(in.ops[1]));
  Vec out{};
  for (std::size_t i = 0; i < 32; ++i) {
    if (def.type == ElemType::Bf16) {
      set_bf16(out.data(), i, static_cast<float>(get_int(a.data(), ElemType::I16, i)));
    } else {
      const float f = get_bf16(a.data(), i);
      // Clamp before converting so out-of-range values saturate instead of being undefined.
      const double r = std::isnan(f) ? 0.0 : std::nearbyint(std::fmax(-40000.0, std::fmin(40000.0, static_cast<double>(f))));
      set_int(out.data(), ElemType::I16, i, saturate(static_cast<int64_t>(r), ElemType::I16));
    }
  }
  ctx.write_x(reg(in.ops[0]), out);
}

}  // namespace aie
