#include "plena/poison.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace plena {
namespace {

// The pattern repeats with this period (a prime, so it never lines up with VLEN rows, tiles or
// heads: neighbouring rows hold different garbage). Generating one period and copying it keeps
// a 4 Mi-element Vector SRAM fill at memcpy speed.
constexpr uint64_t kPeriod = 4099;

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// A stream per (seed, memory), so each SRAM gets its own garbage.
uint64_t stream_start(uint64_t seed, uint64_t salt) {
  uint64_t state = seed ^ (0xA24BAED4963EE407ull * (salt + 1));
  return splitmix64(state);
}

// A bf16-exact float with |x| in [2^10, 2^17): sign, exponent and 7 mantissa bits all random.
float bf16_from_bits(uint64_t r) {
  const uint32_t sign = static_cast<uint32_t>(r & 1u) << 31;
  const uint32_t exponent = 127u + 10u + static_cast<uint32_t>((r >> 1) % 7u);
  const uint32_t mantissa = static_cast<uint32_t>((r >> 8) & 0x7Fu) << 16;
  const uint32_t bits = sign | (exponent << 23) | mantissa;
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

int32_t int_from_bits(uint64_t r) {
  const int32_t magnitude = 1000 + static_cast<int32_t>((r >> 1) % 99001u);  // 1000..100000
  return (r & 1u) ? -magnitude : magnitude;
}

template <typename T, typename Make>
std::vector<T> one_period(uint64_t seed, uint64_t salt, Make make) {
  uint64_t state = stream_start(seed, salt);
  std::vector<T> period(kPeriod);
  for (T& value : period) value = make(splitmix64(state));
  return period;
}

template <typename T, typename Alloc>
void fill_repeating(std::vector<T, Alloc>& memory, const std::vector<T>& period) {
  for (std::size_t at = 0; at < memory.size(); at += period.size()) {
    const std::size_t n = std::min(period.size(), memory.size() - at);
    std::copy_n(period.begin(), n, memory.begin() + static_cast<std::ptrdiff_t>(at));
  }
}

uint64_t salt_of(Memory memory) { return static_cast<uint64_t>(memory); }

}  // namespace

float poison_value(Memory memory, uint64_t seed, uint64_t index) {
  uint64_t state = stream_start(seed, salt_of(memory));
  uint64_t r = 0;
  for (uint64_t i = 0; i <= index % kPeriod; ++i) r = splitmix64(state);
  return bf16_from_bits(r);
}

int32_t poison_int(uint64_t seed, uint64_t index) {
  uint64_t state = stream_start(seed, salt_of(Memory::IntSram));
  uint64_t r = 0;
  for (uint64_t i = 0; i <= index % kPeriod; ++i) r = splitmix64(state);
  return int_from_bits(r);
}

void poison(MachineState& state, uint64_t seed) {
  for (Memory memory : {Memory::MatrixSram, Memory::VectorSram, Memory::FpSram}) {
    std::vector<float>& sram = memory == Memory::MatrixSram   ? state.matrix_sram
                               : memory == Memory::VectorSram ? state.vector_sram
                                                              : state.fp_sram;
    fill_repeating(sram, one_period<float>(seed, salt_of(memory), bf16_from_bits));
  }
  fill_repeating(state.int_sram, one_period<int32_t>(seed, salt_of(Memory::IntSram), int_from_bits));
}

}  // namespace plena
