// Private: binary32 arithmetic with RISC-V semantics, shared by the scalar F instructions and
// the vector float instructions.
//
// Arithmetic runs on the host FPU (IEEE 754, tininess after rounding on x86-64 like RISC-V)
// under the instruction's rounding mode, with the host exception flags read back and mapped to
// fflags. What the host does differently is done in software: NaN results become the canonical
// NaN 0x7fc00000, min/max/compare/classify/sign-injection follow F 2.2, float->int conversions
// saturate as the spec says, and round-to-nearest-max-magnitude (RMM, which x86 lacks) is
// emulated from an exact (or tie-free) double result. Known approximation: an RMM fused
// multiply-add whose exact result needs more than 53 bits may differ in the last place.
#pragma once

#include <cfenv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace coral::fp {

constexpr uint32_t kCanonicalNan = 0x7fc00000u;
enum Flag : uint32_t { kNX = 1, kUF = 2, kOF = 4, kDZ = 8, kNV = 16 };
enum RoundingMode : int { kRNE = 0, kRTZ = 1, kRDN = 2, kRUP = 3, kRMM = 4 };

inline float to_float(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, 4);
  return value;
}
inline uint32_t to_bits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  return bits;
}
inline bool is_nan(uint32_t bits) { return (bits & 0x7fffffffu) > 0x7f800000u; }
inline bool is_snan(uint32_t bits) { return is_nan(bits) && !(bits & 0x00400000u); }
inline bool is_inf(uint32_t bits) { return (bits & 0x7fffffffu) == 0x7f800000u; }
inline bool is_zero(uint32_t bits) { return (bits & 0x7fffffffu) == 0; }

// Keeps the compiler from moving a floating-point operation across the flag reads.
template <typename T>
inline void fence_value(T& value) {
#if defined(__x86_64__) || defined(__i386__)
  asm volatile("" : "+x"(value));
#else
  asm volatile("" : "+m"(value));
#endif
}

// Clears the host flags and selects the host rounding mode for the operations that follow;
// restores round-to-nearest-even when destroyed. RMM maps to RNE on the host (callers that
// can produce ties emulate RMM themselves). On x86-64 the SSE control register is used
// directly: glibc's feclearexcept also resets the x87 unit and costs far more than the
// arithmetic it guards (the simulator's float arithmetic is all SSE).
class HostRounding {
 public:
  explicit HostRounding(int rm) : changed_(rm != kRNE && rm != kRMM) {
#if defined(__x86_64__)
    uint32_t csr = read_mxcsr() & ~kMxcsrFlags;
    if (changed_) csr = (csr & ~kMxcsrRounding) | mxcsr_rounding(rm);
    write_mxcsr(csr);
#else
    std::feclearexcept(FE_ALL_EXCEPT);
    if (changed_) std::fesetround(host_mode(rm));
#endif
  }
  ~HostRounding() {
    if (!changed_) return;
#if defined(__x86_64__)
    write_mxcsr(read_mxcsr() & ~kMxcsrRounding);
#else
    std::fesetround(FE_TONEAREST);
#endif
  }
  HostRounding(const HostRounding&) = delete;
  HostRounding& operator=(const HostRounding&) = delete;

  // The RISC-V flags raised since construction.
  static uint32_t flags() {
#if defined(__x86_64__)
    const uint32_t raised = read_mxcsr();
    uint32_t out = 0;
    if (raised & 0x20) out |= kNX;
    if (raised & 0x10) out |= kUF;
    if (raised & 0x08) out |= kOF;
    if (raised & 0x04) out |= kDZ;
    if (raised & 0x01) out |= kNV;
    return out;
#else
    const int raised = std::fetestexcept(FE_ALL_EXCEPT);
    uint32_t out = 0;
    if (raised & FE_INEXACT) out |= kNX;
    if (raised & FE_UNDERFLOW) out |= kUF;
    if (raised & FE_OVERFLOW) out |= kOF;
    if (raised & FE_DIVBYZERO) out |= kDZ;
    if (raised & FE_INVALID) out |= kNV;
    return out;
#endif
  }

 private:
#if defined(__x86_64__)
  static constexpr uint32_t kMxcsrFlags = 0x3F;        // IE DE ZE OE UE PE
  static constexpr uint32_t kMxcsrRounding = 0x6000;   // RC field
  static uint32_t read_mxcsr() {
    uint32_t value;
    asm volatile("stmxcsr %0" : "=m"(value));
    return value;
  }
  static void write_mxcsr(uint32_t value) { asm volatile("ldmxcsr %0" : : "m"(value)); }
  static uint32_t mxcsr_rounding(int rm) {
    switch (rm) {
      case kRTZ: return 0x6000;
      case kRDN: return 0x2000;
      case kRUP: return 0x4000;
      default: return 0;
    }
  }
#else
  static int host_mode(int rm) {
    switch (rm) {
      case kRTZ: return FE_TOWARDZERO;
      case kRDN: return FE_DOWNWARD;
      case kRUP: return FE_UPWARD;
      default: return FE_TONEAREST;
    }
  }
#endif
  bool changed_;
};

inline uint32_t canonicalize(float result) {
  const uint32_t bits = to_bits(result);
  return is_nan(bits) ? kCanonicalNan : bits;
}

// Rounds an exact (or tie-free) double to binary32 with ties away from zero.
float round_rmm(double exact, uint32_t& flags);

// ---- arithmetic: result bits; flags accumulate into `flags` ----
uint32_t add(uint32_t a, uint32_t b, int rm, uint32_t& flags);
uint32_t sub(uint32_t a, uint32_t b, int rm, uint32_t& flags);
uint32_t mul(uint32_t a, uint32_t b, int rm, uint32_t& flags);
uint32_t div(uint32_t a, uint32_t b, int rm, uint32_t& flags);
uint32_t sqrt(uint32_t a, int rm, uint32_t& flags);
// a * b + c with one rounding; negate_product / negate_addend give fmsub/fnmsub/fnmadd.
uint32_t fma(uint32_t a, uint32_t b, uint32_t c, bool negate_product, bool negate_addend, int rm,
             uint32_t& flags);

// ---- F 2.2 non-arithmetic operations ----
uint32_t min(uint32_t a, uint32_t b, uint32_t& flags);
uint32_t max(uint32_t a, uint32_t b, uint32_t& flags);
bool eq(uint32_t a, uint32_t b, uint32_t& flags);  // quiet: NV only for signaling NaNs
bool lt(uint32_t a, uint32_t b, uint32_t& flags);  // signaling: NV for any NaN
bool le(uint32_t a, uint32_t b, uint32_t& flags);
uint32_t classify(uint32_t a);                     // the 10-bit fclass mask

// ---- conversions ----
uint32_t to_int32(uint32_t a, int rm, uint32_t& flags);   // saturating, NaN -> INT32_MAX
uint32_t to_uint32(uint32_t a, int rm, uint32_t& flags);  // saturating, NaN -> UINT32_MAX
uint32_t from_int32(int32_t value, int rm, uint32_t& flags);
uint32_t from_uint32(uint32_t value, int rm, uint32_t& flags);

// ---- estimates (RVV vfrec7 / vfrsqrt7) ----
uint32_t rsqrt7(uint32_t a, uint32_t& flags);
uint32_t rec7(uint32_t a, int rm, uint32_t& flags);

}  // namespace coral::fp
