// Output checking: simulated values against golden values, within a task's tolerance.
// Rule (docs/metrics.md): element i passes when it is finite and
//   |actual_i - golden_i| <= atol * rms(golden) + rtol * |golden_i|.
// The absolute floor is relative to the output's RMS: bf16 intermediates carry errors
// proportional to the magnitude of the values involved, not of each (possibly cancelled)
// result, and a floor in fixed units would accept anything for small outputs (softmax rows of
// 2048 columns are ~5e-4 each, so a fixed 0.02 would pass an all-zero kernel).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernelcraft/core/task.h"

namespace kc {

struct Mismatch {
  int64_t index = 0;            // row-major element index
  std::vector<int64_t> coords;  // the same index as tensor coordinates
  double golden = 0;
  double actual = 0;
  double allowed = 0;           // the tolerance for this element
};

struct TensorComparison {
  std::string tensor;
  std::vector<int64_t> shape;
  int64_t elements = 0;
  int64_t mismatches = 0;
  int64_t nonfinite = 0;         // NaN/Inf in the actual values (always mismatches)
  double max_abs_error = 0;
  double max_rel_error = 0;      // |actual - golden| / max(|golden|, rms(golden))
  double golden_rms = 0;
  std::vector<Mismatch> first_mismatches;

  bool passed() const { return mismatches == 0; }
  double match_percent() const;
};

TensorComparison compare_tensor(const std::string& name, const std::vector<int64_t>& shape,
                                const std::vector<float>& golden, const std::vector<float>& actual,
                                const Tolerance& tolerance, std::size_t max_reported = 8);

}  // namespace kc
