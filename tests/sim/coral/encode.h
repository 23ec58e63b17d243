// Test-only RISC-V encoder (base formats, F, Zicsr, RVV) so the simulator tests do not depend
// on the assembler. A handful of words are cross-checked against llvm-mc-16 in
// encode_test.cpp.
#pragma once

#include <cstdint>

namespace coral::test::enc {

// ---- base formats ----
constexpr uint32_t r(uint32_t opcode, uint32_t rd, uint32_t funct3, uint32_t rs1, uint32_t rs2, uint32_t funct7) {
  return (funct7 << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode;
}
constexpr uint32_t i(uint32_t opcode, uint32_t rd, uint32_t funct3, uint32_t rs1, int32_t imm) {
  return (static_cast<uint32_t>(imm & 0xFFF) << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode;
}
constexpr uint32_t s(uint32_t opcode, uint32_t funct3, uint32_t rs1, uint32_t rs2, int32_t imm) {
  const uint32_t u = static_cast<uint32_t>(imm);
  return (((u >> 5) & 0x7F) << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | ((u & 0x1F) << 7) | opcode;
}
constexpr uint32_t b(uint32_t funct3, uint32_t rs1, uint32_t rs2, int32_t imm) {
  const uint32_t u = static_cast<uint32_t>(imm);
  return (((u >> 12) & 1) << 31) | (((u >> 5) & 0x3F) << 25) | (rs2 << 20) | (rs1 << 15) |
         (funct3 << 12) | (((u >> 1) & 0xF) << 8) | (((u >> 11) & 1) << 7) | 0x63;
}
constexpr uint32_t u(uint32_t opcode, uint32_t rd, uint32_t imm20) { return (imm20 << 12) | (rd << 7) | opcode; }
constexpr uint32_t j(uint32_t rd, int32_t imm) {
  const uint32_t v = static_cast<uint32_t>(imm);
  return (((v >> 20) & 1) << 31) | (((v >> 1) & 0x3FF) << 21) | (((v >> 11) & 1) << 20) |
         (((v >> 12) & 0xFF) << 12) | (rd << 7) | 0x6F;
}
constexpr uint32_t r4(uint32_t opcode, uint32_t rd, uint32_t rm, uint32_t rs1, uint32_t rs2, uint32_t rs3) {
  return (rs3 << 27) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | opcode;
}

// ---- RV32I ----
constexpr uint32_t lui(uint32_t rd, uint32_t imm20) { return u(0x37, rd, imm20); }
constexpr uint32_t auipc(uint32_t rd, uint32_t imm20) { return u(0x17, rd, imm20); }
constexpr uint32_t jal(uint32_t rd, int32_t offset) { return j(rd, offset); }
constexpr uint32_t jalr(uint32_t rd, uint32_t rs1, int32_t imm) { return i(0x67, rd, 0, rs1, imm); }
constexpr uint32_t beq(uint32_t a, uint32_t c, int32_t off) { return b(0, a, c, off); }
constexpr uint32_t bne(uint32_t a, uint32_t c, int32_t off) { return b(1, a, c, off); }
constexpr uint32_t blt(uint32_t a, uint32_t c, int32_t off) { return b(4, a, c, off); }
constexpr uint32_t bge(uint32_t a, uint32_t c, int32_t off) { return b(5, a, c, off); }
constexpr uint32_t bltu(uint32_t a, uint32_t c, int32_t off) { return b(6, a, c, off); }
constexpr uint32_t bgeu(uint32_t a, uint32_t c, int32_t off) { return b(7, a, c, off); }
constexpr uint32_t lb(uint32_t rd, uint32_t rs1, int32_t imm) { return i(0x03, rd, 0, rs1, imm); }
constexpr uint32_t lh(uint32_t rd, uint32_t rs1, int32_t imm) { return i(0x03, rd, 1, rs1, imm); }
constexpr uint32_t lw(uint32_t rd, uint32_t rs1, int32_t imm) { return i(0x03, rd, 2, rs1, imm); }
constexpr uint32_t lbu(uint32_t rd, uint32_t rs1, int32_t imm) { return i(0x03, rd, 4, rs1, imm); }
constexpr uint32_t lhu(uint32_t rd, uint32_t rs1, int32_t imm) { return i(0x03, rd, 5, rs1, imm); }
constexpr uint32_t sb(uint32_t rs2, uint32_t rs1, int32_t imm) { return s(0x23, 0, rs1, rs2, imm); }
constexpr uint32_t sh(uint32_t rs2, uint32_t rs1, int32_t imm) { return s(0x23, 1, rs1, rs2, imm); }
constexpr uint32_t sw(uint32_t rs2, uint32_t rs1, int32_t imm) { return s(0x23, 2, rs1, rs2, imm); }
constexpr uint32_t addi(uint32_t rd, uint32_t rs1, int32_t imm) { return i(0x13, rd, 0, rs1, imm); }
constexpr uint32_t slti(uint32_t rd, uint32_t rs1, int32_t imm) { return i(0x13, rd, 2, rs1, imm); }
constexpr uint32_t sltiu(uint32_t rd, uint32_t rs1, int32_t imm) { return i(0x13, rd, 3, rs1, imm); }
constexpr uint32_t xori(uint32_t rd, uint32_t rs1, int32_t imm) { return i(0x13, rd, 4, rs1, imm); }
constexpr uint32_t ori(uint32_t rd, uint32_t rs1, int32_t imm) { return i(0x13, rd, 6, rs1, imm); }
constexpr uint32_t andi(uint32_t rd, uint32_t rs1, int32_t imm) { return i(0x13, rd, 7, rs1, imm); }
constexpr uint32_t slli(uint32_t rd, uint32_t rs1, uint32_t sh) { return r(0x13, rd, 1, rs1, sh, 0); }
constexpr uint32_t srli(uint32_t rd, uint32_t rs1, uint32_t sh) { return r(0x13, rd, 5, rs1, sh, 0); }
constexpr uint32_t srai(uint32_t rd, uint32_t rs1, uint32_t sh) { return r(0x13, rd, 5, rs1, sh, 0x20); }
constexpr uint32_t add(uint32_t rd, uint32_t a, uint32_t c) { return r(0x33, rd, 0, a, c, 0); }
constexpr uint32_t sub(uint32_t rd, uint32_t a, uint32_t c) { return r(0x33, rd, 0, a, c, 0x20); }
constexpr uint32_t sll(uint32_t rd, uint32_t a, uint32_t c) { return r(0x33, rd, 1, a, c, 0); }
constexpr uint32_t slt(uint32_t rd, uint32_t a, uint32_t c) { return r(0x33, rd, 2, a, c, 0); }
constexpr uint32_t sltu(uint32_t rd, uint32_t a, uint32_t c) { return r(0x33, rd, 3, a, c, 0); }
constexpr uint32_t xor_(uint32_t rd, uint32_t a, uint32_t c) { return r(0x33, rd, 4, a, c, 0); }
constexpr uint32_t srl(uint32_t rd, uint32_t a, uint32_t c) { return r(0x33, rd, 5, a, c, 0); }
constexpr uint32_t sra(uint32_t rd, uint32_t a, uint32_t c) { return r(0x33, rd, 5, a, c, 0x20); }
constexpr uint32_t or_(uint32_t rd, uint32_t a, uint32_t c) { return r(0x33, rd, 6, a, c, 0); }
constexpr uint32_t and_(uint32_t rd, uint32_t a, uint32_t c) { return r(0x33, rd, 7, a, c, 0); }
constexpr uint32_t fence() { return 0x0FF0000F; }
constexpr uint32_t fence_i() { return 0x0000100F; }
constexpr uint32_t ecall() { return 0x00000073; }
constexpr uint32_t ebreak() { return 0x00100073; }

// ---- M ----
constexpr uint32_t m(uint32_t funct3, uint32_t rd, uint32_t a, uint32_t c) { return r(0x33, rd, funct3, a, c, 1); }
constexpr uint32_t mul(uint32_t rd, uint32_t a, uint32_t c) { return m(0, rd, a, c); }
constexpr uint32_t mulh(uint32_t rd, uint32_t a, uint32_t c) { return m(1, rd, a, c); }
constexpr uint32_t mulhsu(uint32_t rd, uint32_t a, uint32_t c) { return m(2, rd, a, c); }
constexpr uint32_t mulhu(uint32_t rd, uint32_t a, uint32_t c) { return m(3, rd, a, c); }
constexpr uint32_t div(uint32_t rd, uint32_t a, uint32_t c) { return m(4, rd, a, c); }
constexpr uint32_t divu(uint32_t rd, uint32_t a, uint32_t c) { return m(5, rd, a, c); }
constexpr uint32_t rem(uint32_t rd, uint32_t a, uint32_t c) { return m(6, rd, a, c); }
constexpr uint32_t remu(uint32_t rd, uint32_t a, uint32_t c) { return m(7, rd, a, c); }

// ---- Zicsr ----
constexpr uint32_t csr(uint32_t funct3, uint32_t rd, uint32_t number, uint32_t rs1) {
  return (number << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | 0x73;
}
constexpr uint32_t csrr(uint32_t rd, uint32_t number) { return csr(2, rd, number, 0); }
constexpr uint32_t csrw(uint32_t number, uint32_t rs1) { return csr(1, 0, number, rs1); }
constexpr uint32_t csrrw(uint32_t rd, uint32_t number, uint32_t rs1) { return csr(1, rd, number, rs1); }
constexpr uint32_t csrrs(uint32_t rd, uint32_t number, uint32_t rs1) { return csr(2, rd, number, rs1); }
constexpr uint32_t csrrc(uint32_t rd, uint32_t number, uint32_t rs1) { return csr(3, rd, number, rs1); }
constexpr uint32_t csrrwi(uint32_t rd, uint32_t number, uint32_t imm) { return csr(5, rd, number, imm); }
constexpr uint32_t csrrsi(uint32_t rd, uint32_t number, uint32_t imm) { return csr(6, rd, number, imm); }
constexpr uint32_t csrrci(uint32_t rd, uint32_t number, uint32_t imm) { return csr(7, rd, number, imm); }

// ---- F ----
constexpr uint32_t kDyn = 7;
constexpr uint32_t flw(uint32_t rd, uint32_t rs1, int32_t imm) { return i(0x07, rd, 2, rs1, imm); }
constexpr uint32_t fsw(uint32_t rs2, uint32_t rs1, int32_t imm) { return s(0x27, 2, rs1, rs2, imm); }
constexpr uint32_t fop(uint32_t funct7, uint32_t rd, uint32_t a, uint32_t c, uint32_t rm) { return r(0x53, rd, rm, a, c, funct7); }
constexpr uint32_t fadd(uint32_t rd, uint32_t a, uint32_t c, uint32_t rm = kDyn) { return fop(0x00, rd, a, c, rm); }
constexpr uint32_t fsub(uint32_t rd, uint32_t a, uint32_t c, uint32_t rm = kDyn) { return fop(0x04, rd, a, c, rm); }
constexpr uint32_t fmul(uint32_t rd, uint32_t a, uint32_t c, uint32_t rm = kDyn) { return fop(0x08, rd, a, c, rm); }
constexpr uint32_t fdiv(uint32_t rd, uint32_t a, uint32_t c, uint32_t rm = kDyn) { return fop(0x0C, rd, a, c, rm); }
constexpr uint32_t fsqrt(uint32_t rd, uint32_t a, uint32_t rm = kDyn) { return fop(0x2C, rd, a, 0, rm); }
constexpr uint32_t fsgnj(uint32_t rd, uint32_t a, uint32_t c) { return fop(0x10, rd, a, c, 0); }
constexpr uint32_t fsgnjn(uint32_t rd, uint32_t a, uint32_t c) { return fop(0x10, rd, a, c, 1); }
constexpr uint32_t fsgnjx(uint32_t rd, uint32_t a, uint32_t c) { return fop(0x10, rd, a, c, 2); }
constexpr uint32_t fmin(uint32_t rd, uint32_t a, uint32_t c) { return fop(0x14, rd, a, c, 0); }
constexpr uint32_t fmax(uint32_t rd, uint32_t a, uint32_t c) { return fop(0x14, rd, a, c, 1); }
constexpr uint32_t fcvt_w_s(uint32_t rd, uint32_t a, uint32_t rm = kDyn) { return fop(0x60, rd, a, 0, rm); }
constexpr uint32_t fcvt_wu_s(uint32_t rd, uint32_t a, uint32_t rm = kDyn) { return fop(0x60, rd, a, 1, rm); }
constexpr uint32_t fcvt_s_w(uint32_t rd, uint32_t a, uint32_t rm = kDyn) { return fop(0x68, rd, a, 0, rm); }
constexpr uint32_t fcvt_s_wu(uint32_t rd, uint32_t a, uint32_t rm = kDyn) { return fop(0x68, rd, a, 1, rm); }
constexpr uint32_t fmv_x_w(uint32_t rd, uint32_t a) { return fop(0x70, rd, a, 0, 0); }
constexpr uint32_t fclass(uint32_t rd, uint32_t a) { return fop(0x70, rd, a, 0, 1); }
constexpr uint32_t fmv_w_x(uint32_t rd, uint32_t a) { return fop(0x78, rd, a, 0, 0); }
constexpr uint32_t feq(uint32_t rd, uint32_t a, uint32_t c) { return fop(0x50, rd, a, c, 2); }
constexpr uint32_t flt(uint32_t rd, uint32_t a, uint32_t c) { return fop(0x50, rd, a, c, 1); }
constexpr uint32_t fle(uint32_t rd, uint32_t a, uint32_t c) { return fop(0x50, rd, a, c, 0); }
constexpr uint32_t fmadd(uint32_t rd, uint32_t a, uint32_t c, uint32_t d, uint32_t rm = kDyn) { return r4(0x43, rd, rm, a, c, d); }
constexpr uint32_t fmsub(uint32_t rd, uint32_t a, uint32_t c, uint32_t d, uint32_t rm = kDyn) { return r4(0x47, rd, rm, a, c, d); }
constexpr uint32_t fnmsub(uint32_t rd, uint32_t a, uint32_t c, uint32_t d, uint32_t rm = kDyn) { return r4(0x4B, rd, rm, a, c, d); }
constexpr uint32_t fnmadd(uint32_t rd, uint32_t a, uint32_t c, uint32_t d, uint32_t rm = kDyn) { return r4(0x4F, rd, rm, a, c, d); }

// ---- RVV ----
constexpr uint32_t vtype(uint32_t sew, int lmul_log2, bool ta = true, bool ma = true) {
  const uint32_t vsew = sew == 8 ? 0 : sew == 16 ? 1 : sew == 32 ? 2 : 3;
  const uint32_t vlmul = static_cast<uint32_t>(lmul_log2) & 7;
  return (ma ? 0x80u : 0) | (ta ? 0x40u : 0) | (vsew << 3) | vlmul;
}
constexpr uint32_t vsetvli(uint32_t rd, uint32_t rs1, uint32_t vtypei) { return (vtypei << 20) | (rs1 << 15) | (7u << 12) | (rd << 7) | 0x57; }
constexpr uint32_t vsetivli(uint32_t rd, uint32_t uimm, uint32_t vtypei) { return (3u << 30) | (vtypei << 20) | (uimm << 15) | (7u << 12) | (rd << 7) | 0x57; }
constexpr uint32_t vsetvl(uint32_t rd, uint32_t rs1, uint32_t rs2) { return (1u << 31) | (rs2 << 20) | (rs1 << 15) | (7u << 12) | (rd << 7) | 0x57; }

enum Form : uint32_t { IVV = 0, FVV = 1, MVV = 2, IVI = 3, IVX = 4, FVF = 5, MVX = 6 };
// funct6 | vm | vs2 | vs1/rs1/imm | funct3 | vd | OP-V. vm = true means unmasked.
constexpr uint32_t opv(uint32_t funct6, Form form, uint32_t vd, uint32_t vs2, uint32_t src1, bool vm = true) {
  return (funct6 << 26) | ((vm ? 1u : 0u) << 25) | (vs2 << 20) | ((src1 & 0x1F) << 15) |
         (static_cast<uint32_t>(form) << 12) | (vd << 7) | 0x57;
}

constexpr uint32_t width_of(uint32_t eew) { return eew == 8 ? 0 : eew == 16 ? 5 : eew == 32 ? 6 : 7; }
// Vector loads/stores: nf | mew | mop | vm | rs2/lumop | rs1 | width | vd | opcode.
constexpr uint32_t vmem(uint32_t opcode, uint32_t nf, uint32_t mop, bool vm, uint32_t field2, uint32_t rs1, uint32_t eew, uint32_t vd) {
  return (nf << 29) | (mop << 26) | ((vm ? 1u : 0u) << 25) | (field2 << 20) | (rs1 << 15) |
         (width_of(eew) << 12) | (vd << 7) | opcode;
}
constexpr uint32_t vle(uint32_t eew, uint32_t vd, uint32_t rs1, bool vm = true) { return vmem(0x07, 0, 0, vm, 0, rs1, eew, vd); }
constexpr uint32_t vse(uint32_t eew, uint32_t vs3, uint32_t rs1, bool vm = true) { return vmem(0x27, 0, 0, vm, 0, rs1, eew, vs3); }
constexpr uint32_t vlse(uint32_t eew, uint32_t vd, uint32_t rs1, uint32_t rs2, bool vm = true) { return vmem(0x07, 0, 2, vm, rs2, rs1, eew, vd); }
constexpr uint32_t vsse(uint32_t eew, uint32_t vs3, uint32_t rs1, uint32_t rs2, bool vm = true) { return vmem(0x27, 0, 2, vm, rs2, rs1, eew, vs3); }
constexpr uint32_t vlr(uint32_t nregs, uint32_t eew, uint32_t vd, uint32_t rs1) { return vmem(0x07, nregs - 1, 0, true, 8, rs1, eew, vd); }
constexpr uint32_t vsr(uint32_t nregs, uint32_t vs3, uint32_t rs1) { return vmem(0x27, nregs - 1, 0, true, 8, rs1, 8, vs3); }
constexpr uint32_t vlm(uint32_t vd, uint32_t rs1) { return vmem(0x07, 0, 0, true, 11, rs1, 8, vd); }
constexpr uint32_t vsm(uint32_t vs3, uint32_t rs1) { return vmem(0x27, 0, 0, true, 11, rs1, 8, vs3); }

}  // namespace coral::test::enc
