#include "kernelcraft/core/comparison.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace kc {
namespace {

const Tolerance kTol{0.02, 0.02};

TEST(Comparison, IdenticalValuesPass) {
  const std::vector<float> g = {1, -2, 3, 0.5f};
  const TensorComparison c = compare_tensor("y", {2, 2}, g, g, kTol);
  EXPECT_TRUE(c.passed());
  EXPECT_EQ(c.mismatches, 0);
  EXPECT_DOUBLE_EQ(c.match_percent(), 100.0);
  EXPECT_DOUBLE_EQ(c.max_abs_error, 0.0);
}

TEST(Comparison, ToleranceCombinesTheRmsScaledFloorAndTheRelativeTerm) {
  // rms(golden) = 10 here, so the floor is 0.02 * 10 = 0.2, plus 0.02 * |10| per element.
  const std::vector<float> g = {10, -10, 10, -10};
  std::vector<float> a = {10.39f, -10.39f, 10, -10};  // within 0.2 + 0.2 = 0.4
  EXPECT_TRUE(compare_tensor("y", {4}, g, a, kTol).passed());
  a[1] = -10.41f;  // just outside
  const TensorComparison c = compare_tensor("y", {4}, g, a, kTol);
  EXPECT_FALSE(c.passed());
  EXPECT_EQ(c.mismatches, 1);
  ASSERT_EQ(c.first_mismatches.size(), 1u);
  EXPECT_EQ(c.first_mismatches[0].index, 1);
  EXPECT_NEAR(c.first_mismatches[0].allowed, 0.4, 1e-6);
}

TEST(Comparison, TheFloorScalesDownWithSmallOutputsSoZerosNeverPass) {
  // Softmax-like outputs: all tiny. rms = 0.001, so the floor is 2e-5.
  const std::vector<float> g = {0.001f, -0.001f, 0.001f, -0.001f};
  EXPECT_TRUE(compare_tensor("y", {4}, g, {0.00101f, -0.00101f, 0.001f, -0.001f}, kTol).passed());
  EXPECT_FALSE(compare_tensor("y", {4}, g, {0.0f, 0.0f, 0.0f, 0.0f}, kTol).passed());
}

TEST(Comparison, MismatchesAreLocatedByCoordinatesAndCapped) {
  std::vector<float> g(6 * 5, 1.0f), a = g;
  for (int i = 7; i < 30; ++i) a[i] = 0.0f;  // zeros from (1, 2) on
  const TensorComparison c = compare_tensor("out", {6, 5}, g, a, kTol, 3);
  EXPECT_EQ(c.mismatches, 23);
  ASSERT_EQ(c.first_mismatches.size(), 3u);
  EXPECT_EQ(c.first_mismatches[0].coords, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(c.first_mismatches[2].coords, (std::vector<int64_t>{1, 4}));
  EXPECT_NEAR(c.match_percent(), 100.0 * 7 / 30, 1e-9);
}

TEST(Comparison, NanAndInfinityAlwaysFail) {
  const std::vector<float> g = {1, 2};
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const TensorComparison c = compare_tensor("y", {2}, g, {nan, inf}, Tolerance{1, 1});
  EXPECT_EQ(c.mismatches, 2);
  EXPECT_EQ(c.nonfinite, 2);
  EXPECT_FALSE(c.passed());
}

TEST(Comparison, SizeMismatchIsAnInputError) {
  EXPECT_THROW(compare_tensor("y", {2}, {1, 2}, {1}, kTol), std::exception);
}

}  // namespace
}  // namespace kc
