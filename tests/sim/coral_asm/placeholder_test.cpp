#include <gtest/gtest.h>
TEST(CoralAsmPlaceholder, Builds) { EXPECT_EQ(1 + 1, 2); }
