// Scalar ALU, moves, loads/stores and addressing, data-memory banks, the exposed pipeline
// (hazard traps), zero-overhead loops, branches and cycle accounting.
#include "aie_test_util.h"

namespace {

using namespace aie_test;

TEST(AieScalar, AluResults) {
  Outcome r = run(R"(
    movi r1, 7
    movi r2, -3
    add r3, r1, r2
    sub r4, r1, r2
    and r5, r1, 6
    or r6, r1, 8
    xor r7, r1, r2
    shl r8, r1, 33          // amount & 31 = 1
    shr r9, r2, 28
    sra r10, r2, 1
    mul r11, r1, r2
    lt r12, r2, r1
    ltu r13, r2, r1
    eq r14, r1, 7
    ne r15, r1, 7
    done
)");
  ASSERT_TRUE(r.result.ok()) << trap_text(r.result);
  const auto& x = r.state.r;
  EXPECT_EQ(x[3], 4u);
  EXPECT_EQ(x[4], 10u);
  EXPECT_EQ(x[5], 6u);
  EXPECT_EQ(x[6], 15u);
  EXPECT_EQ(x[7], static_cast<uint32_t>(7 ^ -3));
  EXPECT_EQ(x[8], 14u);
  EXPECT_EQ(x[9], 0xFu);
  EXPECT_EQ(x[10], static_cast<uint32_t>(-2));
  EXPECT_EQ(x[11], static_cast<uint32_t>(-21));
  EXPECT_EQ(x[12], 1u);
  EXPECT_EQ(x[13], 0u);
  EXPECT_EQ(x[14], 1u);
  EXPECT_EQ(x[15], 0u);
  EXPECT_EQ(r.result.cycles, 16u);  // one bundle per cycle, no stalls
  EXPECT_EQ(r.result.instruction_mix.at("movi"), 2u);
  EXPECT_EQ(r.result.slot_use[static_cast<int>(aie::Slot::Scalar)], 14u);  // 13 ALU + done
}

TEST(AieScalar, MovesBetweenRegisterFiles) {
  Outcome r = run("movi p3, 0x1234\nmov m2, p3\nmov r9, m2\nmovi r1, 0xFFFFFFFF\ndone");
  ASSERT_TRUE(r.result.ok()) << trap_text(r.result);
  EXPECT_EQ(r.state.m[2], 0x1234u);
  EXPECT_EQ(r.state.r[9], 0x1234u);
  EXPECT_EQ(r.state.r[1], 0xFFFFFFFFu);
}

TEST(AieScalar, BundleSlotsReadBeforeAnyWrite) {
  // A swap in one bundle: both moves read the old values.
  Outcome r = run("movi r1, 1\nmovi r2, 2\n{ mov r1, r2 ; add r2, r1, 0 }\ndone");
  ASSERT_TRUE(r.result.ok()) << trap_text(r.result);
  EXPECT_EQ(r.state.r[1], 2u);
  EXPECT_EQ(r.state.r[2], 1u);
}

TEST(AieHazard, MultiplyResultReadTooEarly) {
  Outcome r = run("movi r1, 3\nmovi r2, 4\nmul r3, r1, r2\nadd r4, r3, 1\ndone");
  ASSERT_TRUE(r.result.trap.has_value());
  EXPECT_EQ(r.result.trap->kind, aie::TrapKind::Hazard);
  EXPECT_EQ(r.result.trap->pc, 3u);
  EXPECT_EQ(r.result.trap->source_line, 4u);
  EXPECT_NE(r.result.trap->message.find("`mul` in bundle 2 (line 3)"), std::string::npos)
      << r.result.trap->message;
  EXPECT_NE(r.result.trap->message.find("bundle 3 (line 4)"), std::string::npos);
  EXPECT_NE(r.result.trap->message.find("1 cycle(s) missing"), std::string::npos);
  // One bundle later is fine.
  Outcome ok = run("movi r1, 3\nmovi r2, 4\nmul r3, r1, r2\nnop\nadd r4, r3, 1\ndone");
  ASSERT_TRUE(ok.result.ok()) << trap_text(ok.result);
  EXPECT_EQ(ok.state.r[4], 13u);
}

TEST(AieHazard, LoadResultNamesCyclesMissing) {
  Outcome r = run("movi p0, 0\nld r1, [p0]\nnop\nadd r2, r1, 1\ndone");
  ASSERT_TRUE(r.result.trap.has_value());
  EXPECT_EQ(r.result.trap->kind, aie::TrapKind::Hazard);
  EXPECT_NE(r.result.trap->message.find("2 cycle(s) missing"), std::string::npos)
      << r.result.trap->message;
  Outcome ok = run_with("movi p0, 0\nld r1, [p0]\nnop\nnop\nnop\nadd r2, r1, 1\ndone",
                        [](aie::MachineState& s) { put<uint32_t>(s.dm, 0, {41}); });
  ASSERT_TRUE(ok.result.ok()) << trap_text(ok.result);
  EXPECT_EQ(ok.state.r[2], 42u);
}

TEST(AieHazard, VectorAndAccumulatorResults) {
  Outcome r = run_with("movi p0, 0\nvldx x0, [p0]\nnop\nnop\nnop\nvadd.i16 x1, x0, x0\n"
                       "vst wl1, [p0]\ndone",
                       [](aie::MachineState&) {});
  ASSERT_TRUE(r.result.trap.has_value());
  EXPECT_EQ(r.result.trap->kind, aie::TrapKind::Hazard);
  EXPECT_NE(r.result.trap->message.find("wl1"), std::string::npos) << r.result.trap->message;
}

TEST(AieHazard, SlowWriteOverwritingAFastOneTraps) {
  Outcome r = run("movi p0, 0\nld r1, [p0]\nmovi r1, 5\ndone");
  ASSERT_TRUE(r.result.trap.has_value());
  EXPECT_EQ(r.result.trap->kind, aie::TrapKind::Hazard);
  EXPECT_NE(r.result.trap->message.find("still writing"), std::string::npos);
}

TEST(AieHazard, UninitialisedRegistersTrap) {
  Outcome r = run("add r1, r2, 1\ndone");
  ASSERT_TRUE(r.result.trap.has_value());
  EXPECT_EQ(r.result.trap->kind, aie::TrapKind::UninitializedRegister);
  EXPECT_NE(r.result.trap->message.find("r2"), std::string::npos);
  Outcome p = run("ld r0, [p3]\ndone");
  EXPECT_EQ(p.result.trap->kind, aie::TrapKind::UninitializedRegister);
  EXPECT_NE(p.result.trap->message.find("p3"), std::string::npos);
  Outcome v = run("movi p0, 0\nvld wl0, [p0]\nnop\nnop\nnop\nvmov x1, x0\ndone");
  EXPECT_EQ(v.result.trap->kind, aie::TrapKind::UninitializedRegister);
  EXPECT_NE(v.result.trap->message.find("wh0"), std::string::npos);
  Outcome a = run("vsrs.bf16 x0, cm3\ndone");
  EXPECT_EQ(a.result.trap->kind, aie::TrapKind::UninitializedRegister);
}

TEST(AieLoadStore, WidthsSignsAndModes) {
  Outcome r = run_with(R"(
    movi p0, 16
    movi p1, 16
    movi m1, 6
    ld r1, [p0]
    ld.s16 r2, [p0, 2]
    ld.u16 r3, [p0, 2]
    ld.s8 r4, [p0, 3]
    ld.u8 r5, [p0, 3]
    ld.u8 r6, [p1], m1
    ld.u8 r7, [p1], 1
    ld.u8 r8, [p1]
    movi p2, 64
    movi r9, 0x11223344
    st r9, [p2], 4
    st.16 r9, [p2], 2
    st.8 r9, [p2, 2]
    done
)", [](aie::MachineState& s) {
    put<uint8_t>(s.dm, 16, {0x01, 0x02, 0x80, 0xF0, 0x05, 0x06, 0x07, 0x08});
  });
  ASSERT_TRUE(r.result.ok()) << trap_text(r.result);
  EXPECT_EQ(r.state.r[1], 0xF0800201u);
  EXPECT_EQ(r.state.r[2], 0xFFFFF080u);
  EXPECT_EQ(r.state.r[3], 0xF080u);
  EXPECT_EQ(r.state.r[4], 0xFFFFFFF0u);
  EXPECT_EQ(r.state.r[5], 0xF0u);
  EXPECT_EQ(r.state.r[6], 0x01u);  // post-modify: address 16, then p1 = 22
  EXPECT_EQ(r.state.r[7], 0x07u);  // address 22, then p1 = 23
  EXPECT_EQ(r.state.r[8], 0x08u);
  EXPECT_EQ(r.state.p[1], 23u);
  EXPECT_EQ(get<uint32_t>(r.state.dm, 64, 1)[0], 0x11223344u);
  EXPECT_EQ(get<uint16_t>(r.state.dm, 68, 1)[0], 0x3344u);
  EXPECT_EQ(r.state.dm[72], 0x44u);  // offset form leaves p2 at 70
  EXPECT_EQ(r.state.p[2], 70u);
}

TEST(AieLoadStore, VectorLoadsAndStores) {
  std::vector<uint8_t> bytes(64);
  for (int i = 0; i < 64; ++i) bytes[i] = static_cast<uint8_t>(i + 1);
  Outcome r = run_with(R"(
    movi p0, 128
    movi p1, 512
    vldx x2, [p0]
    vld wl3, [p0, 32]
    vld wh3, [p0, -64]       // bytes 64..95 of memory are poison; we overwrite below
    nop
    nop
    nop
    vst wh2, [p1], 32
    vst wl2, [p1], 32
    vst wl3, [p1], 32
    padd p1, -96
    nop
    vst wh3, [p1, 96]
    done
)", [&](aie::MachineState& s) { put(s.dm, 128, bytes); });
  ASSERT_TRUE(r.result.ok()) << trap_text(r.result);
  const auto out = get<uint8_t>(r.state.dm, 512, 128);
  for (int i = 0; i < 32; ++i) {
    EXPECT_EQ(out[i], bytes[32 + i]);       // wh2
    EXPECT_EQ(out[32 + i], bytes[i]);       // wl2
    EXPECT_EQ(out[64 + i], bytes[32 + i]);  // wl3 = bytes 160..191
    EXPECT_EQ(out[96 + i], r.state.dm[64 + i]);  // wh3 = memory 64..95
  }
  EXPECT_EQ(r.state.p[1], 512u);
  EXPECT_EQ(r.result.slot_use[static_cast<int>(aie::Slot::Load)], 2u + 1 + 1 + 1);
}

// Bank stall of one bundle of loads/stores at the given addresses.
uint64_t bank_stall(uint32_t a, uint32_t b, uint32_t c, const std::string& bundle) {
  const std::string src = "movi p0, " + std::to_string(a) + "\nmovi p1, " + std::to_string(b) +
                          "\nmovi p2, " + std::to_string(c) +
                          "\nmovi r0, 0\nnop\nvbcst.i8 x5, r0\nnop\n" + bundle + "\ndone";
  Outcome r = run(src);
  EXPECT_TRUE(r.result.ok()) << trap_text(r.result);
  EXPECT_EQ(r.result.cycles, 9 + r.result.stalls.bank_conflict);
  return r.result.stalls.bank_conflict;
}

TEST(AieBanks, ConflictStallCounts) {
  // Banks are 16 bytes wide, 8 of them: address a is in bank (a / 16) % 8.
  const std::string two = "{ vld wl0, [p0] ; vld wl1, [p1] }";
  EXPECT_EQ(bank_stall(0, 32, 0, two), 0u);    // banks 0-1 and 2-3
  EXPECT_EQ(bank_stall(0, 128, 0, two), 1u);   // both on banks 0-1
  EXPECT_EQ(bank_stall(0, 16, 0, "{ vld wl0, [p0] ; ld r1, [p1] }"), 1u);  // bank 1 twice
  EXPECT_EQ(bank_stall(0, 0, 0, two), 1u);     // the same address is no exception
  const std::string three = "{ ld r1, [p0] ; ld r2, [p1] ; st r0, [p2] }";
  EXPECT_EQ(bank_stall(0, 128, 256, three), 2u);  // three accesses on bank 0
  EXPECT_EQ(bank_stall(0, 16, 32, three), 0u);
  const std::string wide = "{ vldx x0, [p0] ; vst wl5, [p1] }";
  EXPECT_EQ(bank_stall(0, 64, 0, wide), 0u);   // banks 0-3 and 4-5
  EXPECT_EQ(bank_stall(0, 160, 0, wide), 1u);  // banks 0-3 and 2-3
}

TEST(AieLoops, ZeroOverheadLoopRunsBodyCountTimes) {
  Outcome r = run(R"(
    movi r1, 0
    movi r2, 5
    loop r2, end
    add r1, r1, 3
    add r1, r1, 1
end:
    done
)");
  ASSERT_TRUE(r.result.ok()) << trap_text(r.result);
  EXPECT_EQ(r.state.r[1], 20u);
  EXPECT_EQ(r.result.bundles, 3u + 10 + 1);
  EXPECT_EQ(r.result.cycles, 14u);  // no cycles spent jumping back
  EXPECT_EQ(r.result.stalls.branch, 0u);
}

TEST(AieLoops, ImmediateCountAndOuterBranchLoop) {
  Outcome r = run(R"(
    movi r1, 0
    movi r3, 3
outer:
    loop 4, inner_end
    add r1, r1, 1
inner_end:
    sub r3, r3, 1
    jnz r3, outer
    done
)");
  ASSERT_TRUE(r.result.ok()) << trap_text(r.result);
  EXPECT_EQ(r.state.r[1], 12u);
  EXPECT_EQ(r.result.stalls.branch, 2u * small_config().branch_penalty);
  EXPECT_EQ(r.result.cycles, r.result.bundles + r.result.stalls.branch);
}

TEST(AieLoops, NestedLoopsWhenThePresetAllowsThem) {
  aie::HardwareConfig deep = small_config();
  deep.max_loop_depth = 2;
  Outcome r = run("movi r1, 0\nloop 3, a\nloop 4, b\nadd r1, r1, 1\nb: nop\na: done", 1, {}, deep);
  ASSERT_TRUE(r.result.ok()) << trap_text(r.result);
  EXPECT_EQ(r.state.r[1], 12u);
}

TEST(AieBranch, TakenAndNotTaken) {
  Outcome r = run(R"(
    movi r0, 0
    movi r1, 1
    jz r1, skip        // not taken: no penalty
    movi r5, 10
    jnz r1, skip2      // taken
    movi r5, 99
skip2:
    jz r0, skip        // taken
    movi r5, 98
skip:
    done
)");
  ASSERT_TRUE(r.result.ok()) << trap_text(r.result);
  EXPECT_EQ(r.state.r[5], 10u);
  EXPECT_EQ(r.result.stalls.branch, 2u * small_config().branch_penalty);
}

}  // namespace
