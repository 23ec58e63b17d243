#include "statement_scanner.h"

#include <cctype>

namespace coral::assembler {
namespace {

bool is_symbol_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '$';
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\f\v");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\f\v");
  return text.substr(first, last - first + 1);
}

// Accumulates the comment-free characters of one statement and where it began.
class StatementBuilder {
 public:
  void add(char c, uint32_t line, uint32_t column) {
    if (text_.empty() && (c == ' ' || c == '\t')) return;
    if (text_.empty()) {
      line_ = line;
      column_ = column;
    }
    text_ += c;
  }
  void finish(std::vector<Statement>& out) {
    if (!text_.empty()) emit(out);
    text_.clear();
  }

 private:
  void emit(std::vector<Statement>& out) {
    std::size_t pos = 0;
    uint32_t column = column_;
    skip_labels(pos, column);
    // The head ends where LLVM's lexer ends an identifier (`.text"x"` and `.text(1)` are `.text`
    // and an operand), so the screen checks the directive LLVM will run. Backslashes stay in the
    // head, so a directive glued from macro parameters (`.inc\d`) is still seen as one.
    std::size_t end = pos;
    while (end < text_.size() && (is_symbol_char(text_[end]) || text_[end] == '\\')) ++end;
    if (end == pos)
      while (end < text_.size() && !std::isspace(static_cast<unsigned char>(text_[end]))) ++end;
    if (end == pos) return;
    Statement statement;
    statement.line = line_;
    statement.column = column;
    statement.head = text_.substr(pos, end - pos);
    statement.operands = trim(text_.substr(end));
    out.push_back(std::move(statement));
  }

  // `name:` and `"quoted name":` prefixes are labels, possibly several.
  void skip_labels(std::size_t& pos, uint32_t& column) {
    for (;;) {
      std::size_t end = pos;
      if (end < text_.size() && text_[end] == '"') {
        end = text_.find('"', end + 1);
        if (end == std::string::npos) return;
        ++end;
      } else {
        while (end < text_.size() && is_symbol_char(text_[end])) ++end;
      }
      if (end == pos || end >= text_.size() || text_[end] != ':') return;
      std::size_t next = end + 1;
      while (next < text_.size() && (text_[next] == ' ' || text_[next] == '\t')) ++next;
      column += static_cast<uint32_t>(next - pos);
      pos = next;
    }
  }

  std::string text_;
  uint32_t line_ = 0, column_ = 0;
};

// A character-level pass that knows strings, character literals and the comment forms.
class Scanner {
 public:
  explicit Scanner(const std::string& source) : source_(source) {}

  std::vector<Statement> run() {
    while (pos_ < source_.size()) step();
    builder_.finish(out_);
    return std::move(out_);
  }

 private:
  char peek(std::size_t ahead) const {
    return pos_ + ahead < source_.size() ? source_[pos_ + ahead] : '\0';
  }

  void advance() {
    if (source_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }

  void take() {
    builder_.add(source_[pos_], line_, column_);
    advance();
  }

  void step() {
    const char c = source_[pos_];
    if (c == '\n' || c == ';') {
      builder_.finish(out_);
      advance();
    } else if (c == '#' || (c == '/' && peek(1) == '/')) {
      while (pos_ < source_.size() && source_[pos_] != '\n') advance();
    } else if (c == '/' && peek(1) == '*') {
      skip_block_comment();
    } else if (c == '"') {
      take_string();
    } else if (c == '\'') {
      take_char_literal();
    } else {
      take();
    }
  }

  void skip_block_comment() {
    advance();
    advance();
    while (pos_ < source_.size() && !(source_[pos_] == '*' && peek(1) == '/')) advance();
    if (pos_ < source_.size()) {
      advance();
      advance();
    }
    builder_.add(' ', line_, column_);
  }

  void take_string() {
    take();
    while (pos_ < source_.size() && source_[pos_] != '"' && source_[pos_] != '\n') {
      if (source_[pos_] == '\\' && peek(1) != '\n' && peek(1) != '\0') take();
      take();
    }
    if (pos_ < source_.size() && source_[pos_] == '"') take();
  }

  void take_char_literal() {
    take();
    if (pos_ < source_.size() && source_[pos_] == '\\' && peek(1) != '\n') take();
    if (pos_ < source_.size() && source_[pos_] != '\n') take();
    if (pos_ < source_.size() && source_[pos_] == '\'') take();
  }

  const std::string& source_;
  std::size_t pos_ = 0;
  uint32_t line_ = 1, column_ = 1;
  StatementBuilder builder_;
  std::vector<Statement> out_;
};

}  // namespace

std::vector<Statement> scan_statements(const std::string& source) { return Scanner(source).run(); }

std::vector<std::string> split_operands(const std::string& operands) {
  std::vector<std::string> parts;
  std::string current;
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < operands.size(); ++i) {
    const char c = operands[i];
    if (in_string) {
      current += c;
      if (c == '\\' && i + 1 < operands.size()) current += operands[++i];
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '(') ++depth;
    if (c == ')' && depth > 0) --depth;
    if (c == ',' && depth == 0) {
      parts.push_back(trim(current));
      current.clear();
      continue;
    }
    current += c;
  }
  if (!trim(current).empty() || !parts.empty()) parts.push_back(trim(current));
  return parts;
}

}  // namespace coral::assembler
