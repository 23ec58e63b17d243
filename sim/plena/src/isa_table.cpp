#include <algorithm>
#include <cctype>
#include <string>

#include "plena/isa.h"

namespace plena {
namespace {

using K = OperandKind;
using F = Field;
using L = LatencyClass;

constexpr OperandSpec op(K kind, F field, const char* role, bool optional = false) {
  return OperandSpec{kind, field, role, optional};
}

// Operand shapes shared by many rows.
constexpr OperandSpec kZeroRd = op(K::Zero, F::Rd, "0");
constexpr OperandSpec kOffRd = op(K::GpOrZero, F::Rd, "matrix offset");
constexpr OperandSpec kVecDst = op(K::Gp, F::Rd, "dst vector addr");
constexpr OperandSpec kVecSrc1 = op(K::Gp, F::Rs1, "src vector addr");
constexpr OperandSpec kVecSrc2 = op(K::Gp, F::Rs2, "src2 vector addr");
constexpr OperandSpec kFpSrc2 = op(K::Fp, F::Rs2, "scalar f-reg");
constexpr OperandSpec kMask = op(K::Flag, F::Rs3, "rmask");
constexpr OperandSpec kGpRd = op(K::Gp, F::Rd, "rd");
constexpr OperandSpec kGpRs1 = op(K::Gp, F::Rs1, "rs1");
constexpr OperandSpec kGpRs2 = op(K::Gp, F::Rs2, "rs2");
constexpr OperandSpec kFpRd = op(K::Fp, F::Rd, "fd");
constexpr OperandSpec kFpRs1 = op(K::Fp, F::Rs1, "fs1");
constexpr OperandSpec kFpRs2 = op(K::Fp, F::Rs2, "fs2");
constexpr OperandSpec kImm18 = op(K::ImmU18, F::Imm18, "imm");

constexpr InstrDef row(Opcode opc, const char* name, Unit unit, LatencyClass lat,
                       std::array<OperandSpec, kMaxOperands> ops, const char* summary) {
  return InstrDef{opc, name, unit, lat, ops, summary};
}

// HBM transfer operand list: rd, rs1, aN, rstride, precision.
constexpr std::array<OperandSpec, kMaxOperands> hbm_ops(const char* rd_role) {
  return {op(K::Gp, F::Rd, rd_role), op(K::Gp, F::Rs1, "hbm offset"),
          op(K::Addr, F::Rs2, "hbm base a-reg"), op(K::Flag, F::Rs3, "rstride"),
          op(K::Flag, F::Funct1, "precision")};
}

const std::array<InstrDef, kInstructionCount> kTable = {{
    // Matrix unit.
    row(Opcode::M_MM, "M_MM", Unit::Matrix, L::MatMul,
        {kZeroRd, op(K::Gp, F::Rs1, "matrix addr"), op(K::Gp, F::Rs2, "vector addr")},
        "ACC(BLENxBLEN) += V[rs2] (BLEN rows x MLEN) @ M[rs1] (MLEN x BLEN column block)"),
    row(Opcode::M_TMM, "M_TMM", Unit::Matrix, L::MatMul,
        {kZeroRd, op(K::Gp, F::Rs1, "vector addr"), op(K::Gp, F::Rs2, "matrix addr")},
        "ACC += V[rs1] @ M[rs2]^T (BLEN-row block of the tile, read transposed)"),
    row(Opcode::M_BMM, "M_BMM", Unit::Matrix, L::MatMul,
        {kOffRd, op(K::Gp, F::Rs1, "matrix addr"), op(K::Gp, F::Rs2, "vector addr")},
        "per head h: BACC[h] += V[rs2] head-major (BLEN x MLEN) @ M[rs1+rd] columns of head h"),
    row(Opcode::M_BTMM, "M_BTMM", Unit::Matrix, L::MatMul,
        {kOffRd, op(K::Gp, F::Rs1, "matrix addr"), op(K::Gp, F::Rs2, "vector addr")},
        "per head h: BACC[h] += V[rs2] head slice (BLEN x HLEN) @ (M[rs1+rd] head slice)^T"),
    row(Opcode::M_BMM_WO, "M_BMM_WO", Unit::Matrix, L::WriteOut, {kVecDst, kImm18},
        "write the batched accumulator to V[rd+imm] and clear it"),
    row(Opcode::M_MM_WO, "M_MM_WO", Unit::Matrix, L::WriteOut,
        {kVecDst, op(K::Zero, F::Rs1, "0"), kImm18},
        "write ACC (BLEN x BLEN) to V[rd+imm], rows VLEN apart, and clear it"),
    row(Opcode::M_MV, "M_MV", Unit::Matrix, L::MatVec,
        {kZeroRd, op(K::Gp, F::Rs1, "vector addr"), op(K::Gp, F::Rs2, "matrix addr")},
        "VACC(MLEN) += V[rs1] (1 x MLEN) @ M[rs2] (MLEN x MLEN)"),
    row(Opcode::M_TMV, "M_TMV", Unit::Matrix, L::MatVec,
        {kZeroRd, op(K::Gp, F::Rs1, "vector addr"), op(K::Gp, F::Rs2, "matrix addr")},
        "VACC += V[rs1] @ M[rs2]^T"),
    row(Opcode::M_BMV, "M_BMV", Unit::Matrix, L::BatchedMatVec,
        {kOffRd, op(K::Gp, F::Rs1, "vector addr"), op(K::Gp, F::Rs2, "matrix addr")},
        "per head h: BVACC[h] += V[rs1 + h*VLEN] (1 x MLEN) @ M[rs2+rd] columns of head h"),
    row(Opcode::M_BTMV, "M_BTMV", Unit::Matrix, L::BatchedMatVec,
        {kOffRd, op(K::Gp, F::Rs1, "vector addr"), op(K::Gp, F::Rs2, "matrix addr")},
        "per head h: BVACC[h] += V[rs1] head slice @ (M[rs2+rd] head slice)^T"),
    row(Opcode::M_MV_WO, "M_MV_WO", Unit::Matrix, L::WriteOut, {kVecDst, kImm18},
        "write VACC (MLEN) to V[rd+imm] and clear it"),
    row(Opcode::M_BMV_WO, "M_BMV_WO", Unit::Matrix, L::WriteOut, {kVecDst, kImm18},
        "write the batched GEMV accumulator to V[rd+imm] and clear it"),
    // Vector unit.
    row(Opcode::V_ADD_VV, "V_ADD_VV", Unit::Vector, L::VecAdd, {kVecDst, kVecSrc1, kVecSrc2, kMask},
        "V[rd] = V[rs1] + V[rs2]"),
    row(Opcode::V_ADD_VF, "V_ADD_VF", Unit::Vector, L::VecAdd, {kVecDst, kVecSrc1, kFpSrc2, kMask},
        "V[rd] = V[rs1] + f[rs2]"),
    row(Opcode::V_SUB_VV, "V_SUB_VV", Unit::Vector, L::VecAdd, {kVecDst, kVecSrc1, kVecSrc2, kMask},
        "V[rd] = V[rs2] - V[rs1]  (note the order)"),
    row(Opcode::V_SUB_VF, "V_SUB_VF", Unit::Vector, L::VecAdd,
        {kVecDst, kVecSrc1, kFpSrc2, kMask, op(K::Flag, F::Funct1, "rorder")},
        "V[rd] = V[rs1] - f[rs2] (rorder 0) or f[rs2] - V[rs1] (rorder 1)"),
    row(Opcode::V_MUL_VV, "V_MUL_VV", Unit::Vector, L::VecMul, {kVecDst, kVecSrc1, kVecSrc2, kMask},
        "V[rd] = V[rs1] * V[rs2]"),
    row(Opcode::V_MUL_VF, "V_MUL_VF", Unit::Vector, L::VecMul, {kVecDst, kVecSrc1, kFpSrc2, kMask},
        "V[rd] = V[rs1] * f[rs2]"),
    row(Opcode::V_EXP_V, "V_EXP_V", Unit::Vector, L::VecExp, {kVecDst, kVecSrc1, kMask},
        "V[rd] = exp(V[rs1])"),
    row(Opcode::V_RECI_V, "V_RECI_V", Unit::Vector, L::VecReci, {kVecDst, kVecSrc1, kMask},
        "V[rd] = 1 / V[rs1]"),
    row(Opcode::V_RED_SUM, "V_RED_SUM", Unit::Vector, L::VecRedSum, {kFpRd, kVecSrc1},
        "f[rd] += sum(V[rs1])"),
    row(Opcode::V_RED_MAX, "V_RED_MAX", Unit::Vector, L::VecMaxMin, {kFpRd, kVecSrc1, kMask},
        "f[rd] = max(f[rd], max(V[rs1]))"),
    // Scalar FP.
    row(Opcode::S_ADD_FP, "S_ADD_FP", Unit::Scalar, L::ScalarFpBasic, {kFpRd, kFpRs1, kFpRs2},
        "f[rd] = f[rs1] + f[rs2]"),
    row(Opcode::S_SUB_FP, "S_SUB_FP", Unit::Scalar, L::ScalarFpBasic, {kFpRd, kFpRs1, kFpRs2},
        "f[rd] = f[rs1] - f[rs2]"),
    row(Opcode::S_MAX_FP, "S_MAX_FP", Unit::Scalar, L::ScalarFpBasic, {kFpRd, kFpRs1, kFpRs2},
        "f[rd] = max(f[rs1], f[rs2])"),
    row(Opcode::S_MUL_FP, "S_MUL_FP", Unit::Scalar, L::ScalarFpBasic, {kFpRd, kFpRs1, kFpRs2},
        "f[rd] = f[rs1] * f[rs2]"),
    row(Opcode::S_EXP_FP, "S_EXP_FP", Unit::Scalar, L::ScalarFpComplex, {kFpRd, kFpRs1},
        "f[rd] = exp(f[rs1])"),
    row(Opcode::S_RECI_FP, "S_RECI_FP", Unit::Scalar, L::ScalarFpComplex, {kFpRd, kFpRs1},
        "f[rd] = 1 / f[rs1]"),
    row(Opcode::S_SQRT_FP, "S_SQRT_FP", Unit::Scalar, L::ScalarFpComplex, {kFpRd, kFpRs1},
        "f[rd] = sqrt(f[rs1])"),
    row(Opcode::S_LD_FP, "S_LD_FP", Unit::Scalar, L::ScalarMem, {kFpRd, kGpRs1, kImm18},
        "f[rd] = FP_SRAM[gp[rs1] + imm]"),
    row(Opcode::S_ST_FP, "S_ST_FP", Unit::Scalar, L::ScalarMem,
        {op(K::Fp, F::Rd, "fs (value)"), kGpRs1, kImm18}, "FP_SRAM[gp[rs1] + imm] = f[rd]"),
    row(Opcode::S_MAP_V_FP, "S_MAP_V_FP", Unit::Scalar, L::MapVectorFromFp,
        {kVecDst, kGpRs1, kImm18}, "V[gp[rd] .. +VLEN] = FP_SRAM[gp[rs1] + imm .. +VLEN]"),
    // Scalar integer.
    row(Opcode::S_ADD_INT, "S_ADD_INT", Unit::Scalar, L::ScalarInt, {kGpRd, kGpRs1, kGpRs2},
        "gp[rd] = gp[rs1] + gp[rs2]"),
    row(Opcode::S_ADDI_INT, "S_ADDI_INT", Unit::Scalar, L::ScalarInt,
        {kGpRd, kGpRs1, op(K::ImmS18, F::Imm18, "imm")}, "gp[rd] = gp[rs1] + imm (signed 18-bit)"),
    row(Opcode::S_SUB_INT, "S_SUB_INT", Unit::Scalar, L::ScalarInt, {kGpRd, kGpRs1, kGpRs2},
        "gp[rd] = gp[rs1] - gp[rs2]"),
    row(Opcode::S_MUL_INT, "S_MUL_INT", Unit::Scalar, L::ScalarInt, {kGpRd, kGpRs1, kGpRs2},
        "gp[rd] = gp[rs1] * gp[rs2] (low 32 bits)"),
    row(Opcode::S_LUI_INT, "S_LUI_INT", Unit::Scalar, L::ScalarInt,
        {kGpRd, op(K::ImmU20, F::Imm22, "imm")}, "gp[rd] = imm << 12"),
    row(Opcode::S_LD_INT, "S_LD_INT", Unit::Scalar, L::ScalarMem, {kGpRd, kGpRs1, kImm18},
        "gp[rd] = INT_SRAM[gp[rs1] + imm]"),
    row(Opcode::S_ST_INT, "S_ST_INT", Unit::Scalar, L::ScalarMem,
        {op(K::Gp, F::Rd, "rd (value)"), kGpRs1, kImm18}, "INT_SRAM[gp[rs1] + imm] = gp[rd]"),
    // HBM transfers.
    row(Opcode::H_PREFETCH_M, "H_PREFETCH_M", Unit::Memory, L::HbmIssue, hbm_ops("matrix addr"),
        "async: M[rd] (MLEN x MLEN tile) = HBM[a + rs1], row pitch STRIDE_REG (rstride 1) or MLEN"),
    row(Opcode::H_PREFETCH_V, "H_PREFETCH_V", Unit::Memory, L::HbmIssue, hbm_ops("vector addr"),
        "async: V[rd] = HBM[a + rs1]; rstride 1: v_prefetch_rows rows at STRIDE_REG, 0: one row"),
    row(Opcode::H_STORE_V, "H_STORE_V", Unit::Memory, L::HbmIssue, hbm_ops("vector addr"),
        "async: HBM[a + rs1] = V[rd]; rstride 1: v_writeback_rows rows at STRIDE_REG, 0: one row"),
    // Control.
    row(Opcode::C_SET_ADDR_REG, "C_SET_ADDR_REG", Unit::Control, L::Control,
        {op(K::Addr, F::Rd, "a-reg"), op(K::Gp, F::Rs1, "high"), op(K::Gp, F::Rs2, "low")},
        "a[rd] = (gp[rs1] << 32) | gp[rs2]"),
    row(Opcode::C_SET_SCALE_REG, "C_SET_SCALE_REG", Unit::Control, L::Control, {kGpRd},
        "SCALE_REG = gp[rd] (MX scale offset)"),
    row(Opcode::C_SET_STRIDE_REG, "C_SET_STRIDE_REG", Unit::Control, L::Control, {kGpRd},
        "STRIDE_REG = gp[rd] (HBM row pitch in elements)"),
    row(Opcode::C_SET_V_MASK_REG, "C_SET_V_MASK_REG", Unit::Control, L::Control, {kGpRd},
        "V_MASK = gp[rd] (bit h enables head h of masked vector ops)"),
    row(Opcode::C_LOOP_START, "C_LOOP_START", Unit::Control, L::Control,
        {op(K::Gp, F::Rd, "counter"), op(K::ImmU22, F::Imm22, "iterations")},
        "hardware loop: run the body up to the matching C_LOOP_END imm times"),
    row(Opcode::C_LOOP_END, "C_LOOP_END", Unit::Control, L::Control,
        {op(K::Gp, F::Rd, "counter"), op(K::Zero, F::None, "0", true)},
        "decrement the counter; jump back to the loop body while it is non-zero"),
    row(Opcode::V_SHFT_V, "V_SHFT_V", Unit::Vector, L::VecShift,
        {kVecDst, kVecSrc1, op(K::Gp, F::Rs2, "shift")},
        "V[rd][i] = V[rs1][i + gp[rs2]] (signed shift, zero fill)"),
    row(Opcode::C_BREAK, "C_BREAK", Unit::Control, L::Control,
        {op(K::Zero, F::None, "0", true), op(K::Zero, F::None, "0", true),
         op(K::Zero, F::None, "0", true)},
        "stop the program"),
    row(Opcode::V_MAX_VF, "V_MAX_VF", Unit::Vector, L::VecMaxMin, {kVecDst, kVecSrc1, kFpSrc2, kMask},
        "V[rd] = max(V[rs1], f[rs2])"),
    row(Opcode::V_MIN_VF, "V_MIN_VF", Unit::Vector, L::VecMaxMin, {kVecDst, kVecSrc1, kFpSrc2, kMask},
        "V[rd] = min(V[rs1], f[rs2])"),
}};

// Dense opcode -> row index map, built once; 6-bit opcodes give 64 slots.
struct OpcodeIndex {
  std::array<int8_t, 64> slot{};
  OpcodeIndex() {
    slot.fill(-1);
    for (std::size_t i = 0; i < kTable.size(); ++i)
      slot[static_cast<uint8_t>(kTable[i].opcode)] = static_cast<int8_t>(i);
  }
};

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

}  // namespace

std::string_view unit_name(Unit unit) {
  static constexpr const char* kNames[] = {"matrix", "vector", "scalar", "memory", "control"};
  return kNames[static_cast<std::size_t>(unit)];
}

std::string_view latency_class_name(LatencyClass cls) {
  static constexpr const char* kNames[] = {
      "matmul",     "matvec",     "batched_matvec",   "write_out",       "vec_add",
      "vec_mul",    "vec_exp",    "vec_reci",         "vec_max_min",     "vec_red_sum",
      "vec_shift",  "scalar_int", "scalar_fp_basic",  "scalar_fp_complex", "scalar_mem",
      "map_v_fp",   "hbm_issue",  "control"};
  static_assert(sizeof(kNames) / sizeof(kNames[0]) == kLatencyClassCount);
  return kNames[static_cast<std::size_t>(cls)];
}

std::size_t InstrDef::operand_count() const {
  std::size_t n = 0;
  while (n < kMaxOperands && operands[n].kind != OperandKind::None) ++n;
  return n;
}

std::size_t InstrDef::required_operand_count() const {
  std::size_t n = operand_count();
  while (n > 0 && operands[n - 1].optional) --n;
  return n;
}

const std::array<InstrDef, kInstructionCount>& instruction_table() { return kTable; }

const InstrDef* find_instruction(uint8_t opcode) {
  static const OpcodeIndex index;
  if (opcode >= index.slot.size() || index.slot[opcode] < 0) return nullptr;
  return &kTable[static_cast<std::size_t>(index.slot[opcode])];
}

const InstrDef* find_instruction(std::string_view mnemonic) {
  std::string name = upper(mnemonic);
  if (name == "V_SHIFT_V") name = "V_SHFT_V";
  for (const InstrDef& def : kTable)
    if (name == def.mnemonic) return &def;
  return nullptr;
}

}  // namespace plena
