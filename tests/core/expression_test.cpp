#include "kernelcraft/core/expression.h"

#include <gtest/gtest.h>

#include "kernelcraft/core/errors.h"

namespace kc {
namespace {

TEST(Expression, EvaluatesArithmeticWithPrecedenceAndNames) {
  const ExpressionBindings names = {{"NH", 4}, {"D", 64}, {"H", 10}};
  EXPECT_DOUBLE_EQ(evaluate_expression("NH*D", names), 256);
  EXPECT_DOUBLE_EQ(evaluate_expression("H-2", names), 8);
  EXPECT_DOUBLE_EQ(evaluate_expression("1 + 2 * 3", names), 7);
  EXPECT_DOUBLE_EQ(evaluate_expression("(1 + 2) * 3", names), 9);
  EXPECT_DOUBLE_EQ(evaluate_expression("-D / 4", names), -16);
  EXPECT_DOUBLE_EQ(evaluate_expression("1/sqrt(D)", names), 0.125);
  EXPECT_DOUBLE_EQ(evaluate_expression("1e-5", names), 1e-5);
  EXPECT_DOUBLE_EQ(evaluate_expression("exp(0)", names), 1);
}

TEST(Expression, ErrorsSayWhereAndWhat) {
  const ExpressionBindings names = {{"N", 8}};
  auto message = [&](const std::string& text) {
    try {
      evaluate_expression(text, names);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("M*2").find("unknown name 'M'"), std::string::npos);
  EXPECT_NE(message("M*2").find("known names: N"), std::string::npos);
  EXPECT_NE(message("N*").find("column 3"), std::string::npos);
  EXPECT_NE(message("(N").find("expected ')'"), std::string::npos);
  EXPECT_NE(message("N/0").find("division by zero"), std::string::npos);
  EXPECT_NE(message("log(N)").find("unknown function 'log'"), std::string::npos);
  EXPECT_NE(message("N N").find("unexpected 'N'"), std::string::npos);
  EXPECT_NE(message("sqrt(-N)").find("negative"), std::string::npos);
}

TEST(Expression, DimensionsMustBePositiveIntegers) {
  const ExpressionBindings names = {{"H", 2}, {"N", 6}};
  EXPECT_EQ(evaluate_dimension("N/2", names), 3);
  EXPECT_THROW(evaluate_dimension("H-2", names), InputError);  // zero
  EXPECT_THROW(evaluate_dimension("N/4", names), InputError);  // 1.5
  EXPECT_THROW(evaluate_dimension("-N", names), InputError);
}

}  // namespace
}  // namespace kc
