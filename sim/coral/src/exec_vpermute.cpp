// Vector permutations and scalar moves: vmv.x.s / vmv.s.x / vfmv.f.s / vfmv.s.f, slides
// (vslideup/vslidedown .vx/.vi, vslide1up/vslide1down, vfslide1up/vfslide1down) and
// vrgather (.vv/.vx/.vi). Sources are snapshotted, so results never feed back into them.
#include "vector.h"

namespace coral {
namespace {

using namespace vec;
using C = InstructionClass;

// ---- scalar <-> element 0 ----
bool exec_vmv_x_s(Hart& h, const Decoded& d) {
  if (!require_vtype(h, d)) return false;
  uint32_t value = 0;
  with_sew(h.vtype.sew, [&](auto zero) {
    using T = decltype(zero);
    value = static_cast<uint32_t>(static_cast<int32_t>(static_cast<Signed<T>>(h.velem<T>(d.rs2, 0))));
  });
  h.set_x(d.rd, value);
  finish(h, VUnit::Vperm, 1, group(d.rs2, 1), 0);
  return true;
}

bool exec_vmv_s_x(Hart& h, const Decoded& d) {
  if (!require_vtype(h, d)) return false;
  if (h.vl > h.vstart) {
    with_sew(h.vtype.sew, [&](auto zero) {
      using T = decltype(zero);
      h.set_velem<T>(d.rd, 0, static_cast<T>(h.x[d.rs1]));
    });
  }
  finish(h, VUnit::Vperm, 1, 0, group(d.rd, 1));
  return true;
}

bool exec_vfmv_f_s(Hart& h, const Decoded& d) {
  if (!require_vtype(h, d) || !require_sew32_float(h, d)) return false;
  h.f[d.rd] = h.velem<uint32_t>(d.rs2, 0);
  finish(h, VUnit::Vperm, 1, group(d.rs2, 1), 0);
  return true;
}

bool exec_vfmv_s_f(Hart& h, const Decoded& d) {
  if (!require_vtype(h, d) || !require_sew32_float(h, d)) return false;
  if (h.vl > h.vstart) h.set_velem<uint32_t>(d.rd, 0, h.f[d.rs1]);
  finish(h, VUnit::Vperm, 1, 0, group(d.rd, 1));
  return true;
}

// ---- slides ----
enum class Amount { X, U };  // x[rs1] or uimm5

uint64_t slide_amount(const Hart& h, const Decoded& d, Amount amount) {
  return amount == Amount::X ? h.x[d.rs1] : d.rs1;
}

bool check_slide(Hart& h, const Decoded& d, bool up) {
  const uint32_t regs = h.vtype.group_regs();
  if (!require_vtype(h, d) || !require_aligned(h, d, d.rd, regs, "vd") ||
      !require_aligned(h, d, d.rs2, regs, "vs2") || !require_not_v0(h, d, d.rd))
    return false;
  return !up || require_disjoint(h, d, d.rd, regs, d.rs2, regs, "slide-up sources may not overlap the destination");
}

void finish_permute(Hart& h, const Decoded& d, uint32_t extra_reads = 0) {
  const uint32_t regs = h.vtype.group_regs();
  finish(h, VUnit::Vperm, regs, group(d.rs2, regs) | extra_reads | mask_read(d), group(d.rd, regs));
}

template <Amount A>
bool exec_slideup(Hart& h, const Decoded& d) {
  if (!check_slide(h, d, true)) return false;
  const uint64_t offset = slide_amount(h, d, A);
  const Snapshot source(h, d.rs2, h.vtype.group_regs());
  with_sew(h.vtype.sew, [&](auto zero) {
    using T = decltype(zero);
    for_active(h, d, [&](uint32_t i) {
      if (i >= offset) h.set_velem<T>(d.rd, i, source.get<T>(static_cast<uint32_t>(i - offset)));
    });
  });
  finish_permute(h, d);
  return true;
}

template <Amount A>
bool exec_slidedown(Hart& h, const Decoded& d) {
  if (!check_slide(h, d, false)) return false;
  const uint64_t offset = slide_amount(h, d, A);
  const uint32_t vlmax = h.vtype.vlmax;
  const Snapshot source(h, d.rs2, h.vtype.group_regs());
  with_sew(h.vtype.sew, [&](auto zero) {
    using T = decltype(zero);
    for_active(h, d, [&](uint32_t i) {
      const uint64_t from = i + offset;
      h.set_velem<T>(d.rd, i, from < vlmax ? source.get<T>(static_cast<uint32_t>(from)) : T{0});
    });
  });
  finish_permute(h, d);
  return true;
}

// vslide1up / vslide1down with an x or f scalar entering at one end.
template <bool kUp, bool kFloat>
bool exec_slide1(Hart& h, const Decoded& d) {
  if (!check_slide(h, d, kUp)) return false;
  if (kFloat && !require_sew32_float(h, d)) return false;
  const uint32_t scalar = kFloat ? h.f[d.rs1] : h.x[d.rs1];
  const Snapshot source(h, d.rs2, h.vtype.group_regs());
  const uint32_t vl = h.vl;
  with_sew(h.vtype.sew, [&](auto zero) {
    using T = decltype(zero);
    for_active(h, d, [&](uint32_t i) {
      T value;
      if (kUp) value = i == 0 ? static_cast<T>(scalar) : source.get<T>(i - 1);
      else value = i + 1 == vl ? static_cast<T>(scalar) : source.get<T>(i + 1);
      h.set_velem<T>(d.rd, i, value);
    });
  });
  finish_permute(h, d);
  return true;
}

// ---- vrgather: vd[i] = index < VLMAX ? vs2[index] : 0 ----
enum class Index { V, X, U };

template <Index I>
bool exec_vrgather(Hart& h, const Decoded& d) {
  const uint32_t regs = h.vtype.group_regs();
  if (!require_vtype(h, d) || !require_aligned(h, d, d.rd, regs, "vd") ||
      !require_aligned(h, d, d.rs2, regs, "vs2") || (I == Index::V && !require_aligned(h, d, d.rs1, regs, "vs1")) ||
      !require_not_v0(h, d, d.rd) ||
      !require_disjoint(h, d, d.rd, regs, d.rs2, regs, "vrgather may not overwrite its data source") ||
      (I == Index::V && !require_disjoint(h, d, d.rd, regs, d.rs1, regs, "vrgather may not overwrite its index source")))
    return false;
  const uint32_t vlmax = h.vtype.vlmax;
  with_sew(h.vtype.sew, [&](auto zero) {
    using T = decltype(zero);
    for_active(h, d, [&](uint32_t i) {
      uint64_t index = 0;
      if (I == Index::V) index = h.velem<T>(d.rs1, i);
      else if (I == Index::X) index = h.x[d.rs1];
      else index = d.rs1;
      h.set_velem<T>(d.rd, i, index < vlmax ? h.velem<T>(d.rs2, static_cast<uint32_t>(index)) : T{0});
    });
  });
  finish_permute(h, d, I == Index::V ? group(d.rs1, regs) : 0);
  return true;
}

// vmv<n>r.v: whole-register copy of n = 1, 2, 4 or 8 registers; ignores vtype and vl.
bool exec_vmv_whole(Hart& h, const Decoded& d) {
  const uint32_t nregs = d.rs1 + 1u;
  if (!require_aligned(h, d, d.rd, nregs, "vd") || !require_aligned(h, d, d.rs2, nregs, "vs2")) return false;
  std::memmove(h.v + d.rd * kVlenBytes, h.v + d.rs2 * kVlenBytes, nregs * kVlenBytes);
  finish(h, VUnit::Valu, nregs, group(d.rs2, nregs), group(d.rd, nregs));
  return true;
}

}  // namespace

void add_vector_permute_rows(std::vector<InstrDef>& rows) {
  const C P = C::VectorPermute;
  InstrDef vmv_x_s = opv_row_vs1("vmv.x.s", 0x10, kMVV, 0x00, exec_vmv_x_s, P, kRdX);
  vmv_x_s.mask |= 1u << 25;
  vmv_x_s.match |= 1u << 25;
  rows.push_back(vmv_x_s);
  rows.push_back(opv_row_vs2("vmv.s.x", 0x10, kMVX, 0x00, true, exec_vmv_s_x, P));
  InstrDef vfmv_f_s = opv_row_vs1("vfmv.f.s", 0x10, kFVV, 0x00, exec_vfmv_f_s, P, kRdF);
  vfmv_f_s.mask |= 1u << 25;
  vfmv_f_s.match |= 1u << 25;
  rows.push_back(vfmv_f_s);
  rows.push_back(opv_row_vs2("vfmv.s.f", 0x10, kFVF, 0x00, true, exec_vfmv_s_f, P));

  rows.push_back(opv_row("vslideup.vx", 0x0E, kIVX, exec_slideup<Amount::X>, P));
  rows.push_back(opv_row("vslideup.vi", 0x0E, kIVI, exec_slideup<Amount::U>, P));
  rows.push_back(opv_row("vslidedown.vx", 0x0F, kIVX, exec_slidedown<Amount::X>, P));
  rows.push_back(opv_row("vslidedown.vi", 0x0F, kIVI, exec_slidedown<Amount::U>, P));
  rows.push_back(opv_row("vslide1up.vx", 0x0E, kMVX, exec_slide1<true, false>, P));
  rows.push_back(opv_row("vslide1down.vx", 0x0F, kMVX, exec_slide1<false, false>, P));
  rows.push_back(opv_row("vfslide1up.vf", 0x0E, kFVF, exec_slide1<true, true>, P));
  rows.push_back(opv_row("vfslide1down.vf", 0x0F, kFVF, exec_slide1<false, true>, P));

  static const char* const kWholeMoves[4] = {"vmv1r.v", "vmv2r.v", "vmv4r.v", "vmv8r.v"};
  const uint32_t whole_imm[4] = {0, 1, 3, 7};
  for (int n = 0; n < 4; ++n)
    rows.push_back({kWholeMoves[n], (0x27u << 26) | (1u << 25) | (whole_imm[n] << 15) | (kIVI << 12) | kOpV,
                    0xFE0FF07F, exec_vmv_whole, P, Timing::Vector, 0, ImmFormat::None});
  rows.push_back(opv_row("vrgather.vv", 0x0C, kIVV, exec_vrgather<Index::V>, P));
  rows.push_back(opv_row("vrgather.vx", 0x0C, kIVX, exec_vrgather<Index::X>, P));
  rows.push_back(opv_row("vrgather.vi", 0x0C, kIVI, exec_vrgather<Index::U>, P));
}

}  // namespace coral
