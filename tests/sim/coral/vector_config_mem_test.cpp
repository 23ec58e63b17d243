#include <gtest/gtest.h>

#include "harness.h"

namespace coral::test {
namespace {

using namespace enc;

TEST(CoralVsetvl, AvlRulesAndVlmax) {
  Harness h;
  Program p;
  p.li(a0, 3).li(a1, 1000);
  p << vsetvli(s0, a0, vtype(32, 0))         // AVL 3 < VLMAX 4
    << vsetvli(s1, a1, vtype(32, 0))         // AVL 1000 -> VLMAX 4
    << vsetvli(t0, zero, vtype(8, 3))        // rs1 = x0, rd != x0: VLMAX = 128
    << vsetvli(zero, zero, vtype(16, 3))     // keep vl (128 > VLMAX 64: clamped)
    << csrr(t1, 0xC20)
    << vsetivli(t2, 31, vtype(16, -1))       // e16 mf2: VLMAX 4 (e32 mf2 is illegal: SEW > LMUL * ELEN)
    << vsetivli(t3, 5, vtype(16, 2))         // e16 m4: VLMAX 32
    << csrr(t4, 0xC21);
  p.li(a2, vtype(8, -2)).li(a3, 100);
  p << vsetvl(t5, a3, a2)                     // e8 mf4: VLMAX 4
    << ebreak();
  const RunResult r = h.run(p);
  ASSERT_TRUE(r.ok()) << r.trap->message;
  EXPECT_EQ(h.x(s0), 3u);
  EXPECT_EQ(h.x(s1), 4u);
  EXPECT_EQ(h.x(t0), 128u);
  EXPECT_EQ(h.x(t1), 64u);
  EXPECT_EQ(h.x(t2), 4u);
  EXPECT_EQ(h.x(t3), 5u);
  EXPECT_EQ(h.x(t4), vtype(16, 2));
  EXPECT_EQ(h.x(t5), 4u);
  EXPECT_EQ(r.mix.at("vector_config"), 7u);
}

TEST(CoralVsetvl, UnsupportedVtypeSetsVillAndLaterVectorOpsTrap) {
  const uint32_t illegal_types[] = {
      vtype(64, 0),          // SEW 64 > ELEN 32
      vtype(8, -3),          // LMUL 1/8 needs SEW 4
      vtype(16, -2),         // LMUL 1/4 allows only SEW 8
      vtype(32, -1),         // LMUL 1/2 allows SEW 8 and 16
      (4u << 0),             // reserved vlmul 4
      vtype(8, 0) | 0x100u,  // reserved bit
  };
  for (uint32_t type : illegal_types) {
    Harness h;
    Program p;
    p.li(a0, 4).li(a1, type);
    p << vsetvl(t0, a0, a1) << csrr(t1, 0xC21) << csrr(t2, 0xC20)
      << opv(0x00, IVV, 1, 2, 3) << ebreak();
    const RunResult r = h.run(p);
    ASSERT_TRUE(r.trap) << std::hex << type;
    EXPECT_EQ(r.trap->kind, TrapKind::IllegalInstruction);
    EXPECT_NE(r.trap->message.find("vill"), std::string::npos) << r.trap->message;
    EXPECT_EQ(h.x(t0), 0u);
    EXPECT_EQ(h.x(t1), 0x80000000u);
    EXPECT_EQ(h.x(t2), 0u);
  }
}

TEST(CoralVectorMemory, UnitStrideTailIsUndisturbed) {
  Harness h;
  h.data = bytes_of(std::vector<uint32_t>{1, 2, 3, 4, 5, 6, 7, 8});
  Program p;
  p.li(s0, h.dtcm());
  p << vsetivli(zero, 4, vtype(32, 0)) << vle(32, 1, s0)  // v1 = 1 2 3 4
    << addi(s1, s0, 16) << vsetivli(zero, 2, vtype(32, 0)) << vle(32, 1, s1)  // v1 = 5 6 3 4
    << addi(s1, s0, 32) << vsetivli(zero, 3, vtype(32, 0)) << vse(32, 1, s1)  // mem[8..10]
    << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(h.velem<uint32_t>(1, 0), 5u);
  EXPECT_EQ(h.velem<uint32_t>(1, 1), 6u);
  EXPECT_EQ(h.velem<uint32_t>(1, 2), 3u);
  EXPECT_EQ(h.velem<uint32_t>(1, 3), 4u);
  EXPECT_EQ(h.word_at(h.dtcm() + 32), 5u);
  EXPECT_EQ(h.word_at(h.dtcm() + 40), 3u);
  EXPECT_EQ(h.word_at(h.dtcm() + 44), 0u);
}

// vmv.v.i vd, imm (funct6 0x17, vm = 1, vs2 = 0).
uint32_t vmv_v_i(uint32_t vd, int32_t imm) { return opv(0x17, IVI, vd, 0, static_cast<uint32_t>(imm)); }

TEST(CoralVectorMemory, MaskedLoadKeepsInactiveElements) {
  Harness h;
  h.data = bytes_of(std::vector<uint16_t>{10, 11, 12, 13, 14, 15, 16, 17, 0b10100101, 0});
  Program p;
  p.li(s0, h.dtcm());
  p << addi(s1, s0, 16) << vsetivli(zero, 8, vtype(16, 0)) << vlm(0, s1)
    << vmv_v_i(2, 9) << vle(16, 2, s0, false) << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  const uint16_t expected[8] = {10, 9, 12, 9, 9, 15, 9, 17};
  for (unsigned i = 0; i < 8; ++i) EXPECT_EQ(h.velem<uint16_t>(2, i), expected[i]) << i;
}

TEST(CoralVectorMemory, StridedLoadsAndStoresIncludingNegativeStride) {
  Harness h;
  std::vector<uint32_t> words(16);
  for (uint32_t i = 0; i < 16; ++i) words[i] = 100 + i;
  h.data = bytes_of(words);
  Program p;
  p.li(s0, h.dtcm()).li(a0, 8).li(a1, static_cast<uint32_t>(-4));
  p << vsetivli(zero, 4, vtype(32, 0)) << vlse(32, 1, s0, a0)  // 100 102 104 106
    << addi(s1, s0, 60) << vlse(32, 2, s1, a1)                   // 115 114 113 112
    << addi(s1, s0, 64) << vsse(32, 1, s1, a0)                   // mem[16,18,20,22]
    << ebreak();
  h.data.resize(128, 0);
  ASSERT_TRUE(h.run(p).ok());
  for (unsigned i = 0; i < 4; ++i) {
    EXPECT_EQ(h.velem<uint32_t>(1, i), 100 + 2 * i);
    EXPECT_EQ(h.velem<uint32_t>(2, i), 115 - i);
    EXPECT_EQ(h.word_at(h.dtcm() + 64 + 8 * i), 100 + 2 * i);
    EXPECT_EQ(h.word_at(h.dtcm() + 68 + 8 * i), 0u);
  }
}

TEST(CoralVectorMemory, LmulGroupsWholeRegisterAndMaskMoves) {
  Harness h;
  std::vector<uint32_t> words(40);
  for (uint32_t i = 0; i < 40; ++i) words[i] = i * 3;
  words[30] = 0xAABBCCDDu;
  h.data = bytes_of(words);
  Program p;
  p.li(s0, h.dtcm());
  p << vsetivli(t0, 16, vtype(32, 2)) << vle(32, 4, s0)  // v4..v7: 16 elements
    << vlr(2, 32, 8, s0)                                   // v8..v9 = first 8 words
    << addi(s1, s0, 128) << vsr(4, 4, s1)                  // store v4..v7 at word 32
    << vsetivli(zero, 12, vtype(8, 0)) << addi(s1, s0, 4) << vlm(12, s1)  // bytes 03 00
    << addi(s1, s0, 120) << vsm(12, s1)
    << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(h.x(t0), 16u);
  EXPECT_EQ(h.velem<uint32_t>(4, 15), 45u);
  EXPECT_EQ(h.velem<uint32_t>(8, 7), 21u);
  EXPECT_EQ(h.word_at(h.dtcm() + 128 + 60), 45u);
  // vsm stores ceil(12/8) = 2 bytes: the word keeps its upper half.
  EXPECT_EQ(h.word_at(h.dtcm() + 120), 0xAABB0003u);
}

TEST(CoralVectorMemory, MisalignedRegisterGroupIsIllegal) {
  Harness h;
  Program p;
  p.li(s0, h.dtcm());
  p << vsetivli(zero, 8, vtype(32, 1)) << vle(32, 3, s0) << ebreak();
  const RunResult r = h.run(p);
  ASSERT_TRUE(r.trap);
  EXPECT_EQ(r.trap->kind, TrapKind::IllegalInstruction);
  EXPECT_NE(r.trap->message.find("v3 is not a valid 2-register group"), std::string::npos) << r.trap->message;
  EXPECT_NE(r.trap->message.find("vle32.v"), std::string::npos);
}

TEST(CoralVectorMemory, BoundsAlignmentAndWriteProtection) {
  Harness h;
  // Crossing the end of DTCM.
  Program p;
  p.li(s0, h.dtcm() + h.config.dtcm_bytes - 8);
  p << vsetivli(zero, 4, vtype(32, 0)) << vle(32, 1, s0) << ebreak();
  RunResult r = h.run(p);
  ASSERT_TRUE(r.trap);
  EXPECT_EQ(r.trap->kind, TrapKind::AddressOutOfRange);
  // Misaligned element address.
  Program q;
  q.li(s0, h.dtcm() + 2);
  q << vsetivli(zero, 4, vtype(32, 0)) << vle(32, 1, s0) << ebreak();
  r = h.run(q);
  ASSERT_TRUE(r.trap);
  EXPECT_EQ(r.trap->kind, TrapKind::MisalignedAddress);
  // Strided store into a read-only EXT input: nothing is written before the trap.
  Program w;
  w.li(s0, h.ext() + 0x10000 - 8).li(a0, 4);
  w << vsetivli(zero, 4, vtype(32, 0)) << vmv_v_i(1, 7) << vsse(32, 1, s0, a0) << ebreak();
  r = h.run(w);
  ASSERT_TRUE(r.trap);
  EXPECT_EQ(r.trap->kind, TrapKind::WriteProtected);
  EXPECT_EQ(r.trap->address, h.ext() + 0x10000);
  EXPECT_EQ(h.word_at(h.ext() + 0x10000 - 8), 0u);
  // A masked-off element outside memory does not fault.
  Program m;
  m.li(s0, h.dtcm() + h.config.dtcm_bytes - 8);
  m << vsetivli(zero, 4, vtype(32, 0)) << vmv_v_i(0, 3) << vle(32, 1, s0, false) << ebreak();
  r = h.run(m);
  EXPECT_TRUE(r.ok()) << r.trap->message;
}

}  // namespace
}  // namespace coral::test
