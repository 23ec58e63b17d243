// Number formats used by the PLENA simulator: BF16 for on-chip vector/matrix
// SRAM, and OCP Microscaling (MX) FP8 E4M3 elements with E8M0 shared scales
// for data held in HBM.
//
// Every conversion here is exact and bit-deterministic: the simulator's
// results are compared bit-for-bit against reference outputs, so nothing may
// depend on the host's rounding mode or on accumulated floating-point error.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace plena::numerics {

// ---------------------------------------------------------------------------
// BF16 (1 sign, 8 exponent, 7 mantissa bits)
//
// The simulator keeps on-chip values in `float` and guarantees that the low 16
// bits of every stored pattern are zero, so BF16 is just the top half of a
// float. These helpers are inline because they run once per element on every
// simulated vector operation.
// ---------------------------------------------------------------------------

namespace detail {

inline std::uint32_t float_bits(float x) noexcept {
  std::uint32_t b;
  std::memcpy(&b, &x, sizeof b);  // memcpy rather than a pointer cast: no aliasing UB
  return b;
}

inline float bits_float(std::uint32_t b) noexcept {
  float x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

// Rounds a float bit pattern to the nearest BF16 pattern (ties to even) and
// returns it still in float layout (low 16 bits cleared).
inline std::uint32_t round_bits_to_bf16(std::uint32_t b) noexcept {
  // Adding 0x7FFF plus the kept LSB implements round-half-to-even in one step;
  // a carry out of the mantissa correctly bumps the exponent, and the largest
  // finite values carry into the inf pattern, which is what RNE prescribes.
  // (For NaN inputs the sum may wrap; that result is discarded below.)
  const std::uint32_t rounded = (b + 0x7FFFu + ((b >> 16) & 1u)) & 0xFFFF0000u;
  // Any NaN, including signalling ones whose payload lives only in the low half (which the
  // rounding add would otherwise turn into inf), collapses to the one canonical quiet NaN,
  // sign dropped: which operand's NaN an operation returns depends on the operand order the
  // compiler chose (vectorised loops swap them), so a kept sign would differ between builds
  // and between the C++ model and the RTL. A select rather than a branch, so that loops
  // rounding every lane vectorise.
  const bool nan = (b & 0x7FFFFFFFu) > 0x7F800000u;
  return nan ? 0x7FC00000u : rounded;
}

}  // namespace detail

// Round-to-nearest-even; every NaN -> the quiet NaN 0x7FC0 (sign dropped); +-inf stays inf;
// finite values that round past the largest BF16 become inf.
inline std::uint16_t float_to_bf16_bits(float x) noexcept {
  return static_cast<std::uint16_t>(detail::round_bits_to_bf16(detail::float_bits(x)) >> 16);
}

inline float bf16_bits_to_float(std::uint16_t bits) noexcept {
  return detail::bits_float(static_cast<std::uint32_t>(bits) << 16);
}

// Same result as bf16_bits_to_float(float_to_bf16_bits(x)), without the
// round trip through 16 bits.
inline float round_to_bf16(float x) noexcept {
  return detail::bits_float(detail::round_bits_to_bf16(detail::float_bits(x)));
}

// round_to_bf16(std::exp(x)). A bf16-exact x (every SRAM value and FP register is one) is looked
// up in a table of all 65,536 bf16 inputs, built on first use from the same std::exp; any other
// x is computed directly. Vector exp is the model's most expensive lane operation.
float exp_bf16(float x);

// True when the float's bit pattern is a BF16 pattern (low 16 bits zero).
// A NaN counts only if its payload fits in BF16, e.g. the canonical 0x7FC00000.
inline bool is_bf16_exact(float x) noexcept {
  return (detail::float_bits(x) & 0xFFFFu) == 0u;
}

// ---------------------------------------------------------------------------
// OCP MX FP8 E4M3 element: bias 7, no infinities, S.1111.111 is NaN,
// largest finite 448, smallest subnormal 2^-9.
// ---------------------------------------------------------------------------

// Round-to-nearest-even. Finite values beyond 448 and +-inf saturate to +-448
// (MX "saturate" convention). NaN -> 0x7F / 0xFF (sign kept). The sign of zero
// is kept too, so -0.0 and negative values that round to zero give 0x80.
std::uint8_t float_to_e4m3(float x);

// 0x7F / 0xFF decode to NaN; 0x80 decodes to -0.0.
float e4m3_to_float(std::uint8_t bits);

// ---------------------------------------------------------------------------
// E8M0 shared scale: 2^(e - 127); 0xFF is NaN.
// ---------------------------------------------------------------------------

// e == 0 gives 2^-127, a float subnormal; it is still exact.
float e8m0_to_float(std::uint8_t e);

// ---------------------------------------------------------------------------
// MX block (one E8M0 scale shared by kMxBlock E4M3 elements)
// ---------------------------------------------------------------------------

// PLENA's HBM layout groups 8 elements per shared scale.
constexpr std::size_t kMxBlock = 8;

struct MxBlock {
  std::uint8_t scale;
  std::array<std::uint8_t, kMxBlock> elems;
};

// Quantises values[0..n). Elements past n are encoded as +0 and values past
// kMxBlock are ignored (n is clamped rather than trusted, since an overrun
// would read beyond the caller's buffer).
//
// OCP MX rule: X = floor(log2(amax)) - 8 (8 is E4M3's emax);
// scale byte = clamp(X + 127, 0, 254); element = E4M3_RNE_saturate(x / 2^S)
// where S = scale byte - 127 is the clamped exponent actually stored, so the
// encoding always agrees with what the hardware will decode.
//
// Special cases:
//  * amax == 0          -> scale 127, all elements 0x00 (signs of zeros dropped).
//  * any NaN            -> scale 0xFF, all elements 0x7F.
//  * any +-inf (no NaN) -> treated exactly like a NaN block. E8M0/E4M3 cannot
//    represent infinity, and a finite saturated block would silently hide the
//    overflow from the kernel under test.
MxBlock quantize_mx_block(const float* values, std::size_t n);

// e4m3_to_float(elem) * 2^(scale - 127), rounded to BF16 (RNE) because the
// result lands in on-chip SRAM. Scale 0xFF or a NaN element gives NaN. The
// product is formed exactly first, so the BF16 rounding is the only rounding:
// tiny products round onto BF16's subnormal grid and products beyond the BF16
// range (possible only with scale bytes near 254) become +-inf.
float dequantize_mx_element(std::uint8_t elem, std::uint8_t scale);

}  // namespace plena::numerics
