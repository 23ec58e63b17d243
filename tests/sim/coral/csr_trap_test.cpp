#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "coral/poison.h"
#include "coral/trap.h"
#include "harness.h"

namespace coral::test {
namespace {

using namespace enc;

TEST(CoralCsr, ReadWriteSetClearAndCounters) {
  Harness h;
  Program p;
  p.li(a0, 0xFF);
  p << csrrw(a1, 0x003, a0)   // fcsr = 0xFF: frm 7, fflags 0x1F
    << csrrc(a2, 0x001, a0)   // old fflags 0x1F; clear all
    << csrrsi(a3, 0x001, 5)   // old 0; set NX|OF
    << csrrci(a4, 0x001, 1)   // old 5; clear NX
    << csrr(a5, 0x003)        // frm 7, fflags 4
    << csrr(a6, 0xC22)        // vlenb
    << csrr(a7, 0xC02)        // instret: 8 instructions retired before it
    << csrr(t0, 0xB00)        // mcycle
    << csrr(t1, 0xC80)        // cycleh
    << csrr(t2, 0xC20) << csrr(t3, 0xC21)  // vl = 0, vtype = vill
    << ebreak();
  const RunResult r = h.run(p);
  ASSERT_TRUE(r.ok()) << r.trap->message;
  EXPECT_EQ(h.x(a1), 0u);
  EXPECT_EQ(h.x(a2), 0x1Fu);
  EXPECT_EQ(h.x(a3), 0u);
  EXPECT_EQ(h.x(a4), 5u);
  EXPECT_EQ(h.x(a5), (7u << 5) | 4u);
  EXPECT_EQ(h.x(a6), 16u);
  EXPECT_EQ(h.x(a7), 8u);
  EXPECT_GT(h.x(t0), 0u);
  EXPECT_LT(h.x(t0), r.cycles);
  EXPECT_EQ(h.x(t1), 0u);
  EXPECT_EQ(h.x(t2), 0u);
  EXPECT_EQ(h.x(t3), 0x80000000u);
}

TEST(CoralCsr, McycleMeasuresTheModelledCycles) {
  Harness h;
  Program p;
  p << csrr(a0, 0xB00) << div(t0, t1, t2) << addi(t1, t0, 1) << csrr(a1, 0xB00) << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  // The dependent addi waits for the 33-cycle divide; the second read comes after it.
  EXPECT_GE(h.x(a1) - h.x(a0), 33u);
}

RunResult run_one(Harness& h, const Program& p) { return h.run(p); }

TEST(CoralTrap, KindNamesAreStable) {
  EXPECT_STREQ(trap_kind_name(TrapKind::AddressOutOfRange), "address_out_of_range");
  EXPECT_STREQ(trap_kind_name(TrapKind::MisalignedAddress), "misaligned_address");
  EXPECT_STREQ(trap_kind_name(TrapKind::WriteProtected), "write_protected");
  EXPECT_STREQ(trap_kind_name(TrapKind::IllegalInstruction), "illegal_instruction");
  EXPECT_STREQ(trap_kind_name(TrapKind::InstructionLimit), "instruction_limit");
  EXPECT_STREQ(trap_kind_name(TrapKind::CycleLimit), "cycle_limit");
}

TEST(CoralTrap, UnknownCsrAndReadOnlyCsrAreIllegal) {
  Harness h;
  Program p;
  p << csrr(a0, 0x300) << ebreak();  // mstatus does not exist here
  RunResult r = run_one(h, p);
  ASSERT_TRUE(r.trap);
  EXPECT_EQ(r.trap->kind, TrapKind::IllegalInstruction);
  EXPECT_NE(r.trap->message.find("unknown CSR 0x00000300"), std::string::npos);
  EXPECT_NE(r.trap->message.find("csrrs"), std::string::npos);
  Program q;
  q << csrrw(zero, 0xC20, a0) << ebreak();
  r = run_one(h, q);
  ASSERT_TRUE(r.trap);
  EXPECT_NE(r.trap->message.find("read-only"), std::string::npos);
}

TEST(CoralTrap, AddressOutOfRange) {
  Harness h;
  Program p;
  p << addi(a0, zero, 5) << lui(t0, 0x40000) << lw(a1, t0, 0) << ebreak();
  const RunResult r = run_one(h, p);
  ASSERT_TRUE(r.trap);
  EXPECT_EQ(r.trap->kind, TrapKind::AddressOutOfRange);
  EXPECT_EQ(r.trap->pc, 8u);
  EXPECT_EQ(r.trap->address, 0x40000000u);
  EXPECT_NE(r.trap->message.find("outside the memory map"), std::string::npos);
  EXPECT_EQ(r.instructions, 2u);
  EXPECT_FALSE(r.halted);
  EXPECT_GT(r.cycles, 0u);
  EXPECT_EQ(h.x(a0), 5u);
}

TEST(CoralTrap, AccessStraddlingTheEndOfDtcm) {
  Harness h;
  Program p;
  p << lw(a1, sp, 0) << ebreak();  // sp = DTCM top: the word is just past the end
  const RunResult r = run_one(h, p);
  ASSERT_TRUE(r.trap);
  EXPECT_EQ(r.trap->kind, TrapKind::AddressOutOfRange);
}

TEST(CoralTrap, MisalignedScalarAccess) {
  Harness h;
  Program p;
  p.li(s0, h.dtcm() + 2);
  p << lw(a0, s0, 0) << ebreak();
  RunResult r = run_one(h, p);
  ASSERT_TRUE(r.trap);
  EXPECT_EQ(r.trap->kind, TrapKind::MisalignedAddress);
  EXPECT_EQ(r.trap->address, h.dtcm() + 2);
  Program q;
  q.li(s0, h.dtcm() + 1);
  q << sh(a0, s0, 0) << ebreak();
  r = run_one(h, q);
  ASSERT_TRUE(r.trap);
  EXPECT_EQ(r.trap->kind, TrapKind::MisalignedAddress);
}

TEST(CoralTrap, MisalignedJumpTarget) {
  Harness h;
  Program p;
  p << jal(zero, 6) << ebreak();
  const RunResult r = run_one(h, p);
  ASSERT_TRUE(r.trap);
  EXPECT_EQ(r.trap->kind, TrapKind::MisalignedAddress);
  EXPECT_EQ(r.trap->address, 6u);
}

TEST(CoralTrap, WriteProtectedItcmAndExtInputs) {
  Harness h;
  Program p;
  p << sw(a0, zero, 0) << ebreak();  // store to ITCM
  RunResult r = run_one(h, p);
  ASSERT_TRUE(r.trap);
  EXPECT_EQ(r.trap->kind, TrapKind::WriteProtected);
  EXPECT_NE(r.trap->message.find("ITCM"), std::string::npos);
  // EXT: [ext, ext+0x10000) is writable in the harness; beyond it is an input.
  Program q;
  q.li(s0, h.ext());
  q << sw(a0, s0, 0) << lui(t0, 0x20010) << lw(a1, t0, 0) << sw(a1, t0, 0) << ebreak();
  r = run_one(h, q);
  ASSERT_TRUE(r.trap);
  EXPECT_EQ(r.trap->kind, TrapKind::WriteProtected);
  EXPECT_EQ(r.trap->address, h.ext() + 0x10000);
  EXPECT_NE(r.trap->message.find("writable ranges"), std::string::npos);
}

TEST(CoralTrap, DataLoadsFromItcmAreAllowed) {
  Harness h;
  Program p;
  p << lw(a0, zero, 0) << ebreak();
  ASSERT_TRUE(run_one(h, p).ok());
  EXPECT_EQ(h.x(a0), lw(a0, zero, 0));
}

TEST(CoralTrap, IllegalInstructionsNameTheWordAndWhy) {
  Harness h;
  RunResult r = h.run(std::vector<uint32_t>{0xFFFFFFFFu});
  ASSERT_TRUE(r.trap);
  EXPECT_EQ(r.trap->kind, TrapKind::IllegalInstruction);
  EXPECT_NE(r.trap->message.find("0xffffffff"), std::string::npos);
  r = h.run(std::vector<uint32_t>{0x00000001u});  // 16-bit encoding
  ASSERT_TRUE(r.trap);
  EXPECT_NE(r.trap->message.find("C extension"), std::string::npos);
  r = h.run(std::vector<uint32_t>{0x02000053u});  // fadd.d
  ASSERT_TRUE(r.trap);
  EXPECT_NE(r.trap->message.find("D extension"), std::string::npos);
  r = h.run(std::vector<uint32_t>{enc::ecall()});
  ASSERT_TRUE(r.trap);
  EXPECT_NE(r.trap->message.find("use"), std::string::npos);
  EXPECT_NE(r.trap->message.find("ebreak"), std::string::npos);
}

TEST(CoralTrap, RunningPastTheCodeTraps) {
  Harness h;
  Program p;
  p << addi(a0, zero, 1);  // no ebreak
  RunResult r = h.run(p);
  ASSERT_TRUE(r.trap);
  EXPECT_EQ(r.trap->kind, TrapKind::AddressOutOfRange);
  EXPECT_EQ(r.trap->pc, 4u);
  EXPECT_NE(r.trap->message.find("missing ebreak"), std::string::npos);
  Program q;
  q.li(t0, h.dtcm());
  q << jalr(zero, t0, 0) << ebreak();  // jump into DTCM
  r = h.run(q);
  ASSERT_TRUE(r.trap);
  EXPECT_EQ(r.trap->kind, TrapKind::AddressOutOfRange);
  EXPECT_NE(r.trap->message.find("only from ITCM"), std::string::npos);
}

TEST(CoralTrap, InstructionAndCycleLimits) {
  Harness h;
  Program p;
  p << jal(zero, 0);  // spin forever
  h.options.max_instructions = 1000;
  RunResult r = h.run(p);
  ASSERT_TRUE(r.trap);
  EXPECT_EQ(r.trap->kind, TrapKind::InstructionLimit);
  EXPECT_EQ(r.instructions, 1000u);
  h.options.max_instructions = 1'000'000;
  h.options.max_cycles = 500;
  r = h.run(p);
  ASSERT_TRUE(r.trap);
  EXPECT_EQ(r.trap->kind, TrapKind::CycleLimit);
  EXPECT_GE(r.cycles, 500u);
  EXPECT_LT(r.instructions, 1000u);
}

TEST(CoralTrap, HarnessAccessOutsideMemoriesThrows) {
  Harness h;
  EXPECT_THROW(h.machine.write(0x40000000u, {1}), AccessError);
  EXPECT_THROW(h.machine.read(h.dtcm() + h.config.dtcm_bytes - 2, 4), AccessError);
  EXPECT_NO_THROW(h.machine.write(h.ext(), {1, 2, 3}));
  EXPECT_EQ(h.machine.read(h.ext(), 3), (std::vector<uint8_t>{1, 2, 3}));
}

TEST(CoralPoison, SameSeedSameBytesDifferentSeedsDiffer) {
  Harness h;
  auto snapshot = [&](std::optional<uint64_t> seed) {
    RunOptions options;
    options.poison_seed = seed;
    h.machine.reset(options);
    std::vector<uint8_t> dtcm = h.machine.read(h.dtcm(), 256);
    std::vector<uint8_t> ext = h.machine.read(h.ext() + 4096, 256);
    dtcm.insert(dtcm.end(), ext.begin(), ext.end());
    return dtcm;
  };
  const std::vector<uint8_t> a = snapshot(1), b = snapshot(1), c = snapshot(2), zero_fill = snapshot(std::nullopt);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(zero_fill, std::vector<uint8_t>(512, 0));
  // DTCM and EXT get different streams.
  EXPECT_NE(std::vector<uint8_t>(a.begin(), a.begin() + 256), std::vector<uint8_t>(a.begin() + 256, a.end()));
}

TEST(CoralPoison, EveryWordIsALargeFiniteFloatSoReadingItGivesWrongNumbersNotNaN) {
  std::vector<uint8_t> bytes(1 << 20);
  for (uint64_t seed : {0ull, 1ull, 20261121ull}) {
    poison_fill(bytes, seed, PoisonRegion::Ext);
    std::size_t out_of_range = 0, differs = 0, negative = 0;
    for (std::size_t i = 0; i + 4 <= bytes.size(); i += 4) {
      float value = 0;
      uint32_t word = 0;
      std::memcpy(&word, &bytes[i], 4);
      std::memcpy(&value, &bytes[i], 4);
      out_of_range += (std::fabs(value) >= 1024.0f && std::fabs(value) < 262144.0f) ? 0 : 1;
      negative += value < 0 ? 1 : 0;
      differs += word != poison_word(seed, PoisonRegion::Ext, i / 4) ? 1 : 0;
    }
    EXPECT_EQ(out_of_range, 0u) << "seed " << seed;
    EXPECT_GT(negative, bytes.size() / 4 / 3) << "both signs";
    EXPECT_EQ(differs, 0u) << "poison_fill and poison_word agree";
  }
}

TEST(CoralPoison, InputsAndElfDataOverwriteThePattern) {
  Harness h;
  h.options.poison_seed = 99;
  h.data = {1, 2, 3, 4};
  h.writes = {{h.ext(), {5, 6, 7, 8}}};
  Program p;
  p.li(s0, h.dtcm()).li(s1, h.ext());
  p << lw(a0, s0, 0) << lw(a1, s1, 0) << lw(a2, s0, 4) << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(h.x(a0), 0x04030201u);
  EXPECT_EQ(h.x(a1), 0x08070605u);
  EXPECT_EQ(h.x(a2), poison_word(99, PoisonRegion::Dtcm, 1));
}

}  // namespace
}  // namespace coral::test
