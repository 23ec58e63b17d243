// Deterministic task inputs. The generator is our own (xoshiro256** + Box-Muller) rather than
// <random>'s distributions, whose output differs between standard libraries.
#pragma once

#include <cstdint>
#include <vector>

#include "kernelcraft/core/task.h"

namespace kc {

// Row-major values of one input tensor drawn from its distribution. Never constant: a draw
// that came out constant (only possible for tiny tensors) throws InputError.
std::vector<float> generate_input(const TaskInstance& instance, const BoundTensor& tensor,
                                  uint64_t seed);

// All inputs of `instance` in task order.
std::vector<std::vector<float>> generate_inputs(const TaskInstance& instance, uint64_t seed);

}  // namespace kc
