// Accumulator read-out (SRS: shift, round, saturate) and load-up (UPS).
#include <cstring>

#include "lanes.h"

namespace aie {
namespace {

// value / 2^shift rounded by `mode`, computed on the floor quotient and the dropped bits so
// that no intermediate can overflow for any int64 input.
int64_t shift_round(int64_t value, unsigned shift, RoundMode mode) {
  if (shift == 0) return value;
  const int64_t q = value >> shift;  // arithmetic shift: floor division
  const uint64_t mask = (shift >= 64) ? ~0ull : ((1ull << shift) - 1);
  const uint64_t rem = static_cast<uint64_t>(value) & mask;
  const uint64_t half = 1ull << (shift - 1);
  switch (mode) {
    case RoundMode::Floor: return q;
    case RoundMode::Rne: return (rem > half || (rem == half && (q & 1))) ? q + 1 : q;
    case RoundMode::Rna: return (rem > half || (rem == half && value >= 0)) ? q + 1 : q;
  }
  return q;
}

bool expect(ExecContext& ctx, const Accumulator& acc, bool want_float, unsigned index) {
  if ((acc.type == AccType::Fp32) == want_float) return true;
  ctx.fail(TrapKind::AccumulatorMisuse,
           "`" + std::string(ctx.current_def().mnemonic) + "` in " + ctx.where(ctx.pc()) +
               " reads cm" + std::to_string(index) + ", which holds " + acc_type_name(acc.type) +
               (want_float ? "; vsrs.bf16 needs fp32 (from mmul.bf16 or vups.bf16)"
                           : "; integer vsrs needs acc32 or acc64 (use vsrs.bf16 for fp32)"));
  return false;
}

}  // namespace

void exec_srs(ExecContext& ctx, const Instruction& in, const InstrDef& def) {
  const auto index = static_cast<unsigned>(in.ops[1].reg);
  const Accumulator& acc = ctx.read_acc(index);
  const bool to_bf16 = def.type == ElemType::Bf16;
  if (ctx.failed() || !expect(ctx, acc, to_bf16, index)) return;
  Vec out{};
  if (to_bf16) {
    for (std::size_t i = 0; i < kAccLanes; ++i) set_bf16(out.data(), i, acc.floats[i]);
  } else {
    const auto shift = static_cast<unsigned>(in.ops[2].imm);
    const RoundMode mode = in.ops[3].kind == OperandKind::RoundMode
                               ? static_cast<RoundMode>(in.ops[3].imm)
                               : RoundMode::Floor;
    const std::size_t lanes = acc_lanes(acc.type);
    for (std::size_t i = 0; i < lanes; ++i)
      set_int(out.data(), def.type, i, saturate(shift_round(acc.ints[i], shift, mode), def.type));
  }
  ctx.write_x(static_cast<unsigned>(in.ops[0].reg), out);
}

void exec_ups(ExecContext& ctx, const Instruction& in, const InstrDef& def) {
  const auto xs = static_cast<unsigned>(in.ops[1].reg);
  const Vec v = def.type == ElemType::I8 ? ctx.read_x_low(xs) : ctx.read_x(xs);
  if (ctx.failed()) return;
  Accumulator acc;
  if (def.type == ElemType::Bf16) {
    acc.type = AccType::Fp32;
    for (std::size_t i = 0; i < kAccLanes; ++i) acc.floats[i] = get_bf16(v.data(), i);
  } else {
    acc.type = AccType::Acc32;
    const auto shift = static_cast<unsigned>(in.ops[2].imm);
    for (std::size_t i = 0; i < kAccLanes; ++i) {
      const uint64_t up = static_cast<uint64_t>(get_int(v.data(), def.type, i)) << shift;
      acc.ints[i] = static_cast<int32_t>(static_cast<uint32_t>(up));
    }
  }
  ctx.write_acc(static_cast<unsigned>(in.ops[0].reg), acc);
}

}  // namespace aie
