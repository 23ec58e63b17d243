// Integer constant expressions in operands and directives: decimal, 0x hex and 0b binary
// literals, .equ symbols, unary minus, * / + - << >> and parentheses. Overflow, division
// by zero, unknown symbols and nesting deeper than 32 levels are errors, never crashes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace aie {

struct ExprResult {
  bool ok = false;
  int64_t value = 0;
  std::size_t error_offset = 0;  // offset into the text of the offending token
  std::string error;
};

ExprResult evaluate_expression(std::string_view text, const std::map<std::string, int64_t>& symbols);

}  // namespace aie
