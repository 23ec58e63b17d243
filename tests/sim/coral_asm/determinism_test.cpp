// Same source -> same bytes, also when many threads assemble at once.
#include <gtest/gtest.h>

#include <thread>

#include "asm_test_util.h"

namespace coral::assembler::testing {
namespace {

const char* const kKernel =
    "  .globl _start\n"
    "_start:\n"
    "  la a0, input\n"
    "  la a1, output\n"
    "  li a2, 16\n"
    "  fmv.w.x fa0, zero\n"
    "loop:\n"
    "  vsetvli t0, a2, e32, m4, ta, ma\n"
    "  vle32.v v8, (a0)\n"
    "  vfmacc.vf v8, fa0, v16\n"
    "  vfredusum.vs v4, v8, v0\n"
    "  vse32.v v8, (a1)\n"
    "  sub a2, a2, t0\n"
    "  slli t1, t0, 2\n"
    "  add a0, a0, t1\n"
    "  add a1, a1, t1\n"
    "  bnez a2, loop\n"
    "  call finish\n"
    "  .section .text.tail, \"ax\"\n"
    "finish:\n"
    "  ebreak\n"
    "  .section .rodata\n"
    "input: .float 1.0, 2.0, 3.0, 4.0\n"
    "  .bss\n"
    "output: .space 64\n";

TEST(CoralDeterminism, SameSourceTwiceGivesIdenticalBytes) {
  const Assembly first = assemble_ok(kKernel);
  const Assembly second = assemble_ok(kKernel);
  EXPECT_EQ(first.elf, second.elf);
  ASSERT_EQ(first.listing.size(), second.listing.size());
  for (std::size_t i = 0; i < first.listing.size(); ++i) {
    EXPECT_EQ(first.listing[i].word, second.listing[i].word);
    EXPECT_EQ(first.listing[i].text, second.listing[i].text);
    EXPECT_EQ(first.listing[i].line, second.listing[i].line);
  }
}

TEST(CoralDeterminism, FourThreadsAssemblingAtOnceAgree) {
  const Assembly reference = assemble_ok(kKernel);
  ASSERT_FALSE(reference.elf.empty());
  constexpr int kThreads = 4;
  constexpr int kRounds = 5;
  std::vector<std::vector<std::vector<uint8_t>>> results(kThreads);
  std::vector<std::size_t> error_counts(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        // Interleave failing assemblies too: diagnostics must not leak between threads.
        const Assembly bad = assemble("  bogus_instruction\n", {});
        error_counts[t] += bad.error_count();
        results[t].push_back(assemble(kKernel, {}).elf);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(error_counts[t], static_cast<std::size_t>(kRounds));
    for (const auto& elf : results[t]) EXPECT_EQ(elf, reference.elf);
  }
}

}  // namespace
}  // namespace coral::assembler::testing
