#include "program_loader.h"

namespace plena::rtl {
namespace {

struct FieldBits {
  unsigned shift;
  unsigned width;
};

FieldBits bits_of(Field field) {
  switch (field) {
    case Field::Rd: return {6, 4};
    case Field::Rs1: return {10, 4};
    case Field::Rs2: return {14, 4};
    case Field::Rs3: return {18, 4};
    case Field::Funct1: return {22, 4};
    case Field::Imm18: return {14, 18};
    case Field::Imm22: return {10, 22};
    case Field::None: break;
  }
  return {0, 0};
}

bool fits(OperandKind kind, FieldBits bits, int64_t value) {
  if (kind == OperandKind::ImmS18) {
    const int64_t half = int64_t{1} << (bits.width - 1);
    return value >= -half && value < half;
  }
  return value >= 0 && value < (int64_t{1} << bits.width);
}

bool is_register(OperandKind kind) {
  return kind == OperandKind::Gp || kind == OperandKind::GpOrZero || kind == OperandKind::Fp ||
         kind == OperandKind::Addr;
}

// The trap sim/plena's operand check reports for `inst`: its first operand out of range.
PredecodeTag first_fault(const InstrDef& def, const Instruction& inst) {
  for (const OperandSpec& spec : def.operands) {
    if (spec.field == Field::None || spec.kind == OperandKind::None) continue;
    const int64_t value = field_value(inst, spec.field);
    const ImmRange allowed = immediate_range(spec.kind);
    if (value < allowed.min || value > allowed.max)
      return is_register(spec.kind) ? PredecodeTag::BadRegister : PredecodeTag::Illegal;
  }
  return PredecodeTag::Illegal;
}

uint64_t entry(PredecodeTag tag, uint32_t word) {
  return (uint64_t{static_cast<uint8_t>(tag)} << 32) | word;
}

}  // namespace

uint64_t program_entry(const Instruction& inst) {
  const InstrDef* def = inst.def ? find_instruction(static_cast<uint8_t>(inst.def->opcode)) : nullptr;
  if (def == nullptr) return entry(PredecodeTag::Illegal, 0);
  uint32_t word = static_cast<uint32_t>(def->opcode);
  for (const OperandSpec& spec : def->operands) {
    if (spec.field == Field::None || spec.kind == OperandKind::None) continue;
    const FieldBits bits = bits_of(spec.field);
    const int64_t value = field_value(inst, spec.field);
    if (!fits(spec.kind, bits, value)) return entry(first_fault(*def, inst), 0);
    const uint32_t mask = (bits.width == 32 ? ~0u : ((1u << bits.width) - 1u));
    word |= (static_cast<uint32_t>(value) & mask) << bits.shift;
  }
  return entry(PredecodeTag::None, word);
}

}  // namespace plena::rtl
