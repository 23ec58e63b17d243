// bfloat16 helpers shared by the simulator, the tests and the harness.
#pragma once

#include <cstdint>

namespace aie {

// float -> bf16 with round-to-nearest-even; NaN stays NaN (quiet, sign kept).
uint16_t float_to_bf16(float value);
float bf16_to_float(uint16_t bits);
inline float round_to_bf16(float value) { return bf16_to_float(float_to_bf16(value)); }

}  // namespace aie
