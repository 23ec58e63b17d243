// Scalar and vector loads/stores with post-modify addressing, and pointer arithmetic.
#include <cstring>

#include "exec_context.h"

namespace aie {
namespace {

// The address an access uses, and the pointer's new value when the mode post-modifies.
struct Address {
  uint32_t address = 0;
  bool updates = false;
  uint32_t new_pointer = 0;
};

Address resolve(ExecContext& ctx, const Operand& mem) {
  Address a;
  const auto ptr = static_cast<unsigned>(mem.reg);
  const uint32_t base = ctx.read_scalar(ScalarFile::P, ptr);
  switch (mem.mode) {
    case MemMode::Offset:
      a.address = base + static_cast<uint32_t>(mem.imm);
      break;
    case MemMode::PostImm:
      a.address = base;
      a.updates = true;
      a.new_pointer = base + static_cast<uint32_t>(mem.imm);
      break;
    case MemMode::PostMod:
      a.address = base;
      a.updates = true;
      a.new_pointer = base + ctx.read_scalar(ScalarFile::M, static_cast<unsigned>(mem.mod));
      break;
  }
  return a;
}

uint32_t extend(const uint8_t* bytes, ElemType type) {
  switch (type) {
    case ElemType::I8: return static_cast<uint32_t>(static_cast<int32_t>(static_cast<int8_t>(bytes[0])));
    case ElemType::U8: return bytes[0];
    case ElemType::I16: {
      int16_t v;
      std::memcpy(&v, bytes, 2);
      return static_cast<uint32_t>(static_cast<int32_t>(v));
    }
    case ElemType::U16: {
      uint16_t v;
      std::memcpy(&v, bytes, 2);
      return v;
    }
    default: {
      uint32_t v;
      std::memcpy(&v, bytes, 4);
      return v;
    }
  }
}

void finish_pointer(ExecContext& ctx, const Operand& mem, const Address& a) {
  if (a.updates) ctx.write_pointer(static_cast<unsigned>(mem.reg), a.new_pointer);
}

}  // namespace

void exec_scalar_load(ExecContext& ctx, const Instruction& in, const InstrDef& def) {
  const Address a = resolve(ctx, in.ops[1]);
  if (!ctx.dm_access(a.address, def.access_bytes, false)) return;
  ctx.write_scalar(ScalarFile::R, static_cast<unsigned>(in.ops[0].reg),
                   extend(ctx.state.dm.data() + a.address, def.type));
  finish_pointer(ctx, in.ops[1], a);
}

void exec_scalar_store(ExecContext& ctx, const Instruction& in, const InstrDef& def) {
  const uint32_t value = ctx.read_r(static_cast<unsigned>(in.ops[0].reg));
  const Address a = resolve(ctx, in.ops[1]);
  if (!ctx.dm_access(a.address, def.access_bytes, true)) return;
  uint8_t bytes[4];
  std::memcpy(bytes, &value, 4);  // little-endian host, as everywhere in the model
  ctx.dm_store(a.address, bytes, def.access_bytes);
  finish_pointer(ctx, in.ops[1], a);
}

void exec_vec_load(ExecContext& ctx, const Instruction& in, const InstrDef& def) {
  const Address a = resolve(ctx, in.ops[1]);
  if (!ctx.dm_access(a.address, def.access_bytes, false)) return;
  const uint8_t* src = ctx.state.dm.data() + a.address;
  if (def.access_bytes == kVectorBytes) {
    Vec v;
    std::memcpy(v.data(), src, kVectorBytes);
    ctx.write_x(static_cast<unsigned>(in.ops[0].reg), v);
  } else {
    Half h;
    std::memcpy(h.data(), src, kHalfBytes);
    ctx.write_half(static_cast<unsigned>(in.ops[0].reg), h);
  }
  finish_pointer(ctx, in.ops[1], a);
}

void exec_vec_store(ExecContext& ctx, const Instruction& in, const InstrDef& def) {
  const Half h = ctx.read_half(static_cast<unsigned>(in.ops[0].reg));
  const Address a = resolve(ctx, in.ops[1]);
  if (!ctx.dm_access(a.address, def.access_bytes, true)) return;
  ctx.dm_store(a.address, h.data(), kHalfBytes);
  finish_pointer(ctx, in.ops[1], a);
}

void exec_pointer_add(ExecContext& ctx, const Instruction& in, const InstrDef&) {
  const auto ptr = static_cast<unsigned>(in.ops[0].reg);
  const uint32_t base = ctx.read_scalar(ScalarFile::P, ptr);
  const uint32_t amount = ctx.read_operand_value(in.ops[1]);
  ctx.write_pointer(ptr, base + amount);
}

}  // namespace aie
