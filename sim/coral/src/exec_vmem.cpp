// Vector loads and stores: unit-stride (vle/vse), strided (vlse/vsse), mask (vlm/vsm) and
// whole-register (vl<n>re<eew>/vs<n>r). Every element access is checked (bounds, natural
// alignment, EXT write ranges) before any register or memory changes.
#include <string>

#include "vector.h"

namespace coral {
namespace {

using namespace vec;

int log2_bits(uint32_t bits) { return bits == 8 ? 3 : bits == 16 ? 4 : 5; }

// Register-group size of the data operand, EMUL = EEW / SEW * LMUL, or 0 after a trap.
uint32_t data_group(Hart& h, const Decoded& d, uint32_t eew_bits) {
  const int emul_log2 = h.vtype.lmul_log2 + log2_bits(eew_bits) - log2_bits(h.vtype.sew);
  if (emul_log2 < -3 || emul_log2 > 3) {
    h.illegal(d, "EEW " + std::to_string(eew_bits) + " with SEW " + std::to_string(h.vtype.sew) +
                     " gives an EMUL outside 1/8..8");
    return 0;
  }
  return regs_for(emul_log2);
}

// Where an access of `len` bytes at addr lands, or None after recording the trap.
Region check_access(Hart& h, uint32_t addr, uint32_t len, uint32_t align, bool store) {
  if (addr % align != 0) {
    h.misaligned(addr, align, store, store ? "vector store" : "vector load");
    return Region::None;
  }
  if (store) return h.writable_region(addr, len, "vector store");
  const Region region = h.mem.region_of(addr, len);
  if (region == Region::None) h.bad_access(addr, len, false, "vector load");
  return region;
}

void record_memory(Hart& h, uint32_t regs, uint32_t reads, uint32_t writes, uint32_t bytes,
                   uint32_t elements, bool strided, bool ext) {
  finish(h, VUnit::Vlsu, regs, reads, writes);
  h.vfx.mem_bytes = bytes;
  h.vfx.mem_elements = elements;
  h.vfx.strided = strided;
  h.vfx.ext = ext;
}

// Unit-stride and strided accesses share this body: element i lives at base + i * stride.
template <typename T, bool kStore, bool kStrided>
bool exec_vmem(Hart& h, const Decoded& d) {
  if (!require_vtype(h, d)) return false;
  const uint32_t regs = data_group(h, d, sizeof(T) * 8);
  if (regs == 0 || !require_aligned(h, d, d.rd, regs, kStore ? "vs3" : "vd")) return false;
  if (!kStore && !require_not_v0(h, d, d.rd)) return false;
  const uint32_t base = h.x[d.rs1];
  const uint32_t stride = kStrided ? h.x[d.rs2] : static_cast<uint32_t>(sizeof(T));
  const bool use_mask = masked(d);
  const bool contiguous = !use_mask && stride == sizeof(T);

  // Pass 1: check every active element. A contiguous access is checked as one range first;
  // if that fails, the element loop finds the exact element to report.
  bool ext = false;
  uint32_t active = 0;
  bool checked = false;
  if (h.vl > h.vstart && contiguous) {
    const uint32_t first = base + h.vstart * static_cast<uint32_t>(sizeof(T));
    const uint32_t bytes = (h.vl - h.vstart) * static_cast<uint32_t>(sizeof(T));
    const Region region = h.mem.region_of(first, bytes);
    const bool allowed = region == Region::Dtcm || (region == Region::Ext && (!kStore || h.mem.ext_writable(first, bytes))) ||
                         (region == Region::Itcm && !kStore);
    if (first % sizeof(T) == 0 && allowed) {
      checked = true;
      ext = region == Region::Ext;
      active = h.vl - h.vstart;
    }
  }
  if (!checked) {
    for (uint32_t i = h.vstart; i < h.vl; ++i) {
      if (use_mask && !h.mask_bit(i)) continue;
      const Region region = check_access(h, base + i * stride, sizeof(T), sizeof(T), kStore);
      if (region == Region::None) return false;
      ext = ext || region == Region::Ext;
      ++active;
    }
  }
  // Pass 2: move the data.
  for (uint32_t i = h.vstart; i < h.vl; ++i) {
    if (use_mask && !h.mask_bit(i)) continue;
    const uint32_t addr = base + i * stride;
    const Region region = h.mem.region_of(addr, sizeof(T));
    T value;
    if (kStore) {
      value = h.velem<T>(d.rd, i);
      std::memcpy(h.mem.host(region, addr), &value, sizeof(T));
    } else {
      std::memcpy(&value, h.mem.host(region, addr), sizeof(T));
      h.set_velem<T>(d.rd, i, value);
    }
  }
  const uint32_t data = group(d.rd, regs);
  record_memory(h, regs, (kStore ? data : 0) | mask_read(d), kStore ? 0 : data,
                active * static_cast<uint32_t>(sizeof(T)), active, !contiguous, ext);
  return true;
}

// Whole-register moves ignore vtype and vl: nregs * VLEN/8 bytes.
template <bool kStore>
bool exec_whole(Hart& h, const Decoded& d) {
  const uint32_t nf = (d.word >> 29) + 1;
  if (nf != 1 && nf != 2 && nf != 4 && nf != 8)
    return h.illegal(d, "whole-register moves take 1, 2, 4 or 8 registers, not " + std::to_string(nf));
  if (!require_aligned(h, d, d.rd, nf, kStore ? "vs3" : "vd")) return false;
  const uint32_t eew_bytes = kStore ? 1u : (d.funct3 == 0 ? 1u : d.funct3 == 5 ? 2u : 4u);
  const uint32_t addr = h.x[d.rs1];
  const uint32_t bytes = nf * kVlenBytes;
  const Region region = check_access(h, addr, bytes, eew_bytes, kStore);
  if (region == Region::None) return false;
  uint8_t* regs = h.v + d.rd * kVlenBytes;
  if (kStore) std::memcpy(h.mem.host(region, addr), regs, bytes);
  else std::memcpy(regs, h.mem.host(region, addr), bytes);
  const uint32_t data = group(d.rd, nf);
  record_memory(h, nf, kStore ? data : 0, kStore ? 0 : data, bytes, 0, false, region == Region::Ext);
  return true;
}

// vlm.v / vsm.v: ceil(vl / 8) bytes of mask.
template <bool kStore>
bool exec_mask_mem(Hart& h, const Decoded& d) {
  if (!require_vtype(h, d)) return false;
  const uint32_t bytes = (h.vl + 7) / 8;
  const uint32_t addr = h.x[d.rs1];
  bool ext = false;
  if (bytes > 0) {
    const Region region = check_access(h, addr, bytes, 1, kStore);
    if (region == Region::None) return false;
    uint8_t* reg = h.v + d.rd * kVlenBytes;
    if (kStore) std::memcpy(h.mem.host(region, addr), reg, bytes);
    else std::memcpy(reg, h.mem.host(region, addr), bytes);
    ext = region == Region::Ext;
  }
  record_memory(h, 1, kStore ? group(d.rd, 1) : 0, kStore ? 0 : group(d.rd, 1), bytes, 0, false, ext);
  return true;
}

using C = InstructionClass;
constexpr uint32_t kLoadFp = 0x07, kStoreFp = 0x27;
constexpr uint32_t width_code(uint32_t eew) { return eew == 8 ? 0 : eew == 16 ? 5 : 6; }

InstrDef mem_row(const char* name, uint32_t opcode, uint32_t eew, uint32_t mop, ExecFn fn, uint8_t ops) {
  const bool strided = mop == 2;
  const uint32_t match = (mop << 26) | (width_code(eew) << 12) | opcode;
  const uint32_t mask = strided ? 0xFC00707F : 0xFDF0707F;
  return {name, match, mask, fn, opcode == kLoadFp ? C::VectorLoad : C::VectorStore, Timing::Vector,
          ops, ImmFormat::None};
}

}  // namespace

void add_vector_memory_rows(std::vector<InstrDef>& rows) {
  rows.push_back(mem_row("vle8.v", kLoadFp, 8, 0, exec_vmem<uint8_t, false, false>, kRs1X));
  rows.push_back(mem_row("vle16.v", kLoadFp, 16, 0, exec_vmem<uint16_t, false, false>, kRs1X));
  rows.push_back(mem_row("vle32.v", kLoadFp, 32, 0, exec_vmem<uint32_t, false, false>, kRs1X));
  rows.push_back(mem_row("vse8.v", kStoreFp, 8, 0, exec_vmem<uint8_t, true, false>, kRs1X));
  rows.push_back(mem_row("vse16.v", kStoreFp, 16, 0, exec_vmem<uint16_t, true, false>, kRs1X));
  rows.push_back(mem_row("vse32.v", kStoreFp, 32, 0, exec_vmem<uint32_t, true, false>, kRs1X));
  rows.push_back(mem_row("vlse8.v", kLoadFp, 8, 2, exec_vmem<uint8_t, false, true>, kRs1X | kRs2X));
  rows.push_back(mem_row("vlse16.v", kLoadFp, 16, 2, exec_vmem<uint16_t, false, true>, kRs1X | kRs2X));
  rows.push_back(mem_row("vlse32.v", kLoadFp, 32, 2, exec_vmem<uint32_t, false, true>, kRs1X | kRs2X));
  rows.push_back(mem_row("vsse8.v", kStoreFp, 8, 2, exec_vmem<uint8_t, true, true>, kRs1X | kRs2X));
  rows.push_back(mem_row("vsse16.v", kStoreFp, 16, 2, exec_vmem<uint16_t, true, true>, kRs1X | kRs2X));
  rows.push_back(mem_row("vsse32.v", kStoreFp, 32, 2, exec_vmem<uint32_t, true, true>, kRs1X | kRs2X));

  // vlm.v / vsm.v: lumop 01011, vm = 1, EEW 8.
  rows.push_back({"vlm.v", 0x02B00007, 0xFFF0707F, exec_mask_mem<false>, C::VectorLoad, Timing::Vector, kRs1X, ImmFormat::None});
  rows.push_back({"vsm.v", 0x02B00027, 0xFFF0707F, exec_mask_mem<true>, C::VectorStore, Timing::Vector, kRs1X, ImmFormat::None});

  // Whole-register: nf in {0, 1, 3, 7}, lumop 01000, vm = 1.
  static const char* const kLoadNames[4][3] = {{"vl1re8.v", "vl1re16.v", "vl1re32.v"},
                                               {"vl2re8.v", "vl2re16.v", "vl2re32.v"},
                                               {"vl4re8.v", "vl4re16.v", "vl4re32.v"},
                                               {"vl8re8.v", "vl8re16.v", "vl8re32.v"}};
  static const char* const kStoreNames[4] = {"vs1r.v", "vs2r.v", "vs4r.v", "vs8r.v"};
  const uint32_t nfs[4] = {0, 1, 3, 7};
  const uint32_t eews[3] = {8, 16, 32};
  for (int n = 0; n < 4; ++n) {
    for (int e = 0; e < 3; ++e)
      rows.push_back({kLoadNames[n][e], (nfs[n] << 29) | 0x02800000 | (width_code(eews[e]) << 12) | kLoadFp,
                      0xFFF0707F, exec_whole<false>, C::VectorLoad, Timing::Vector, kRs1X, ImmFormat::None});
    rows.push_back({kStoreNames[n], (nfs[n] << 29) | 0x02800000 | kStoreFp, 0xFFF0707F, exec_whole<true>,
                    C::VectorStore, Timing::Vector, kRs1X, ImmFormat::None});
  }
}

}  // namespace coral
