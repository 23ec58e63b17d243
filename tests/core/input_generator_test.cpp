#include "kernelcraft/core/input_generator.h"

#include <cmath>
#include <numeric>

#include <gtest/gtest.h>

#include "kernelcraft/core/seeds.h"

namespace kc {
namespace {

std::shared_ptr<const TaskSpec> suite_task(const std::string& name) {
  static const auto suite = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  return find_task(suite, name);
}

TEST(InputGenerator, SameTaskConfigSeedGivesIdenticalValues) {
  const TaskInstance inst = bind_task(suite_task("gemm"), "C2");
  const auto a = generate_inputs(inst, kVisibleSeed);
  const auto b = generate_inputs(inst, kVisibleSeed);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a, b);
}

TEST(InputGenerator, SeedsTensorsAndConfigsGiveIndependentStreams) {
  const TaskInstance c2 = bind_task(suite_task("gemm"), "C2");
  const auto visible = generate_inputs(c2, kVisibleSeed);
  const auto hidden = generate_inputs(c2, hidden_seeds()[0]);
  EXPECT_NE(visible[0], hidden[0]);
  // The two inputs of one seed differ from each other too.
  EXPECT_NE(std::vector<float>(visible[0].begin(), visible[0].begin() + 16),
            std::vector<float>(visible[1].begin(), visible[1].begin() + 16));
  const TaskInstance c3 = bind_task(suite_task("gemm"), "C3");
  EXPECT_NE(generate_inputs(c3, kVisibleSeed)[0][0], visible[0][0]);
}

TEST(InputGenerator, NormalDrawsMatchTheirDistribution) {
  const TaskInstance inst = bind_task(suite_task("relu"), "C5");
  const BoundTensor& x = *inst.inputs()[0];
  const auto values = generate_input(inst, x, hidden_seeds()[1]);
  ASSERT_GT(values.size(), 10000u);
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / values.size();
  double var = 0;
  for (float v : values) var += (v - mean) * (v - mean);
  var /= values.size();
  EXPECT_NEAR(mean, x.dist_first, 0.05);
  EXPECT_NEAR(std::sqrt(var), x.dist_second, 0.05 * x.dist_second);
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  EXPECT_LT(*lo, x.dist_first - 2 * x.dist_second);  // tails exist: not a constant or a clamp
  EXPECT_GT(*hi, x.dist_first + 2 * x.dist_second);
}

TEST(InputGenerator, AtLeastThreeHiddenSeedsDistinctFromTheVisibleOne) {
  const auto& hidden = hidden_seeds();
  ASSERT_GE(hidden.size(), 3u);
  for (uint64_t s : hidden) EXPECT_NE(s, kVisibleSeed);
}

TEST(InputGenerator, EveryShippedInputIsNonDegenerateForEverySeed) {
  const auto suite = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  for (const auto& task : suite) {
    const TaskInstance inst = bind_task(task, "C1");
    for (uint64_t seed : {kVisibleSeed, hidden_seeds()[0]})
      for (const auto& values : generate_inputs(inst, seed)) {
        const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
        EXPECT_LT(*lo, *hi) << task->name;
        EXPECT_TRUE(std::all_of(values.begin(), values.end(), [](float v) { return std::isfinite(v); }));
      }
  }
}

}  // namespace
}  // namespace kc
