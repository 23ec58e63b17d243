// Per-seed "uninitialised memory" pattern for the on-chip SRAMs.
//
// Real SRAM does not power up as zeros, and a benchmark whose memories start at zero rewards
// kernels that read locations they never wrote (an accumulator "cleared" by luck, a padding
// column assumed to be 0). poison() fills Vector, Matrix, FP and INT SRAM with finite values
// that are obviously wrong for any task (magnitudes 1024..131072, mixed signs) and differ per
// seed, so such a kernel fails at least one scoring seed instead of passing by accident.
//
// Call it on a fresh MachineState BEFORE the memory image (inputs, constants) is loaded: loaded
// data must overwrite the pattern. HBM is not filled (it is calloc'd and mostly untouched, and
// everything a kernel may read there is loaded or written by the kernel itself); registers
// keep their documented reset values (zero).
#pragma once

#include <cstdint>

#include "plena/machine_state.h"

namespace plena {

void poison(MachineState& state, uint64_t seed);

// The value poison() puts at `index` of a memory holding bf16 values (Matrix, Vector, FP SRAM)
// or of INT SRAM, for tests that want to recognise the pattern.
float poison_value(Memory memory, uint64_t seed, uint64_t index);
int32_t poison_int(uint64_t seed, uint64_t index);

}  // namespace plena
