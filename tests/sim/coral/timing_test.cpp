#include <gtest/gtest.h>

#include "harness.h"

namespace coral::test {
namespace {

using namespace enc;

uint64_t cycles_of(const Program& p, Harness& h) {
  const RunResult r = h.run(p);
  EXPECT_TRUE(r.ok()) << (r.trap ? r.trap->message : "not halted");
  return r.cycles;
}

Program chain(uint32_t (*op)(uint32_t, uint32_t, uint32_t), int n, bool dependent) {
  Program p;
  for (int i = 0; i < n; ++i) {
    const uint32_t rd = dependent ? a0 : 10 + static_cast<uint32_t>(i % 6);
    p << op(rd, dependent ? a0 : a7, a6);  // a6/a7 are never written
  }
  p << ebreak();
  return p;
}

TEST(CoralTiming, DependentChainsPayLatencyIndependentOnesDispatchFourWide) {
  Harness h;
  const uint64_t alu_dep = cycles_of(chain(add, 200, true), h);
  const uint64_t alu_ind = cycles_of(chain(add, 200, false), h);
  const uint64_t mul_dep = cycles_of(chain(mul, 200, true), h);
  const uint64_t mul_ind = cycles_of(chain(mul, 200, false), h);
  EXPECT_NEAR(static_cast<double>(alu_dep), 200, 5);      // ALU latency 1
  EXPECT_NEAR(static_cast<double>(alu_ind), 50, 5);       // 4 per cycle
  EXPECT_NEAR(static_cast<double>(mul_dep), 400, 8);      // MUL latency 2
  EXPECT_NEAR(static_cast<double>(mul_ind), 200, 5);      // one MUL unit, pipelined
}

TEST(CoralTiming, DivideIsNotPipelined) {
  Harness h;
  const uint64_t cycles = cycles_of(chain(div, 10, false), h);
  EXPECT_GE(cycles, 10u * 33u);
}

TEST(CoralTiming, ExtLoadsCostLatencyPlusBeats) {
  Harness h;
  auto loads = [&](uint32_t base) {
    Program p;
    p.li(s0, base);
    for (int i = 0; i < 10; ++i) p << lw(a0, s0, 0) << add(s0, s0, a0);  // each load feeds the next address
    p << ebreak();
    return p;
  };
  const uint64_t dtcm = cycles_of(loads(h.dtcm()), h);
  const uint64_t ext = cycles_of(loads(h.ext()), h);
  EXPECT_LT(dtcm, 40u);
  EXPECT_GE(ext, 10u * 31u);
  EXPECT_GT(ext, dtcm + 250u);
}

TEST(CoralTiming, ForwardTakenBranchesPayTheMispredictPenalty) {
  Harness h;
  auto branches = [](bool taken) {
    Program p;
    p << addi(a0, zero, taken ? 0 : 1);
    for (int i = 0; i < 50; ++i) p << beq(a0, zero, 8) << addi(a1, a1, 1);
    p << ebreak();
    return p;
  };
  const uint64_t not_taken = cycles_of(branches(false), h);
  const uint64_t taken = cycles_of(branches(true), h);
  EXPECT_GE(taken, not_taken + 50u * 2u);
}

TEST(CoralTiming, RepeatedRunsGiveIdenticalCyclesAndCounters) {
  Harness h;
  Program p;
  p.li(s0, h.ext());
  for (int i = 0; i < 20; ++i) p << lw(a0, s0, 4 * i) << mul(a1, a0, a0) << div(a2, a1, a0) << add(a3, a3, a2);
  p << ebreak();
  const RunResult first = h.run(p);
  const RunResult second = h.run(p);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first.cycles, second.cycles);
  EXPECT_EQ(first.instructions, second.instructions);
  ASSERT_EQ(first.units.size(), second.units.size());
  for (const auto& [name, counters] : first.units) {
    EXPECT_EQ(counters.busy, second.units.at(name).busy) << name;
    EXPECT_EQ(counters.stall, second.units.at(name).stall) << name;
  }
  EXPECT_EQ(first.mix.at("load"), 20u);
  EXPECT_EQ(first.mix.at("mul_div"), 40u);
  EXPECT_EQ(first.mix.at("scalar_alu"), 22u);
  EXPECT_EQ(first.mix.at("csr_system"), 1u);
  EXPECT_EQ(first.units.at("div").instructions, 20u);
  EXPECT_GE(first.units.at("div").busy, 20u * 33u);
}

}  // namespace
}  // namespace coral::test
