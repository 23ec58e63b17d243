// Locks and DMA: BD patterns, routes, lock-gated hand-offs, double buffering, queueing,
// runtime BD changes, draining after `done`, and deadlock detection.
#include "aie_test_util.h"

namespace {

using namespace aie_test;

std::vector<uint32_t> iota_words(std::size_t n, uint32_t first = 1) {
  std::vector<uint32_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = first + static_cast<uint32_t>(i);
  return v;
}

TEST(AieDma, CopyThroughMemoryTileWithTiming) {
  Outcome r = run_with(R"(
.bd 0 src=ddr:0x100 dst=mem:0x40 size=16
.bd 1 src=mem:0x40 dst=dm:0x200 size=16
    dma.start shim0, bd0
    dma.wait shim0
    dma.start tile0, bd1
    dma.wait tile0
    done
)", [](aie::MachineState& s) { put(s.ddr, 0x100, iota_words(16)); });
  ASSERT_TRUE(r.result.ok()) << trap_text(r.result);
  EXPECT_EQ(get<uint32_t>(r.state.dm, 0x200, 16), iota_words(16));
  EXPECT_EQ(r.result.dma_bytes, 128u);
  EXPECT_EQ(r.result.ddr_bytes_read, 64u);
  EXPECT_EQ(r.result.ddr_bytes_written, 0u);
  // Each BD: 8 setup cycles + 16 words at one word per cycle, started the cycle after issue.
  const uint64_t per_bd = small_config().bd_setup_cycles + 16;
  EXPECT_EQ(r.result.stalls.dma, 2 * per_bd);
  EXPECT_EQ(r.result.cycles, 5 + 2 * per_bd);
}

TEST(AieDma, ThreeDimensionalPatterns) {
  // Transpose a 4x4 matrix of words on the way in: the source walks columns.
  Outcome r = run_with(R"(
.bd 0 src=ddr:0 dst=mem:0 size=4,4 src_stride=4,1
.bd 1 src=mem:0 dst=dm:0 size=2,2,4 src_stride=1,8,2 dst_stride=1,2,4
    dma.start shim0, bd0
    dma.wait shim0
    dma.start tile0, bd1
    dma.wait tile0
    done
)", [](aie::MachineState& s) { put(s.ddr, 0, iota_words(16, 0)); });
  ASSERT_TRUE(r.result.ok()) << trap_text(r.result);
  const auto t = get<uint32_t>(r.state.memtile, 0, 16);
  for (uint32_t i = 0; i < 4; ++i)
    for (uint32_t j = 0; j < 4; ++j) EXPECT_EQ(t[i * 4 + j], j * 4 + i);
  // bd1 gathers 2x2 blocks: block (b) at words b*2 (+8 for the second row).
  const auto d = get<uint32_t>(r.state.dm, 0, 16);
  const std::vector<uint32_t> want = {t[0], t[1], t[8], t[9], t[2], t[3], t[10], t[11],
                                      t[4], t[5], t[12], t[13], t[6], t[7], t[14], t[15]};
  EXPECT_EQ(d, want);
}

TEST(AieLocks, CoreWaitsForTheDmaRelease) {
  Outcome r = run_with(R"(
.bd 0 src=ddr:0 dst=mem:0 size=8 rel=ml0:1
.bd 1 src=mem:0 dst=dm:0 size=8 acq=ml0:1 rel=l3:1
    dma.start tile0, bd1        // waits on ml0 until shim0 is done
    dma.start shim0, bd0
    acq l3, 1
    movi p0, 28
    ld r1, [p0]
    done
)", [](aie::MachineState& s) { put(s.ddr, 0, iota_words(8, 100)); });
  ASSERT_TRUE(r.result.ok()) << trap_text(r.result);
  EXPECT_GE(r.result.stalls.lock_wait, 2u * (8 + 8));  // two BDs: setup + 8 words each
  EXPECT_EQ(r.state.locks[3], 0u);
  EXPECT_EQ(r.state.locks[small_config().tile_locks + 0], 0u);
}

TEST(AieLocks, DoubleBufferedStreamKeepsOrder) {
  // Four 16-word chunks (chunk k holds k+1) flow memory tile -> ping/pong -> core.
  Outcome r = run_with(R"(
.lock l1, 2                   // empty buffers
.lock l2, 0                   // full buffers
.bd 0 src=mem:0   dst=dm:0x000 size=16 acq=l1:1 rel=l2:1 next=1
.bd 1 src=mem:64  dst=dm:0x100 size=16 acq=l1:1 rel=l2:1 next=2
.bd 2 src=mem:128 dst=dm:0x000 size=16 acq=l1:1 rel=l2:1 next=3
.bd 3 src=mem:192 dst=dm:0x100 size=16 acq=l1:1 rel=l2:1
    dma.start tile0, bd0
    movi r1, 0                // running sum of the last word of each chunk
    movi r2, 4
    movi r3, 0x000            // current buffer
    movi r4, 0x100            // ping xor pong
next:
    acq l2, 1
    mov p0, r3
    ld r5, [p0, 60]
    nop
    nop
    nop
    { add r1, r1, r5 }
    rel l1, 1
    xor r3, r3, r4
    sub r2, r2, 1
    xor r6, r1, r1
    jnz r2, next
    done
)", [](aie::MachineState& s) {
    for (uint32_t k = 0; k < 4; ++k) put(s.memtile, 64 * k, std::vector<uint32_t>(16, k + 1));
  });
  ASSERT_TRUE(r.result.ok()) << trap_text(r.result);
  EXPECT_EQ(r.state.r[1], 10u);
  EXPECT_EQ(r.state.locks[1], 2u);  // both buffers handed back
  EXPECT_EQ(r.state.locks[2], 0u);
}

TEST(AieDma, QueueFullStallsTheCore) {
  std::string src = ".bd 0 src=mem:0 dst=dm:0 size=4\n";
  for (int i = 0; i < 6; ++i) src += "dma.start tile1, bd0\n";
  src += "done\n";
  Outcome r = run(src);
  ASSERT_TRUE(r.result.ok()) << trap_text(r.result);
  EXPECT_GT(r.result.stalls.dma, 0u);
  EXPECT_GT(r.result.stalls.drain, 0u);  // done waited for the last copies
  EXPECT_EQ(r.result.dma_bytes, 6u * 16);
}

TEST(AieDma, BdSetChangesAnIdleBd) {
  Outcome r = run_with(R"(
.bd 2 src=mem:0 dst=dm:0 size=4
    movi r1, 0x80
    bd.set bd2, src_addr, r1
    bd.set bd2, dst_addr, 0x40
    bd.set bd2, size0, 2
    dma.start tile0, bd2
    dma.wait tile0
    done
)", [](aie::MachineState& s) { put(s.memtile, 0x80, iota_words(4, 7)); });
  ASSERT_TRUE(r.result.ok()) << trap_text(r.result);
  EXPECT_EQ(get<uint32_t>(r.state.dm, 0x40, 2), (std::vector<uint32_t>{7, 8}));
  EXPECT_EQ(r.state.bds[2].src_addr, 0x80u);
  EXPECT_EQ(r.result.dma_bytes, 8u);
}

TEST(AieDma, DoneDrainsOutstandingTraffic) {
  Outcome r = run_with(".bd 0 src=mem:0 dst=dm:0 size=32\n    dma.start tile0, bd0\n    done\n",
                       [](aie::MachineState& s) { put(s.memtile, 0, iota_words(32)); });
  ASSERT_TRUE(r.result.ok()) << trap_text(r.result);
  EXPECT_TRUE(r.result.stopped);
  EXPECT_EQ(get<uint32_t>(r.state.dm, 0, 32), iota_words(32));
  EXPECT_EQ(r.result.stalls.drain, small_config().bd_setup_cycles + 32 - 1);
}

TEST(AieDma, ParkedChannelsDoNotBlockDone) {
  // A BD waiting on a lock nobody will release is left parked when the kernel ends.
  Outcome r = run(".bd 0 src=mem:0 dst=dm:0 size=4 acq=l5:1\n    dma.start tile0, bd0\n    done\n");
  EXPECT_TRUE(r.result.ok()) << trap_text(r.result);
}

TEST(AieDeadlock, CoreWaitsOnALockNothingReleases) {
  Outcome r = run(".bd 0 src=mem:0 dst=dm:0 size=4 acq=l1:1 rel=l0:1\n"
                  "    dma.start tile0, bd0\n    acq l0, 1\n    done\n");
  ASSERT_TRUE(r.result.trap.has_value());
  EXPECT_EQ(r.result.trap->kind, aie::TrapKind::Deadlock);
  EXPECT_EQ(r.result.trap->pc, 1u);
  EXPECT_NE(r.result.trap->message.find("`acq` waits for l0 >= 1 (it is 0)"), std::string::npos)
      << r.result.trap->message;
  EXPECT_NE(r.result.trap->message.find("tile0 bd0 waits for l1 >= 1"), std::string::npos)
      << r.result.trap->message;
}

TEST(AieDeadlock, DmaWaitOnABlockedChannel) {
  Outcome r = run(".bd 0 src=mem:0 dst=dm:0 size=4 acq=ml2:1\n"
                  "    dma.start tile3, bd0\n    dma.wait tile3\n    done\n");
  ASSERT_TRUE(r.result.trap.has_value());
  EXPECT_EQ(r.result.trap->kind, aie::TrapKind::Deadlock);
  EXPECT_NE(r.result.trap->message.find("ml2"), std::string::npos);
}

TEST(AieLocks, ReleaseAboveTheMaximumTraps) {
  Outcome r = run("rel l0, 63\nrel l0, 1\ndone");
  ASSERT_TRUE(r.result.trap.has_value());
  EXPECT_EQ(r.result.trap->kind, aie::TrapKind::LockOverflow);
  EXPECT_EQ(r.result.trap->pc, 1u);
  Outcome b = run(".lock ml0, 63\n.bd 0 src=mem:0 dst=dm:0 size=1 rel=ml0:1\n"
                  "    dma.start tile0, bd0\n    dma.wait tile0\n    done\n");
  ASSERT_TRUE(b.result.trap.has_value());
  EXPECT_EQ(b.result.trap->kind, aie::TrapKind::LockOverflow);
}

}  // namespace
