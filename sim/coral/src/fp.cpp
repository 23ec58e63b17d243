#include "fp.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace coral::fp {
namespace {

template <typename T>
void fence_int(T& value) {
  asm volatile("" : "+r"(value));
}

// RMM result of an operation whose double result is exact or cannot be a tie.
template <typename Exact>
uint32_t rmm(Exact exact, uint32_t& flags) {
  HostRounding scope(kRNE);
  double e = exact();
  fence_value(e);
  const uint32_t raised = HostRounding::flags() & (kNV | kDZ | kNX);
  flags |= raised;
  return canonicalize(round_rmm(e, flags));
}

// Host operation under rounding mode rm, flags read back.
template <typename Op>
uint32_t host(int rm, uint32_t& flags, Op op) {
  HostRounding scope(rm);
  float r = op();
  fence_value(r);
  flags |= HostRounding::flags();
  return canonicalize(r);
}

double round_to_integer(double x, int rm) {
  switch (rm) {
    case kRTZ: return std::trunc(x);
    case kRDN: return std::floor(x);
    case kRUP: return std::ceil(x);
    case kRMM: return std::round(x);
    default: return std::nearbyint(x);  // the host mode is always RNE between operations
  }
}

}  // namespace

float round_rmm(double exact, uint32_t& flags) {
  if (std::isnan(exact) || std::isinf(exact)) return static_cast<float>(exact);
  // Largest finite float plus half an ulp: at or beyond it RMM overflows to infinity.
  const double overflow_edge = std::ldexp(2.0 - std::ldexp(1.0, -24), 127);
  if (std::fabs(exact) >= overflow_edge) {
    flags |= kOF | kNX;
    return std::copysign(std::numeric_limits<float>::infinity(), static_cast<float>(exact));
  }
  std::fesetround(FE_TOWARDZERO);
  double e = exact;
  fence_value(e);
  float toward_zero = static_cast<float>(e);
  fence_value(toward_zero);
  std::fesetround(FE_TONEAREST);
  if (static_cast<double>(toward_zero) == exact) return toward_zero;
  const float away = std::nextafter(toward_zero, std::copysign(std::numeric_limits<float>::infinity(),
                                                               toward_zero));
  const double below = std::fabs(exact - static_cast<double>(toward_zero));
  const double above = std::fabs(static_cast<double>(away) - exact);
  const float out = below < above ? toward_zero : away;
  flags |= kNX;
  if (std::isinf(out)) flags |= kOF;
  if (std::fabs(out) < std::numeric_limits<float>::min()) flags |= kUF;
  return out;
}

uint32_t add(uint32_t a, uint32_t b, int rm, uint32_t& flags) {
  const float x = to_float(a), y = to_float(b);
  if (rm == kRMM) return rmm([&] { return double{x} + double{y}; }, flags);
  return host(rm, flags, [&] {
    float p = x, q = y;
    fence_value(p);
    fence_value(q);
    return p + q;
  });
}

uint32_t sub(uint32_t a, uint32_t b, int rm, uint32_t& flags) {
  return add(a, b ^ 0x80000000u, rm, flags);
}

uint32_t mul(uint32_t a, uint32_t b, int rm, uint32_t& flags) {
  const float x = to_float(a), y = to_float(b);
  if (rm == kRMM) return rmm([&] { return double{x} * double{y}; }, flags);
  return host(rm, flags, [&] {
    float p = x, q = y;
    fence_value(p);
    fence_value(q);
    return p * q;
  });
}

// Division and square root results are never exactly halfway between two floats, so RMM
// equals RNE for them.
uint32_t div(uint32_t a, uint32_t b, int rm, uint32_t& flags) {
  const float x = to_float(a), y = to_float(b);
  return host(rm, flags, [&] {
    float p = x, q = y;
    fence_value(p);
    fence_value(q);
    return p / q;
  });
}

uint32_t sqrt(uint32_t a, int rm, uint32_t& flags) {
  const float x = to_float(a);
  return host(rm, flags, [&] {
    float p = x;
    fence_value(p);
    return std::sqrt(p);
  });
}

uint32_t fma(uint32_t a, uint32_t b, uint32_t c, bool negate_product, bool negate_addend, int rm,
             uint32_t& flags) {
  if (negate_product) a ^= 0x80000000u;
  if (negate_addend) c ^= 0x80000000u;
  // 0 * inf is invalid even when the addend is a quiet NaN (the host may not say so).
  if ((is_inf(a) && is_zero(b)) || (is_zero(a) && is_inf(b))) flags |= kNV;
  const float x = to_float(a), y = to_float(b), z = to_float(c);
  if (rm == kRMM) return rmm([&] { return std::fma(double{x}, double{y}, double{z}); }, flags);
  return host(rm, flags, [&] {
    float p = x, q = y, r = z;
    fence_value(p);
    fence_value(q);
    fence_value(r);
    return std::fma(p, q, r);
  });
}

namespace {
uint32_t min_max(uint32_t a, uint32_t b, uint32_t& flags, bool want_max) {
  if (is_snan(a) || is_snan(b)) flags |= kNV;
  if (is_nan(a) && is_nan(b)) return kCanonicalNan;
  if (is_nan(a)) return b;
  if (is_nan(b)) return a;
  if (is_zero(a) && is_zero(b)) return want_max ? (a & b) : (a | b);  // -0.0 < +0.0
  const bool a_less = to_float(a) < to_float(b);
  return (a_less != want_max) ? a : b;
}
}  // namespace

uint32_t min(uint32_t a, uint32_t b, uint32_t& flags) { return min_max(a, b, flags, false); }
uint32_t max(uint32_t a, uint32_t b, uint32_t& flags) { return min_max(a, b, flags, true); }

bool eq(uint32_t a, uint32_t b, uint32_t& flags) {
  if (is_nan(a) || is_nan(b)) {
    if (is_snan(a) || is_snan(b)) flags |= kNV;
    return false;
  }
  return to_float(a) == to_float(b);
}

bool lt(uint32_t a, uint32_t b, uint32_t& flags) {
  if (is_nan(a) || is_nan(b)) {
    flags |= kNV;
    return false;
  }
  return to_float(a) < to_float(b);
}

bool le(uint32_t a, uint32_t b, uint32_t& flags) {
  if (is_nan(a) || is_nan(b)) {
    flags |= kNV;
    return false;
  }
  return to_float(a) <= to_float(b);
}

uint32_t classify(uint32_t a) {
  const bool negative = a >> 31;
  const uint32_t exponent = (a >> 23) & 0xFF;
  const uint32_t mantissa = a & 0x7FFFFF;
  if (exponent == 0xFF) {
    if (mantissa == 0) return negative ? 1u << 0 : 1u << 7;
    return (mantissa & 0x400000) ? 1u << 9 : 1u << 8;
  }
  if (exponent == 0) {
    if (mantissa == 0) return negative ? 1u << 3 : 1u << 4;
    return negative ? 1u << 2 : 1u << 5;
  }
  return negative ? 1u << 1 : 1u << 6;
}

uint32_t to_int32(uint32_t a, int rm, uint32_t& flags) {
  if (is_nan(a)) {
    flags |= kNV;
    return 0x7FFFFFFFu;
  }
  const double x = to_float(a);
  const double r = round_to_integer(x, rm);
  if (r > 2147483647.0) {
    flags |= kNV;
    return 0x7FFFFFFFu;
  }
  if (r < -2147483648.0) {
    flags |= kNV;
    return 0x80000000u;
  }
  if (r != x) flags |= kNX;
  return static_cast<uint32_t>(static_cast<int32_t>(r));
}

uint32_t to_uint32(uint32_t a, int rm, uint32_t& flags) {
  if (is_nan(a)) {
    flags |= kNV;
    return 0xFFFFFFFFu;
  }
  const double x = to_float(a);
  const double r = round_to_integer(x, rm);
  if (r > 4294967295.0) {
    flags |= kNV;
    return 0xFFFFFFFFu;
  }
  if (r < 0.0) {
    flags |= kNV;
    return 0;
  }
  if (r != x) flags |= kNX;
  return static_cast<uint32_t>(r);
}

uint32_t from_int32(int32_t value, int rm, uint32_t& flags) {
  if (rm == kRMM) return rmm([&] { return static_cast<double>(value); }, flags);
  return host(rm, flags, [&] {
    int32_t v = value;
    fence_int(v);
    return static_cast<float>(v);
  });
}

uint32_t from_uint32(uint32_t value, int rm, uint32_t& flags) {
  if (rm == kRMM) return rmm([&] { return static_cast<double>(value); }, flags);
  return host(rm, flags, [&] {
    uint32_t v = value;
    fence_int(v);
    return static_cast<float>(v);
  });
}

// ---- vfrsqrt7 / vfrec7 ----
//
// The RVV spec's 7-bit estimate tables are the correctly rounded value at the midpoint of each
// input interval, so they are generated here from that definition rather than typed in:
//   rsqrt: index = exponent LSB (1 bit) : 6 significand MSBs; entry = round(128 * (2/sqrt(s) - 1))
//          where s is the interval midpoint, doubled when the biased exponent is even;
//   rec:   index = 7 significand MSBs; entry = round(128 * (2/s - 1)).
namespace {

struct EstimateTables {
  uint8_t rsqrt[128];
  uint8_t rec[128];
  EstimateTables() {
    for (int i = 0; i < 128; ++i) {
      const double mid6 = 1.0 + ((i & 63) + 0.5) / 64.0;
      const double s = (i >> 6) == 0 ? 2.0 * mid6 : mid6;
      rsqrt[i] = clamp7(std::nearbyint(128.0 * (2.0 / std::sqrt(s) - 1.0)));
      const double mid7 = 1.0 + (i + 0.5) / 128.0;
      rec[i] = clamp7(std::nearbyint(128.0 * (2.0 / mid7 - 1.0)));
    }
  }
  static uint8_t clamp7(double value) { return static_cast<uint8_t>(std::min(127.0, std::max(0.0, value))); }
};

const EstimateTables& estimate_tables() {
  static const EstimateTables tables;
  return tables;
}

// Positive finite non-zero x = 2^(biased - 127) * (1 + fraction), normalising subnormals;
// returns the biased exponent (<= 0 for subnormals) and the 23 fraction bits.
int normalize(uint32_t bits, uint32_t& fraction) {
  int exponent = static_cast<int>((bits >> 23) & 0xFF);
  fraction = bits & 0x7FFFFF;
  if (exponent == 0) {
    exponent = 1;
    while (!(fraction & 0x800000)) {
      fraction <<= 1;
      --exponent;
    }
    fraction &= 0x7FFFFF;
  }
  return exponent;
}

}  // namespace

uint32_t rsqrt7(uint32_t a, uint32_t& flags) {
  const uint32_t sign = a & 0x80000000u;
  if (is_nan(a)) {
    if (is_snan(a)) flags |= kNV;
    return kCanonicalNan;
  }
  if (is_zero(a)) {
    flags |= kDZ;
    return sign | 0x7F800000u;
  }
  if (sign) {
    flags |= kNV;
    return kCanonicalNan;
  }
  if (is_inf(a)) return 0;
  uint32_t fraction;
  const int exponent = normalize(a, fraction);
  const uint32_t index = (static_cast<uint32_t>(exponent & 1) << 6) | (fraction >> 17);
  const int out_exponent = (3 * 127 - 1 - exponent) >> 1;  // floor: the numerator is positive
  return (static_cast<uint32_t>(out_exponent) << 23) | (uint32_t{estimate_tables().rsqrt[index]} << 16);
}

uint32_t rec7(uint32_t a, int rm, uint32_t& flags) {
  const uint32_t sign = a & 0x80000000u;
  if (is_nan(a)) {
    if (is_snan(a)) flags |= kNV;
    return kCanonicalNan;
  }
  if (is_inf(a)) return sign;
  if (is_zero(a)) {
    flags |= kDZ;
    return sign | 0x7F800000u;
  }
  uint32_t fraction;
  const int exponent = normalize(a, fraction);
  const int out_exponent = 2 * 127 - 1 - exponent;
  if (out_exponent > 254) {
    // The reciprocal of a tiny subnormal overflows: infinity or the largest finite value,
    // by rounding direction.
    flags |= kOF | kNX;
    const bool to_infinity = rm == kRNE || rm == kRMM || (rm == kRUP && !sign) || (rm == kRDN && sign);
    return sign | (to_infinity ? 0x7F800000u : 0x7F7FFFFFu);
  }
  const uint32_t significand = uint32_t{estimate_tables().rec[fraction >> 16]} << 16;
  if (out_exponent >= 1) return sign | (static_cast<uint32_t>(out_exponent) << 23) | significand;
  // Exponent 0 or -1: a subnormal result, the implicit 1 shifted into the fraction.
  return sign | ((0x800000u | significand) >> (1 - out_exponent));
}

}  // namespace coral::fp
