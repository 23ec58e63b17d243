// The PLENA instruction set as data: one row per instruction.
//
// Pinned version: PLENA_Doc doc/isa_spec.md (AICrossSim/PLENA_Doc, commit 0878056d) plus the
// three extensions the emulator of the same period carried (V_MAX_VF, V_MIN_VF, V_SHFT_V).
// The assembler, disassembler, decoder and simulator all read this table, so adding an
// instruction means adding one row here and one semantic function in the simulator.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace plena {

enum class Opcode : uint8_t {
  M_MM = 0x01, M_TMM = 0x02, M_BMM = 0x03, M_BTMM = 0x04, M_BMM_WO = 0x05, M_MM_WO = 0x06,
  M_MV = 0x07, M_TMV = 0x08, M_BMV = 0x09, M_BTMV = 0x0A, M_MV_WO = 0x0B, M_BMV_WO = 0x0C,
  V_ADD_VV = 0x0D, V_ADD_VF = 0x0E, V_SUB_VV = 0x0F, V_SUB_VF = 0x10, V_MUL_VV = 0x11,
  V_MUL_VF = 0x12, V_EXP_V = 0x13, V_RECI_V = 0x14, V_RED_SUM = 0x15, V_RED_MAX = 0x16,
  S_ADD_FP = 0x17, S_SUB_FP = 0x18, S_MAX_FP = 0x19, S_MUL_FP = 0x1A, S_EXP_FP = 0x1B,
  S_RECI_FP = 0x1C, S_SQRT_FP = 0x1D, S_LD_FP = 0x1E, S_ST_FP = 0x1F, S_MAP_V_FP = 0x20,
  S_ADD_INT = 0x21, S_ADDI_INT = 0x22, S_SUB_INT = 0x23, S_MUL_INT = 0x24, S_LUI_INT = 0x25,
  S_LD_INT = 0x26, S_ST_INT = 0x27,
  H_PREFETCH_M = 0x28, H_PREFETCH_V = 0x29, H_STORE_V = 0x2A,
  C_SET_ADDR_REG = 0x2B, C_SET_SCALE_REG = 0x2C, C_SET_STRIDE_REG = 0x2D,
  C_SET_V_MASK_REG = 0x2E, C_LOOP_START = 0x2F, C_LOOP_END = 0x30,
  V_SHFT_V = 0x32, C_BREAK = 0x34, V_MAX_VF = 0x35, V_MIN_VF = 0x36,
};

// Functional unit an instruction occupies; also the key of per-unit busy/stall counters.
enum class Unit : uint8_t { Matrix, Vector, Scalar, Memory, Control };
constexpr std::size_t kUnitCount = 5;
std::string_view unit_name(Unit unit);

// What a textual operand must look like.
enum class OperandKind : uint8_t {
  None,       // unused slot
  Gp,         // gp0..gp15
  GpOrZero,   // gpN, or the literal 0 meaning gp0
  Fp,         // f0..f7
  Addr,       // a0..a7
  Zero,       // placeholder that must be the literal 0 (or gp0)
  Flag,       // 0 or 1
  ImmU18,     // unsigned 18-bit immediate
  ImmS18,     // signed 18-bit immediate (two's complement)
  ImmU20,     // unsigned immediate shifted left by 12 (S_LUI_INT): must fit 20 bits
  ImmU22,     // unsigned 22-bit immediate
};

// Bit field of the 32-bit word an operand is encoded in.
//   opcode [5:0] | rd [9:6] | rs1 [13:10] | rs2 [17:14] | rs3 [21:18] | funct1 [25:22]
//   imm18 [31:14] (after rd, rs1) | imm22 [31:10] (after rd)
enum class Field : uint8_t { None, Rd, Rs1, Rs2, Rs3, Funct1, Imm18, Imm22 };

struct OperandSpec {
  OperandKind kind = OperandKind::None;
  Field field = Field::None;
  const char* role = "";   // short name for diagnostics and docs, e.g. "vector addr"
  bool optional = false;   // a trailing placeholder that may be omitted in source
};

// Latency classes; the cycle count of each lives in the hardware preset.
enum class LatencyClass : uint8_t {
  MatMul, MatVec, BatchedMatVec, WriteOut,
  VecAdd, VecMul, VecExp, VecReci, VecMaxMin, VecRedSum, VecShift,
  ScalarInt, ScalarFpBasic, ScalarFpComplex, ScalarMem, MapVectorFromFp,
  HbmIssue, Control,
};
constexpr std::size_t kLatencyClassCount = 18;
std::string_view latency_class_name(LatencyClass cls);

constexpr std::size_t kMaxOperands = 5;

struct InstrDef {
  Opcode opcode;
  const char* mnemonic;
  Unit unit;
  LatencyClass latency;
  std::array<OperandSpec, kMaxOperands> operands;
  const char* summary;  // one line, used by listings and `grep_docs`

  std::size_t operand_count() const;       // including optional ones
  std::size_t required_operand_count() const;
};

// Every instruction, in opcode order.
constexpr std::size_t kInstructionCount = 52;
const std::array<InstrDef, kInstructionCount>& instruction_table();
// nullptr when the opcode value is not an instruction.
const InstrDef* find_instruction(uint8_t opcode);
// Case-insensitive lookup by mnemonic (also accepts V_SHIFT_V for V_SHFT_V).
const InstrDef* find_instruction(std::string_view mnemonic);

// Register file sizes fixed by the encoding (4-bit fields) and the spec.
constexpr unsigned kGpRegs = 16;
constexpr unsigned kFpRegs = 8;
constexpr unsigned kAddrRegs = 8;

}  // namespace plena
