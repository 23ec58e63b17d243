// The instruction table (rows contributed by each semantic file) and the table-driven decoder:
// rows are bucketed by major opcode and matched with (word & mask) == match, first row wins.
#include <array>
#include <string>

#include "coral/instruction_class.h"
#include "decoded.h"
#include "hart.h"

namespace coral {
namespace {

struct Table {
  std::vector<InstrDef> rows;
  std::array<std::vector<uint16_t>, 128> by_opcode;  // row indices per major opcode

  Table() {
    add_rv32i_rows(rows);
    add_rv32m_rows(rows);
    add_rv32f_rows(rows);
    add_system_rows(rows);
    add_vector_config_rows(rows);
    add_vector_memory_rows(rows);
    add_vector_int_rows(rows);
    add_vector_float_rows(rows);
    add_vector_mask_rows(rows);
    add_vector_permute_rows(rows);
    add_vector_reduction_rows(rows);
    for (std::size_t i = 0; i < rows.size(); ++i)
      by_opcode[rows[i].match & 0x7F].push_back(static_cast<uint16_t>(i));
  }

  uint16_t find(uint32_t word) const {
    for (uint16_t index : by_opcode[word & 0x7F]) {
      const InstrDef& row = rows[index];
      if ((word & row.mask) == row.match) return index;
    }
    return kNoDef;
  }
};

const Table& table() {
  static const Table instance;
  return instance;
}

int32_t imm_i(uint32_t w) { return static_cast<int32_t>(w) >> 20; }
int32_t imm_s(uint32_t w) {
  return static_cast<int32_t>((static_cast<int32_t>(w) >> 25) * 32) | static_cast<int32_t>((w >> 7) & 0x1F);
}
int32_t imm_b(uint32_t w) {
  const uint32_t bits = ((w >> 31) << 12) | (((w >> 7) & 1) << 11) | (((w >> 25) & 0x3F) << 5) |
                        (((w >> 8) & 0xF) << 1);
  return static_cast<int32_t>(bits << 19) >> 19;
}
int32_t imm_u(uint32_t w) { return static_cast<int32_t>(w & 0xFFFFF000u); }
int32_t imm_j(uint32_t w) {
  const uint32_t bits = ((w >> 31) << 20) | (((w >> 12) & 0xFF) << 12) | (((w >> 20) & 1) << 11) |
                        (((w >> 21) & 0x3FF) << 1);
  return static_cast<int32_t>(bits << 11) >> 11;
}

int32_t immediate(ImmFormat format, uint32_t w) {
  switch (format) {
    case ImmFormat::I: return imm_i(w);
    case ImmFormat::S: return imm_s(w);
    case ImmFormat::B: return imm_b(w);
    case ImmFormat::U: return imm_u(w);
    case ImmFormat::J: return imm_j(w);
    case ImmFormat::None: break;
  }
  return 0;
}

// Why a word has no row, in words an agent can act on.
std::string unsupported_reason(uint32_t w) {
  if ((w & 3) != 3) return "compressed (16-bit) instructions are not supported: the C extension is not implemented";
  const uint32_t opcode = w & 0x7F;
  if (opcode == 0x57) return "unsupported vector instruction (outside the implemented Zve32x/Zve32f subset)";
  if (opcode == 0x07 || opcode == 0x27) {
    const uint32_t width = (w >> 12) & 7;
    if (width == 3) return "double-precision load/store: the D extension is not supported";
    return "unsupported vector memory instruction (indexed, segment, fault-only-first or EEW 64 "
           "accesses are not implemented)";
  }
  if (opcode == 0x53 || opcode == 0x43 || opcode == 0x47 || opcode == 0x4B || opcode == 0x4F) {
    if (((w >> 25) & 3) == 1) return "double-precision arithmetic: the D extension is not supported";
    return "unsupported floating-point encoding";
  }
  if (opcode == 0x2F) return "atomic instructions: the A extension is not supported";
  if (opcode == 0x73) return "unsupported system instruction (only ecall, ebreak and the Zicsr "
                             "instructions exist)";
  return "not an RV32IMF, Zicsr, Zifencei or RVV instruction";
}

bool exec_unsupported(Hart& h, const Decoded& d) { return h.illegal(d, unsupported_reason(d.word)); }

uint8_t scoreboard_source(uint8_t operands, uint8_t x_bit, uint8_t f_bit, uint8_t reg) {
  if (operands & x_bit) return reg == 0 ? kNoReg : reg;
  if (operands & f_bit) return static_cast<uint8_t>(32 + reg);
  return kNoReg;
}

}  // namespace

const std::vector<InstrDef>& instruction_table() { return table().rows; }

Decoded decode(uint32_t word) {
  Decoded d;
  d.word = word;
  d.rd = (word >> 7) & 0x1F;
  d.rs1 = (word >> 15) & 0x1F;
  d.rs2 = (word >> 20) & 0x1F;
  d.rs3 = (word >> 27) & 0x1F;
  d.funct3 = (word >> 12) & 7;
  d.def = table().find(word);
  if (d.def == kNoDef) {
    d.exec = exec_unsupported;
    return d;
  }
  const InstrDef& row = table().rows[d.def];
  d.exec = row.exec;
  d.cls = row.cls;
  d.timing = row.timing;
  d.imm = immediate(row.imm, word);
  d.src[0] = scoreboard_source(row.operands, kRs1X, kRs1F, d.rs1);
  d.src[1] = scoreboard_source(row.operands, kRs2X, kRs2F, d.rs2);
  d.src[2] = scoreboard_source(row.operands, 0, kRs3F, d.rs3);
  if (row.operands & kRdX) d.dst = d.rd == 0 ? kSinkReg : d.rd;
  else if (row.operands & kRdF) d.dst = static_cast<uint8_t>(32 + d.rd);
  return d;
}

const char* instruction_class_name(InstructionClass cls) {
  static const char* const kNames[kInstructionClassCount] = {
      "scalar_alu", "branch_jump", "mul_div", "load", "store", "float", "float_div_sqrt",
      "csr_system", "vector_config", "vector_load", "vector_store", "vector_int", "vector_mac",
      "vector_float", "vector_reduction", "vector_permute", "vector_mask", "unknown"};
  const auto index = static_cast<std::size_t>(cls);
  return index < kInstructionClassCount ? kNames[index] : "unknown";
}

InstructionClass instruction_class(uint32_t word) {
  const uint16_t def = table().find(word);
  return def == kNoDef ? InstructionClass::Unknown : table().rows[def].cls;
}

std::string instruction_name(uint32_t word) {
  const uint16_t def = table().find(word);
  return def == kNoDef ? "unknown" : table().rows[def].name;
}

}  // namespace coral
