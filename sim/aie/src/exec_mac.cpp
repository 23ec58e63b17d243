// Matrix multiply-accumulate (the AIE-ML vector unit's MAC array) and accumulator add/sub.
//
// Shapes (row-major operands, lane i*N+j of the result is row i, column j):
//   int8 : A 4x8 (low half of xA) x B 8x8 (all of xB) -> 4x8, 32 lanes acc32 (256 MACs)
//   int16: A 4x4 (low half of xA) x B 4x4 (low half of xB) -> 4x4, 16 lanes acc64 (64 MACs)
//   bf16 : A 4x8 (all of xA) x B 8x4 (all of xB) -> 4x4, 16 lanes fp32 (128 MACs); products
//          are exact in fp32 and are added to the lane one k at a time with fp32 rounding.
#include <cstdint>

#include "lanes.h"

namespace aie {
namespace {

struct Shape {
  ElemType type;
  AccType acc;
  unsigned m, k, n;
  bool a_low_half, b_low_half;
};

constexpr Shape kShapes[] = {
    {ElemType::I8, AccType::Acc32, 4, 8, 8, true, false},
    {ElemType::I16, AccType::Acc64, 4, 4, 4, true, true},
    {ElemType::Bf16, AccType::Fp32, 4, 8, 4, false, false},
};

const Shape* shape_of(ElemType type) {
  for (const Shape& s : kShapes)
    if (s.type == type) return &s;
  return nullptr;
}

int64_t wrap(int64_t value, AccType type) {
  if (type == AccType::Acc32) return static_cast<int32_t>(static_cast<uint32_t>(value));
  return value;
}

int64_t wrapping_add(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}

bool check_type(ExecContext& ctx, const Accumulator& acc, AccType want, unsigned index) {
  if (acc.type == want) return true;
  ctx.fail(TrapKind::AccumulatorMisuse,
           "`" + std::string(ctx.current_def().mnemonic) + "` in " + ctx.where(ctx.pc()) +
               " needs cm" + std::to_string(index) + " to hold " + acc_type_name(want) +
               " but it holds " + acc_type_name(acc.type) +
               "; start the chain with the matching mmul/vups");
  return false;
}

void integer_mac(const Shape& s, const Vec& a, const Vec& b, Accumulator& c) {
  for (unsigned i = 0; i < s.m; ++i)
    for (unsigned j = 0; j < s.n; ++j) {
      int64_t sum = c.ints[i * s.n + j];
      for (unsigned k = 0; k < s.k; ++k) {
        const int64_t p = get_int(a.data(), s.type, i * s.k + k) *
                          get_int(b.data(), s.type, k * s.n + j);
        sum = wrapping_add(sum, p);
      }
      c.ints[i * s.n + j] = wrap(sum, s.acc);
    }
}

void bf16_mac(const Shape& s, const Vec& a, const Vec& b, Accumulator& c) {
  for (unsigned i = 0; i < s.m; ++i)
    for (unsigned j = 0; j < s.n; ++j) {
      float sum = c.floats[i * s.n + j];
      for (unsigned k = 0; k < s.k; ++k)
        sum += get_bf16(a.data(), i * s.k + k) * get_bf16(b.data(), k * s.n + j);
      c.floats[i * s.n + j] = sum;
    }
}

}  // namespace

void exec_matmul(ExecContext& ctx, const Instruction& in, const InstrDef& def) {
  const Shape* s = shape_of(def.type);
  if (s == nullptr) {
    ctx.fail(TrapKind::IllegalBundle, std::string("`") + def.mnemonic + "` has no MAC shape");
    return;
  }
  const auto xa = static_cast<unsigned>(in.ops[1].reg);
  const auto xb = static_cast<unsigned>(in.ops[2].reg);
  const auto cd = static_cast<unsigned>(in.ops[0].reg);
  const Vec a = s->a_low_half ? ctx.read_x_low(xa) : ctx.read_x(xa);
  const Vec b = s->b_low_half ? ctx.read_x_low(xb) : ctx.read_x(xb);
  Accumulator c;
  c.type = s->acc;
  if (def.op == AluOp::Accumulate) {
    const Accumulator& old = ctx.read_acc(cd, /*chain=*/true);
    if (ctx.failed() || !check_type(ctx, old, s->acc, cd)) return;
    c = old;
  }
  if (ctx.failed()) return;
  if (s->type == ElemType::Bf16)
    bf16_mac(*s, a, b, c);
  else
    integer_mac(*s, a, b, c);
  ctx.result.macs += uint64_t{s->m} * s->k * s->n;
  ctx.write_acc(cd, c);
}

void exec_acc_add_sub(ExecContext& ctx, const Instruction& in, const InstrDef& def) {
  const Accumulator& a = ctx.read_acc(static_cast<unsigned>(in.ops[1].reg));
  const Accumulator& b = ctx.read_acc(static_cast<unsigned>(in.ops[2].reg));
  if (ctx.failed() || !check_type(ctx, b, a.type, static_cast<unsigned>(in.ops[2].reg))) return;
  const bool sub = def.op == AluOp::Sub;
  Accumulator c;
  c.type = a.type;
  for (std::size_t i = 0; i < kAccLanes; ++i) {
    c.floats[i] = sub ? a.floats[i] - b.floats[i] : a.floats[i] + b.floats[i];
    const int64_t rhs = sub ? static_cast<int64_t>(0 - static_cast<uint64_t>(b.ints[i])) : b.ints[i];
    c.ints[i] = wrap(wrapping_add(a.ints[i], rhs), a.type);
  }
  ctx.write_acc(static_cast<unsigned>(in.ops[0].reg), c);
}

}  // namespace aie
