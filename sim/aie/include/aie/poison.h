// Per-seed "uninitialised memory" pattern for data memory, memory tile and DDR.
//
// A kernel that reads bytes it never wrote (an output buffer assumed zero, padding assumed
// cleared) must not get lucky. Every memory starts filled from splitmix64(seed, region):
// each 16-bit half-word is a bf16 of magnitude in [2^10, 2^18) with a random sign and mantissa,
// so a bf16 read gives large finite numbers, int8/int16 reads give seed-dependent noise, and
// nothing is NaN or Inf (which would hide the bug behind a different symptom).
#pragma once

#include <cstdint>
#include <vector>

#include "aie/machine.h"

namespace aie {

// The 16-bit value at half-word `index` of `memory` for `seed`.
uint16_t poison_halfword(uint64_t seed, MemoryKind memory, uint64_t index);
// Fills `bytes` (little-endian half-words; a trailing odd byte is filled too).
void poison_fill(std::vector<uint8_t>& bytes, uint64_t seed, MemoryKind memory);

}  // namespace aie
