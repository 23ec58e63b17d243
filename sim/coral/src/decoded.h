// Private: the instruction table row and the pre-decoded instruction the run loop executes.
//
// Every instruction has one semantic function `bool exec_x(Hart&, const Decoded&)`. It checks
// everything that can trap before changing state, and returns false exactly when the run must
// stop (a trap, or ebreak). Timing is charged by the run loop afterwards.
#pragma once

#include <cstdint>
#include <vector>

#include "coral/instruction_class.h"

namespace coral {

class Hart;
struct Decoded;
using ExecFn = bool (*)(Hart&, const Decoded&);

// How the cycle model treats an instruction (unit and latency).
enum class Timing : uint8_t {
  Alu,
  Branch,
  Jal,
  Jalr,
  Mul,
  Div,
  Load,
  Store,
  FpArith,
  FpConvert,
  FpDivSqrt,
  Csr,
  System,
  VectorConfig,
  Vector,  // executed by the vector engine (the handler describes its micro-ops)
};

// Scalar register operands read or written, for the scoreboard.
enum OperandBits : uint8_t {
  kRdX = 1 << 0,
  kRdF = 1 << 1,
  kRs1X = 1 << 2,
  kRs1F = 1 << 3,
  kRs2X = 1 << 4,
  kRs2F = 1 << 5,
  kRs3F = 1 << 6,
};

enum class ImmFormat : uint8_t { None, I, S, B, U, J };

struct InstrDef {
  const char* name;
  uint32_t match;
  uint32_t mask;
  ExecFn exec;
  InstructionClass cls;
  Timing timing;
  uint8_t operands;  // OperandBits
  ImmFormat imm;
};

// Scoreboard slots: x0..x31 are 0..31, f0..f31 are 32..63; kNoReg reads as always ready and
// kSinkReg absorbs writes that nothing reads (rd = x0, no destination).
constexpr uint8_t kNoReg = 64;
constexpr uint8_t kSinkReg = 65;
constexpr uint8_t kScoreboardSlots = 66;

constexpr uint16_t kNoDef = 0xFFFF;

struct Decoded {
  ExecFn exec = nullptr;
  uint32_t word = 0;
  int32_t imm = 0;
  uint8_t rd = 0, rs1 = 0, rs2 = 0, rs3 = 0;
  uint8_t funct3 = 0;  // rounding mode for F, width for loads/stores
  Timing timing = Timing::System;
  uint8_t src[3] = {kNoReg, kNoReg, kNoReg};
  uint8_t dst = kSinkReg;
  uint16_t def = kNoDef;  // row in the instruction table
  InstructionClass cls = InstructionClass::Unknown;
};

// The whole instruction table (built once) and the decoder over it.
const std::vector<InstrDef>& instruction_table();
Decoded decode(uint32_t word);

// Each semantic file appends its rows.
void add_rv32i_rows(std::vector<InstrDef>& rows);
void add_rv32m_rows(std::vector<InstrDef>& rows);
void add_rv32f_rows(std::vector<InstrDef>& rows);
void add_system_rows(std::vector<InstrDef>& rows);
void add_vector_config_rows(std::vector<InstrDef>& rows);
void add_vector_memory_rows(std::vector<InstrDef>& rows);
void add_vector_int_rows(std::vector<InstrDef>& rows);
void add_vector_float_rows(std::vector<InstrDef>& rows);
void add_vector_mask_rows(std::vector<InstrDef>& rows);
void add_vector_permute_rows(std::vector<InstrDef>& rows);
void add_vector_reduction_rows(std::vector<InstrDef>& rows);

// Row constructors shared by the semantic files.
constexpr uint32_t kMaskR = 0xFE00707F;   // funct7 + funct3 + opcode
constexpr uint32_t kMaskI = 0x0000707F;   // funct3 + opcode
constexpr uint32_t kMaskU = 0x0000007F;   // opcode only

}  // namespace coral
