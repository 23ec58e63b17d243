// Evaluates the integer constant expressions GNU assembly allows in counts and sizes
// (numbers, character literals, parentheses, unary - ~ +, * / % << >> + - & | ^), so the
// source screen can bound `.rept 4*64` without asking LLVM. A symbol is constant only when
// `symbols` gives its value (see constant_symbols in source_screen.cpp); else non-constant.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace coral::assembler {

// nullopt when the text is not a constant expression or overflows 64 bits.
using SymbolValues = std::map<std::string, int64_t>;

std::optional<int64_t> evaluate_constant(const std::string& text, const SymbolValues* symbols = nullptr);

// True when evaluating the text meets a division or remainder whose divisor is a constant
// zero, e.g. `0/0` or `8 % (2-2)`; such a symbol value makes LLVM 16 abort at layout time.
bool divides_by_constant_zero(const std::string& text, const SymbolValues* symbols = nullptr);

}  // namespace coral::assembler
