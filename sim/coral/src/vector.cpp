#include "vector.h"

namespace coral::vec {

VType decode_vtype(uint32_t bits) {
  VType t;
  const uint32_t vlmul = bits & 7;
  const uint32_t vsew = (bits >> 3) & 7;
  if (bits >> 8) return t;        // reserved bits (and vill) set
  if (vsew > 2) return t;         // SEW 64+ exceeds ELEN 32
  if (vlmul == 4) return t;       // reserved
  const int lmul_log2 = vlmul < 4 ? static_cast<int>(vlmul) : static_cast<int>(vlmul) - 8;
  const uint32_t sew = 8u << vsew;
  // Fractional LMUL needs SEW <= LMUL * ELEN; mf8 would need SEW 4.
  if (lmul_log2 < 0 && sew > (32u >> static_cast<unsigned>(-lmul_log2))) return t;
  t.vill = false;
  t.sew = sew;
  t.lmul_log2 = lmul_log2;
  t.vta = (bits >> 6) & 1;
  t.vma = (bits >> 7) & 1;
  const uint32_t per_reg = 128 / sew;
  t.vlmax = lmul_log2 >= 0 ? per_reg << lmul_log2 : per_reg >> static_cast<unsigned>(-lmul_log2);
  return t;
}

bool vill_fault(Hart& h, const Decoded& d) {
  return h.illegal(d, "vector instruction with vill set (vtype is illegal or was never set: "
                      "execute vsetvli/vsetivli with a supported SEW and LMUL first)");
}

bool group_fault(Hart& h, const Decoded& d, uint32_t reg, uint32_t regs, const char* role) {
  return h.illegal(d, std::string(role) + " = v" + std::to_string(reg) + " is not a valid " +
                          std::to_string(regs) + "-register group (register groups must start at "
                          "a multiple of their size)");
}

bool v0_fault(Hart& h, const Decoded& d) {
  return h.illegal(d, "a masked instruction may not write v0, which holds the mask");
}

bool sew_fault(Hart& h, const Decoded& d) {
  return h.illegal(d, "vector floating-point needs SEW=32 (Zve32f has only binary32); SEW is " +
                          std::to_string(h.vtype.sew));
}

bool require_disjoint(Hart& h, const Decoded& d, uint32_t vd, uint32_t dst_regs, uint32_t vs,
                      uint32_t src_regs, const char* why) {
  if (vd + dst_regs <= vs || vs + src_regs <= vd) return true;
  return h.illegal(d, std::string("destination group overlaps a source group: ") + why);
}

int vector_rounding(Hart& h, const Decoded& d) {
  if (h.frm <= 4) return static_cast<int>(h.frm);
  h.illegal(d, "frm holds the reserved rounding mode " + std::to_string(h.frm));
  return -1;
}

namespace {
Timing timing_of(InstructionClass cls) {
  return cls == InstructionClass::VectorConfig ? Timing::VectorConfig : Timing::Vector;
}
}  // namespace

uint8_t form_operands(uint32_t f3) {
  if (f3 == kIVX || f3 == kMVX) return kRs1X;
  if (f3 == kFVF) return kRs1F;
  return 0;
}

InstrDef opv_row(const char* name, uint32_t f6, uint32_t f3, ExecFn fn, InstructionClass cls,
                 uint8_t scalar_operands) {
  return {name, (f6 << 26) | (f3 << 12) | kOpV, 0xFC00707F, fn, cls, timing_of(cls),
          static_cast<uint8_t>(scalar_operands | form_operands(f3)), ImmFormat::None};
}

InstrDef opv_row_vs1(const char* name, uint32_t f6, uint32_t f3, uint32_t vs1, ExecFn fn,
                     InstructionClass cls, uint8_t scalar_operands) {
  return {name, (f6 << 26) | (vs1 << 15) | (f3 << 12) | kOpV, 0xFC0FF07F, fn, cls, timing_of(cls),
          scalar_operands, ImmFormat::None};
}

InstrDef opv_row_vs2(const char* name, uint32_t f6, uint32_t f3, uint32_t vs2, bool vm_one,
                     ExecFn fn, InstructionClass cls, uint8_t scalar_operands) {
  uint32_t match = (f6 << 26) | (vs2 << 20) | (f3 << 12) | kOpV;
  uint32_t mask = 0xFDF0707F;
  if (vm_one) {
    match |= 1u << 25;
    mask |= 1u << 25;
  }
  return {name, match, mask, fn, cls, timing_of(cls),
          static_cast<uint8_t>(scalar_operands | form_operands(f3)), ImmFormat::None};
}

}  // namespace coral::vec
