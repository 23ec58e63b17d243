#include "plena/numerics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace plena::numerics {
namespace {

constexpr int kE4m3Bias = 7;
constexpr int kE4m3MantBits = 3;
constexpr int kE4m3Emax = 8;    // exponent of the largest binade (448 = 1.75 * 2^8)
constexpr int kE4m3Emin = -6;   // smallest normal exponent; subnormals share its quantum
constexpr std::uint8_t kE4m3MaxFinite = 0x7E;
constexpr std::uint8_t kE4m3Nan = 0x7F;
constexpr int kE8m0Bias = 127;
constexpr std::uint8_t kE8m0Nan = 0xFF;

// Round a non-negative double holding at most a few significant bits to the
// nearest integer, ties to even. Done by hand so the result never depends on
// the process-wide floating-point rounding mode.
long round_half_even(double q) {
  const double fl = std::floor(q);
  const double frac = q - fl;  // exact: q and fl share an exponent range
  long n = static_cast<long>(fl);
  if (frac > 0.5 || (frac == 0.5 && (n & 1) != 0)) ++n;
  return n;
}

// Encodes x * 2^-shift as E4M3 without ever forming the scaled float, so no
// intermediate can underflow or overflow before the single final rounding.
std::uint8_t encode_e4m3_scaled(float x, int shift) {
  const std::uint8_t sign = std::signbit(x) ? 0x80 : 0x00;
  if (std::isnan(x)) return sign | kE4m3Nan;
  if (std::isinf(x)) return sign | kE4m3MaxFinite;
  if (x == 0.0f) return sign;

  int ex = 0;
  const double m = std::frexp(static_cast<double>(std::fabs(x)), &ex);  // |x| = m * 2^ex, m in [0.5, 1)
  const int e = ex - 1 - shift;  // unbiased exponent of the scaled value
  if (e > kE4m3Emax) return sign | kE4m3MaxFinite;

  // Below the normal range the quantum stops shrinking, which is exactly how
  // subnormals behave; clamping the exponent lets one formula cover both.
  const int e_eff = std::max(e, kE4m3Emin);
  // Quanta of size 2^(e_eff - 3) in the scaled value: m * 2^(ex - shift - e_eff + 3).
  const int k = ex - shift - e_eff + kE4m3MantBits;  // <= 4, so q < 16
  // m has 24 significant bits, so m * 2^k is exact in double; far below one
  // quantum the answer is 0 regardless, so skip ldexp before it could underflow.
  const long n = (k < -60) ? 0 : round_half_even(std::ldexp(m, k));

  // Code = ((e_eff + bias) << 3) + (n - 8) for normals, and plain n for
  // subnormals (e_eff == -6). Both collapse to ((e_eff + 6) << 3) + n, and a
  // rounding carry (n == 8 from a subnormal, n == 16 from a normal) lands on
  // the first code of the next binade automatically.
  const long code = (static_cast<long>(e_eff - kE4m3Emin) << kE4m3MantBits) + n;
  if (code > kE4m3MaxFinite) return sign | kE4m3MaxFinite;  // would be 0x7F (NaN) or beyond
  return sign | static_cast<std::uint8_t>(code);
}

// Decoding is called once per element on every simulated HBM load, so all 256
// values are precomputed.
std::array<float, 256> build_e4m3_table() {
  std::array<float, 256> t{};
  for (int b = 0; b < 256; ++b) {
    const int exp_field = (b >> kE4m3MantBits) & 0xF;
    const int mant = b & 0x7;
    float v;
    if ((b & 0x7F) == kE4m3Nan) {
      v = std::numeric_limits<float>::quiet_NaN();
    } else if (exp_field == 0) {
      v = std::ldexp(static_cast<float>(mant), kE4m3Emin - kE4m3MantBits);
    } else {
      v = std::ldexp(static_cast<float>(8 + mant), exp_field - kE4m3Bias - kE4m3MantBits);
    }
    t[static_cast<std::size_t>(b)] = (b & 0x80) ? -v : v;
  }
  return t;
}

const std::array<float, 256>& e4m3_table() {
  static const std::array<float, 256> table = build_e4m3_table();
  return table;
}

}  // namespace

std::uint8_t float_to_e4m3(float x) { return encode_e4m3_scaled(x, 0); }

float e4m3_to_float(std::uint8_t bits) { return e4m3_table()[bits]; }

float exp_bf16(float x) {
  static const std::vector<float> table = [] {
    std::vector<float> t(1u << 16);
    for (std::uint32_t b = 0; b < t.size(); ++b) t[b] = round_to_bf16(std::exp(bf16_bits_to_float(static_cast<std::uint16_t>(b))));
    return t;
  }();
  const std::uint32_t bits = detail::float_bits(x);
  if ((bits & 0xFFFFu) != 0) return round_to_bf16(std::exp(x));
  return table[bits >> 16];
}

float e8m0_to_float(std::uint8_t e) {
  if (e == kE8m0Nan) return std::numeric_limits<float>::quiet_NaN();
  return std::ldexp(1.0f, static_cast<int>(e) - kE8m0Bias);
}

MxBlock quantize_mx_block(const float* values, std::size_t n) {
  n = std::min(n, kMxBlock);

  MxBlock out{};
  float amax = 0.0f;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(values[i])) {
      out.scale = kE8m0Nan;
      out.elems.fill(kE4m3Nan);
      return out;
    }
    amax = std::max(amax, std::fabs(values[i]));
  }

  if (amax == 0.0f) {
    out.scale = static_cast<std::uint8_t>(kE8m0Bias);
    return out;  // elems already all 0x00
  }

  int ex = 0;
  std::frexp(amax, &ex);  // floor(log2(amax)) == ex - 1, exact even for float subnormals
  const int x_exp = (ex - 1) - kE4m3Emax;
  // The upper clamp can never bind (X <= 127 - 8) but keeps 0xFF (NaN) unreachable
  // by construction.
  const int scale_byte = std::clamp(x_exp + kE8m0Bias, 0, 254);
  out.scale = static_cast<std::uint8_t>(scale_byte);

  const int shift = scale_byte - kE8m0Bias;
  for (std::size_t i = 0; i < n; ++i) out.elems[i] = encode_e4m3_scaled(values[i], shift);
  return out;
}

float dequantize_mx_element(std::uint8_t elem, std::uint8_t scale) {
  if (scale == kE8m0Nan) return std::numeric_limits<float>::quiet_NaN();
  const float v = e4m3_to_float(elem);
  if (std::isnan(v)) return v;
  // The element has at most 4 significant bits and the smallest possible
  // product is 2^-136, well above float's 2^-149 subnormal step, so this ldexp
  // is exact (or overflows cleanly to inf); round_to_bf16 is the only rounding.
  return round_to_bf16(std::ldexp(v, static_cast<int>(scale) - kE8m0Bias));
}

}  // namespace plena::numerics
