#include "kernelcraft/core/workload_layout.h"

#include "kernelcraft/core/errors.h"

namespace kc {

int64_t TensorPlacement::offset_of(int64_t index) const {
  if (chunk <= 0) return index;
  const int64_t i = index / cols, j = index % cols;
  return ((j / chunk) * rows + i) * chunk + j % chunk;
}

const TensorPlacement& WorkloadLayout::placement(const std::string& tensor) const {
  for (const auto& p : tensors)
    if (p.tensor == tensor) return p;
  throw InputError("layout has no tensor '" + tensor + "'");
}

uint64_t WorkloadLayout::setting(const std::string& name) const {
  auto it = settings.find(name);
  if (it == settings.end()) throw InputError("layout has no setting '" + name + "'");
  return it->second;
}

std::vector<double> to_placement_order(const TensorPlacement& p, const std::vector<float>& values) {
  if (static_cast<int64_t>(values.size()) != p.elements())
    throw InputError("tensor '" + p.tensor + "': " + std::to_string(values.size()) +
                     " values for a placement of " + std::to_string(p.elements()));
  std::vector<double> stored(values.size());
  for (int64_t i = 0; i < p.elements(); ++i)
    stored[static_cast<std::size_t>(p.offset_of(i))] = values[static_cast<std::size_t>(i)];
  return stored;
}

std::vector<float> from_placement_order(const TensorPlacement& p, const std::vector<double>& stored) {
  if (static_cast<int64_t>(stored.size()) != p.elements())
    throw InputError("tensor '" + p.tensor + "': read back " + std::to_string(stored.size()) +
                     " values for a placement of " + std::to_string(p.elements()));
  std::vector<float> values(stored.size());
  for (int64_t i = 0; i < p.elements(); ++i)
    values[static_cast<std::size_t>(i)] =
        static_cast<float>(stored[static_cast<std::size_t>(p.offset_of(i))]);
  return values;
}

}  // namespace kc
