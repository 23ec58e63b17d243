// Splits GNU-syntax RISC-V assembly into statements, the way LLVM's lexer delimits them:
// `#` and `//` start a comment, `/* */` spans lines, `;` and newlines end a statement, and
// strings/character literals are opaque. Leading labels are dropped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace coral::assembler {

struct Statement {
  uint32_t line = 0;     // 1-based
  uint32_t column = 0;   // 1-based column of `head`
  std::string head;      // mnemonic, directive or macro name as written
  std::string operands;  // the rest, trimmed, comments removed
};

std::vector<Statement> scan_statements(const std::string& source);

// Splits operands at top-level commas (outside strings and parentheses), trimmed.
std::vector<std::string> split_operands(const std::string& operands);

}  // namespace coral::assembler
