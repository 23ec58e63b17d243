#include "plena/encoding.h"

#include <cstdio>

namespace plena {
namespace {

// Where each Field lives in the 32-bit word. Indexed by the Field enumerator.
struct BitRange {
  unsigned shift;
  unsigned width;
  uint32_t mask() const { return width == 0 ? 0u : ((1u << width) - 1u) << shift; }
};

constexpr BitRange kFieldBits[] = {
    {0, 0},    // None
    {6, 4},    // Rd
    {10, 4},   // Rs1
    {14, 4},   // Rs2
    {18, 4},   // Rs3
    {22, 4},   // Funct1
    {14, 18},  // Imm18
    {10, 22},  // Imm22
};
constexpr BitRange kOpcodeBits{0, 6};

BitRange bits_of(Field field) { return kFieldBits[static_cast<std::size_t>(field)]; }

// Instruction member each register-like field is stored in; immediates go to `imm`.
uint8_t Instruction::*register_member(Field field) {
  static constexpr uint8_t Instruction::*kMembers[] = {
      nullptr,           &Instruction::rd,     &Instruction::rs1, &Instruction::rs2,
      &Instruction::rs3, &Instruction::funct1, nullptr,           nullptr};
  return kMembers[static_cast<std::size_t>(field)];
}

bool is_immediate_field(Field field) { return field == Field::Imm18 || field == Field::Imm22; }

uint32_t extract(uint32_t word, BitRange range) { return (word & range.mask()) >> range.shift; }

// Two's complement value of the low `width` bits.
int64_t sign_extend(uint32_t raw, unsigned width) {
  const uint32_t sign_bit = 1u << (width - 1);
  return static_cast<int64_t>(raw ^ sign_bit) - static_cast<int64_t>(sign_bit);
}

std::string word_error(uint32_t word, const std::string& reason) {
  char prefix[32];
  std::snprintf(prefix, sizeof prefix, "word 0x%08x: ", word);
  return prefix + reason;
}

std::string hex(uint32_t value, int min_digits = 1) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%0*x", min_digits, value);
  return text;
}

// Bits the opcode plus every encoded operand of `def` may occupy.
uint32_t used_bits(const InstrDef& def) {
  uint32_t used = kOpcodeBits.mask();
  for (std::size_t i = 0; i < def.operand_count(); ++i)
    used |= bits_of(def.operands[i].field).mask();
  return used;
}

const char* field_name(Field field) {
  static constexpr const char* kNames[] = {"none", "rd",     "rs1",   "rs2",
                                           "rs3",  "funct1", "imm18", "imm22"};
  return kNames[static_cast<std::size_t>(field)];
}

// Checks one operand's raw field value against what its kind may hold. Register indices of
// f- and a-registers >= 8 are deliberately accepted: they are encodable in the 4-bit field,
// and the simulator reports them as a `bad_register` trap with the instruction index, which
// is more useful to a kernel author than a load-time decode failure.
std::string operand_problem(const InstrDef& def, std::size_t index, uint32_t raw) {
  const OperandSpec& spec = def.operands[index];
  const std::string what = std::string("operand ") + std::to_string(index + 1) + " (" + spec.role +
                           ") of " + def.mnemonic;
  const std::string found =
      " but the " + std::string(field_name(spec.field)) + " field is " + std::to_string(raw);
  if (spec.kind == OperandKind::Zero && raw != 0) return what + " is a placeholder" + found;
  if (spec.kind == OperandKind::Flag && raw > 1) return what + " must be 0 or 1" + found;
  if (spec.kind == OperandKind::ImmU20 && raw >= (1u << 20))
    return what + " must be below 2^20" + found;
  return "";
}

}  // namespace

int64_t field_value(const Instruction& inst, Field field) {
  if (is_immediate_field(field)) return inst.imm;
  uint8_t Instruction::*member = register_member(field);
  return member ? inst.*member : 0;
}

void set_field_value(Instruction& inst, Field field, int64_t value) {
  if (is_immediate_field(field)) {
    inst.imm = value;
    return;
  }
  if (uint8_t Instruction::*member = register_member(field))
    inst.*member = static_cast<uint8_t>(value);
}

// Values are masked to their field width; the assembler and decoder only ever produce in-range
// values. Placeholder operands always encode as zero because they carry no information.
uint32_t encode(const Instruction& inst) {
  uint32_t word = static_cast<uint32_t>(inst.def->opcode);
  for (std::size_t i = 0; i < inst.def->operand_count(); ++i) {
    const OperandSpec& spec = inst.def->operands[i];
    if (spec.field == Field::None || spec.kind == OperandKind::Zero) continue;
    const BitRange range = bits_of(spec.field);
    const uint32_t raw = static_cast<uint32_t>(field_value(inst, spec.field));
    word |= (raw << range.shift) & range.mask();
  }
  return word;
}

bool decode(uint32_t word, Instruction& out, std::string& error) {
  const uint32_t opcode = extract(word, kOpcodeBits);
  const InstrDef* def = find_instruction(static_cast<uint8_t>(opcode));
  if (!def) {
    error = word_error(word, "unknown opcode " + hex(opcode, 2));
    return false;
  }
  const uint32_t stray = word & ~used_bits(*def);
  if (stray != 0) {
    error = word_error(
        word, "bits " + hex(stray) + " are set outside the fields " + def->mnemonic + " uses");
    return false;
  }
  Instruction inst;
  inst.def = def;
  for (std::size_t i = 0; i < def->operand_count(); ++i) {
    const OperandSpec& spec = def->operands[i];
    if (spec.field == Field::None) continue;
    const BitRange range = bits_of(spec.field);
    const uint32_t raw = extract(word, range);
    const std::string problem = operand_problem(*def, i, raw);
    if (!problem.empty()) {
      error = word_error(word, problem);
      return false;
    }
    const bool is_signed = spec.kind == OperandKind::ImmS18;
    set_field_value(inst, spec.field, is_signed ? sign_extend(raw, range.width) : raw);
  }
  out = inst;
  return true;
}

// For immediates this is the assembler's accepted range. Other kinds return the values their
// field may hold (register indices, 0..1 for flags, 0 for placeholders) so callers can treat
// every operand uniformly.
ImmRange immediate_range(OperandKind kind) {
  switch (kind) {
    case OperandKind::ImmU18:
      return {0, (1 << 18) - 1};
    case OperandKind::ImmS18:
      return {-(1 << 17), (1 << 17) - 1};
    case OperandKind::ImmU20:
      return {0, (1 << 20) - 1};
    case OperandKind::ImmU22:
      return {0, (1 << 22) - 1};
    case OperandKind::Gp:
    case OperandKind::GpOrZero:
      return {0, kGpRegs - 1};
    case OperandKind::Fp:
      return {0, kFpRegs - 1};
    case OperandKind::Addr:
      return {0, kAddrRegs - 1};
    case OperandKind::Flag:
      return {0, 1};
    case OperandKind::Zero:
    case OperandKind::None:
      break;
  }
  return {0, 0};
}

}  // namespace plena
