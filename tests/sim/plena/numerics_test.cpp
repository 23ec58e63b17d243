// Expected values below are worked out by hand from the format definitions
// (derivation in the trailing comment), never taken from the code under test.
#include "plena/numerics.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace nx = plena::numerics;

namespace {

float from_bits(std::uint32_t b) {
  float f;
  std::memcpy(&f, &b, sizeof f);
  return f;
}

std::uint32_t to_bits(float f) {
  std::uint32_t b;
  std::memcpy(&b, &f, sizeof b);
  return b;
}

const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

}  // namespace

// ----------------------------------------------------------------------------
// BF16
// ----------------------------------------------------------------------------

TEST(Bf16, ExactValues) {
  EXPECT_EQ(nx::float_to_bf16_bits(1.0f), 0x3F80);    // 1.0 = 0x3F800000
  EXPECT_EQ(nx::float_to_bf16_bits(-2.0f), 0xC000);   // -2.0 = 0xC0000000
  EXPECT_EQ(nx::float_to_bf16_bits(0.0f), 0x0000);
  EXPECT_EQ(nx::float_to_bf16_bits(-0.0f), 0x8000);   // sign bit only
  EXPECT_EQ(nx::float_to_bf16_bits(kInf), 0x7F80);
  EXPECT_EQ(nx::float_to_bf16_bits(-kInf), 0xFF80);
}

TEST(Bf16, TiesRoundToEven) {
  EXPECT_EQ(nx::float_to_bf16_bits(1.00390625f), 0x3F80);    // 0x3F808000: tie, 0x3F80 is even
  EXPECT_EQ(nx::float_to_bf16_bits(1.01171875f), 0x3F82);    // 0x3F818000: tie, 0x3F81 odd -> up
  EXPECT_EQ(nx::float_to_bf16_bits(-1.01171875f), 0xBF82);   // same magnitude, sign kept
}

TEST(Bf16, NonTies) {
  EXPECT_EQ(nx::float_to_bf16_bits(3.14159265f), 0x4049);          // 0x40490FDB, low half < 0x8000
  EXPECT_EQ(nx::float_to_bf16_bits(from_bits(0x3F807FFFu)), 0x3F80);  // one ulp below the tie
  EXPECT_EQ(nx::float_to_bf16_bits(from_bits(0x3F808001u)), 0x3F81);  // one ulp above the tie
  EXPECT_EQ(nx::float_to_bf16_bits(from_bits(0x3FFFFFFFu)), 0x4000);  // mantissa carry into exponent: ~2.0
}

TEST(Bf16, OverflowToInf) {
  EXPECT_EQ(nx::float_to_bf16_bits(FLT_MAX), 0x7F80);               // 0x7F7FFFFF > tie 0x7F7F8000 -> carries to inf
  EXPECT_EQ(nx::float_to_bf16_bits(-FLT_MAX), 0xFF80);
  EXPECT_EQ(nx::float_to_bf16_bits(from_bits(0x7F7F8000u)), 0x7F80);  // tie, 0x7F7F odd -> up to inf
  EXPECT_EQ(nx::float_to_bf16_bits(from_bits(0x7F7F7FFFu)), 0x7F7F);  // just below tie stays finite
}

TEST(Bf16, NaN) {
  EXPECT_EQ(nx::float_to_bf16_bits(kNaN), 0x7FC0);
  EXPECT_EQ(nx::float_to_bf16_bits(-kNaN), 0x7FC0);                   // one NaN, whatever the sign
  EXPECT_EQ(nx::float_to_bf16_bits(from_bits(0x7F800001u)), 0x7FC0);  // sNaN with low-half payload must not become inf
  EXPECT_EQ(nx::float_to_bf16_bits(from_bits(0xFFFFFFFFu)), 0x7FC0);  // all-ones NaN must not wrap
  EXPECT_TRUE(std::isnan(nx::round_to_bf16(kNaN)));
  EXPECT_EQ(to_bits(nx::round_to_bf16(from_bits(0x7F800001u))), 0x7FC00000u);
}

TEST(Bf16, Subnormals) {
  EXPECT_EQ(nx::float_to_bf16_bits(from_bits(0x00008000u)), 0x0000);  // 2^-134: tie between 0 and 2^-133 -> even 0
  EXPECT_EQ(nx::float_to_bf16_bits(from_bits(0x00008001u)), 0x0001);  // just above that tie -> 2^-133
  EXPECT_EQ(nx::float_to_bf16_bits(from_bits(0x00018000u)), 0x0002);  // 1.5 * 2^-133: tie, 1 odd -> 2
  EXPECT_EQ(nx::float_to_bf16_bits(from_bits(0x007FFFFFu)), 0x0080);  // largest subnormal rounds up to 2^-126
  EXPECT_EQ(nx::float_to_bf16_bits(from_bits(0x80008000u)), 0x8000);  // negative tie -> -0
}

TEST(Bf16, Decode) {
  EXPECT_EQ(nx::bf16_bits_to_float(0x3F80), 1.0f);
  EXPECT_EQ(nx::bf16_bits_to_float(0x4049), 3.140625f);  // 1.5703125 * 2 (mantissa 0x49 = 73/128)
  EXPECT_EQ(nx::bf16_bits_to_float(0xC000), -2.0f);
  EXPECT_EQ(to_bits(nx::bf16_bits_to_float(0x0001)), 0x00010000u);  // 2^-133
  EXPECT_TRUE(std::isinf(nx::bf16_bits_to_float(0x7F80)));
  EXPECT_TRUE(std::isnan(nx::bf16_bits_to_float(0x7FC0)));
}

TEST(Bf16, RoundToBf16) {
  EXPECT_EQ(nx::round_to_bf16(3.14159265f), 3.140625f);  // bf16 0x4049
  EXPECT_EQ(nx::round_to_bf16(1.01171875f), 1.015625f);  // bf16 0x3F82 = 1 + 2/128
  EXPECT_EQ(nx::round_to_bf16(FLT_MAX), kInf);
  // Idempotent: a bf16 value rounds to itself.
  for (float v : {3.14159265f, 1.00390625f, 1.01171875f, -123.456f, 1e-40f, 6.5e30f, FLT_MAX}) {
    const float once = nx::round_to_bf16(v);
    EXPECT_EQ(to_bits(nx::round_to_bf16(once)), to_bits(once)) << v;
    EXPECT_TRUE(nx::is_bf16_exact(once)) << v;
  }
  // Agrees with the 16-bit round trip over a sweep of patterns (every 2^16+1-th).
  for (std::uint64_t b = 0; b <= 0xFFFFFFFFull; b += 65537ull) {
    const float f = from_bits(static_cast<std::uint32_t>(b));
    EXPECT_EQ(to_bits(nx::round_to_bf16(f)),
              to_bits(nx::bf16_bits_to_float(nx::float_to_bf16_bits(f))));
  }
}

TEST(Bf16, IsExact) {
  EXPECT_TRUE(nx::is_bf16_exact(1.0f));
  EXPECT_TRUE(nx::is_bf16_exact(3.140625f));
  EXPECT_TRUE(nx::is_bf16_exact(0.0f));
  EXPECT_TRUE(nx::is_bf16_exact(kInf));
  EXPECT_TRUE(nx::is_bf16_exact(from_bits(0x7FC00000u)));   // canonical NaN
  EXPECT_FALSE(nx::is_bf16_exact(3.14159265f));             // low half 0x0FDB
  EXPECT_FALSE(nx::is_bf16_exact(1.00390625f));             // low half 0x8000
  EXPECT_FALSE(nx::is_bf16_exact(from_bits(0x7F800001u)));  // NaN payload outside bf16
}

// ----------------------------------------------------------------------------
// E4M3
// ----------------------------------------------------------------------------

TEST(E4m3, ExactNormals) {
  EXPECT_EQ(nx::float_to_e4m3(0.0f), 0x00);
  EXPECT_EQ(nx::float_to_e4m3(-0.0f), 0x80);    // sign of zero kept
  EXPECT_EQ(nx::float_to_e4m3(1.0f), 0x38);     // exp field 0+7 = 7 -> 0111_000
  EXPECT_EQ(nx::float_to_e4m3(-1.0f), 0xB8);
  EXPECT_EQ(nx::float_to_e4m3(0.5f), 0x30);     // exp field 6
  EXPECT_EQ(nx::float_to_e4m3(1.25f), 0x3A);    // exp 7, mant 2/8
  EXPECT_EQ(nx::float_to_e4m3(240.0f), 0x77);   // 1.875 * 2^7: exp 14, mant 7
  EXPECT_EQ(nx::float_to_e4m3(448.0f), 0x7E);   // 1.75 * 2^8: exp 15, mant 6
  EXPECT_EQ(nx::float_to_e4m3(-448.0f), 0xFE);
  EXPECT_EQ(nx::float_to_e4m3(0.015625f), 0x08);  // 2^-6 smallest normal: exp 1, mant 0
}

TEST(E4m3, Saturation) {
  EXPECT_EQ(nx::float_to_e4m3(500.0f), 0x7E);     // beyond 448 -> saturate
  EXPECT_EQ(nx::float_to_e4m3(464.0f), 0x7E);     // midpoint 448/480 still saturates
  EXPECT_EQ(nx::float_to_e4m3(1e30f), 0x7E);
  EXPECT_EQ(nx::float_to_e4m3(FLT_MAX), 0x7E);
  EXPECT_EQ(nx::float_to_e4m3(-1000.0f), 0xFE);
  EXPECT_EQ(nx::float_to_e4m3(kInf), 0x7E);       // no inf in E4M3 -> saturate
  EXPECT_EQ(nx::float_to_e4m3(-kInf), 0xFE);
}

TEST(E4m3, NormalRounding) {
  EXPECT_EQ(nx::float_to_e4m3(1.0625f), 0x38);  // tie 1.0 (mant 0) / 1.125 (mant 1) -> even, 1.0
  EXPECT_EQ(nx::float_to_e4m3(1.1875f), 0x3A);  // tie 1.125 (mant 1) / 1.25 (mant 2) -> 1.25
  EXPECT_EQ(nx::float_to_e4m3(1.07f), 0x39);    // above the 1.0625 tie -> 1.125
  EXPECT_EQ(nx::float_to_e4m3(1.9375f), 0x40);  // tie 1.875 (mant 7, odd) / 2.0 -> carry into exp 8
  EXPECT_EQ(nx::float_to_e4m3(1.93f), 0x3F);    // below that tie -> 1.875
  EXPECT_EQ(nx::float_to_e4m3(400.0f), 0x7C);   // quantum 32 at 2^8: tie 384 (mant 4) / 416 (mant 5) -> 384
  EXPECT_EQ(nx::float_to_e4m3(432.0f), 0x7E);   // tie 416 (mant 5) / 448 (mant 6) -> 448
  EXPECT_EQ(nx::float_to_e4m3(-1.1875f), 0xBA); // symmetric for negatives
}

TEST(E4m3, Subnormals) {
  // Subnormal value = mant * 2^-9 (mant/8 * 2^-6).
  EXPECT_EQ(nx::float_to_e4m3(0.001953125f), 0x01);           // 2^-9, min subnormal
  EXPECT_EQ(nx::float_to_e4m3(0.01171875f), 0x06);            // 6 * 2^-9 = 0.75 * 2^-6
  EXPECT_EQ(nx::float_to_e4m3(std::ldexp(1.0f, -10)), 0x00);  // 0.5 quanta: tie 0/1 -> even 0
  EXPECT_EQ(nx::float_to_e4m3(-std::ldexp(1.0f, -10)), 0x80); // same, negative zero
  EXPECT_EQ(nx::float_to_e4m3(std::ldexp(3.0f, -10)), 0x02);  // 1.5 quanta: tie 1/2 -> 2
  EXPECT_EQ(nx::float_to_e4m3(std::ldexp(5.0f, -10)), 0x02);  // 2.5 quanta: tie 2/3 -> 2
  EXPECT_EQ(nx::float_to_e4m3(std::ldexp(1025.0f, -20)), 0x01);  // 2^-10 + 2^-20: just above tie -> 1
  EXPECT_EQ(nx::float_to_e4m3(std::ldexp(1.0f, -11)), 0x00);  // 0.25 quanta -> 0
  EXPECT_EQ(nx::float_to_e4m3(std::ldexp(29.0f, -11)), 0x07); // 29/4 = 7.25 quanta -> 7
  EXPECT_EQ(nx::float_to_e4m3(std::ldexp(15.0f, -10)), 0x08); // 7.5 quanta: tie 7/8 -> 8 = 2^-6 (first normal)
  EXPECT_EQ(nx::float_to_e4m3(from_bits(0x00000001u)), 0x00); // float min subnormal 2^-149 -> 0
}

TEST(E4m3, NaN) {
  EXPECT_EQ(nx::float_to_e4m3(kNaN), 0x7F);
  EXPECT_EQ(nx::float_to_e4m3(-kNaN), 0xFF);
  EXPECT_TRUE(std::isnan(nx::e4m3_to_float(0x7F)));
  EXPECT_TRUE(std::isnan(nx::e4m3_to_float(0xFF)));
}

TEST(E4m3, Decode) {
  EXPECT_EQ(nx::e4m3_to_float(0x00), 0.0f);
  EXPECT_EQ(to_bits(nx::e4m3_to_float(0x80)), 0x80000000u);       // -0.0
  EXPECT_EQ(nx::e4m3_to_float(0x01), 0.001953125f);               // 2^-9
  EXPECT_EQ(nx::e4m3_to_float(0x07), std::ldexp(7.0f, -9));       // largest subnormal
  EXPECT_EQ(nx::e4m3_to_float(0x08), 0.015625f);                  // 2^-6
  EXPECT_EQ(nx::e4m3_to_float(0x38), 1.0f);
  EXPECT_EQ(nx::e4m3_to_float(0xB8), -1.0f);
  EXPECT_EQ(nx::e4m3_to_float(0x3A), 1.25f);
  EXPECT_EQ(nx::e4m3_to_float(0x77), 240.0f);
  EXPECT_EQ(nx::e4m3_to_float(0x7D), 416.0f);                     // 1.625 * 256
  EXPECT_EQ(nx::e4m3_to_float(0x7E), 448.0f);
  EXPECT_EQ(nx::e4m3_to_float(0xFE), -448.0f);
}

TEST(E4m3, RoundTripAllCodes) {
  for (int c = 0; c < 256; ++c) {
    if ((c & 0x7F) == 0x7F) continue;  // NaN codes
    const auto code = static_cast<std::uint8_t>(c);
    EXPECT_EQ(nx::float_to_e4m3(nx::e4m3_to_float(code)), code) << "code " << c;
  }
}

TEST(E4m3, DecodeIsStrictlyIncreasing) {
  // Positive codes 0x00..0x7E must enumerate the magnitudes in order.
  for (int c = 1; c <= 0x7E; ++c) {
    EXPECT_LT(nx::e4m3_to_float(static_cast<std::uint8_t>(c - 1)),
              nx::e4m3_to_float(static_cast<std::uint8_t>(c)))
        << "code " << c;
  }
}

// ----------------------------------------------------------------------------
// E8M0
// ----------------------------------------------------------------------------

TEST(E8m0, Values) {
  EXPECT_EQ(nx::e8m0_to_float(127), 1.0f);
  EXPECT_EQ(nx::e8m0_to_float(128), 2.0f);
  EXPECT_EQ(nx::e8m0_to_float(126), 0.5f);
  EXPECT_EQ(to_bits(nx::e8m0_to_float(0)), 0x00400000u);    // 2^-127 = 2^22 * 2^-149 (float subnormal)
  EXPECT_EQ(to_bits(nx::e8m0_to_float(1)), 0x00800000u);    // 2^-126, smallest normal float
  EXPECT_EQ(to_bits(nx::e8m0_to_float(254)), 0x7F000000u);  // 2^127: biased exp 254
  EXPECT_TRUE(std::isnan(nx::e8m0_to_float(0xFF)));
}

// ----------------------------------------------------------------------------
// MX blocks
// ----------------------------------------------------------------------------

TEST(Mx, OneToEight) {
  const float v[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  const nx::MxBlock b = nx::quantize_mx_block(v, 8);
  EXPECT_EQ(b.scale, 122);  // amax 8 = 2^3 -> X = 3 - 8 = -5 -> 122
  // Elements are v * 32 = 32..256: 32 = 2^5 (exp 12), 64 (exp 13), 96 = 1.5*64,
  // 128 (exp 14), 160 = 1.25*128, 192 = 1.5*128, 224 = 1.75*128, 256 (exp 15).
  const std::uint8_t want[8] = {0x60, 0x68, 0x6C, 0x70, 0x72, 0x74, 0x76, 0x78};
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(b.elems[i], want[i]) << i;
    EXPECT_EQ(nx::dequantize_mx_element(b.elems[i], b.scale), v[i]) << i;
  }
}

TEST(Mx, NegativeAmax) {
  const float v[2] = {-8.0f, 0.5f};
  const nx::MxBlock b = nx::quantize_mx_block(v, 2);
  EXPECT_EQ(b.scale, 122);      // |-8| = 2^3 -> X = -5
  EXPECT_EQ(b.elems[0], 0xF8);  // -8 * 32 = -256: sign, exp 15, mant 0
  EXPECT_EQ(b.elems[1], 0x58);  // 0.5 * 32 = 16 = 2^4: exp 11
  EXPECT_EQ(nx::dequantize_mx_element(b.elems[0], b.scale), -8.0f);
  EXPECT_EQ(nx::dequantize_mx_element(b.elems[1], b.scale), 0.5f);
}

TEST(Mx, SaturatesTopBinade) {
  // amax in [256, 512) gives X = 0, but E4M3 tops out at 448: OCP saturates.
  const float v[3] = {480.0f, 1.0f, -510.0f};
  const nx::MxBlock b = nx::quantize_mx_block(v, 3);
  EXPECT_EQ(b.scale, 127);      // floor(log2 510) = 8 -> X = 0
  EXPECT_EQ(b.elems[0], 0x7E);  // 480 -> 448
  EXPECT_EQ(b.elems[1], 0x38);  // 1.0
  EXPECT_EQ(b.elems[2], 0xFE);  // -510 -> -448
  EXPECT_EQ(nx::dequantize_mx_element(b.elems[0], b.scale), 448.0f);
  EXPECT_EQ(nx::dequantize_mx_element(b.elems[2], b.scale), -448.0f);
}

TEST(Mx, AllZero) {
  const float v[8] = {0, -0.0f, 0, 0, 0, 0, 0, 0};
  const nx::MxBlock b = nx::quantize_mx_block(v, 8);
  EXPECT_EQ(b.scale, 127);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(b.elems[i], 0x00) << i;

  const nx::MxBlock e = nx::quantize_mx_block(nullptr, 0);  // empty block is all zero too
  EXPECT_EQ(e.scale, 127);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(e.elems[i], 0x00) << i;
}

TEST(Mx, NaNAndInfBlocks) {
  const float with_nan[4] = {1.0f, kNaN, 2.0f, 3.0f};
  const nx::MxBlock a = nx::quantize_mx_block(with_nan, 4);
  EXPECT_EQ(a.scale, 0xFF);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(a.elems[i], 0x7F) << i;

  const float with_inf[4] = {1.0f, 2.0f, -kInf, 3.0f};  // documented: inf poisons the block like NaN
  const nx::MxBlock b = nx::quantize_mx_block(with_inf, 4);
  EXPECT_EQ(b.scale, 0xFF);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(b.elems[i], 0x7F) << i;
  EXPECT_TRUE(std::isnan(nx::dequantize_mx_element(b.elems[0], b.scale)));
}

TEST(Mx, ShortBlockTailIsZero) {
  // Slots past n hold NaN to prove they are never read.
  const float v[8] = {1, 2, 3, kNaN, kNaN, kNaN, kNaN, kNaN};
  const nx::MxBlock b = nx::quantize_mx_block(v, 3);
  EXPECT_EQ(b.scale, 120);      // amax 3: floor(log2 3) = 1 -> X = -7
  EXPECT_EQ(b.elems[0], 0x70);  // 1 * 128 = 2^7: exp 14
  EXPECT_EQ(b.elems[1], 0x78);  // 2 * 128 = 2^8: exp 15
  EXPECT_EQ(b.elems[2], 0x7C);  // 3 * 128 = 384 = 1.5 * 2^8: exp 15, mant 4
  for (int i = 3; i < 8; ++i) EXPECT_EQ(b.elems[i], 0x00) << i;
  EXPECT_EQ(nx::dequantize_mx_element(b.elems[2], b.scale), 3.0f);
}

TEST(Mx, WideDynamicRangeFlushesSmallValues) {
  // amax 4096 = 2^12 -> X = 4, scale 131; each element is encoded from x / 16.
  const float v[8] = {
      4096.0f,                   // 256 = 2^8: exp 15 -> 0x78
      1.0f,                      // 2^-4: exp 3 -> 0x18
      std::ldexp(1.0f, -5),      // 2^-9: min subnormal -> 0x01
      std::ldexp(3.0f, -7),      // 3*2^-11 = 0.75 quanta of 2^-9 -> 1 -> 0x01
      std::ldexp(1.0f, -6),      // 2^-10 = 0.5 quanta: tie -> 0 -> 0x00
      std::ldexp(3.0f, -6),      // 3*2^-10 = 1.5 quanta: tie -> 2 -> 0x02
      -std::ldexp(1.0f, -6),     // -0.5 quanta -> -0 -> 0x80
      std::ldexp(1.0f, -13),     // 2^-17 -> 0x00
  };
  const nx::MxBlock b = nx::quantize_mx_block(v, 8);
  EXPECT_EQ(b.scale, 131);
  const std::uint8_t want[8] = {0x78, 0x18, 0x01, 0x01, 0x00, 0x02, 0x80, 0x00};
  // Dequantised: code value * 16.
  const float back[8] = {4096.0f, 1.0f, std::ldexp(1.0f, -5), std::ldexp(1.0f, -5),
                         0.0f, std::ldexp(1.0f, -4), -0.0f, 0.0f};
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(b.elems[i], want[i]) << i;
    EXPECT_EQ(to_bits(nx::dequantize_mx_element(b.elems[i], b.scale)), to_bits(back[i])) << i;
  }
}

TEST(Mx, ScaleClampsAtFloatLimits) {
  // amax 2^-120: X = -128 -> byte -1 clamps to 0 (X = -127); 2^-120 * 2^127 = 128 -> 0x70.
  const float tiny[1] = {std::ldexp(1.0f, -120)};
  const nx::MxBlock a = nx::quantize_mx_block(tiny, 1);
  EXPECT_EQ(a.scale, 0);
  EXPECT_EQ(a.elems[0], 0x70);
  EXPECT_EQ(nx::dequantize_mx_element(a.elems[0], a.scale), std::ldexp(1.0f, -120));

  // amax 2^-118: X = -126 -> byte 1, element 2^-118 * 2^126 = 256 -> 0x78 (no clamp).
  const float small[1] = {std::ldexp(1.0f, -118)};
  const nx::MxBlock s = nx::quantize_mx_block(small, 1);
  EXPECT_EQ(s.scale, 1);
  EXPECT_EQ(s.elems[0], 0x78);

  // amax 2^-140 (float subnormal): X = -148 clamps to -127; 2^-13 rounds to 0.
  const float sub[1] = {std::ldexp(1.0f, -140)};
  const nx::MxBlock d = nx::quantize_mx_block(sub, 1);
  EXPECT_EQ(d.scale, 0);
  EXPECT_EQ(d.elems[0], 0x00);

  // FLT_MAX = (2 - 2^-23) * 2^127: X = 119 -> byte 246; element ~511.99 saturates to 448.
  const float big[2] = {FLT_MAX, -1.0f};
  const nx::MxBlock m = nx::quantize_mx_block(big, 2);
  EXPECT_EQ(m.scale, 246);
  EXPECT_EQ(m.elems[0], 0x7E);
  EXPECT_EQ(m.elems[1], 0x80);  // -1 / 2^119 is far below 2^-10 -> -0
  // 448 * 2^119 = 1.75 * 2^127: biased exp 254, mantissa 0.75 -> 0x7F600000.
  EXPECT_EQ(to_bits(nx::dequantize_mx_element(m.elems[0], m.scale)), 0x7F600000u);
}

TEST(Mx, Dequantize) {
  EXPECT_EQ(nx::dequantize_mx_element(0x38, 127), 1.0f);
  EXPECT_EQ(nx::dequantize_mx_element(0x38, 128), 2.0f);
  EXPECT_EQ(nx::dequantize_mx_element(0xB8, 120), -std::ldexp(1.0f, -7));
  EXPECT_TRUE(std::isnan(nx::dequantize_mx_element(0x38, 0xFF)));
  EXPECT_TRUE(std::isnan(nx::dequantize_mx_element(0x7F, 127)));
  EXPECT_EQ(nx::dequantize_mx_element(0x7E, 254), kInf);     // 1.75 * 2^135 overflows bf16
  EXPECT_EQ(nx::dequantize_mx_element(0xFE, 254), -kInf);
  EXPECT_EQ(to_bits(nx::dequantize_mx_element(0x38, 0)), 0x00400000u);  // 2^-127 is bf16-exact
}

TEST(Mx, DequantizeRoundsIntoBf16Subnormals) {
  // Scale byte 0 multiplies by 2^-127; the bf16 subnormal step is 2^-133.
  EXPECT_EQ(nx::dequantize_mx_element(0x01, 0), 0.0f);  // 2^-9 * 2^-127 = 2^-136 = 1/8 step -> 0
  EXPECT_EQ(nx::dequantize_mx_element(0x04, 0), 0.0f);  // 4 * 2^-136 = 0.5 step: tie -> even 0
  EXPECT_EQ(to_bits(nx::dequantize_mx_element(0x06, 0)), 0x00010000u);  // 0.75 step -> 1 step
  // 0x0C = 1.5 * 2^-6 -> 1.5 * 2^-133 = 1.5 steps: tie, 1 odd -> 2 steps = 2^-132.
  EXPECT_EQ(to_bits(nx::dequantize_mx_element(0x0C, 0)), 0x00020000u);
  EXPECT_EQ(to_bits(nx::dequantize_mx_element(0x84, 0)), 0x80000000u);  // negative tie -> -0
}

TEST(Mx, DequantizedValuesAreBf16Exact) {
  for (int s = 0; s < 255; ++s) {
    for (int c = 0; c < 256; ++c) {
      if ((c & 0x7F) == 0x7F) continue;
      const float v = nx::dequantize_mx_element(static_cast<std::uint8_t>(c), static_cast<std::uint8_t>(s));
      ASSERT_TRUE(nx::is_bf16_exact(v)) << "elem " << c << " scale " << s;
    }
  }
}

// The vector unit's exp comes from a table over all bf16 inputs; it must give exactly what
// rounding libm's expf gives, for every bf16 pattern (NaNs as the canonical NaN), and fall
// back to the direct computation for a float that is not bf16-exact.
TEST(ExpBf16, TableAgreesWithRoundedExpfForEveryBf16Input) {
  for (std::uint32_t b = 0; b < (1u << 16); ++b) {
    const float x = nx::bf16_bits_to_float(static_cast<std::uint16_t>(b));
    const float want = nx::round_to_bf16(std::exp(x));
    ASSERT_EQ(nx::float_to_bf16_bits(nx::exp_bf16(x)), nx::float_to_bf16_bits(want)) << "input bits " << b;
  }
  const float between = 1.00390625f + 0.0001f;  // not a bf16 value
  ASSERT_FALSE(nx::is_bf16_exact(between));
  EXPECT_EQ(nx::float_to_bf16_bits(nx::exp_bf16(between)), nx::float_to_bf16_bits(nx::round_to_bf16(std::exp(between))));
  EXPECT_EQ(nx::float_to_bf16_bits(nx::exp_bf16(-std::numeric_limits<float>::quiet_NaN())), 0x7FC0);
  EXPECT_EQ(nx::exp_bf16(-std::numeric_limits<float>::infinity()), 0.0f);
}
