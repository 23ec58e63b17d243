#include "kernelcraft/core/input_generator.h"

#include <algorithm>
#include <cmath>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/seeds.h"

namespace kc {
namespace {

class Xoshiro256 {
 public:
  explicit Xoshiro256(uint64_t seed) {
    for (auto& word : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      word = z ^ (z >> 31);
    }
  }

  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in (0, 1): 53 random bits, never exactly 0 (log() below needs that).
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace

std::vector<float> generate_input(const TaskInstance& instance, const BoundTensor& tensor,
                                  uint64_t seed) {
  Xoshiro256 rng(tensor_stream_seed(instance.task->name, instance.config, tensor.spec->name, seed));
  std::vector<float> values(static_cast<std::size_t>(tensor.elements));
  const bool normal = tensor.spec->distribution.kind == "normal";
  const double a = tensor.dist_first, b = tensor.dist_second;
  constexpr double kTwoPi = 6.283185307179586;
  for (std::size_t i = 0; i < values.size(); i += 2) {
    const double u1 = rng.uniform(), u2 = rng.uniform();
    double v1, v2;
    if (normal) {
      const double r = std::sqrt(-2.0 * std::log(u1));
      v1 = a + b * r * std::cos(kTwoPi * u2);
      v2 = a + b * r * std::sin(kTwoPi * u2);
    } else {
      v1 = a + (b - a) * u1;
      v2 = a + (b - a) * u2;
    }
    values[i] = static_cast<float>(v1);
    if (i + 1 < values.size()) values[i + 1] = static_cast<float>(v2);
  }
  if (values.size() > 1 &&
      std::all_of(values.begin(), values.end(), [&](float v) { return v == values.front(); }))
    throw InputError("task " + instance.task->name + ": input '" + tensor.spec->name +
                     "' came out constant for seed " + std::to_string(seed));
  return values;
}

std::vector<std::vector<float>> generate_inputs(const TaskInstance& instance, uint64_t seed) {
  std::vector<std::vector<float>> inputs;
  for (const BoundTensor* t : instance.inputs()) inputs.push_back(generate_input(instance, *t, seed));
  return inputs;
}

}  // namespace kc
