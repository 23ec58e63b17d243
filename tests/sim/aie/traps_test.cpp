// Every trap kind is reachable with a plain message, and the run limits hold.
#include <algorithm>
#include <map>
#include <random>

#include "aie_test_util.h"
#include "aie/program.h"

namespace {

using namespace aie_test;

struct Case {
  const char* source;
  aie::TrapKind kind;
  const char* fragment;  // must appear in the message
};

const Case kCases[] = {
    {"movi r1, 1\nmovi r2, 2\nmul r3, r1, r2\nmov r4, r3\ndone", aie::TrapKind::Hazard, "cycle(s) missing"},
    {"mov r1, r9\ndone", aie::TrapKind::UninitializedRegister, "r9 is read"},
    {"movi p0, 65532\nvld wl0, [p0, 32]\ndone", aie::TrapKind::AddressOutOfRange, "data memory has"},
    {"movi p0, 65536\nld r0, [p0]\ndone", aie::TrapKind::AddressOutOfRange, "data memory has"},
    {"movi p0, 2\nld r0, [p0]\ndone", aie::TrapKind::MisalignedAddress, "not a multiple of 4"},
    {"movi p0, 32\nvldx x0, [p0]\ndone", aie::TrapKind::MisalignedAddress, "not a multiple of 64"},
    {"movi p0, 0\nvldx x0, [p0]\nnop\nnop\nnop\nmmul.i16 cm0, x0, x0\nnop\nnop\nnop\nmmac.bf16 cm0, x0, x0\ndone",
     aie::TrapKind::AccumulatorMisuse, "holds acc64"},
    {"movi r1, 65\nmovi p0, 0\nvldx x0, [p0]\nnop\nnop\nnop\nvshift x1, x0, x0, r1\ndone",
     aie::TrapKind::BadOperandValue, "allowed 0..64"},
    {".bd 0 src=mem:0 dst=dm:0 size=1\nbd.set bd0, next, 99\ndone", aie::TrapKind::BadOperandValue, "out of range"},
    {"movi r1, 0\nloop r1, e\nnop\ne: done", aie::TrapKind::LoopStructure, "at least once"},
    {"rel l0, 40\nrel l0, 40\ndone", aie::TrapKind::LockOverflow, "above its maximum"},
    {"acq l0, 1\ndone", aie::TrapKind::Deadlock, "no DMA channel can make progress"},
    {".bd 0 src=ddr:0 dst=dm:0 size=1\ndma.start shim0, bd0\ndone", aie::TrapKind::DmaError, "only connects ddr and mem"},
    {"dma.start tile0, bd4\ndone", aie::TrapKind::DmaError, "no .bd directive"},
    {".bd 0 src=mem:0 dst=dm:0 size=64\ndma.start tile0, bd0\nbd.set bd0, size0, 4\ndone",
     aie::TrapKind::DmaError, "while a channel runs"},
    {".bd 0 src=mem:0 dst=ddr:0x100 size=4\ndma.start shim1, bd0\ndone", aie::TrapKind::WriteProtected,
     "outside the kernel's output ranges"},
    {".bd 0 src=mem:131072 dst=dm:0 size=1\ndma.start tile0, bd0\ndone", aie::TrapKind::AddressOutOfRange,
     "of mem, which has"},
    {".bd 0 src=mem:2 dst=dm:0 size=1\ndma.start tile0, bd0\ndone", aie::TrapKind::MisalignedAddress,
     "not a multiple of 4"},
    {"nop\nnop", aie::TrapKind::PcOutOfRange, "without `done`"},
    {"top: j top", aie::TrapKind::InstructionLimit, "bundles, the limit"},
};

TEST(AieTraps, EveryKindIsReachableFromSource) {
  std::map<aie::TrapKind, int> seen;
  aie::Limits limits;
  limits.ddr_writable = {{0x1000, 0x2000}};
  limits.max_bundles = 5000;
  for (const Case& c : kCases) {
    Outcome r = run(c.source, 1, limits);
    ASSERT_TRUE(r.result.trap.has_value()) << c.source;
    EXPECT_EQ(aie::trap_kind_name(r.result.trap->kind), std::string(aie::trap_kind_name(c.kind)))
        << c.source << "\n" << r.result.trap->message;
    EXPECT_NE(r.result.trap->message.find(c.fragment), std::string::npos)
        << c.source << "\n" << r.result.trap->message;
    ++seen[r.result.trap->kind];
  }
  // Kinds that need a hand-built program or a cycle limit are covered below.
  for (aie::TrapKind k : {aie::TrapKind::IllegalBundle, aie::TrapKind::CycleLimit}) seen[k] = 1;
  EXPECT_EQ(static_cast<int>(seen.size()), aie::kTrapKindCount);
}

TEST(AieTraps, MemoryTrapsNameTheMemoryAndAddress) {
  Outcome r = run("movi p0, 65536\nld r0, [p0]\ndone");
  ASSERT_TRUE(r.result.trap && r.result.trap->memory);
  EXPECT_EQ(*r.result.trap->memory, aie::MemoryKind::Dm);
  EXPECT_EQ(r.result.trap->address, 65536u);
  aie::Limits limits;
  limits.ddr_writable = {{0x1000, 0x2000}};
  Outcome w = run(".bd 0 src=mem:0 dst=ddr:0xFF8 size=4\ndma.start shim1, bd0\ndone", 1, limits);
  ASSERT_TRUE(w.result.trap && w.result.trap->memory);
  EXPECT_EQ(*w.result.trap->memory, aie::MemoryKind::Ddr);
  EXPECT_EQ(w.result.trap->address, 0xFF8u);
  EXPECT_EQ(get<uint32_t>(w.state.ddr, 0x1000, 1)[0],
            get<uint32_t>(aie::MachineState(small_config(), 1).ddr, 0x1000, 1)[0])
      << "nothing after the trap is written";
}

TEST(AieTraps, WritesInsideTheAllowedRangeSucceed) {
  aie::Limits limits;
  limits.ddr_writable = {{0x1000, 0x2000}};
  Outcome r = run(".bd 0 src=mem:0 dst=ddr:0x1FF0 size=4\ndma.start shim1, bd0\ndone", 1, limits);
  EXPECT_TRUE(r.result.ok()) << trap_text(r.result);
  EXPECT_EQ(r.result.ddr_bytes_written, 16u);
}

TEST(AieTraps, CycleLimit) {
  aie::Limits limits;
  limits.max_cycles = 100;
  Outcome r = run("movi r1, 1000\nloop r1, e\nnop\ne: done", 1, limits);
  ASSERT_TRUE(r.result.trap.has_value());
  EXPECT_EQ(r.result.trap->kind, aie::TrapKind::CycleLimit);
  EXPECT_LE(r.result.cycles, 100u);
  Outcome dma = run(".bd 0 src=mem:0 dst=dm:0 size=1000\ndma.start tile0, bd0\ndma.wait tile0\ndone", 1,
                    limits);
  EXPECT_EQ(dma.result.trap->kind, aie::TrapKind::CycleLimit);
}

TEST(AieTraps, InstructionLimitStopsInfiniteLoops) {
  aie::Limits limits;
  limits.max_bundles = 1000;
  Outcome r = run("top: nop\nj top", 1, limits);
  ASSERT_TRUE(r.result.trap.has_value());
  EXPECT_EQ(r.result.trap->kind, aie::TrapKind::InstructionLimit);
  EXPECT_EQ(r.result.bundles, 1000u);
}

aie::Instruction instr(const char* mnemonic) {
  aie::Instruction in;
  in.def = static_cast<uint16_t>(aie::find_instruction(mnemonic));
  return in;
}

TEST(AieTraps, HandBuiltIllegalProgramsAreRejected) {
  aie::MachineState st(small_config(), 1);
  // Three loads in one bundle.
  aie::Program p;
  aie::Bundle b;
  for (int i = 0; i < 3; ++i) {
    aie::Instruction ld = instr("ld");
    ld.ops[0].kind = aie::OperandKind::R;
    ld.ops[0].reg = i;
    ld.ops[1].kind = aie::OperandKind::Mem;
    ld.ops[1].reg = 0;
    b.instrs.push_back(ld);
  }
  p.bundles.push_back(b);
  aie::SimResult r = aie::simulate(p, st, small_config());
  ASSERT_TRUE(r.trap.has_value());
  EXPECT_EQ(r.trap->kind, aie::TrapKind::IllegalBundle);
  EXPECT_NE(r.trap->message.find("load-slot"), std::string::npos);
  // A register index out of range.
  aie::Program q;
  aie::Bundle c;
  aie::Instruction mov = instr("movi");
  mov.ops[0].kind = aie::OperandKind::ScalarReg;
  mov.ops[0].reg = 77;
  mov.ops[1].kind = aie::OperandKind::Imm;
  c.instrs.push_back(mov);
  q.bundles.push_back(c);
  r = aie::simulate(q, st, small_config());
  EXPECT_EQ(r.trap->kind, aie::TrapKind::IllegalBundle);
  // A bad instruction index, a wrong operand kind, a state built for another config.
  aie::Program s;
  aie::Bundle d;
  aie::Instruction junk;
  junk.def = 60000;
  d.instrs.push_back(junk);
  s.bundles.push_back(d);
  EXPECT_EQ(aie::simulate(s, st, small_config()).trap->kind, aie::TrapKind::IllegalBundle);
  aie::Program t;
  aie::Bundle e;
  aie::Instruction wrong = instr("add");
  e.instrs.push_back(wrong);  // operands of kind None
  t.bundles.push_back(e);
  EXPECT_EQ(aie::simulate(t, st, small_config()).trap->kind, aie::TrapKind::IllegalBundle);
  aie::MachineState other(aie::HardwareConfig::aie_ml(), 1);
  aie::Program ok = assemble_ok("done");
  EXPECT_EQ(aie::simulate(ok, other, small_config()).trap->kind, aie::TrapKind::IllegalBundle);
  // Too many bundles for program memory.
  aie::Program big;
  big.bundles.resize(small_config().max_bundles() + 1);
  EXPECT_EQ(aie::simulate(big, st, small_config()).trap->kind, aie::TrapKind::IllegalBundle);
}

TEST(AieTraps, RuntimeBranchOutOfALoopBodyTraps) {
  // The assembler refuses this, so build it by hand: bundle 0 `loop 3, 3`, bundle 1 `j 5`.
  aie::Program p = assemble_ok("loop 3, e\nnop\nnop\ne: nop\nnop\ndone");
  aie::Instruction j = instr("j");
  j.ops[0].kind = aie::OperandKind::Label;
  j.ops[0].imm = 5;
  p.bundles[1].instrs.push_back(j);
  aie::MachineState st(small_config(), 1);
  aie::SimResult r = aie::simulate(p, st, small_config());
  ASSERT_TRUE(r.trap.has_value());
  EXPECT_EQ(r.trap->kind, aie::TrapKind::LoopStructure);
  EXPECT_NE(r.trap->message.find("outside the running loop body"), std::string::npos);
}

}  // namespace

namespace {

// Text for a random operand of `kind` (always syntactically valid for the assembler).
std::string random_operand(const aie::InstrDef& def, aie::OperandKind kind, std::mt19937& rng) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  auto imm = [&] {
    const int64_t span = std::min<int64_t>(def.imm_max - def.imm_min, 1 << 16);
    int64_t v = def.imm_min + static_cast<int64_t>(rng() % static_cast<uint64_t>(span + 1));
    if (def.access_bytes) v -= v % def.access_bytes;
    return std::to_string(v);
  };
  switch (kind) {
    case aie::OperandKind::R: return "r" + std::to_string(pick(8));
    case aie::OperandKind::P: return "p" + std::to_string(pick(4));
    case aie::OperandKind::M: return "m" + std::to_string(pick(4));
    case aie::OperandKind::ScalarReg: return std::string(1, "rpm"[pick(3)]) + std::to_string(pick(4));
    case aie::OperandKind::X: return "x" + std::to_string(pick(6));
    case aie::OperandKind::W: return (pick(2) ? "wl" : "wh") + std::to_string(pick(6));
    case aie::OperandKind::Cm: return "cm" + std::to_string(pick(3));
    case aie::OperandKind::CoreLock: return "l" + std::to_string(pick(4));
    case aie::OperandKind::Bd: return "bd" + std::to_string(pick(4));
    case aie::OperandKind::Channel: return pick(2) ? "shim" + std::to_string(pick(2)) : "tile" + std::to_string(pick(4));
    case aie::OperandKind::Imm: return imm();
    case aie::OperandKind::ROrImm: return pick(2) ? "r" + std::to_string(pick(8)) : imm();
    case aie::OperandKind::MOrImm: return pick(2) ? "m" + std::to_string(pick(4)) : imm();
    case aie::OperandKind::Label: return "L" + std::to_string(pick(3));
    case aie::OperandKind::Mem: {
      const std::string p = "p" + std::to_string(pick(4));
      const int form = pick(3);
      if (form == 0) return "[" + p + "]";
      if (form == 1) return "[" + p + ", " + std::to_string(def.access_bytes * static_cast<uint32_t>(pick(4))) + "]";
      return "[" + p + "], m" + std::to_string(pick(4));
    }
    case aie::OperandKind::BdField: return std::string(aie::bd_field_name(static_cast<aie::BdField>(pick(14))));
    case aie::OperandKind::RoundMode: return pick(2) ? "rne" : "rna";
    default: return "0";
  }
}

TEST(AieRobustness, RandomValidProgramsNeverCrash) {
  std::mt19937 rng(2024);
  const auto& table = aie::instruction_table();
  aie::Limits limits;
  limits.max_cycles = 20000;
  limits.max_bundles = 5000;
  limits.ddr_writable = {{0, 4096}};
  int ran = 0, trapped = 0;
  for (int program = 0; program < 300; ++program) {
    std::string src =
        ".bd 0 src=ddr:0 dst=mem:0 size=8 rel=ml0:1\n.bd 1 src=mem:0 dst=dm:256 size=8,2 acq=ml0:1 next=2\n"
        ".bd 2 src=dm:0 dst=mem:64 size=4 rel=l1:1\n.bd 3 src=mem:0 dst=ddr:0 size=4\n"
        "movi p0, 0\nmovi p1, 64\nmovi p2, 128\nmovi p3, 192\nmovi m0, 32\nmovi m1, 64\nmovi r0, 3\n";
    const int bundles = 4 + static_cast<int>(rng() % 40);
    for (int b = 0; b < bundles; ++b) {
      if (b % 10 == 0) src += "L" + std::to_string(b / 10) + ":\n";
      const aie::InstrDef& def = table[rng() % table.size()];
      if (def.group == aie::ExecGroup::Loop) continue;  // keep loop structure legal
      std::string line = std::string("    ") + def.mnemonic;
      for (std::size_t i = 0; i < def.operand_count(); ++i)
        line += (i ? ", " : " ") + random_operand(def, def.operands[i].kind, rng);
      src += line + "\n";
    }
    for (int l = (bundles - 1) / 10 + 1; l < 3; ++l) src += "L" + std::to_string(l) + ":\n";
    src += "    done\n";
    const aie::AssemblyResult a = aie::assemble(src, small_config());
    if (!a.ok()) {
      continue;
    }
    aie::MachineState st(small_config(), static_cast<uint64_t>(program));
    const aie::SimResult r = aie::simulate(a.program, st, small_config(), limits);
    ++ran;
    trapped += r.trap ? 1 : 0;
    EXPECT_LE(r.cycles, limits.max_cycles + 1);
    if (r.trap) {
      EXPECT_FALSE(r.trap->message.empty());
    }
  }
  EXPECT_GT(ran, 100);
  EXPECT_GT(trapped, 0);
}

}  // namespace
