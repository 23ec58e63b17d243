#include "kernelcraft/core/comparison.h"

#include <algorithm>
#include <cmath>

#include "kernelcraft/core/errors.h"

namespace kc {
namespace {

std::vector<int64_t> unravel(int64_t index, const std::vector<int64_t>& shape) {
  std::vector<int64_t> coords(shape.size());
  for (std::size_t d = shape.size(); d-- > 0;) {
    coords[d] = index % shape[d];
    index /= shape[d];
  }
  return coords;
}

double root_mean_square(const std::vector<float>& values) {
  double sum = 0;
  for (float v : values) sum += static_cast<double>(v) * v;
  return values.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(values.size()));
}

}  // namespace

double TensorComparison::match_percent() const {
  return elements == 0 ? 100.0
                       : 100.0 * static_cast<double>(elements - mismatches) /
                             static_cast<double>(elements);
}

TensorComparison compare_tensor(const std::string& name, const std::vector<int64_t>& shape,
                                const std::vector<float>& golden, const std::vector<float>& actual,
                                const Tolerance& tolerance, std::size_t max_reported) {
  if (golden.size() != actual.size())
    throw InputError("output '" + name + "': " + std::to_string(actual.size()) +
                     " values to compare with " + std::to_string(golden.size()) + " golden values");
  TensorComparison result;
  result.tensor = name;
  result.shape = shape;
  result.elements = static_cast<int64_t>(golden.size());
  result.golden_rms = root_mean_square(golden);
  const double floor = tolerance.atol * result.golden_rms;
  const double rel_scale = std::max(result.golden_rms, 1e-30);
  for (std::size_t i = 0; i < golden.size(); ++i) {
    const double g = golden[i], a = actual[i];
    const double allowed = floor + tolerance.rtol * std::fabs(g);
    const bool finite = std::isfinite(a);
    const double error = finite ? std::fabs(a - g) : INFINITY;
    if (!finite) ++result.nonfinite;
    result.max_abs_error = std::max(result.max_abs_error, error);
    result.max_rel_error = std::max(result.max_rel_error, error / std::max(std::fabs(g), rel_scale));
    if (finite && error <= allowed) continue;
    ++result.mismatches;
    if (result.first_mismatches.size() < max_reported)
      result.first_mismatches.push_back(
          {static_cast<int64_t>(i), unravel(static_cast<int64_t>(i), shape), g, a, allowed});
  }
  return result;
}

}  // namespace kc
