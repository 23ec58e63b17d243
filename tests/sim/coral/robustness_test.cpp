// Bad input never crashes: random instruction words and mutated ELF files end in a clean trap
// or a clean exception.
#include <gtest/gtest.h>

#include <random>

#include "harness.h"

namespace coral::test {
namespace {

using namespace enc;

TEST(CoralRobustness, RandomInstructionWordsTrapCleanly) {
  Harness h;
  h.options.max_instructions = 5000;
  h.options.max_cycles = 100000;
  std::mt19937 rng(12345);
  const uint32_t vector_opcodes[] = {0x57, 0x07, 0x27};
  for (int program = 0; program < 400; ++program) {
    Program p;
    p.li(s0, h.dtcm() + 64).li(s1, h.ext() + 64).li(a0, rng() % 40);
    p << vsetvli(t0, a0, vtype(8u << (rng() % 3), static_cast<int>(rng() % 4)));
    for (int i = 0; i < 48; ++i) {
      uint32_t word = static_cast<uint32_t>(rng());
      // Bias half the words towards the vector and float opcodes, with small register numbers.
      if (rng() % 2) word = (word & ~0x7Fu & ~(0x1Fu << 15)) | vector_opcodes[rng() % 3] | ((rng() % 2 ? s0 : s1) << 15);
      p << word;
    }
    p << ebreak();
    RunResult r;
    ASSERT_NO_THROW(r = h.run(p)) << "program " << program;
    if (r.trap) {
      EXPECT_FALSE(r.trap->message.empty());
      EXPECT_STRNE(trap_kind_name(r.trap->kind), "unknown");
    } else {
      EXPECT_TRUE(r.halted);
    }
  }
}

TEST(CoralRobustness, MutatedElfFilesFailCleanly) {
  const std::vector<uint8_t> good =
      build_elf(0, {{0, words_to_bytes({addi(a0, zero, 1), ebreak()}), 0, true}, {0x10000, {1, 2, 3, 4}, 64, false}});
  Harness h;
  h.options.max_instructions = 10000;
  std::mt19937 rng(7);
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<uint8_t> bytes = good;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) bytes[rng() % bytes.size()] = static_cast<uint8_t>(rng());
    try {
      const ElfImage image = parse_elf(bytes);
      h.machine.reset(h.options);
      h.machine.load(image);
      (void)h.machine.run(h.options);
    } catch (const ElfError&) {
    } catch (const LoadError&) {
    }
  }
}

}  // namespace
}  // namespace coral::test
