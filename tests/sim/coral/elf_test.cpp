#include <gtest/gtest.h>

#include "coral/elf.h"
#include "harness.h"

namespace coral::test {
namespace {

std::vector<uint8_t> good_elf() {
  return build_elf(0, {{0, words_to_bytes({enc::addi(a0, zero, 1), enc::ebreak()}), 0, true},
                       {0x10000, {1, 2, 3, 4}, 16, false}});
}

std::string error_of(const std::vector<uint8_t>& bytes) {
  try {
    parse_elf(bytes);
  } catch (const ElfError& e) {
    return e.what();
  }
  return "";
}

TEST(CoralElf, ParsesSegmentsAndEntry) {
  const ElfImage image = parse_elf(good_elf());
  EXPECT_EQ(image.entry, 0u);
  ASSERT_EQ(image.segments.size(), 2u);
  EXPECT_TRUE(image.segments[0].executable);
  EXPECT_EQ(image.segments[0].data.size(), 8u);
  EXPECT_FALSE(image.segments[1].executable);
  EXPECT_EQ(image.segments[1].mem_size, 16u);
  EXPECT_EQ(image.segments[1].data, (std::vector<uint8_t>{1, 2, 3, 4}));
}

TEST(CoralElf, RejectsMalformedHeaders) {
  auto patched = [](std::size_t at, uint8_t value) {
    std::vector<uint8_t> bytes = good_elf();
    bytes[at] = value;
    return bytes;
  };
  EXPECT_NE(error_of(patched(0, 0)).find("magic"), std::string::npos);
  EXPECT_NE(error_of(patched(4, 2)).find("EI_CLASS"), std::string::npos);
  EXPECT_NE(error_of(patched(5, 2)).find("little-endian"), std::string::npos);
  EXPECT_NE(error_of(patched(16, 3)).find("ET_EXEC"), std::string::npos);
  EXPECT_NE(error_of(patched(18, 62)).find("EM_RISCV"), std::string::npos);
  EXPECT_NE(error_of(patched(42, 40)).find("e_phentsize"), std::string::npos);
  EXPECT_NE(error_of(patched(44, 0)).find("e_phnum"), std::string::npos);
  EXPECT_NE(error_of(patched(44, 200)).find("program header table"), std::string::npos);
  // Segment 1's p_filesz (offset 52 + 32 + 16) larger than p_memsz.
  EXPECT_NE(error_of(patched(52 + 32 + 16, 200)).find("exceeds p_memsz"), std::string::npos);
  // Segment 0's p_offset beyond the file.
  EXPECT_NE(error_of(patched(52 + 4, 0xF0)).find("past the end"), std::string::npos);
  // p_type not PT_LOAD for both: nothing to load.
  std::vector<uint8_t> no_load = good_elf();
  no_load[52] = 2;
  no_load[52 + 32] = 2;
  EXPECT_NE(error_of(no_load).find("PT_LOAD"), std::string::npos);
}

TEST(CoralElf, EveryTruncationIsACleanError) {
  const std::vector<uint8_t> full = good_elf();
  for (std::size_t size = 0; size < full.size(); ++size) {
    const std::vector<uint8_t> cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(size));
    EXPECT_THROW(parse_elf(cut), ElfError) << "size " << size;
  }
}

TEST(CoralElf, LoaderRejectsSegmentsOutsideTheirMemory) {
  Harness h;
  RunOptions options;
  h.machine.reset(options);
  // Code placed in DTCM.
  ElfImage code_in_dtcm = parse_elf(build_elf(0x10000, {{0x10000, words_to_bytes({enc::ebreak()}), 0, true}}));
  try {
    h.machine.load(code_in_dtcm);
    FAIL() << "expected LoadError";
  } catch (const LoadError& e) {
    EXPECT_NE(std::string(e.what()).find("segment 0"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("ITCM"), std::string::npos);
  }
  // Data larger than DTCM.
  ElfImage huge = parse_elf(build_elf(0, {{0, words_to_bytes({enc::ebreak()}), 0, true},
                                          {0x10000, {}, 0x100000, false}}));
  EXPECT_THROW(h.machine.load(huge), LoadError);
  // Entry point outside the code.
  ElfImage bad_entry = parse_elf(build_elf(0x40, {{0, words_to_bytes({enc::ebreak()}), 0, true}}));
  EXPECT_THROW(h.machine.load(bad_entry), LoadError);
}

TEST(CoralElf, BssIsZeroFilledOverPoison) {
  Harness h;
  h.options.poison_seed = 7;
  Program p;
  p << enc::ebreak();
  std::vector<SegmentSpec> segments = {{0, words_to_bytes(p.words()), 0, true},
                                       {h.dtcm(), {9, 9}, 64, false}};
  h.machine.reset(h.options);
  h.machine.load(parse_elf(build_elf(0, segments)));
  const std::vector<uint8_t> bytes = h.machine.read(h.dtcm(), 64);
  EXPECT_EQ(bytes[0], 9);
  for (std::size_t i = 2; i < 64; ++i) EXPECT_EQ(bytes[i], 0) << i;
}

}  // namespace
}  // namespace coral::test
