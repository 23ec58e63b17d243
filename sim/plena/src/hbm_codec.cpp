#include "plena/hbm_codec.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>

#include "plena/machine_state.h"
#include "plena/numerics.h"

namespace plena {
namespace {

namespace nx = numerics;
constexpr uint64_t kBlock = nx::kMxBlock;
constexpr uint64_t kMaxU64 = std::numeric_limits<uint64_t>::max();

// Overflow-checked arithmetic: an a-register can hold any 64-bit value, so sums of addresses
// and offsets must never wrap around into a valid-looking address.
bool checked_add(uint64_t a, uint64_t b, uint64_t& out) {
  if (a > kMaxU64 - b) return false;
  out = a + b;
  return true;
}

bool checked_mul(uint64_t a, uint64_t b, uint64_t& out) {
  if (a != 0 && b > kMaxU64 / a) return false;
  out = a * b;
  return true;
}

bool range_end_fits(uint64_t addr, uint64_t bytes) { return addr <= kMaxU64 - bytes; }

std::string range_text(uint64_t addr, uint64_t bytes) {
  return "[" + std::to_string(addr) + ", " + std::to_string(addr + bytes) + ")";
}

// Both spans inside HBM, or an error naming the one that is not. The message is built only on
// failure: prefetches check every row through here.
bool check_span(const HbmSpan& span, HbmFormat format, uint64_t capacity, std::string& error) {
  const bool elems_fit = range_within(span.elem_addr, span.elem_bytes, capacity);
  if (elems_fit && range_within(span.scale_addr, span.scale_bytes, capacity)) return true;
  const std::string cap = " but HBM holds " + std::to_string(capacity) + " bytes";
  if (!elems_fit)
    error = std::string(hbm_format_name(format)) + " elements occupy HBM bytes " +
            range_text(span.elem_addr, span.elem_bytes) + cap;
  else
    error = "mxfp8 scales occupy HBM bytes " + range_text(span.scale_addr, span.scale_bytes) + cap;
  return false;
}

const char* kOverflow = "HBM address does not fit in 64 bits";

void write_mx(HbmBytes& hbm, const HbmSpan& span, const float* values,
              std::size_t n) {
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::size_t first = b * kBlock;
    const nx::MxBlock block = nx::quantize_mx_block(values + first, std::min<std::size_t>(kBlock, n - first));
    std::copy(block.elems.begin(), block.elems.end(), hbm.begin() + static_cast<std::ptrdiff_t>(span.elem_addr + first));
    hbm[span.scale_addr + b] = block.scale;
  }
}

void write_bf16(HbmBytes& hbm, uint64_t addr, const float* values, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const uint16_t bits = nx::float_to_bf16_bits(values[i]);
    hbm[addr + 2 * i] = static_cast<uint8_t>(bits & 0xFF);
    hbm[addr + 2 * i + 1] = static_cast<uint8_t>(bits >> 8);
  }
}

// All 256 E4M3 values, as bf16 (NaN codes as the canonical NaN), and all 256 E8M0 scales.
const std::array<float, 256>& e4m3_values() {
  static const std::array<float, 256> table = [] {
    std::array<float, 256> t{};
    for (std::size_t b = 0; b < t.size(); ++b)
      t[b] = nx::round_to_bf16(nx::e4m3_to_float(static_cast<uint8_t>(b)));
    return t;
  }();
  return table;
}

const std::array<float, 256>& e8m0_values() {
  static const std::array<float, 256> table = [] {
    std::array<float, 256> t{};
    for (std::size_t e = 0; e < t.size(); ++e) t[e] = nx::e8m0_to_float(static_cast<uint8_t>(e));
    return t;
  }();
  return table;
}

// Scales at or above 2^-117 make every nonzero product of an E4M3 value (at least 2^-9, at
// most 4 significant bits) a normal float or an infinity, which bf16 holds exactly: the
// product needs no rounding. Smaller scales can give float subnormals that bf16 must round.
constexpr uint8_t kSmallestExactScale = 127 - 117;
constexpr uint8_t kNanScale = 0xFF;  // E8M0's only NaN

bool is_e4m3_nan(uint8_t bits) { return (bits & 0x7F) == 0x7F; }

// Same values as numerics::dequantize_mx_element, computed one block at a time: the scale
// 2^(s - 127) is exact in float (2^-127 as a subnormal) and an E4M3 value has at most 4
// significant bits, so the float product is exact (or overflows to inf, as ldexp would) and
// round_to_bf16 is the only rounding. A NaN scale or element gives the canonical NaN.
// The simulator prefetches whole tiles through here, so the common case avoids per-element
// rounding and NaN propagation rules.
void read_mx_block(const uint8_t* elems, uint8_t scale, float* out, std::size_t count) {
  const std::array<float, 256>& e4m3 = e4m3_values();
  const float factor = e8m0_values()[scale];
  if (scale == kNanScale || scale < kSmallestExactScale) {
    for (std::size_t j = 0; j < count; ++j) out[j] = nx::round_to_bf16(e4m3[elems[j]] * factor);
    return;
  }
  const float nan = e4m3[0x7F];
  for (std::size_t j = 0; j < count; ++j) out[j] = is_e4m3_nan(elems[j]) ? nan : e4m3[elems[j]] * factor;
}

void read_mx(const HbmBytes& hbm, const HbmSpan& span, uint64_t elem_offset,
             float* out, std::size_t n) {
  const uint8_t* elems = hbm.data() + span.elem_addr;
  const uint8_t* scales = hbm.data() + span.scale_addr;
  uint64_t e = elem_offset;
  std::size_t i = 0;
  while (i < n) {
    const uint64_t block_end = (e / kBlock + 1) * kBlock;
    const std::size_t count = static_cast<std::size_t>(std::min<uint64_t>(n - i, block_end - e));
    read_mx_block(elems + i, scales[e / kBlock - elem_offset / kBlock], out + i, count);
    i += count;
    e += count;
  }
}

void read_bf16(const HbmBytes& hbm, uint64_t addr, float* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const auto lo = static_cast<uint16_t>(hbm[addr + 2 * i]);
    const auto hi = static_cast<uint16_t>(hbm[addr + 2 * i + 1]);
    out[i] = nx::bf16_bits_to_float(static_cast<uint16_t>(lo | (hi << 8)));
  }
}

}  // namespace

uint32_t hbm_element_bytes(HbmFormat format) { return format == HbmFormat::Bf16 ? 2 : 1; }

const char* hbm_format_name(HbmFormat format) {
  return format == HbmFormat::Bf16 ? "bf16" : "mxfp8";
}

bool hbm_read_span(HbmFormat format, uint64_t base, uint64_t scale_base, uint64_t elem_offset,
                   uint64_t n, HbmSpan& out) {
  out = HbmSpan{};
  uint64_t offset_bytes = 0;
  if (!checked_mul(elem_offset, hbm_element_bytes(format), offset_bytes)) return false;
  if (!checked_add(base, offset_bytes, out.elem_addr)) return false;
  if (!checked_mul(n, hbm_element_bytes(format), out.elem_bytes)) return false;
  if (!range_end_fits(out.elem_addr, out.elem_bytes)) return false;
  if (format == HbmFormat::Bf16 || n == 0) return true;
  uint64_t last = 0;
  if (!checked_add(elem_offset, n - 1, last)) return false;
  if (!checked_add(scale_base, elem_offset / kBlock, out.scale_addr)) return false;
  out.scale_bytes = last / kBlock - elem_offset / kBlock + 1;
  return range_end_fits(out.scale_addr, out.scale_bytes);
}

bool hbm_write_span(HbmFormat format, uint64_t base, uint64_t scale_base, uint64_t elem_offset,
                    uint64_t n, HbmSpan& out) {
  if (format == HbmFormat::Bf16) return hbm_read_span(format, base, scale_base, elem_offset, n, out);
  const uint64_t padded = n / kBlock * kBlock + (n % kBlock ? kBlock : 0);
  return hbm_read_span(format, base, scale_base, elem_offset, padded, out);
}

bool write_hbm_tensor(HbmBytes& hbm, HbmFormat format, uint64_t base,
                      uint64_t scale_base, uint64_t elem_offset, const float* values,
                      std::size_t n, std::string& error) {
  if (n == 0) return true;
  if (values == nullptr) {
    error = "no values to write";
    return false;
  }
  if (format == HbmFormat::Mxfp8 && elem_offset % kBlock != 0) {
    error = "mxfp8 writes must start at a block boundary: element offset " +
            std::to_string(elem_offset) + " is not a multiple of 8";
    return false;
  }
  HbmSpan span;
  if (!hbm_write_span(format, base, scale_base, elem_offset, n, span)) {
    error = kOverflow;
    return false;
  }
  if (!check_span(span, format, hbm.size(), error)) return false;
  if (format == HbmFormat::Mxfp8) write_mx(hbm, span, values, n);
  else write_bf16(hbm, span.elem_addr, values, n);
  return true;
}

bool read_hbm_tensor(const HbmBytes& hbm, HbmFormat format, uint64_t base,
                     uint64_t scale_base, uint64_t elem_offset, float* out, std::size_t n,
                     std::string& error) {
  if (n == 0) return true;
  if (out == nullptr) {
    error = "no output buffer";
    return false;
  }
  HbmSpan span;
  if (!hbm_read_span(format, base, scale_base, elem_offset, n, span)) {
    error = kOverflow;
    return false;
  }
  if (!check_span(span, format, hbm.size(), error)) return false;
  read_hbm_span(hbm, format, span, elem_offset, out, n);
  return true;
}

void read_hbm_span(const HbmBytes& hbm, HbmFormat format, const HbmSpan& span, uint64_t elem_offset,
                   float* out, std::size_t n) {
  if (format == HbmFormat::Mxfp8) read_mx(hbm, span, elem_offset, out, n);
  else read_bf16(hbm, span.elem_addr, out, n);
}

}  // namespace plena
