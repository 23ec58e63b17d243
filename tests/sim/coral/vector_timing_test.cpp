#include <gtest/gtest.h>

#include "harness.h"

namespace coral::test {
namespace {

using namespace enc;

uint64_t cycles(Harness& h, const Program& p) {
  const RunResult r = h.run(p);
  EXPECT_TRUE(r.ok()) << (r.trap ? r.trap->message : "not halted");
  return r.cycles;
}

Program divides(int count, int scalar_adds) {
  Program p;
  p << vsetivli(zero, 4, vtype(32, 0));
  for (int i = 0; i < count; ++i) p << opv(0x20, MVV, static_cast<uint32_t>(1 + i % 4), 8, 16);  // vdivu
  for (int i = 0; i < scalar_adds; ++i) p << addi(static_cast<uint32_t>(10 + i % 6), a7, i);
  p << ebreak();
  return p;
}

TEST(CoralVectorTiming, ScalarWorkHidesUnderVectorWork) {
  Harness h;
  const uint64_t vector_only = cycles(h, divides(6, 0));
  const uint64_t with_scalar = cycles(h, divides(6, 80));
  const uint64_t scalar_only = cycles(h, divides(0, 80));
  EXPECT_GE(vector_only, 6u * 8u);                  // VDIV is not pipelined: 8 cycles per uop
  EXPECT_GE(scalar_only, 20u);
  EXPECT_LE(with_scalar, vector_only + 4);          // the adds run while the divides do
  EXPECT_LT(with_scalar, vector_only + scalar_only);
}

TEST(CoralVectorTiming, FullCommandQueueStallsDispatch) {
  Harness h;
  Program p = divides(20, 0);
  Program q;
  q << vsetivli(zero, 4, vtype(32, 0));
  for (int i = 0; i < 20; ++i) q << opv(0x20, MVV, static_cast<uint32_t>(1 + i % 4), 8, 16);
  q << csrr(a0, 0xB00) << ebreak();
  ASSERT_TRUE(h.run(q).ok());
  // The 20th command enters the 8-entry queue only after the 12th has started.
  EXPECT_GE(h.x(a0), 11u * 8u);
  const RunResult r = h.run(q);
  EXPECT_GT(r.units.at("vector_dispatch").stall, 0u);
  EXPECT_GE(r.units.at("vdiv").busy, 20u * 8u);
}

TEST(CoralVectorTiming, LmulScalesMicroOps) {
  Harness h;
  auto adds = [](int lmul_log2) {
    Program p;
    p << vsetivli(zero, 4, vtype(32, lmul_log2));
    for (int i = 0; i < 40; ++i) p << opv(0x00, IVV, 8, 16, 24);  // independent (vd never read)
    p << ebreak();
    return p;
  };
  const uint64_t m1 = cycles(h, adds(0));
  const uint64_t m8 = cycles(h, adds(3));
  EXPECT_NEAR(static_cast<double>(m1), 40, 10);       // ~1 per cycle (in-order start)
  EXPECT_NEAR(static_cast<double>(m8), 40 * 4, 12);   // 8 uops on 2 VALUs
}

TEST(CoralVectorTiming, ScalarReadOfVectorResultWaits) {
  Harness h;
  Program dependent;
  dependent << vsetivli(zero, 4, vtype(32, 0)) << opv(0x20, MVV, 1, 8, 16) << opv(0x10, MVV, a0, 1, 0)
            << addi(a1, a0, 1) << csrr(a2, 0xB00) << ebreak();
  ASSERT_TRUE(h.run(dependent).ok());
  EXPECT_GE(h.x(a2), 8u);  // vmv.x.s waited for the divide, addi for vmv.x.s
  Program independent;
  independent << vsetivli(zero, 4, vtype(32, 0)) << opv(0x20, MVV, 1, 8, 16) << addi(a1, a0, 1)
              << csrr(a2, 0xB00) << ebreak();
  ASSERT_TRUE(h.run(independent).ok());
  EXPECT_LE(h.x(a2), 3u);
}

TEST(CoralVectorTiming, ExtVectorLoadsPayLatency) {
  Harness h;
  auto loads = [](uint32_t base) {
    Program p;
    p.li(s0, base);
    p << vsetivli(zero, 16, vtype(32, 2));
    for (int i = 0; i < 4; ++i) p << vle(32, 4, s0) << opv(0x00, IVV, 8, 4, 4);  // dependent use
    p << ebreak();
    return p;
  };
  const uint64_t dtcm = cycles(h, loads(h.dtcm()));
  const uint64_t ext = cycles(h, loads(h.ext()));
  EXPECT_GT(ext, dtcm + 4u * 25u);
  const RunResult r = h.run(loads(h.ext()));
  EXPECT_EQ(r.mix.at("vector_load"), 4u);
  EXPECT_EQ(r.mix.at("vector_int"), 4u);
  EXPECT_EQ(r.units.at("vlsu").instructions, 4u);
}

TEST(CoralVectorTiming, RepeatRunsAreIdentical) {
  Harness h;
  Program p = divides(12, 30);
  const RunResult a = h.run(p), b = h.run(p);
  EXPECT_EQ(a.cycles, b.cycles);
  EXPECT_EQ(a.units.at("vdiv").busy, b.units.at("vdiv").busy);
}

}  // namespace
}  // namespace coral::test
