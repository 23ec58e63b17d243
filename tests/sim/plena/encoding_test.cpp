#include "plena/encoding.h"

#include <gtest/gtest.h>

#include "isa_test_util.h"

#include <random>
#include <string>

#include "plena/program.h"

namespace plena {
namespace {

// The word layout restated independently of encoding.cpp, so the tests check the code against
// the specification rather than against itself.
uint32_t field_mask(Field field) {
  switch (field) {
    case Field::Rd:
      return 0xFu << 6;
    case Field::Rs1:
      return 0xFu << 10;
    case Field::Rs2:
      return 0xFu << 14;
    case Field::Rs3:
      return 0xFu << 18;
    case Field::Funct1:
      return 0xFu << 22;
    case Field::Imm18:
      return 0x3FFFFu << 14;
    case Field::Imm22:
      return 0x3FFFFFu << 10;
    case Field::None:
      break;
  }
  return 0;
}

uint32_t used_mask(const InstrDef& def) {
  uint32_t mask = 0x3F;
  for (std::size_t i = 0; i < def.operand_count(); ++i) mask |= field_mask(def.operands[i].field);
  return mask;
}

// The largest value of each kind (registers at the top of their class).
int64_t extreme_value(OperandKind kind) {
  if (kind == OperandKind::ImmS18) return -(1 << 17);
  return immediate_range(kind).max;
}

Instruction build(const InstrDef& def, int64_t (*value_of)(OperandKind, std::size_t)) {
  Instruction inst;
  inst.def = &def;
  for (std::size_t i = 0; i < def.operand_count(); ++i)
    set_field_value(inst, def.operands[i].field, value_of(def.operands[i].kind, i));
  return inst;
}

Instruction make(Opcode opcode, std::initializer_list<int64_t> values) {
  Instruction inst;
  inst.def = find_instruction(static_cast<uint8_t>(opcode));
  std::size_t i = 0;
  for (int64_t value : values) set_field_value(inst, inst.def->operands[i++].field, value);
  return inst;
}

void expect_same_fields(const Instruction& a, const Instruction& b, const std::string& what) {
  EXPECT_EQ(a.def, b.def) << what;
  EXPECT_EQ(a.rd, b.rd) << what;
  EXPECT_EQ(a.rs1, b.rs1) << what;
  EXPECT_EQ(a.rs2, b.rs2) << what;
  EXPECT_EQ(a.rs3, b.rs3) << what;
  EXPECT_EQ(a.funct1, b.funct1) << what;
  EXPECT_EQ(a.imm, b.imm) << what;
}

Instruction decode_ok(uint32_t word) {
  Instruction inst;
  std::string error;
  EXPECT_TRUE(decode(word, inst, error)) << error;
  return inst;
}

std::string decode_error(uint32_t word) {
  Instruction inst;
  std::string error;
  EXPECT_FALSE(decode(word, inst, error)) << "word " << std::hex << word << " was accepted";
  return error;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(IsaTable, RowsAreConsistentWithTheEncoding) {
  for (const InstrDef& def : instruction_table()) {
    SCOPED_TRACE(def.mnemonic);
    EXPECT_EQ(find_instruction(static_cast<uint8_t>(def.opcode)), &def);
    EXPECT_EQ(find_instruction(def.mnemonic), &def);
    uint32_t seen = 0x3F;
    for (std::size_t i = 0; i < def.operand_count(); ++i) {
      const OperandSpec& spec = def.operands[i];
      const uint32_t mask = field_mask(spec.field);
      EXPECT_EQ(seen & mask, 0u) << "operand " << i + 1 << " overlaps another field";
      seen |= mask;
      // The assembler omits optional operands and they are not encoded: they must be trailing,
      // fieldless placeholders.
      if (spec.optional) {
        EXPECT_EQ(spec.kind, OperandKind::Zero);
        EXPECT_EQ(spec.field, Field::None);
        EXPECT_GE(i, def.required_operand_count());
      } else {
        EXPECT_NE(spec.field, Field::None);
      }
    }
  }
}

TEST(Encoding, EveryRowRoundTripsWithDistinctFieldValues) {
  for (const InstrDef& def : instruction_table()) {
    const Instruction inst = build(def, test::sample_value);
    const uint32_t word = encode(inst);
    EXPECT_EQ(word & 0x3Fu, static_cast<uint32_t>(def.opcode)) << def.mnemonic;
    EXPECT_EQ(word & ~used_mask(def), 0u) << def.mnemonic;
    expect_same_fields(decode_ok(word), inst, def.mnemonic);
  }
}

TEST(Encoding, EveryRowRoundTripsAtTheEdgesOfEachField) {
  for (const InstrDef& def : instruction_table()) {
    const Instruction inst =
        build(def, [](OperandKind kind, std::size_t) { return extreme_value(kind); });
    expect_same_fields(decode_ok(encode(inst)), inst, def.mnemonic);
  }
}

TEST(Encoding, HandComputedWords) {
  struct Case {
    Instruction inst;
    uint32_t word;
  };
  const Case cases[] = {
      // S_ADDI_INT gp1, gp0, 128: 0x22 | 1<<6 | 0<<10 | 128<<14 = 0x00200062
      {make(Opcode::S_ADDI_INT, {1, 0, 128}), 0x00200062},
      // S_ADDI_INT gp3, gp2, -1: 0x22 | 3<<6 (0xC0) | 2<<10 (0x800) | 0x3FFFF<<14 = 0xFFFFC8E2
      {make(Opcode::S_ADDI_INT, {3, 2, -1}), 0xFFFFC8E2},
      // M_MM 0, gp2, gp4: 0x01 | 2<<10 (0x800) | 4<<14 (0x10000) = 0x00010801
      {make(Opcode::M_MM, {0, 2, 4}), 0x00010801},
      // M_MM_WO gp5, 0, 64: 0x06 | 5<<6 (0x140) | 64<<14 (0x100000) = 0x00100146
      {make(Opcode::M_MM_WO, {5, 0, 64}), 0x00100146},
      // S_LUI_INT gp5, 0xFFFFF: 0x25 | 5<<6 (0x140) | 0xFFFFF<<10 (0x3FFFFC00) = 0x3FFFFD65
      {make(Opcode::S_LUI_INT, {5, 0xFFFFF}), 0x3FFFFD65},
      // C_LOOP_START gp4, 3: 0x2F | 4<<6 (0x100) | 3<<10 (0xC00) = 0x00000D2F
      {make(Opcode::C_LOOP_START, {4, 3}), 0x00000D2F},
      // H_PREFETCH_V gp3, gp2, a1, 1, 0: 0x29 | 3<<6 (0xC0) | 2<<10 (0x800) | 1<<14 (0x4000)
      //   | 1<<18 (0x40000) | 0<<22 = 0x000448E9
      {make(Opcode::H_PREFETCH_V, {3, 2, 1, 1, 0}), 0x000448E9},
      // V_SUB_VF gp1, gp2, f3, 1, 1: 0x10 | 1<<6 (0x40) | 2<<10 (0x800) | 3<<14 (0xC000)
      //   | 1<<18 (0x40000) | 1<<22 (0x400000) = 0x0044C850
      {make(Opcode::V_SUB_VF, {1, 2, 3, 1, 1}), 0x0044C850},
      // C_SET_ADDR_REG a2, gp1, gp3: 0x2B | 2<<6 (0x80) | 1<<10 (0x400) | 3<<14 (0xC000) =
      // 0x0000C4AB
      {make(Opcode::C_SET_ADDR_REG, {2, 1, 3}), 0x0000C4AB},
      // C_BREAK: the opcode alone = 0x00000034
      {make(Opcode::C_BREAK, {}), 0x00000034},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(encode(c.inst), c.word) << c.inst.def->mnemonic;
    expect_same_fields(decode_ok(c.word), c.inst, c.inst.def->mnemonic);
  }
}

TEST(Encoding, SignedImmediateIsSignExtended) {
  // S_ADDI_INT gp1, gp0 with only the imm18 sign bit set: 0x22 | 1<<6 | 1<<31.
  EXPECT_EQ(decode_ok(0x80000062).imm, -(1 << 17));
  EXPECT_EQ(decode_ok(0x7FFFC062).imm, (1 << 17) - 1);
}

TEST(Encoding, ImmediateRanges) {
  EXPECT_EQ(immediate_range(OperandKind::ImmU18).min, 0);
  EXPECT_EQ(immediate_range(OperandKind::ImmU18).max, 262143);
  EXPECT_EQ(immediate_range(OperandKind::ImmS18).min, -131072);
  EXPECT_EQ(immediate_range(OperandKind::ImmS18).max, 131071);
  EXPECT_EQ(immediate_range(OperandKind::ImmU20).max, 1048575);
  EXPECT_EQ(immediate_range(OperandKind::ImmU22).max, 4194303);
  EXPECT_EQ(immediate_range(OperandKind::Flag).max, 1);
}

TEST(Decoder, RejectsUnknownOpcodes) {
  std::vector<uint32_t> unknown = {0x00, 0x31, 0x33};
  for (uint32_t opcode = 0x37; opcode <= 0x3F; ++opcode) unknown.push_back(opcode);
  for (uint32_t opcode : unknown) {
    const std::string error = decode_error(opcode);
    EXPECT_TRUE(contains(error, "unknown opcode")) << error;
    EXPECT_EQ(error.rfind("word 0x000000", 0), 0u) << error;
  }
  EXPECT_EQ(decode_error(0x31), "word 0x00000031: unknown opcode 0x31");
}

TEST(Decoder, RejectsEveryStrayBitOfEveryInstruction) {
  for (const InstrDef& def : instruction_table()) {
    const uint32_t word = encode(build(def, test::sample_value));
    for (unsigned bit = 6; bit < 32; ++bit) {
      if (used_mask(def) & (1u << bit)) continue;
      const std::string error = decode_error(word | (1u << bit));
      EXPECT_TRUE(contains(error, "outside the fields " + std::string(def.mnemonic) + " uses"))
          << error;
    }
  }
}

TEST(Decoder, RejectsNonzeroPlaceholdersFlagsAboveOneAndWideLuiImmediates) {
  // M_MM with rd = 1: 0x01 | 1<<6.
  EXPECT_TRUE(contains(decode_error(0x00000041), "placeholder")) << decode_error(0x41);
  // M_MM_WO gp1 with rs1 = 2: 0x06 | 1<<6 | 2<<10.
  EXPECT_TRUE(contains(decode_error(0x00000846), "placeholder"));
  // V_ADD_VV gp1, gp2, gp3 with rmask (rs3) = 2: 0x0D | 1<<6 | 2<<10 | 3<<14 | 2<<18.
  const std::string flag = decode_error(0x0D | 1 << 6 | 2 << 10 | 3 << 14 | 2 << 18);
  EXPECT_TRUE(contains(flag, "rmask")) << flag;
  EXPECT_TRUE(contains(flag, "0 or 1")) << flag;
  // H_STORE_V precision (funct1) = 3.
  EXPECT_TRUE(contains(decode_error(0x2A | 3u << 22), "precision"));
  // S_LUI_INT gp1 with imm22 = 2^20: 0x25 | 1<<6 | 1<<30.
  EXPECT_TRUE(contains(decode_error(0x40000065), "2^20"));
}

TEST(Decoder, AcceptsFpAndAddrIndicesAboveSevenForTheSimulatorToTrap) {
  // V_ADD_VF gp1, gp2, f9: 0x0E | 1<<6 | 2<<10 | 9<<14.
  EXPECT_EQ(decode_ok(0x0E | 1 << 6 | 2 << 10 | 9 << 14).rs2, 9);
  // H_PREFETCH_V gp1, gp2, a12: 0x29 | 1<<6 | 2<<10 | 12<<14.
  EXPECT_EQ(decode_ok(0x29 | 1 << 6 | 2 << 10 | 12 << 14).rs2, 12);
}

void expect_round_trip_or_reject(uint32_t word, std::size_t& accepted) {
  Instruction inst;
  std::string error;
  if (!decode(word, inst, error)) {
    EXPECT_EQ(error.rfind("word 0x", 0), 0u) << error;
    return;
  }
  ++accepted;
  EXPECT_EQ(encode(inst), word) << std::hex << word;
}

TEST(Decoder, RandomWordsAreRejectedOrRoundTrip) {
  std::mt19937 random(20260115);
  std::size_t accepted = 0;
  for (int i = 0; i < 200000; ++i) expect_round_trip_or_reject(random(), accepted);
  EXPECT_GT(accepted, 0u);
}

TEST(Decoder, RandomWordsWithValidOpcodesAreRejectedOrRoundTrip) {
  // Uniform words almost never have zero stray bits; these keep the operand bits only.
  std::mt19937 random(7);
  const auto& table = instruction_table();
  std::size_t accepted = 0;
  for (int i = 0; i < 200000; ++i) {
    const InstrDef& def = table[random() % table.size()];
    const uint32_t word = (random() & used_mask(def) & ~0x3Fu) | static_cast<uint32_t>(def.opcode);
    expect_round_trip_or_reject(word, accepted);
  }
  EXPECT_GT(accepted, 100000u);
}

// ---------------------------------------------------------------------------------------------
// .mem text.

Program program_of(std::initializer_list<uint32_t> words) {
  Program program;
  for (uint32_t word : words) {
    program.instructions.push_back(decode_ok(word));
    program.words.push_back(word);
  }
  return program;
}

TEST(MemText, RoundTrip) {
  const Program original = program_of({0x00200062, 0xFFFFC8E2, 0x000448E9, 0x00000034});
  const std::string text = to_mem_text(original);
  EXPECT_EQ(text, "00200062\nffffc8e2\n000448e9\n00000034\n");
  Program back;
  std::string error;
  ASSERT_TRUE(from_mem_text(text, back, error)) << error;
  EXPECT_EQ(back.words, original.words);
  ASSERT_EQ(back.size(), original.size());
  for (std::size_t i = 0; i < back.size(); ++i) {
    expect_same_fields(back.instructions[i], original.instructions[i], std::to_string(i));
    EXPECT_EQ(back.instructions[i].source_line, 0u);
  }
}

TEST(MemText, AcceptsCommentsBlankLinesPrefixAndCrLf) {
  Program program;
  std::string error;
  ASSERT_TRUE(from_mem_text("# header\n\n0x00200062 ; S_ADDI_INT\r\n  0XFFFFC8E2\n\t\n00000034",
                            program, error))
      << error;
  EXPECT_EQ(program.words, (std::vector<uint32_t>{0x00200062, 0xFFFFC8E2, 0x34}));
  EXPECT_EQ(program.instructions.size(), 3u);
}

std::string mem_error(const std::string& text) {
  Program program;
  std::string error;
  EXPECT_FALSE(from_mem_text(text, program, error));
  return error;
}

TEST(MemText, ErrorsNameTheLine) {
  EXPECT_EQ(mem_error("00200062\n# c\n0020006\n"),
            "line 3: expected one 8-digit hex word (optional 0x prefix), found '0020006'");
  EXPECT_EQ(mem_error("00200062 00000034\n").rfind("line 1: expected one 8-digit", 0), 0u);
  EXPECT_EQ(mem_error("\n0000zz62\n").rfind("line 2: ", 0), 0u);
  EXPECT_EQ(mem_error("00200062\n00000000\n"), "line 2: word 0x00000000: unknown opcode 0x00");
  EXPECT_TRUE(contains(mem_error("\n\n\n00000041"), "line 4: word 0x00000041:"));
}

TEST(MemText, FailureLeavesTheProgramUntouched) {
  Program program = program_of({0x34});
  std::string error;
  EXPECT_FALSE(from_mem_text("00000034\nnope\n", program, error));
  EXPECT_EQ(program.words, (std::vector<uint32_t>{0x34}));
}

}  // namespace
}  // namespace plena
