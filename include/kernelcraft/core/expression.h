// Arithmetic expressions used by task files for shapes, distributions and constants, e.g.
// "H-2", "NH*D", "1/sqrt(K)". Grammar: numbers (decimal, exponent), names bound by the caller,
// + - * /, unary minus, parentheses, and the functions sqrt(x) and exp(x).
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace kc {

using ExpressionBindings = std::map<std::string, double>;

// Evaluates `text`; a syntax error, an unknown name or a non-finite result throws
// kc::InputError whose message says where in the text and what was expected.
double evaluate_expression(const std::string& text, const ExpressionBindings& names);

// As evaluate_expression, but the result must be a positive integer (a tensor dimension).
int64_t evaluate_dimension(const std::string& text, const ExpressionBindings& names);

}  // namespace kc
