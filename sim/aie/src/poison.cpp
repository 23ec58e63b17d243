#include "aie/poison.h"

namespace aie {
namespace {

uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// The n-th value of a splitmix64 stream keyed by (seed, memory), computable at any position.
uint64_t stream_value(uint64_t seed, MemoryKind memory, uint64_t n) {
  const uint64_t key = mix64(seed ^ (0x5851F42D4C957F2Dull * (static_cast<uint64_t>(memory) + 1)));
  return mix64(key + (n + 1) * 0x9E3779B97F4A7C15ull);
}

// A bf16 with exponent 137..144 (|value| in [2^10, 2^18)), random sign and mantissa.
uint16_t garbage_bf16(uint16_t random) {
  const uint16_t exponent = static_cast<uint16_t>(137 + ((random >> 7) & 7));
  return static_cast<uint16_t>((random & 0x807F) | (exponent << 7));
}

uint16_t halfword_of(uint64_t r, unsigned k) {
  return garbage_bf16(static_cast<uint16_t>(r >> (16 * k)));
}

}  // namespace

uint16_t poison_halfword(uint64_t seed, MemoryKind memory, uint64_t index) {
  return halfword_of(stream_value(seed, memory, index / 4), static_cast<unsigned>(index % 4));
}

void poison_fill(std::vector<uint8_t>& bytes, uint64_t seed, MemoryKind memory) {
  const std::size_t halfwords = (bytes.size() + 1) / 2;
  for (std::size_t h = 0; h < halfwords; h += 4) {
    const uint64_t r = stream_value(seed, memory, h / 4);
    for (unsigned k = 0; k < 4 && h + k < halfwords; ++k) {
      const uint16_t v = halfword_of(r, k);
      const std::size_t at = 2 * (h + k);
      bytes[at] = static_cast<uint8_t>(v);
      if (at + 1 < bytes.size()) bytes[at + 1] = static_cast<uint8_t>(v >> 8);
    }
  }
}

}  // namespace aie
