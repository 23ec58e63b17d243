#include "coral/poison.h"

#include <algorithm>
#include <cstring>

namespace coral {
namespace {

uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// splitmix64 evaluated at a position: the n-th output of the stream seeded for (seed, region),
// so any word can be recomputed without generating the ones before it.
uint64_t stream_value(uint64_t seed, PoisonRegion region, uint64_t n) {
  const uint64_t start = mix64(seed ^ (0xA24BAED4963EE407ull * static_cast<uint64_t>(region)));
  return mix64(start + (n + 1) * 0x9E3779B97F4A7C15ull);
}

// Every poison word is a float of magnitude 2^10..2^18 with random sign and mantissa (about
// the range of PLENA's garbage): a kernel that reads memory it never wrote gets large, finite,
// seed-dependent numbers, which the checker reports with its "never wrote" hint, rather than
// NaN/Inf or denormals that would hide it. Integer reads see the same words.
uint32_t garbage_float_bits(uint32_t random) {
  const uint32_t exponent = 137 + ((random >> 23) & 7);  // 2^10 <= |value| < 2^18
  return (random & 0x807FFFFFu) | (exponent << 23);
}

uint64_t garbage_pair(uint64_t r) {
  return uint64_t{garbage_float_bits(static_cast<uint32_t>(r))} |
         uint64_t{garbage_float_bits(static_cast<uint32_t>(r >> 32))} << 32;
}

}  // namespace

uint32_t poison_word(uint64_t seed, PoisonRegion region, uint64_t word_index) {
  const uint64_t r = garbage_pair(stream_value(seed, region, word_index / 2));
  return static_cast<uint32_t>(word_index % 2 == 0 ? r : r >> 32);
}

void poison_fill(std::vector<uint8_t>& bytes, uint64_t seed, PoisonRegion region) {
  const std::size_t pairs = bytes.size() / 8;
  uint8_t* out = bytes.data();
  for (std::size_t i = 0; i < pairs; ++i) {
    const uint64_t r = garbage_pair(stream_value(seed, region, i));
    for (int b = 0; b < 8; ++b) out[i * 8 + static_cast<std::size_t>(b)] = static_cast<uint8_t>(r >> (8 * b));
  }
  const uint64_t tail = garbage_pair(stream_value(seed, region, pairs));
  for (std::size_t i = pairs * 8; i < bytes.size(); ++i)
    out[i] = static_cast<uint8_t>(tail >> (8 * (i - pairs * 8)));
}

}  // namespace coral
