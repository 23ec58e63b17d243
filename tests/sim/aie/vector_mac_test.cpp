// Vector unit semantics with hand-computed values: lane-wise int and bf16 ops (RNE), compares,
// selects, shifts, broadcasts, the non-linear stand-ins, conversions, the int8/int16/bf16 MAC
// lanes, SRS rounding/saturation corner cases and UPS.
#include <cmath>
#include <limits>

#include "aie_test_util.h"

namespace {

using namespace aie_test;

// Loads x0, x1, x2 from data memory 0, 64, 128; runs `body`; stores x3 to 512..575.
const char* kPrologue = R"(
    movi p0, 0
    vldx x0, [p0], 64
    vldx x1, [p0], 64
    vldx x2, [p0], 64
    nop
    nop
    nop
)";
const char* kEpilogue = R"(
    nop
    nop
    nop
    nop
    nop
    nop
    movi p1, 512
    vst wl3, [p1], 32
    vst wh3, [p1], 32
    done
)";

struct Vectors {
  std::vector<uint8_t> x0 = std::vector<uint8_t>(64), x1 = std::vector<uint8_t>(64),
                       x2 = std::vector<uint8_t>(64);
};

Outcome run_vec(const std::string& body, const Vectors& v) {
  Outcome r = run_with(std::string(kPrologue) + body + kEpilogue, [&](aie::MachineState& s) {
    put(s.dm, 0, v.x0);
    put(s.dm, 64, v.x1);
    put(s.dm, 128, v.x2);
  });
  EXPECT_TRUE(r.result.ok()) << trap_text(r.result) << "\n" << body;
  return r;
}

template <typename T>
void set_lanes(std::vector<uint8_t>& bytes, const std::vector<T>& lanes) {
  std::memcpy(bytes.data(), lanes.data(), lanes.size() * sizeof(T));
}

void set_bf16_lanes(std::vector<uint8_t>& bytes, const std::vector<float>& lanes) {
  put_bf16(bytes, 0, lanes);
}

template <typename T>
std::vector<T> out_lanes(const Outcome& r, std::size_t n) { return get<T>(r.state.dm, 512, n); }

std::vector<float> out_bf16(const Outcome& r, std::size_t n) { return get_bf16(r.state.dm, 512, n); }

TEST(AieVector, IntegerLaneOpsWrap) {
  Vectors v;
  set_lanes<int8_t>(v.x0, {127, -128, 5, -7});
  set_lanes<int8_t>(v.x1, {1, -1, 9, -3});
  EXPECT_EQ(out_lanes<int8_t>(run_vec("vadd.i8 x3, x0, x1", v), 4),
            (std::vector<int8_t>{-128, 127, 14, -10}));
  EXPECT_EQ(out_lanes<int8_t>(run_vec("vmax.i8 x3, x0, x1", v), 4),
            (std::vector<int8_t>{127, -1, 9, -3}));
  EXPECT_EQ(out_lanes<int8_t>(run_vec("vmul.i8 x3, x0, x1", v), 4),
            (std::vector<int8_t>{127, -128, 45, 21}));
  Vectors w;
  set_lanes<int16_t>(w.x0, {1000, -32768, 300});
  set_lanes<int16_t>(w.x1, {-3000, 1, 300});
  EXPECT_EQ(out_lanes<int16_t>(run_vec("vsub.i16 x3, x0, x1", w), 3),
            (std::vector<int16_t>{4000, 32767, 0}));
  EXPECT_EQ(out_lanes<int16_t>(run_vec("vmin.i16 x3, x0, x1", w), 3),
            (std::vector<int16_t>{-3000, -32768, 300}));
  Vectors d;
  set_lanes<int32_t>(d.x0, {65536, -5});
  set_lanes<int32_t>(d.x1, {65536, 7});
  EXPECT_EQ(out_lanes<int32_t>(run_vec("vmul.i32 x3, x0, x1", d), 2),
            (std::vector<int32_t>{0, -35}));
}

TEST(AieVector, Bf16LaneOpsRoundToNearestEven) {
  Vectors v;
  // 1 + 2^-8 is a tie between 1 and 1 + 2^-7: even mantissa wins (1). 1+2^-7 + 2^-8 is a
  // tie between 1+2^-7 (odd) and 1+2^-6 (even): rounds up.
  set_bf16_lanes(v.x0, {1.0f, 1.0078125f, 3.0f, -2.0f, 65280.0f});
  set_bf16_lanes(v.x1, {0.00390625f, 0.00390625f, 5.0f, 0.5f, 65280.0f});
  const auto sum = out_bf16(run_vec("vadd.bf16 x3, x0, x1", v), 5);
  EXPECT_EQ(sum[0], 1.0f);
  EXPECT_EQ(sum[1], 1.015625f);
  EXPECT_EQ(sum[2], 8.0f);
  EXPECT_EQ(sum[3], -1.5f);
  EXPECT_EQ(sum[4], 130560.0f);
  const auto prod = out_bf16(run_vec("vmul.bf16 x3, x0, x1", v), 5);
  EXPECT_EQ(prod[2], 15.0f);
  EXPECT_EQ(prod[3], -1.0f);
  EXPECT_TRUE(std::isinf(out_bf16(run_vec("vmul.bf16 x3, x0, x0", [] {
    Vectors big;
    set_bf16_lanes(big.x0, {3.0e38f});
    return big;
  }()), 1)[0]));
  const auto diff = out_bf16(run_vec("vsub.bf16 x3, x0, x1", v), 4);
  EXPECT_EQ(diff[2], -2.0f);
  EXPECT_EQ(diff[3], -2.5f);
}

TEST(AieVector, Bf16MaxMinPropagateNaN) {
  Vectors v;
  set_bf16_lanes(v.x0, {1.0f, std::numeric_limits<float>::quiet_NaN(), -3.0f});
  set_bf16_lanes(v.x1, {2.0f, 1.0f, -4.0f});
  const auto mx = out_bf16(run_vec("vmax.bf16 x3, x0, x1", v), 3);
  EXPECT_EQ(mx[0], 2.0f);
  EXPECT_TRUE(std::isnan(mx[1]));
  EXPECT_EQ(mx[2], -3.0f);
  const auto mn = out_bf16(run_vec("vmin.bf16 x3, x0, x1", v), 3);
  EXPECT_EQ(mn[2], -4.0f);
}

TEST(AieVector, CompareToMaskAndSelect) {
  Vectors v;
  set_bf16_lanes(v.x0, {1.0f, 5.0f, -1.0f, 2.0f, std::numeric_limits<float>::quiet_NaN()});
  set_bf16_lanes(v.x1, {2.0f, 5.0f, -2.0f, 2.0f, 0.0f});
  Outcome r = run_vec("vlt.bf16 r1, x0, x1\nvge.bf16 r2, x0, x1\nveq.bf16 r3, x0, x1\nnop\n"
                      "vsel.bf16 x3, x0, x1, r1", v);
  // Lanes 5..31 are 0 == 0: equal, not less, greater-or-equal.
  EXPECT_EQ(r.state.r[1], 0x1u);
  EXPECT_EQ(r.state.r[2], 0xFFFFFFEEu);
  EXPECT_EQ(r.state.r[3], 0xFFFFFFEAu);
  const auto sel = out_bf16(r, 3);
  EXPECT_EQ(sel[0], 2.0f);  // bit set: from x1
  EXPECT_EQ(sel[1], 5.0f);
  EXPECT_EQ(sel[2], -1.0f);  // bit clear: from x0
  Vectors w;
  set_lanes<int32_t>(w.x0, {-1, 3});
  set_lanes<int32_t>(w.x1, {0, 3});
  Outcome q = run_vec("vlt.i32 r1, x0, x1\nvmov x3, x0", w);
  EXPECT_EQ(q.state.r[1], 0x1u);
}

TEST(AieVector, ShiftBroadcastExtract) {
  Vectors v;
  for (int i = 0; i < 64; ++i) v.x0[i] = static_cast<uint8_t>(i), v.x1[i] = static_cast<uint8_t>(100 + i);
  const auto sh = out_lanes<uint8_t>(run_vec("vshift x3, x0, x1, 60", v), 64);
  EXPECT_EQ(sh[0], 60);
  EXPECT_EQ(sh[3], 63);
  EXPECT_EQ(sh[4], 100);
  EXPECT_EQ(sh[63], 159);
  const auto all_b = out_lanes<uint8_t>(run_vec("movi r4, 64\nvshift x3, x0, x1, r4", v), 64);
  EXPECT_EQ(all_b[0], 100);
  Outcome b = run_vec("movi r1, 0x3FC0\nvbcst.bf16 x3, r1\nvext.i8 r2, x1, 5\nvext.i16 r3, x0, 1", v);
  const auto lanes = out_bf16(b, 32);
  for (float f : lanes) EXPECT_EQ(f, 1.5f);
  EXPECT_EQ(b.state.r[2], 105u);
  EXPECT_EQ(b.state.r[3], 0x0302u);
}

TEST(AieVector, NonLinearStandIns) {
  Vectors v;
  set_bf16_lanes(v.x0, {3.0f, 0.5f, -1.0f, 0.0f});
  const auto e = out_bf16(run_vec("vexp2.bf16 x3, x0", v), 4);
  EXPECT_EQ(e[0], 8.0f);
  EXPECT_EQ(e[1], 1.4140625f);  // sqrt(2) = 1.41421.. rounded to 8 significant bits
  EXPECT_EQ(e[2], 0.5f);
  EXPECT_EQ(e[3], 1.0f);
  Vectors w;
  set_bf16_lanes(w.x0, {4.0f, 16.0f, 3.0f, 0.0f});
  const auto inv = out_bf16(run_vec("vinv.bf16 x3, x0", w), 4);
  EXPECT_EQ(inv[0], 0.25f);
  EXPECT_EQ(inv[2], aie::round_to_bf16(1.0f / 3.0f));
  EXPECT_TRUE(std::isinf(inv[3]));
  const auto rs = out_bf16(run_vec("vrsqrt.bf16 x3, x0", w), 2);
  EXPECT_EQ(rs[0], 0.5f);
  EXPECT_EQ(rs[1], 0.25f);
}

TEST(AieVector, Conversions) {
  Vectors v;
  set_bf16_lanes(v.x0, {2.5f, 3.5f, -2.5f, 1.0e6f, std::numeric_limits<float>::quiet_NaN(), -1.0e6f});
  EXPECT_EQ(out_lanes<int16_t>(run_vec("vcvt.i16.bf16 x3, x0", v), 6),
            (std::vector<int16_t>{2, 4, -2, 32767, 0, -32768}));
  Vectors w;
  set_lanes<int16_t>(w.x0, {257, 259, -3, 32767});
  EXPECT_EQ(out_bf16(run_vec("vcvt.bf16.i16 x3, x0", w), 4),
            (std::vector<float>{256.0f, 260.0f, -3.0f, 32768.0f}));
}

// ---- MAC ----

TEST(AieMac, Int8LanesAreA4x8TimesB8x8) {
  Vectors v;
  std::vector<int8_t> a(32), b(64);
  for (int i = 0; i < 4; ++i)
    for (int k = 0; k < 8; ++k) a[i * 8 + k] = static_cast<int8_t>(i + 1 + k);
  for (int k = 0; k < 8; ++k)
    for (int j = 0; j < 8; ++j) b[k * 8 + j] = static_cast<int8_t>(k - j);
  set_lanes(v.x0, a);
  set_lanes(v.x1, b);
  Outcome r = run_vec("mmul.i8 cm0, x0, x1\nmmac.i8 cm0, x0, x1\nnop\nnop\nnop\nvsrs.i16 x3, cm0, 1", v);
  const auto c = out_lanes<int16_t>(r, 32);
  // Hand-computed: C[0][0] = sum_k (1+k)*k = 168; C[3][7] = sum_k (4+k)(k-7) = -168.
  EXPECT_EQ(c[0], 168);
  EXPECT_EQ(c[31], -168);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 8; ++j) {
      int sum = 0;
      for (int k = 0; k < 8; ++k) sum += a[i * 8 + k] * b[k * 8 + j];
      EXPECT_EQ(c[i * 8 + j], sum) << i << "," << j;  // 2*sum >> 1
    }
  EXPECT_EQ(r.result.macs, 512u);
  EXPECT_EQ(r.result.instruction_mix.at("mmac.i8"), 1u);
}

TEST(AieMac, Int8UsesOnlyTheLowHalfOfA) {
  // wh0 is never written: mmul.i8 must not read it.
  Outcome r = run_with(R"(
    movi p0, 0
    vld wl0, [p0]
    vldx x1, [p0]
    nop
    nop
    nop
    mmul.i8 cm0, x0, x1
    done
)", [](aie::MachineState&) {});
  EXPECT_TRUE(r.result.ok()) << trap_text(r.result);
}

TEST(AieMac, Int16LanesAccumulateIn64Bits) {
  Vectors v;
  std::vector<int16_t> a(16), b(16);
  for (int i = 0; i < 16; ++i) a[i] = 30000, b[i] = static_cast<int16_t>(i % 2 ? -30000 : 30000);
  a[0] = 1, a[1] = 2, a[2] = 3, a[3] = 4;  // row 0 small
  set_lanes(v.x0, a);
  set_lanes(v.x1, b);
  Outcome r = run_vec("mmul.i16 cm0, x0, x1\nnop\nnop\nnop\nvsrs.i16 x3, cm0, 20", v);
  const auto c = out_lanes<int16_t>(r, 16);
  // Row 0, column 0: (1+2+3+4) * 30000 = 300000 >> 20 = 0; rows 1..3 column 0:
  // 4 * 9e8 = 3.6e9 (beyond int32) >> 20 = 3433 (floor); odd columns -3433.2 -> -3434.
  EXPECT_EQ(c[0], 0);
  EXPECT_EQ(c[4], 3433);
  EXPECT_EQ(c[5], -3434);
  Outcome s = run_vec("mmul.i16 cm0, x0, x1\nnop\nnop\nnop\nvsrs.i16 x3, cm0, 8", v);
  EXPECT_EQ(out_lanes<int16_t>(s, 16)[4], 32767);  // saturated
  EXPECT_EQ(s.result.macs, 64u);
}

TEST(AieMac, Bf16LanesAreA4x8TimesB8x4InFp32) {
  Vectors v;
  std::vector<float> a(32), b(32);
  for (int i = 0; i < 32; ++i) {
    a[i] = aie::round_to_bf16(0.37f * static_cast<float>(i) - 5.0f);
    b[i] = aie::round_to_bf16(1.0f / static_cast<float>(i + 1));
  }
  set_bf16_lanes(v.x0, a);
  set_bf16_lanes(v.x1, b);
  Outcome r = run_vec("mmul.bf16 cm0, x0, x1\nnop\nnop\nnop\nnop\nvsrs.bf16 x3, cm0", v);
  const auto c = out_bf16(r, 32);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      float sum = 0.0f;
      for (int k = 0; k < 8; ++k) sum += a[i * 8 + k] * b[k * 4 + j];
      EXPECT_EQ(c[i * 4 + j], aie::round_to_bf16(sum)) << i << "," << j;
    }
  for (int lane = 16; lane < 32; ++lane) EXPECT_EQ(c[lane], 0.0f);
  EXPECT_EQ(r.result.macs, 128u);
  // Hand check of one lane: row 0 of A is -5, -4.63, ...; column 0 of B is 1, 1/5, 1/9, ...
}

TEST(AieMac, BackToBackAccumulationIsAllowedButReadOutWaits) {
  Vectors v;
  set_lanes<int8_t>(v.x0, {1});
  set_lanes<int8_t>(v.x1, {2});
  Outcome ok = run_vec("mmul.i8 cm1, x0, x1\nmmac.i8 cm1, x0, x1\nmmac.i8 cm1, x0, x1\nnop\nnop\nnop\n"
                       "vsrs.i8 x3, cm1, 0", v);
  EXPECT_EQ(out_lanes<int8_t>(ok, 1)[0], 6);
  Outcome early = run_with(std::string(kPrologue) + "mmul.i8 cm1, x0, x1\nnop\nvsrs.i8 x3, cm1, 0\ndone",
                           [](aie::MachineState&) {});
  ASSERT_TRUE(early.result.trap.has_value());
  EXPECT_EQ(early.result.trap->kind, aie::TrapKind::Hazard);
}

TEST(AieMac, AccumulatorTypeMismatchTraps) {
  Outcome r = run_with(std::string(kPrologue) + "mmul.i16 cm0, x0, x1\nnop\nnop\nnop\nmmac.i8 cm0, x0, x1\ndone",
                       [](aie::MachineState&) {});
  ASSERT_TRUE(r.result.trap.has_value());
  EXPECT_EQ(r.result.trap->kind, aie::TrapKind::AccumulatorMisuse);
  EXPECT_NE(r.result.trap->message.find("acc64"), std::string::npos);
  Outcome s = run_with(std::string(kPrologue) + "mmul.i8 cm0, x0, x1\nnop\nnop\nnop\nvsrs.bf16 x3, cm0\ndone",
                       [](aie::MachineState&) {});
  EXPECT_EQ(s.result.trap->kind, aie::TrapKind::AccumulatorMisuse);
  Outcome t = run_with(std::string(kPrologue) + "mmul.bf16 cm0, x0, x1\nnop\nnop\nnop\nnop\nvsrs.i8 x3, cm0, 0\ndone",
                       [](aie::MachineState&) {});
  EXPECT_EQ(t.result.trap->kind, aie::TrapKind::AccumulatorMisuse);
}

// ---- SRS / UPS ----

std::vector<int16_t> srs16(const std::vector<int16_t>& lanes, int shift, const std::string& mode) {
  Vectors v;
  set_lanes(v.x0, lanes);
  Outcome r = run_vec("vups.i16 cm0, x0, 0\nnop\nvsrs.i16 x3, cm0, " + std::to_string(shift) +
                          (mode.empty() ? "" : ", " + mode), v);
  return out_lanes<int16_t>(r, lanes.size());
}

TEST(AieSrs, RoundingModesOnTies) {
  const std::vector<int16_t> in = {6, 10, -6, -10, 7, -7, 5, -5};  // divided by 4
  EXPECT_EQ(srs16(in, 2, ""), (std::vector<int16_t>{1, 2, -2, -3, 1, -2, 1, -2}));  // floor
  EXPECT_EQ(srs16(in, 2, "floor"), (std::vector<int16_t>{1, 2, -2, -3, 1, -2, 1, -2}));
  EXPECT_EQ(srs16(in, 2, "rne"), (std::vector<int16_t>{2, 2, -2, -2, 2, -2, 1, -1}));
  EXPECT_EQ(srs16(in, 2, "rna"), (std::vector<int16_t>{2, 3, -2, -3, 2, -2, 1, -1}));
  EXPECT_EQ(srs16(in, 0, "rne"), in);
}

TEST(AieSrs, SaturatesToTheOutputType) {
  Vectors v;
  set_lanes<int16_t>(v.x0, {32000, -32000, 2032, 2040, -2056, 16});
  Outcome r = run_vec("vups.i16 cm0, x0, 4\nnop\nvsrs.i8 x3, cm0, 8, rne", v);
  // 32000*16/256 = 2000 -> 127; 2032/16 = 127; 2040/16 = 127.5 -> 128 -> 127; -2056/16 -> -128
  EXPECT_EQ(out_lanes<int8_t>(r, 6), (std::vector<int8_t>{127, -128, 127, 127, -128, 1}));
  // 32 acc32 lanes -> 32 int8 bytes; the high half of the result is zero.
  const auto all = out_lanes<int8_t>(r, 64);
  for (int i = 32; i < 64; ++i) EXPECT_EQ(all[i], 0);
}

TEST(AieUps, Int8AndBf16LoadUp) {
  Vectors v;
  set_lanes<int8_t>(v.x0, {-3, 7});
  Outcome r = run_vec("vups.i8 cm0, x0, 3\nnop\nvsrs.i16 x3, cm0, 0", v);
  EXPECT_EQ(out_lanes<int16_t>(r, 2), (std::vector<int16_t>{-24, 56}));
  Vectors w;
  set_bf16_lanes(w.x0, {1.5f, -2.0f});
  set_bf16_lanes(w.x1, {0.25f, 4.0f});
  Outcome s = run_vec("vups.bf16 cm0, x0\nvups.bf16 cm1, x1\nnop\nvadd.acc cm2, cm0, cm1\nnop\n"
                      "vsub.acc cm3, cm2, cm1\nnop\nvsrs.bf16 x3, cm2\nvsrs.bf16 x4, cm3", w);
  EXPECT_EQ(out_bf16(s, 2), (std::vector<float>{1.75f, 2.0f}));
}

}  // namespace
