// 32-bit instruction words <-> decoded field values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "plena/isa.h"

namespace plena {

// An instruction with its fields extracted. Field values are raw bits; immediates that the
// table declares signed are sign-extended into `imm`.
struct Instruction {
  const InstrDef* def = nullptr;
  uint8_t rd = 0, rs1 = 0, rs2 = 0, rs3 = 0, funct1 = 0;
  int64_t imm = 0;
  uint32_t source_line = 0;  // 1-based line in the assembly source; 0 when decoded from binary

  Opcode opcode() const { return def->opcode; }
};

// Packs the fields the instruction's table row uses; unused bits are zero.
uint32_t encode(const Instruction& inst);

// Decodes a word. Fails (returns false and sets `error`) for unknown opcodes and for words
// with bits set outside the fields the instruction uses, so every accepted word round-trips.
bool decode(uint32_t word, Instruction& out, std::string& error);

// Reads / writes the Instruction member an operand field maps to (imm for Imm18/Imm22; reads
// give 0 and writes are ignored for Field::None). Added so the assembler, disassembler and
// tests share the one field -> member mapping instead of each switching on Field.
int64_t field_value(const Instruction& inst, Field field);
void set_field_value(Instruction& inst, Field field, int64_t value);

// The value a signed/unsigned immediate operand may hold, by operand kind.
struct ImmRange { int64_t min; int64_t max; };
ImmRange immediate_range(OperandKind kind);

}  // namespace plena
