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

}  // namespace

uint32_t poison_word(uint64_t seed, PoisonRegion region, uint64_t word_index) {
  const uint64_t r = stream_value(seed, region, word_index / 2);
  return static_cast<uint32_t>(word_index % 2 == 0 ? r : r >> 32);
}

void poison_fill(std::vector<uint8_t>& bytes, uint64_t seed, PoisonRegion region) {
  const std::size_t pairs = bytes.size() / 8;
  uint8_t* out = bytes.data();
  for (std::size_t i = 0; i < pairs; ++i) {
    const uint64_t r = stream_value(seed, region, i);
    for (int b = 0; b < 8; ++b) out[i * 8 + static_cast<std::size_t>(b)] = static_cast<uint8_t>(r >> (8 * b));
  }
  const uint64_t tail = stream_value(seed, region, pairs);
  for (std::size_t i = pairs * 8; i < bytes.size(); ++i)
    out[i] = static_cast<uint8_t>(tail >> (8 * (i - pairs * 8)));
}

}  // namespace coral
