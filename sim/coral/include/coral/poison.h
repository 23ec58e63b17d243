// Per-seed "uninitialised memory" pattern for DTCM and EXT.
//
// Memory that starts at zero rewards kernels that read what they never wrote (an accumulator
// assumed cleared, a padding word assumed 0). With a poison seed, DTCM and EXT start filled
// with words derived from the seed by splitmix64 (different per region), each a float of
// magnitude 2^10..2^18, before the ELF and the harness's inputs are written over them.
#pragma once

#include <cstdint>
#include <vector>

namespace coral {

enum class PoisonRegion : uint8_t { Dtcm = 1, Ext = 2 };

// The 32-bit word the pattern puts at byte offset 4*word_index of `region`.
uint32_t poison_word(uint64_t seed, PoisonRegion region, uint64_t word_index);

// Fills `bytes` (little-endian words; a trailing partial word is filled too).
void poison_fill(std::vector<uint8_t>& bytes, uint64_t seed, PoisonRegion region);

}  // namespace coral
