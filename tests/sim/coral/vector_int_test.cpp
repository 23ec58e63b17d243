#include <gtest/gtest.h>

#include <cstdint>

#include "harness.h"

namespace coral::test {
namespace {

using namespace enc;

// Loads v<reg> (SEW-typed values) from DTCM data laid out by the test.
template <typename T>
struct VectorData {
  std::vector<T> values;
};

// Runs `body` after loading v8 = a[], v16 = b[] (each up to 8 registers of T) with vl = n and
// the given SEW/LMUL; returns the harness for inspection.
template <typename T>
Harness& run_vv(Harness& h, const std::vector<T>& a, const std::vector<T>& b, uint32_t n, int lmul_log2,
                const std::vector<uint32_t>& body, std::vector<uint32_t> prologue = {}) {
  std::vector<T> data(256 / sizeof(T) * 2, 0);
  std::copy(a.begin(), a.end(), data.begin());
  std::copy(b.begin(), b.end(), data.begin() + static_cast<std::ptrdiff_t>(128 / sizeof(T)));
  h.data = bytes_of(data);
  Program p;
  p.li(s0, h.dtcm()).li(s1, h.dtcm() + 128).li(a0, n);
  for (uint32_t w : prologue) p << w;
  p << vsetvli(zero, a0, vtype(sizeof(T) * 8, lmul_log2)) << vle(sizeof(T) * 8, 8, s0) << vle(sizeof(T) * 8, 16, s1);
  for (uint32_t w : body) p << w;
  p << ebreak();
  const RunResult r = h.run(p);
  EXPECT_TRUE(r.ok()) << (r.trap ? r.trap->message : "");
  return h;
}

TEST(CoralVectorInt, SingleWidthArithmeticAllForms) {
  Harness h;
  const std::vector<int32_t> a = {5, -7, 100, INT32_MIN};
  const std::vector<int32_t> b = {3, 2, -100, -1};
  run_vv<int32_t>(h, a, b, 4, 0,
                  {opv(0x00, IVV, 1, 8, 16),              // vadd.vv
                   opv(0x02, IVV, 2, 8, 16),              // vsub.vv
                   opv(0x03, IVI, 3, 8, static_cast<uint32_t>(-2)),  // vrsub.vi: -2 - a
                   opv(0x00, IVX, 4, 8, a0),              // vadd.vx (a0 = 4)
                   opv(0x05, IVV, 5, 8, 16),              // vmin
                   opv(0x06, IVV, 6, 8, 16),              // vmaxu
                   opv(0x0B, IVI, 7, 8, static_cast<uint32_t>(-1)),  // vxor.vi: ~a
                   opv(0x25, MVV, 9, 8, 16),              // vmul
                   opv(0x27, MVV, 10, 8, 16),             // vmulh
                   opv(0x24, MVV, 11, 8, 16),             // vmulhu
                   opv(0x21, MVV, 12, 8, 16),             // vdiv
                   opv(0x23, MVV, 13, 8, 16)});           // vrem
  for (unsigned i = 0; i < 4; ++i) {
    const int64_t x = a[i], y = b[i];
    EXPECT_EQ(h.velem<int32_t>(1, i), static_cast<int32_t>(static_cast<uint32_t>(x) + static_cast<uint32_t>(y)));
    EXPECT_EQ(h.velem<int32_t>(2, i), static_cast<int32_t>(static_cast<uint32_t>(x) - static_cast<uint32_t>(y)));
    EXPECT_EQ(h.velem<int32_t>(3, i), static_cast<int32_t>(static_cast<uint32_t>(-2) - static_cast<uint32_t>(x)));
    EXPECT_EQ(h.velem<int32_t>(4, i), static_cast<int32_t>(static_cast<uint32_t>(x) + 4u));
    EXPECT_EQ(h.velem<int32_t>(5, i), std::min(a[i], b[i]));
    EXPECT_EQ(h.velem<uint32_t>(6, i), std::max(static_cast<uint32_t>(a[i]), static_cast<uint32_t>(b[i])));
    EXPECT_EQ(h.velem<int32_t>(7, i), ~a[i]);
    EXPECT_EQ(h.velem<uint32_t>(9, i), static_cast<uint32_t>(x * y));
    EXPECT_EQ(h.velem<int32_t>(10, i), static_cast<int32_t>((x * y) >> 32));
    EXPECT_EQ(h.velem<uint32_t>(11, i),
              static_cast<uint32_t>((uint64_t{static_cast<uint32_t>(a[i])} * static_cast<uint32_t>(b[i])) >> 32));
  }
  EXPECT_EQ(h.velem<int32_t>(12, 0), 1);
  EXPECT_EQ(h.velem<int32_t>(12, 3), INT32_MIN);  // overflow: the dividend
  EXPECT_EQ(h.velem<int32_t>(13, 1), -1);         // -7 % 2
  EXPECT_EQ(h.velem<int32_t>(13, 3), 0);
}

TEST(CoralVectorInt, DivisionByZeroAndShiftsMaskTheAmount) {
  Harness h;
  const std::vector<uint8_t> a = {200, 7, 0x80, 1};
  const std::vector<uint8_t> b = {0, 0, 9, 15};  // shift amounts use the low 3 bits at SEW 8
  run_vv<uint8_t>(h, a, b, 4, 0,
                  {opv(0x20, MVV, 1, 8, 16),   // vdivu: /0 -> 0xFF
                   opv(0x21, MVV, 2, 8, 16),   // vdiv: /0 -> -1
                   opv(0x22, MVV, 3, 8, 16),   // vremu: %0 -> dividend
                   opv(0x25, IVV, 4, 8, 16),   // vsll
                   opv(0x29, IVV, 5, 8, 16),   // vsra
                   opv(0x28, IVI, 6, 8, 7)});  // vsrl.vi 7
  EXPECT_EQ(h.velem<uint8_t>(1, 0), 0xFF);
  EXPECT_EQ(h.velem<uint8_t>(2, 1), 0xFF);
  EXPECT_EQ(h.velem<uint8_t>(3, 0), 200);
  EXPECT_EQ(h.velem<uint8_t>(4, 2), 0x00);  // 0x80 << 1
  EXPECT_EQ(h.velem<uint8_t>(4, 3), 0x80);  // 1 << 7
  EXPECT_EQ(h.velem<uint8_t>(5, 2), 0xC0);  // 0x80 >>a 1
  EXPECT_EQ(h.velem<uint8_t>(6, 0), 1);
}

TEST(CoralVectorInt, MultiplyAddFamily) {
  Harness h;
  const std::vector<int16_t> a = {2, -3, 4, 5};
  const std::vector<int16_t> b = {10, 20, 30, 40};
  run_vv<int16_t>(h, a, b, 4, 0,
                  {opv(0x17, IVV, 1, 0, 16),  // v1 = b (vmv.v.v)
                   opv(0x2D, MVV, 1, 8, 16),  // vmacc: v1 = a*b + b
                   opv(0x17, IVV, 2, 0, 16),
                   opv(0x2F, MVX, 2, 8, a0),  // vnmsac.vx: v2 = -(a0*a) + b, a0 = 4
                   opv(0x17, IVV, 3, 0, 16),
                   opv(0x29, MVV, 3, 8, 8),   // vmadd: v3 = a*v3 + a
                   opv(0x17, IVV, 4, 0, 16),
                   opv(0x2B, MVV, 4, 8, 8)}); // vnmsub: v4 = -(a*v4) + a
  for (unsigned i = 0; i < 4; ++i) {
    EXPECT_EQ(h.velem<int16_t>(1, i), a[i] * b[i] + b[i]);
    EXPECT_EQ(h.velem<int16_t>(2, i), -(4 * a[i]) + b[i]);
    EXPECT_EQ(h.velem<int16_t>(3, i), a[i] * b[i] + a[i]);
    EXPECT_EQ(h.velem<int16_t>(4, i), -(a[i] * b[i]) + a[i]);
  }
}

TEST(CoralVectorInt, WideningMultiplyAccumulateAndAdd) {
  Harness h;
  const std::vector<int8_t> a = {-128, 127, -1, 3, 0, 0, 0, 0};
  const std::vector<int8_t> b = {-128, 127, 2, -4, 0, 0, 0, 0};
  run_vv<int8_t>(h, a, b, 8, 0,
                 {opv(0x3B, MVV, 2, 8, 16),   // vwmul.vv v2-v3 (16-bit)
                  opv(0x38, MVV, 4, 8, 16),   // vwmulu.vv
                  opv(0x17, IVI, 6, 0, 0),    // v6 = 0 at SEW 8 (only v6 low half; clear the group)
                  opv(0x17, IVI, 7, 0, 0),
                  opv(0x3D, MVV, 6, 8, 16),   // vwmacc.vv v6-v7 += a*b
                  opv(0x3D, MVV, 6, 8, 16),   // twice
                  opv(0x3C, MVX, 10, 8, a0),  // vwmaccu.vx v10-v11 += 8 * a (unsigned)
                  opv(0x31, MVV, 12, 8, 16),  // vwadd.vv
                  opv(0x30, MVV, 14, 8, 16)}, // vwaddu.vv
                 {});
  for (unsigned i = 0; i < 4; ++i) {
    const int p = a[i] * b[i];
    EXPECT_EQ(h.velem<int16_t>(2, i), p);
    EXPECT_EQ(h.velem<uint16_t>(4, i), static_cast<uint16_t>(static_cast<uint8_t>(a[i]) * static_cast<uint8_t>(b[i])));
    EXPECT_EQ(h.velem<int16_t>(6, i), static_cast<int16_t>(2 * p));  // wraps at 16 bits
    EXPECT_EQ(h.velem<int16_t>(12, i), a[i] + b[i]);
    EXPECT_EQ(h.velem<uint16_t>(14, i), static_cast<uint8_t>(a[i]) + static_cast<uint8_t>(b[i]));
  }
  EXPECT_EQ(h.velem<uint16_t>(10, 0), 8u * 128u);
}

TEST(CoralVectorInt, WideningNeedsRoomAndAlignment) {
  Harness h;
  Program p;
  p << vsetivli(zero, 4, vtype(32, 0)) << opv(0x3B, MVV, 2, 8, 16) << ebreak();  // SEW 32: no 64-bit
  RunResult r = h.run(p);
  ASSERT_TRUE(r.trap);
  EXPECT_NE(r.trap->message.find("SEW must be 8 or 16"), std::string::npos);
  Program q;
  q << vsetivli(zero, 4, vtype(16, 0)) << opv(0x3B, MVV, 3, 8, 16) << ebreak();  // v3: odd 2-group
  r = h.run(q);
  ASSERT_TRUE(r.trap);
  EXPECT_NE(r.trap->message.find("2-register group"), std::string::npos);
  Program o;
  o << vsetivli(zero, 4, vtype(16, 0)) << opv(0x3B, MVV, 8, 8, 16) << ebreak();  // vd overlaps vs2
  r = h.run(o);
  ASSERT_TRUE(r.trap);
  EXPECT_NE(r.trap->message.find("overlap"), std::string::npos);
}

TEST(CoralVectorInt, NarrowingShiftsAndExtensions) {
  Harness h;
  const std::vector<int32_t> a = {0x12345678, -256, 0x00010000, 7};
  run_vv<int32_t>(h, a, {}, 4, 0,
                  {vsetivli(zero, 4, vtype(16, -1)),
                   opv(0x2C, IVI, 1, 8, 8),      // vnsrl.wi v1 = a >> 8 (16-bit)
                   opv(0x2D, IVI, 2, 8, 4),      // vnsra.wi v2 = a >>a 4
                   opv(0x2C, IVI, 8, 8, 0),      // vnsrl.wi v8, v8, 0: in-place truncation
                   vsetivli(zero, 4, vtype(32, 0)),
                   opv(0x12, MVV, 3, 1, 0x07),   // vsext.vf2 v3 = sext(v1 as 16-bit)
                   opv(0x12, MVV, 4, 1, 0x06)}); // vzext.vf2
  EXPECT_EQ(h.velem<uint16_t>(1, 0), 0x3456);
  EXPECT_EQ(h.velem<int16_t>(1, 1), -1);
  EXPECT_EQ(h.velem<uint16_t>(1, 2), 0x0100);
  EXPECT_EQ(h.velem<int16_t>(2, 1), -16);
  EXPECT_EQ(h.velem<uint16_t>(8, 0), 0x5678);
  EXPECT_EQ(h.velem<uint16_t>(8, 3), 7);
  EXPECT_EQ(h.velem<int32_t>(3, 1), -1);
  EXPECT_EQ(h.velem<int32_t>(4, 1), 0xFFFF);
  EXPECT_EQ(h.velem<int32_t>(3, 0), 0x3456);
}

TEST(CoralVectorInt, ComparesMergeVidAndMasking) {
  Harness h;
  const std::vector<int32_t> a = {1, -5, 3, 9, 0, 2, 2, -1};
  const std::vector<int32_t> b = {1, 5, 2, 9, 1, 2, 3, -2};
  run_vv<int32_t>(h, a, b, 8, 1,
                  {opv(0x18, IVV, 1, 8, 16),        // vmseq -> v1 bits
                   opv(0x1B, IVV, 2, 8, 16),        // vmslt
                   opv(0x1A, IVV, 3, 8, 16),        // vmsltu
                   opv(0x1F, IVI, 4, 8, 1),         // vmsgt.vi 1
                   opv(0x1B, IVV, 0, 8, 16),        // v0 = a < b
                   opv(0x17, IVV, 20, 8, 16, false),// vmerge.vvm v20 = v0 ? b : a  (vs2 = a)
                   opv(0x14, MVV, 22, 0, 0x11),     // vid.v v22-v23
                   opv(0x17, IVI, 24, 0, 0),        // v24-25 = 0
                   opv(0x00, IVI, 24, 8, 10, false)});  // masked vadd.vi: only where a < b
  EXPECT_EQ(h.velem<uint8_t>(1, 0), 0b00101001u);
  EXPECT_EQ(h.velem<uint8_t>(2, 0), 0b01010010u);
  EXPECT_EQ(h.velem<uint8_t>(3, 0), 0b01010000u);  // unsigned: -5 is huge, -1 > -2
  EXPECT_EQ(h.velem<uint8_t>(4, 0), 0b01101100u);
  for (unsigned i = 0; i < 8; ++i) {
    const bool lt = a[i] < b[i];
    EXPECT_EQ(h.velem<int32_t>(20, i), lt ? b[i] : a[i]);
    EXPECT_EQ(h.velem<uint32_t>(22, i), i);
    EXPECT_EQ(h.velem<int32_t>(24, i), lt ? a[i] + 10 : 0) << i;
  }
}

TEST(CoralVectorInt, MaskedInstructionMayNotWriteV0) {
  Harness h;
  Program p;
  p << vsetivli(zero, 4, vtype(32, 0)) << opv(0x00, IVV, 0, 8, 16, false) << ebreak();
  const RunResult r = h.run(p);
  ASSERT_TRUE(r.trap);
  EXPECT_NE(r.trap->message.find("v0"), std::string::npos);
}

TEST(CoralVectorInt, LmulEightGroupAddsThirtyTwoElements) {
  Harness h;
  std::vector<int32_t> a(32), b(32);
  for (int i = 0; i < 32; ++i) {
    a[static_cast<std::size_t>(i)] = i;
    b[static_cast<std::size_t>(i)] = 1000 * i;
  }
  std::vector<int32_t> data = a;
  data.insert(data.end(), b.begin(), b.end());
  h.data = bytes_of(data);
  Program p;
  p.li(s0, h.dtcm()).li(s1, h.dtcm() + 128).li(a0, 32);
  p << vsetvli(t0, a0, vtype(32, 3)) << vle(32, 8, s0) << vle(32, 16, s1) << opv(0x00, IVV, 24, 8, 16)
    << vse(32, 24, s0) << ebreak();
  ASSERT_TRUE(h.run(p).ok());
  EXPECT_EQ(h.x(t0), 32u);
  for (unsigned i = 0; i < 32; ++i) EXPECT_EQ(h.word_at(h.dtcm() + 4 * i), 1001u * i);
  Program q;
  q << vsetivli(zero, 4, vtype(32, 3)) << opv(0x00, IVV, 4, 8, 16) << ebreak();  // v4 is not a multiple of 8
  const RunResult r = h.run(q);
  ASSERT_TRUE(r.trap);
  EXPECT_EQ(r.trap->kind, TrapKind::IllegalInstruction);
}

}  // namespace
}  // namespace coral::test
