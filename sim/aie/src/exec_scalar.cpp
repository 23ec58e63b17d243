// Scalar ALU and register moves. The scalar unit has no floating point (as in AIE-ML).
#include <array>

#include "exec_context.h"

namespace aie {
namespace {

using AluFn = uint32_t (*)(uint32_t, uint32_t);

// Indexed by AluOp; only the integer ALU operations are filled.
constexpr std::array<AluFn, 14> kAlu = {
    nullptr,                                                       // None
    [](uint32_t a, uint32_t b) -> uint32_t { return a + b; },      // Add
    [](uint32_t a, uint32_t b) -> uint32_t { return a - b; },      // Sub
    [](uint32_t a, uint32_t b) -> uint32_t { return a & b; },      // And
    [](uint32_t a, uint32_t b) -> uint32_t { return a | b; },      // Or
    [](uint32_t a, uint32_t b) -> uint32_t { return a ^ b; },      // Xor
    [](uint32_t a, uint32_t b) -> uint32_t { return a << (b & 31); },  // Shl
    [](uint32_t a, uint32_t b) -> uint32_t { return a >> (b & 31); },  // Shr
    [](uint32_t a, uint32_t b) -> uint32_t {                        // Sra
      const uint32_t s = b & 31;
      const uint32_t sign = (a & 0x80000000u) && s ? ~(0xFFFFFFFFu >> s) : 0;
      return (a >> s) | sign;
    },
    [](uint32_t a, uint32_t b) -> uint32_t { return a * b; },      // Mul
    [](uint32_t a, uint32_t b) -> uint32_t {                        // Lt
      return static_cast<int32_t>(a) < static_cast<int32_t>(b) ? 1u : 0u;
    },
    [](uint32_t a, uint32_t b) -> uint32_t { return a < b ? 1u : 0u; },   // Ltu
    [](uint32_t a, uint32_t b) -> uint32_t { return a == b ? 1u : 0u; },  // Eq
    [](uint32_t a, uint32_t b) -> uint32_t { return a != b ? 1u : 0u; },  // Ne
};

}  // namespace

void exec_scalar_alu(ExecContext& ctx, const Instruction& in, const InstrDef& def) {
  const uint32_t a = ctx.read_r(static_cast<unsigned>(in.ops[1].reg));
  const uint32_t b = ctx.read_operand_value(in.ops[2]);
  const auto op = static_cast<std::size_t>(def.op);
  if (op >= kAlu.size() || kAlu[op] == nullptr) {
    ctx.fail(TrapKind::IllegalBundle, std::string("`") + def.mnemonic + "` has no ALU operation");
    return;
  }
  ctx.write_scalar(ScalarFile::R, static_cast<unsigned>(in.ops[0].reg), kAlu[op](a, b));
}

void exec_mov(ExecContext& ctx, const Instruction& in, const InstrDef&) {
  const uint32_t v = ctx.read_operand_value(in.ops[1]);
  ctx.write_scalar(in.ops[0].file, static_cast<unsigned>(in.ops[0].reg), v);
}

void exec_mov_imm(ExecContext& ctx, const Instruction& in, const InstrDef&) {
  ctx.write_scalar(in.ops[0].file, static_cast<unsigned>(in.ops[0].reg),
                   static_cast<uint32_t>(in.ops[1].imm));
}

}  // namespace aie
