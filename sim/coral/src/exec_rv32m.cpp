// RV32M: multiply and divide, with the spec's results for division by zero and overflow
// (no traps).
#include <limits>

#include "hart.h"

namespace coral {
namespace {

#define DEFINE(name) bool exec_##name(Hart& h, const Decoded& d)

int64_t sx(uint32_t value) { return static_cast<int32_t>(value); }
uint64_t zx(uint32_t value) { return value; }
uint32_t a(const Hart& h, const Decoded& d) { return h.x[d.rs1]; }
uint32_t b(const Hart& h, const Decoded& d) { return h.x[d.rs2]; }
constexpr uint32_t kIntMin = 0x80000000u;

DEFINE(mul) { h.set_x(d.rd, a(h, d) * b(h, d)); return true; }
DEFINE(mulh) { h.set_x(d.rd, static_cast<uint32_t>(static_cast<uint64_t>(sx(a(h, d)) * sx(b(h, d))) >> 32)); return true; }
DEFINE(mulhsu) {
  h.set_x(d.rd, static_cast<uint32_t>(static_cast<uint64_t>(sx(a(h, d)) * static_cast<int64_t>(zx(b(h, d)))) >> 32));
  return true;
}
DEFINE(mulhu) { h.set_x(d.rd, static_cast<uint32_t>((zx(a(h, d)) * zx(b(h, d))) >> 32)); return true; }

DEFINE(div) {
  const uint32_t x = a(h, d), y = b(h, d);
  uint32_t q;
  if (y == 0) q = 0xFFFFFFFFu;                         // -1
  else if (x == kIntMin && y == 0xFFFFFFFFu) q = kIntMin;  // overflow: the dividend
  else q = static_cast<uint32_t>(static_cast<int32_t>(x) / static_cast<int32_t>(y));
  h.set_x(d.rd, q);
  return true;
}
DEFINE(divu) {
  const uint32_t y = b(h, d);
  h.set_x(d.rd, y == 0 ? 0xFFFFFFFFu : a(h, d) / y);
  return true;
}
DEFINE(rem) {
  const uint32_t x = a(h, d), y = b(h, d);
  uint32_t r;
  if (y == 0) r = x;
  else if (x == kIntMin && y == 0xFFFFFFFFu) r = 0;
  else r = static_cast<uint32_t>(static_cast<int32_t>(x) % static_cast<int32_t>(y));
  h.set_x(d.rd, r);
  return true;
}
DEFINE(remu) {
  const uint32_t y = b(h, d);
  h.set_x(d.rd, y == 0 ? a(h, d) : a(h, d) % y);
  return true;
}

#undef DEFINE

InstrDef m_row(const char* name, uint32_t funct3, ExecFn fn, Timing timing) {
  return {name, (1u << 25) | (funct3 << 12) | 0x33, kMaskR, fn, InstructionClass::MulDiv, timing,
          kRdX | kRs1X | kRs2X, ImmFormat::None};
}

}  // namespace

void add_rv32m_rows(std::vector<InstrDef>& rows) {
  for (const InstrDef& row :
       {m_row("mul", 0, exec_mul, Timing::Mul), m_row("mulh", 1, exec_mulh, Timing::Mul),
        m_row("mulhsu", 2, exec_mulhsu, Timing::Mul), m_row("mulhu", 3, exec_mulhu, Timing::Mul),
        m_row("div", 4, exec_div, Timing::Div), m_row("divu", 5, exec_divu, Timing::Div),
        m_row("rem", 6, exec_rem, Timing::Div), m_row("remu", 7, exec_remu, Timing::Div)})
    rows.push_back(row);
}

}  // namespace coral
