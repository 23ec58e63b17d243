// vsetvli / vsetivli / vsetvl: set vtype and vl from the application vector length (AVL).
#include "vector.h"

namespace coral {
namespace {

using namespace vec;

// vl = min(AVL, VLMAX) (the simplest choice the spec allows). An unsupported vtype sets vill
// and vl = 0, and later vector instructions trap.
void apply(Hart& h, const Decoded& d, uint32_t vtype_bits, bool avl_from_register, uint32_t avl) {
  // Strip-mined loops repeat the same vtype: reuse the decoded form.
  const VType t = (vtype_bits == h.vtype_bits && !h.vtype.vill) ? h.vtype : decode_vtype(vtype_bits);
  uint32_t vl = 0;
  if (!t.vill) {
    if (avl_from_register && d.rs1 == 0) {
      // rs1 = x0: rd != x0 requests VLMAX; rd = x0 keeps the current vl.
      vl = d.rd != 0 ? t.vlmax : std::min(h.vl, t.vlmax);
    } else {
      vl = std::min(avl, t.vlmax);
    }
  }
  h.vtype = t;
  h.vtype_bits = t.vill ? 0x80000000u : vtype_bits;
  h.vl = vl;
  h.vstart = 0;
  h.set_x(d.rd, vl);
}

bool exec_vsetvli(Hart& h, const Decoded& d) {
  apply(h, d, (d.word >> 20) & 0x7FF, true, h.x[d.rs1]);
  return true;
}
bool exec_vsetivli(Hart& h, const Decoded& d) {
  apply(h, d, (d.word >> 20) & 0x3FF, false, d.rs1);
  return true;
}
bool exec_vsetvl(Hart& h, const Decoded& d) {
  apply(h, d, h.x[d.rs2], true, h.x[d.rs1]);
  return true;
}

}  // namespace

void add_vector_config_rows(std::vector<InstrDef>& rows) {
  using C = InstructionClass;
  rows.push_back({"vsetvli", 0x00007057, 0x8000707F, exec_vsetvli, C::VectorConfig,
                  Timing::VectorConfig, kRdX | kRs1X, ImmFormat::None});
  rows.push_back({"vsetivli", 0xC0007057, 0xC000707F, exec_vsetivli, C::VectorConfig,
                  Timing::VectorConfig, kRdX, ImmFormat::None});
  rows.push_back({"vsetvl", 0x80007057, 0xFE00707F, exec_vsetvl, C::VectorConfig,
                  Timing::VectorConfig, kRdX | kRs1X | kRs2X, ImmFormat::None});
}

}  // namespace coral
