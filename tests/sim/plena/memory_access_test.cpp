#include "plena/memory_access.h"

#include <gtest/gtest.h>

namespace plena {
namespace {

class MemoryAccess : public ::testing::Test {
 protected:
  HardwareConfig config = HardwareConfig::kernelcraft_default();
  MachineState state{config};
  std::string error;
};

TEST_F(MemoryAccess, NativeSramValuesAreRoundedToBf16) {
  // bf16 spacing at 1 is 2^-7: 1 + 2^-9 is below the midpoint and rounds to 1;
  // 1 + 3*2^-8 = 1 + 1.5 * 2^-7 is a tie between 1 + 2^-7 (odd) and 1 + 2^-6 (even) -> 1 + 2^-6.
  ASSERT_TRUE(write_memory(state, Memory::VectorSram, 64, {1.0 + 1.0 / 512, 1.0 + 3.0 / 256},
                           ValueEncoding::Native, 0, error))
      << error;
  std::vector<double> out;
  ASSERT_TRUE(read_memory(state, Memory::VectorSram, 64, 2, ValueEncoding::Native, 0, out, error));
  EXPECT_EQ(out, (std::vector<double>{1.0, 1.0 + 1.0 / 64}));
}

TEST_F(MemoryAccess, IntSramTakesOnlyIntegers) {
  ASSERT_TRUE(write_memory(state, Memory::IntSram, 0, {-7, 2147483647}, ValueEncoding::Native, 0, error));
  EXPECT_EQ(state.int_sram[0], -7);
  EXPECT_EQ(state.int_sram[1], 2147483647);
  EXPECT_FALSE(write_memory(state, Memory::IntSram, 0, {1.5}, ValueEncoding::Native, 0, error));
  EXPECT_NE(error.find("not a 32-bit integer"), std::string::npos);
  EXPECT_FALSE(write_memory(state, Memory::IntSram, 0, {4e9}, ValueEncoding::Native, 0, error));
}

TEST_F(MemoryAccess, HbmMxfp8RoundTripAndScalePlacement) {
  // Block {1..8}: amax 8 -> shared exponent 3 - 8 = -5 -> scale byte 122 at the scale address.
  const std::vector<double> values{1, 2, 3, 4, 5, 6, 7, 8};
  ASSERT_TRUE(write_memory(state, Memory::Hbm, 1000, values, ValueEncoding::Mxfp8, 5000, error)) << error;
  EXPECT_EQ(state.hbm[5000], 122);
  std::vector<double> out;
  ASSERT_TRUE(read_memory(state, Memory::Hbm, 1000, 8, ValueEncoding::Mxfp8, 5000, out, error)) << error;
  EXPECT_EQ(out, values);
  ASSERT_TRUE(read_memory(state, Memory::Hbm, 1000, 1, ValueEncoding::Native, 0, out, error));
  EXPECT_EQ(out[0], 0x60);  // 1.0 / 2^-5 = 2^5 -> E4M3 exponent field 5 + 7 = 12, mantissa 0
}

TEST_F(MemoryAccess, RangeAndEncodingErrorsAreExplained) {
  EXPECT_FALSE(write_memory(state, Memory::FpSram, 1023, {1, 2}, ValueEncoding::Native, 0, error));
  EXPECT_NE(error.find("fpsram holds 1024 elements"), std::string::npos) << error;
  std::vector<double> out;
  EXPECT_FALSE(read_memory(state, Memory::VectorSram, ~0ull, 2, ValueEncoding::Native, 0, out, error));
  EXPECT_FALSE(write_memory(state, Memory::VectorSram, 0, {1}, ValueEncoding::Mxfp8, 0, error));
  EXPECT_NE(error.find("applies only to hbm"), std::string::npos);
  EXPECT_FALSE(write_memory(state, Memory::Hbm, 0, {300}, ValueEncoding::Native, 0, error));
}

TEST(MemoryNames, ParseAndPrint) {
  Memory m;
  ASSERT_TRUE(parse_memory_name("msram", m));
  EXPECT_EQ(m, Memory::MatrixSram);
  EXPECT_STREQ(memory_name(Memory::IntSram), "intsram");
  EXPECT_FALSE(parse_memory_name("dram", m));
  ValueEncoding e;
  ASSERT_TRUE(parse_encoding_name("bf16", e));
  EXPECT_EQ(e, ValueEncoding::Bf16);
  EXPECT_FALSE(parse_encoding_name("fp4", e));
}

}  // namespace
}  // namespace plena
