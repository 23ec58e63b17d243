// HBM tensor layout. Expected bytes are worked out by hand from the OCP MX / BF16 definitions
// (derivations in comments), never produced by the code under test.
#include "plena/hbm_codec.h"

#include "plena/numerics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace plena {
namespace {

std::vector<uint8_t> bytes(const HbmBytes& hbm, uint64_t addr, uint64_t n) {
  return std::vector<uint8_t>(hbm.begin() + static_cast<std::ptrdiff_t>(addr),
                              hbm.begin() + static_cast<std::ptrdiff_t>(addr + n));
}

// [1..8]: amax 8 = 2^3, X = 3 - 8 = -5, scale byte 127 - 5 = 122. Scaled values x * 32 =
// 32, 64, 96, 128, 160, 192, 224, 256, i.e. E4M3 (bias 7) 2^5 -> 0 1100 000 = 0x60,
// 2^6 -> 0x68, 1.5*2^6 -> 0x6C, 2^7 -> 0x70, 1.25*2^7 -> 0x72, 1.5*2^7 -> 0x74,
// 1.75*2^7 -> 0x76, 2^8 -> 0x78.
const std::vector<float> kOneToEight = {1, 2, 3, 4, 5, 6, 7, 8};
const std::vector<uint8_t> kOneToEightBytes = {0x60, 0x68, 0x6C, 0x70, 0x72, 0x74, 0x76, 0x78};

TEST(HbmCodec, ElementBytesAndNames) {
  EXPECT_EQ(hbm_element_bytes(HbmFormat::Mxfp8), 1u);
  EXPECT_EQ(hbm_element_bytes(HbmFormat::Bf16), 2u);
  EXPECT_STREQ(hbm_format_name(HbmFormat::Mxfp8), "mxfp8");
  EXPECT_STREQ(hbm_format_name(HbmFormat::Bf16), "bf16");
}

TEST(HbmCodec, MxWritePlacesElementsAndSharedScale) {
  HbmBytes hbm(1024, 0xEE);
  std::string error;
  // base 100, scale_base 600, element offset 16: elements at 116.., scale at 600 + 16/8 = 602.
  ASSERT_TRUE(write_hbm_tensor(hbm, HbmFormat::Mxfp8, 100, 600, 16, kOneToEight.data(), 8, error))
      << error;
  EXPECT_EQ(bytes(hbm, 116, 8), kOneToEightBytes);
  EXPECT_EQ(hbm[602], 122);
  EXPECT_EQ(hbm[115], 0xEE);  // neighbours untouched
  EXPECT_EQ(hbm[124], 0xEE);
  EXPECT_EQ(hbm[601], 0xEE);
  EXPECT_EQ(hbm[603], 0xEE);
}

TEST(HbmCodec, MxSignsAndSmallValuesShareTheBlockScale) {
  HbmBytes hbm(64, 0);
  std::string error;
  // amax 8 again (scale 122): -8 -> -256 -> 0xF8; 0.5 -> 16 = 2^4 -> 0 1011 000 = 0x58;
  // 0 -> 0x00; 1.0625 -> 34, halfway between 32 and 36 (spacing 4 in [32, 64)) -> even: 32 = 0x60.
  const std::vector<float> values = {-8, 0.5f, 0, 1.0625f, 1, 1, 1, 1};
  ASSERT_TRUE(write_hbm_tensor(hbm, HbmFormat::Mxfp8, 0, 32, 0, values.data(), 8, error));
  EXPECT_EQ(bytes(hbm, 0, 4), (std::vector<uint8_t>{0xF8, 0x58, 0x00, 0x60}));
  EXPECT_EQ(hbm[32], 122);
  std::vector<float> back(8);
  ASSERT_TRUE(read_hbm_tensor(hbm, HbmFormat::Mxfp8, 0, 32, 0, back.data(), 8, error));
  EXPECT_EQ(back[0], -8.0f);
  EXPECT_EQ(back[1], 0.5f);
  EXPECT_EQ(back[2], 0.0f);
  EXPECT_EQ(back[3], 1.0f);  // 1.0625 was not representable next to 8
}

TEST(HbmCodec, AllZeroBlockUsesScale127) {
  HbmBytes hbm(64, 0xAA);
  std::string error;
  const std::vector<float> zeros(8, 0.0f);
  ASSERT_TRUE(write_hbm_tensor(hbm, HbmFormat::Mxfp8, 0, 40, 0, zeros.data(), 8, error));
  EXPECT_EQ(bytes(hbm, 0, 8), std::vector<uint8_t>(8, 0));
  EXPECT_EQ(hbm[40], 127);
}

TEST(HbmCodec, MxRoundTripOfRepresentableValuesIsExact) {
  HbmBytes hbm(256, 0);
  std::string error;
  // Each block's values have at most 4 significant bits and amax mantissa <= 1.75.
  const std::vector<float> values = {1, 2, 3, 4, 5, 6, 7, 8, -0.25f, 0.5f, 0.75f, 1.5f, -3, 2, 1, 0};
  ASSERT_TRUE(write_hbm_tensor(hbm, HbmFormat::Mxfp8, 0, 128, 0, values.data(), 16, error));
  std::vector<float> back(16);
  ASSERT_TRUE(read_hbm_tensor(hbm, HbmFormat::Mxfp8, 0, 128, 0, back.data(), 16, error));
  EXPECT_EQ(back, values);
}

TEST(HbmCodec, MxReadAtUnalignedOffsetUsesEachElementsBlockScale) {
  HbmBytes hbm(256, 0);
  std::string error;
  // Block 1 = [16, 0.5, 2 x6]: amax 16 = 2^4 -> X = -4, scale 123.
  std::vector<float> values = kOneToEight;
  for (float x : {16.0f, 0.5f, 2.0f, 2.0f, 2.0f, 2.0f, 2.0f, 2.0f}) values.push_back(x);
  ASSERT_TRUE(write_hbm_tensor(hbm, HbmFormat::Mxfp8, 0, 100, 0, values.data(), 16, error));
  EXPECT_EQ(hbm[100], 122);
  EXPECT_EQ(hbm[101], 123);
  EXPECT_EQ(hbm[8], 0x78);  // 16 * 16 = 256 = 2^8
  EXPECT_EQ(hbm[9], 0x50);  // 0.5 * 16 = 8 = 2^3 -> 0 1010 000
  std::vector<float> back(4);
  ASSERT_TRUE(read_hbm_tensor(hbm, HbmFormat::Mxfp8, 0, 100, 6, back.data(), 4, error));
  EXPECT_EQ(back, (std::vector<float>{7, 8, 16, 0.5f}));
}

TEST(HbmCodec, NanScaleReadsAsNan) {
  HbmBytes hbm(16, 0);
  hbm[0] = 0x38;  // 1.0
  hbm[8] = 0xFF;  // E8M0 NaN
  std::string error;
  float out = 0;
  ASSERT_TRUE(read_hbm_tensor(hbm, HbmFormat::Mxfp8, 0, 8, 0, &out, 1, error));
  EXPECT_TRUE(std::isnan(out));
}

// The codec decodes a block at a time (by table, rounding only where a scale below 2^-117 can
// give float subnormals); it must agree bit for bit with the numerics module's per-element
// definition for every (element, scale) byte pair, overflow included, and every NaN it reads
// is the canonical bf16 NaN 0x7FC0, whatever the sign of the NaN element.
TEST(HbmCodec, MxReadAgreesWithDequantizeForEveryElementAndScale) {
  std::string error;
  for (int scale = 0; scale < 256; ++scale) {
    // Elements 0..255 at bytes 0..255; all 32 block scales = `scale`, at 512.
    HbmBytes mem(512 + 32, 0);
    for (int e = 0; e < 256; ++e) mem[static_cast<std::size_t>(e)] = static_cast<uint8_t>(e);
    for (int b = 0; b < 32; ++b) mem[512 + static_cast<std::size_t>(b)] = static_cast<uint8_t>(scale);
    std::vector<float> out(256);
    ASSERT_TRUE(read_hbm_tensor(mem, HbmFormat::Mxfp8, 0, 512, 0, out.data(), 256, error));
    for (int e = 0; e < 256; ++e) {
      const float want = numerics::dequantize_mx_element(static_cast<uint8_t>(e), static_cast<uint8_t>(scale));
      const float got = out[static_cast<std::size_t>(e)];
      if (std::isnan(want)) {
        EXPECT_EQ(numerics::float_to_bf16_bits(got), 0x7FC0) << "elem " << e << " scale " << scale;
      } else {
        EXPECT_EQ(numerics::float_to_bf16_bits(got), numerics::float_to_bf16_bits(want))
            << "elem " << e << " scale " << scale;
      }
    }
  }
}

TEST(HbmCodec, Bf16IsTwoBytesLittleEndianRoundedToNearestEven) {
  HbmBytes hbm(64, 0);
  std::string error;
  // 1.5 = 0x3FC0, -2 = 0xC000, 1 + 2^-9 is a quarter ulp above 1 -> 0x3F80.
  const std::vector<float> values = {1.5f, -2.0f, 1.0f + std::ldexp(1.0f, -9)};
  ASSERT_TRUE(write_hbm_tensor(hbm, HbmFormat::Bf16, 10, 0, 3, values.data(), 3, error));
  EXPECT_EQ(bytes(hbm, 16, 6), (std::vector<uint8_t>{0xC0, 0x3F, 0x00, 0xC0, 0x80, 0x3F}));
  std::vector<float> back(3);
  ASSERT_TRUE(read_hbm_tensor(hbm, HbmFormat::Bf16, 10, 0, 3, back.data(), 3, error));
  EXPECT_EQ(back, (std::vector<float>{1.5f, -2.0f, 1.0f}));
}

TEST(HbmCodec, SpansCountElementAndScaleBytes) {
  HbmSpan s;
  // Elements 6..9 straddle blocks 0 and 1: two scale bytes.
  ASSERT_TRUE(hbm_read_span(HbmFormat::Mxfp8, 100, 500, 6, 4, s));
  EXPECT_EQ(s.elem_addr, 106u);
  EXPECT_EQ(s.elem_bytes, 4u);
  EXPECT_EQ(s.scale_addr, 500u);
  EXPECT_EQ(s.scale_bytes, 2u);
  EXPECT_EQ(s.total_bytes(), 6u);
  // A write of 10 elements at offset 8 covers two whole blocks (16 bytes) and two scales.
  ASSERT_TRUE(hbm_write_span(HbmFormat::Mxfp8, 100, 500, 8, 10, s));
  EXPECT_EQ(s.elem_addr, 108u);
  EXPECT_EQ(s.elem_bytes, 16u);
  EXPECT_EQ(s.scale_addr, 501u);
  EXPECT_EQ(s.scale_bytes, 2u);
  ASSERT_TRUE(hbm_read_span(HbmFormat::Bf16, 100, 500, 3, 4, s));
  EXPECT_EQ(s.elem_addr, 106u);
  EXPECT_EQ(s.elem_bytes, 8u);
  EXPECT_EQ(s.scale_bytes, 0u);
}

TEST(HbmCodec, FinalPartialBlockIsPaddedWithZeros) {
  HbmBytes hbm(64, 0xEE);
  std::string error;
  // [4, 2, 1]: amax 4 -> X = -6, scale 121; 4*64 = 256 -> 0x78, 128 -> 0x70, 64 -> 0x68.
  const std::vector<float> values = {4, 2, 1};
  ASSERT_TRUE(write_hbm_tensor(hbm, HbmFormat::Mxfp8, 0, 40, 0, values.data(), 3, error));
  EXPECT_EQ(bytes(hbm, 0, 8), (std::vector<uint8_t>{0x78, 0x70, 0x68, 0, 0, 0, 0, 0}));
  EXPECT_EQ(hbm[8], 0xEE);
  EXPECT_EQ(hbm[40], 121);
}

TEST(HbmCodec, MxWriteMustStartOnABlockBoundary) {
  HbmBytes hbm(64, 0xEE);
  std::string error;
  EXPECT_FALSE(write_hbm_tensor(hbm, HbmFormat::Mxfp8, 0, 40, 4, kOneToEight.data(), 8, error));
  EXPECT_NE(error.find("multiple of 8"), std::string::npos) << error;
  EXPECT_EQ(hbm, HbmBytes(64, 0xEE));
}

TEST(HbmCodec, OutOfRangeAccessesFailWithoutTouchingMemory) {
  HbmBytes hbm(64, 0xEE);
  std::string error;
  // Elements fit ([56, 64)) but the scale byte at 64 does not.
  EXPECT_FALSE(write_hbm_tensor(hbm, HbmFormat::Mxfp8, 56, 64, 0, kOneToEight.data(), 8, error));
  EXPECT_NE(error.find("HBM holds 64 bytes"), std::string::npos) << error;
  EXPECT_EQ(hbm, HbmBytes(64, 0xEE));
  // Elements [60, 68) do not fit.
  std::vector<float> out(8);
  EXPECT_FALSE(read_hbm_tensor(hbm, HbmFormat::Mxfp8, 60, 0, 0, out.data(), 8, error));
  EXPECT_FALSE(read_hbm_tensor(hbm, HbmFormat::Bf16, 0, 0, 30, out.data(), 8, error));
}

TEST(HbmCodec, AddressesNearTwoToTheSixtyFourDoNotWrap) {
  HbmBytes hbm(64, 0);
  std::string error;
  const uint64_t huge = std::numeric_limits<uint64_t>::max() - 2;
  std::vector<float> out(8);
  EXPECT_FALSE(read_hbm_tensor(hbm, HbmFormat::Mxfp8, huge, 0, 0, out.data(), 8, error));
  EXPECT_FALSE(write_hbm_tensor(hbm, HbmFormat::Bf16, 0, 0, huge, kOneToEight.data(), 8, error));
  HbmSpan s;
  EXPECT_FALSE(hbm_read_span(HbmFormat::Bf16, 0, 0, huge, 1, s));
  EXPECT_FALSE(hbm_read_span(HbmFormat::Mxfp8, 0, huge, 64, 1, s));
}

TEST(HbmCodec, EmptyTensorsAreNoOps) {
  HbmBytes hbm(8, 0);
  std::string error;
  EXPECT_TRUE(write_hbm_tensor(hbm, HbmFormat::Mxfp8, 100, 100, 3, nullptr, 0, error));
  EXPECT_TRUE(read_hbm_tensor(hbm, HbmFormat::Bf16, 100, 100, 3, nullptr, 0, error));
}

}  // namespace
}  // namespace plena
