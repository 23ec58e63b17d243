// RV32I: integer computation, control transfer, loads and stores, fence.
#include "hart.h"

namespace coral {
namespace {

#define DEFINE(name) bool exec_##name(Hart& h, const Decoded& d)

int32_t s(uint32_t value) { return static_cast<int32_t>(value); }
uint32_t rs1(const Hart& h, const Decoded& d) { return h.x[d.rs1]; }
uint32_t rs2(const Hart& h, const Decoded& d) { return h.x[d.rs2]; }
uint32_t imm(const Decoded& d) { return static_cast<uint32_t>(d.imm); }

// Without the C extension every instruction address is a multiple of 4.
bool jump_to(Hart& h, uint32_t target) {
  if (target & 3u)
    return h.fail(TrapKind::MisalignedAddress,
                  "jump target " + hex32(target) + " is not a multiple of 4 (instructions are "
                  "32-bit; the C extension is not supported)", target);
  h.next_pc = target;
  return true;
}

DEFINE(lui) { h.set_x(d.rd, imm(d)); return true; }
DEFINE(auipc) { h.set_x(d.rd, h.pc + imm(d)); return true; }
DEFINE(jal) {
  if (!jump_to(h, h.pc + imm(d))) return false;
  h.set_x(d.rd, h.pc + 4);
  return true;
}
DEFINE(jalr) {
  const uint32_t target = (rs1(h, d) + imm(d)) & ~1u;
  if (!jump_to(h, target)) return false;
  h.set_x(d.rd, h.pc + 4);
  return true;
}

bool branch_if(Hart& h, const Decoded& d, bool condition) {
  return condition ? jump_to(h, h.pc + imm(d)) : true;
}
DEFINE(beq) { return branch_if(h, d, rs1(h, d) == rs2(h, d)); }
DEFINE(bne) { return branch_if(h, d, rs1(h, d) != rs2(h, d)); }
DEFINE(blt) { return branch_if(h, d, s(rs1(h, d)) < s(rs2(h, d))); }
DEFINE(bge) { return branch_if(h, d, s(rs1(h, d)) >= s(rs2(h, d))); }
DEFINE(bltu) { return branch_if(h, d, rs1(h, d) < rs2(h, d)); }
DEFINE(bgeu) { return branch_if(h, d, rs1(h, d) >= rs2(h, d)); }

template <typename T>
bool load_into(Hart& h, const Decoded& d) {
  T value{};
  if (!h.load(rs1(h, d) + imm(d), value)) return false;
  // Signed types sign-extend, unsigned zero-extend, through the int64 conversion.
  h.set_x(d.rd, static_cast<uint32_t>(static_cast<int64_t>(value)));
  return true;
}
DEFINE(lb) { return load_into<int8_t>(h, d); }
DEFINE(lh) { return load_into<int16_t>(h, d); }
DEFINE(lw) { return load_into<uint32_t>(h, d); }
DEFINE(lbu) { return load_into<uint8_t>(h, d); }
DEFINE(lhu) { return load_into<uint16_t>(h, d); }

DEFINE(sb) { return h.store(rs1(h, d) + imm(d), static_cast<uint8_t>(rs2(h, d))); }
DEFINE(sh) { return h.store(rs1(h, d) + imm(d), static_cast<uint16_t>(rs2(h, d))); }
DEFINE(sw) { return h.store(rs1(h, d) + imm(d), rs2(h, d)); }

DEFINE(addi) { h.set_x(d.rd, rs1(h, d) + imm(d)); return true; }
DEFINE(slti) { h.set_x(d.rd, s(rs1(h, d)) < d.imm); return true; }
DEFINE(sltiu) { h.set_x(d.rd, rs1(h, d) < imm(d)); return true; }
DEFINE(xori) { h.set_x(d.rd, rs1(h, d) ^ imm(d)); return true; }
DEFINE(ori) { h.set_x(d.rd, rs1(h, d) | imm(d)); return true; }
DEFINE(andi) { h.set_x(d.rd, rs1(h, d) & imm(d)); return true; }
DEFINE(slli) { h.set_x(d.rd, rs1(h, d) << (imm(d) & 31)); return true; }
DEFINE(srli) { h.set_x(d.rd, rs1(h, d) >> (imm(d) & 31)); return true; }
DEFINE(srai) { h.set_x(d.rd, static_cast<uint32_t>(s(rs1(h, d)) >> (imm(d) & 31))); return true; }

DEFINE(add) { h.set_x(d.rd, rs1(h, d) + rs2(h, d)); return true; }
DEFINE(sub) { h.set_x(d.rd, rs1(h, d) - rs2(h, d)); return true; }
DEFINE(sll) { h.set_x(d.rd, rs1(h, d) << (rs2(h, d) & 31)); return true; }
DEFINE(slt) { h.set_x(d.rd, s(rs1(h, d)) < s(rs2(h, d))); return true; }
DEFINE(sltu) { h.set_x(d.rd, rs1(h, d) < rs2(h, d)); return true; }
DEFINE(xor_) { h.set_x(d.rd, rs1(h, d) ^ rs2(h, d)); return true; }
DEFINE(srl) { h.set_x(d.rd, rs1(h, d) >> (rs2(h, d) & 31)); return true; }
DEFINE(sra) { h.set_x(d.rd, static_cast<uint32_t>(s(rs1(h, d)) >> (rs2(h, d) & 31))); return true; }
DEFINE(or_) { h.set_x(d.rd, rs1(h, d) | rs2(h, d)); return true; }
DEFINE(and_) { h.set_x(d.rd, rs1(h, d) & rs2(h, d)); return true; }

// A single in-order hart with no caches: fences have nothing to order.
DEFINE(fence) { (void)h; (void)d; return true; }

#undef DEFINE

using C = InstructionClass;
using T = Timing;

constexpr uint32_t kOpImm = 0x13, kOp = 0x33, kLoad = 0x03, kStore = 0x23, kBranch = 0x63;

InstrDef r_row(const char* name, uint32_t funct7, uint32_t funct3, ExecFn fn) {
  return {name, (funct7 << 25) | (funct3 << 12) | kOp, kMaskR, fn, C::ScalarAlu, T::Alu,
          kRdX | kRs1X | kRs2X, ImmFormat::None};
}
InstrDef i_row(const char* name, uint32_t funct3, ExecFn fn) {
  return {name, (funct3 << 12) | kOpImm, kMaskI, fn, C::ScalarAlu, T::Alu, kRdX | kRs1X, ImmFormat::I};
}
InstrDef shift_row(const char* name, uint32_t funct7, uint32_t funct3, ExecFn fn) {
  return {name, (funct7 << 25) | (funct3 << 12) | kOpImm, kMaskR, fn, C::ScalarAlu, T::Alu,
          kRdX | kRs1X, ImmFormat::I};
}
InstrDef b_row(const char* name, uint32_t funct3, ExecFn fn) {
  return {name, (funct3 << 12) | kBranch, kMaskI, fn, C::BranchJump, T::Branch, kRs1X | kRs2X,
          ImmFormat::B};
}
InstrDef load_row(const char* name, uint32_t funct3, ExecFn fn) {
  return {name, (funct3 << 12) | kLoad, kMaskI, fn, C::Load, T::Load, kRdX | kRs1X, ImmFormat::I};
}
InstrDef store_row(const char* name, uint32_t funct3, ExecFn fn) {
  return {name, (funct3 << 12) | kStore, kMaskI, fn, C::Store, T::Store, kRs1X | kRs2X, ImmFormat::S};
}

}  // namespace

void add_rv32i_rows(std::vector<InstrDef>& rows) {
  rows.push_back({"lui", 0x37, kMaskU, exec_lui, C::ScalarAlu, T::Alu, kRdX, ImmFormat::U});
  rows.push_back({"auipc", 0x17, kMaskU, exec_auipc, C::ScalarAlu, T::Alu, kRdX, ImmFormat::U});
  rows.push_back({"jal", 0x6F, kMaskU, exec_jal, C::BranchJump, T::Jal, kRdX, ImmFormat::J});
  rows.push_back({"jalr", 0x67, kMaskI, exec_jalr, C::BranchJump, T::Jalr, kRdX | kRs1X, ImmFormat::I});
  for (const InstrDef& row :
       {b_row("beq", 0, exec_beq), b_row("bne", 1, exec_bne), b_row("blt", 4, exec_blt),
        b_row("bge", 5, exec_bge), b_row("bltu", 6, exec_bltu), b_row("bgeu", 7, exec_bgeu),
        load_row("lb", 0, exec_lb), load_row("lh", 1, exec_lh), load_row("lw", 2, exec_lw),
        load_row("lbu", 4, exec_lbu), load_row("lhu", 5, exec_lhu),
        store_row("sb", 0, exec_sb), store_row("sh", 1, exec_sh), store_row("sw", 2, exec_sw),
        i_row("addi", 0, exec_addi), i_row("slti", 2, exec_slti), i_row("sltiu", 3, exec_sltiu),
        i_row("xori", 4, exec_xori), i_row("ori", 6, exec_ori), i_row("andi", 7, exec_andi),
        shift_row("slli", 0x00, 1, exec_slli), shift_row("srli", 0x00, 5, exec_srli),
        shift_row("srai", 0x20, 5, exec_srai),
        r_row("add", 0x00, 0, exec_add), r_row("sub", 0x20, 0, exec_sub),
        r_row("sll", 0x00, 1, exec_sll), r_row("slt", 0x00, 2, exec_slt),
        r_row("sltu", 0x00, 3, exec_sltu), r_row("xor", 0x00, 4, exec_xor_),
        r_row("srl", 0x00, 5, exec_srl), r_row("sra", 0x20, 5, exec_sra),
        r_row("or", 0x00, 6, exec_or_), r_row("and", 0x00, 7, exec_and_)})
    rows.push_back(row);
  // fence: any pred/succ/fm; fence.i (Zifencei) is a no-op too.
  rows.push_back({"fence", 0x0F, kMaskI, exec_fence, C::CsrSystem, T::System, 0, ImmFormat::None});
  rows.push_back({"fence.i", 0x100F, kMaskI, exec_fence, C::CsrSystem, T::System, 0, ImmFormat::None});
}

}  // namespace coral
