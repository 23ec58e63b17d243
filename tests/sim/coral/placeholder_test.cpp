#include <gtest/gtest.h>
TEST(CoralPlaceholder, Builds) { EXPECT_EQ(1 + 1, 2); }
