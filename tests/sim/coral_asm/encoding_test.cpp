// Encodings produced through LLVM MC, cross-checked once against
// `llvm-mc-16 -triple=riscv32 -mattr=+m,+f,+zve32f,+zvl128b -show-encoding` and recorded here.
#include <gtest/gtest.h>

#include "asm_test_util.h"

namespace coral::assembler::testing {
namespace {

struct Expected {
  const char* source;
  uint32_t word;
  const char* listing;
};

const Expected kVectorKernel[] = {
    {"vsetvli t0, a0, e32, m4, ta, ma", 0x0d2572d7u, "vsetvli t0, a0, e32, m4, ta, ma"},
    {"vle32.v v8, (a1)", 0x0205e407u, "vle32.v v8, (a1)"},
    {"vfmacc.vf v8, fa0, v16", 0xb3055457u, "vfmacc.vf v8, fa0, v16"},
    {"vfredusum.vs v4, v8, v0", 0x06801257u, "vfredusum.vs v4, v8, v0"},
    {"vse32.v v8, (a2)", 0x02066427u, "vse32.v v8, (a2)"},
    {"vfadd.vv v8, v8, v12", 0x02861457u, "vfadd.vv v8, v8, v12"},
    {"vmv.v.x v4, zero", 0x5e004257u, "vmv.v.x v4, zero"},
    {"vfmv.f.s fa0, v4", 0x42401557u, "vfmv.f.s fa0, v4"},
};

const Expected kScalar[] = {
    {"mul a0, a1, a2", 0x02c58533u, "mul a0, a1, a2"},
    {"fmadd.s fa0, fa1, fa2, fa3", 0x68c5f543u, "fmadd.s fa0, fa1, fa2, fa3"},
    {"csrr a0, mcycle", 0xb0002573u, "csrr a0, mcycle"},
    {"fence.i", 0x0000100fu, "fence.i"},
    {"flw fa0, 4(a1)", 0x0045a507u, "flw fa0, 4(a1)"},
};

void check_program(const Expected* begin, const Expected* end) {
  std::string source;
  for (const Expected* item = begin; item != end; ++item) source += std::string("  ") + item->source + "\n";
  const Assembly assembly = assemble_ok(source);
  ASSERT_EQ(assembly.listing.size(), static_cast<std::size_t>(end - begin));
  for (std::size_t i = 0; i < assembly.listing.size(); ++i) {
    const Expected& item = begin[i];
    const ListingLine& line = assembly.listing[i];
    EXPECT_EQ(line.address, 4 * i) << item.source;
    EXPECT_EQ(line.word, item.word) << item.source;
    EXPECT_EQ(loaded_word(assembly.elf, line.address), item.word) << item.source;
    EXPECT_EQ(line.line, i + 1) << item.source;
  }
}

TEST(CoralEncoding, VectorKernelWordsMatchLlvmMc) {
  check_program(std::begin(kVectorKernel), std::end(kVectorKernel));
}

TEST(CoralEncoding, ScalarMFZicsrZifenceiWordsMatchLlvmMc) { check_program(std::begin(kScalar), std::end(kScalar)); }

TEST(CoralEncoding, ListingDisassemblesTheLinkedWords) {
  std::string source;
  for (const Expected& item : kVectorKernel) source += std::string(item.source) + "\n";
  const Assembly assembly = assemble_ok(source);
  ASSERT_EQ(assembly.listing.size(), std::size(kVectorKernel));
  for (std::size_t i = 0; i < std::size(kVectorKernel); ++i) EXPECT_EQ(assembly.listing[i].text, kVectorKernel[i].listing);
}

TEST(CoralEncoding, DataInTextIsListedAsWord) {
  const Assembly assembly = assemble_ok("  nop\n  .word 0xffffffff\n");
  ASSERT_EQ(assembly.listing.size(), 2u);
  EXPECT_EQ(assembly.listing[1].text, ".word 0xffffffff");
}

TEST(CoralEncoding, PseudoInstructionExpansionsShareTheirSourceLine) {
  const Assembly assembly = assemble_ok("  nop\n  li a0, 0x12345678\n  ebreak\n");
  ASSERT_EQ(assembly.listing.size(), 4u);
  EXPECT_EQ(assembly.listing[1].line, 2u);
  EXPECT_EQ(assembly.listing[2].line, 2u);
  EXPECT_EQ(assembly.listing[3].line, 3u);
  EXPECT_EQ(assembly.listing[1].text.rfind("lui a0", 0), 0u) << assembly.listing[1].text;
}

TEST(CoralEncoding, RepeatedLinesMapToTheRepeatLine) {
  const Assembly assembly = assemble_ok("  nop\n.rept 3\n  addi a0, a0, 1\n.endr\n  ebreak\n");
  ASSERT_EQ(assembly.listing.size(), 5u);
  for (std::size_t i = 1; i <= 3; ++i) {
    EXPECT_EQ(assembly.listing[i].word, 0x00150513u);
    EXPECT_NE(assembly.listing[i].line, 0u);
  }
  EXPECT_EQ(assembly.listing[4].line, 5u);
}

}  // namespace
}  // namespace coral::assembler::testing
