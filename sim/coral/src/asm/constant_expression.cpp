#include "constant_expression.h"

#include <cctype>

namespace coral::assembler {
namespace {

// Recursive descent over a small grammar; any failure poisons the result.
class ConstantParser {
 public:
  ConstantParser(const std::string& text, const SymbolValues* symbols) : text_(text), symbols_(symbols) {}

  std::optional<int64_t> parse() {
    const int64_t value = additive();
    skip_space();
    if (failed_ || pos_ != text_.size()) return std::nullopt;
    return value;
  }

  bool met_zero_divisor() const { return zero_divisor_; }

 private:
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool accept(const char* token) {
    skip_space();
    std::size_t length = 0;
    while (token[length] != '\0') ++length;
    if (text_.compare(pos_, length, token) != 0) return false;
    pos_ += length;
    return true;
  }
  int64_t fail() {
    failed_ = true;
    return 0;
  }

  int64_t additive() {
    int64_t value = multiplicative();
    while (!failed_) {
      int64_t rhs = 0;
      if (accept("+")) {
        rhs = multiplicative();
        if (__builtin_add_overflow(value, rhs, &value)) return fail();
      } else if (accept("-")) {
        rhs = multiplicative();
        if (__builtin_sub_overflow(value, rhs, &value)) return fail();
      } else if (accept("|")) {
        value |= multiplicative();
      } else if (accept("&")) {
        value &= multiplicative();
      } else if (accept("^")) {
        value ^= multiplicative();
      } else {
        break;
      }
    }
    return value;
  }

  int64_t multiplicative() {
    int64_t value = unary();
    while (!failed_) {
      if (accept("*")) {
        if (__builtin_mul_overflow(value, unary(), &value)) return fail();
      } else if (accept("/") || accept("%")) {
        const bool is_division = text_[pos_ - 1] == '/';
        const int64_t rhs = unary();
        if (rhs == 0 && !failed_) zero_divisor_ = true;
        if (rhs == 0 || (value == INT64_MIN && rhs == -1)) return fail();
        value = is_division ? value / rhs : value % rhs;
      } else if (accept("<<")) {
        const int64_t rhs = unary();
        if (rhs < 0 || rhs > 62 || value < 0 || value > (INT64_MAX >> rhs)) return fail();
        value <<= rhs;
      } else if (accept(">>")) {
        const int64_t rhs = unary();
        if (rhs < 0 || rhs > 63) return fail();
        value >>= rhs;
      } else {
        break;
      }
    }
    return value;
  }

  int64_t unary() {
    if (accept("-")) {
      const int64_t value = unary();
      return value == INT64_MIN ? fail() : -value;
    }
    if (accept("~")) return ~unary();
    if (accept("+")) return unary();
    return primary();
  }

  int64_t primary() {
    skip_space();
    if (accept("(")) {
      const int64_t value = additive();
      return accept(")") ? value : fail();
    }
    if (pos_ < text_.size() && text_[pos_] == '\'') return character();
    if (pos_ < text_.size() && is_symbol_start(text_[pos_])) return symbol();
    return number();
  }

  int64_t character() {
    ++pos_;
    if (pos_ >= text_.size() || text_[pos_] == '\\') return fail();
    const int64_t value = static_cast<unsigned char>(text_[pos_++]);
    if (pos_ < text_.size() && text_[pos_] == '\'') ++pos_;
    return value;
  }

  int64_t number() {
    int base = 10;
    if (text_.compare(pos_, 2, "0x") == 0 || text_.compare(pos_, 2, "0X") == 0) {
      base = 16;
      pos_ += 2;
    } else if (text_.compare(pos_, 2, "0b") == 0 || text_.compare(pos_, 2, "0B") == 0) {
      base = 2;
      pos_ += 2;
    }
    const std::size_t start = pos_;
    int64_t value = 0;
    while (pos_ < text_.size()) {
      const int digit = digit_value(text_[pos_]);
      if (digit < 0 || digit >= base) break;
      if (__builtin_mul_overflow(value, base, &value) || __builtin_add_overflow(value, digit, &value))
        return fail();
      ++pos_;
    }
    if (pos_ == start) return fail();
    // A trailing identifier character means a symbol or a local label reference (1f, 2b).
    if (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) ||
                                text_[pos_] == '_' || text_[pos_] == '.'))
      return fail();
    return value;
  }

  static bool is_symbol_start(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '$';
  }

  int64_t symbol() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && (is_symbol_start(text_[pos_]) || std::isdigit(static_cast<unsigned char>(text_[pos_]))))
      ++pos_;
    if (symbols_ == nullptr) return fail();
    const auto found = symbols_->find(text_.substr(start, pos_ - start));
    return found == symbols_->end() ? fail() : found->second;
  }

  static int digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  const std::string& text_;
  const SymbolValues* symbols_;
  std::size_t pos_ = 0;
  bool failed_ = false;
  bool zero_divisor_ = false;
};

}  // namespace

std::optional<int64_t> evaluate_constant(const std::string& text, const SymbolValues* symbols) {
  return ConstantParser(text, symbols).parse();
}

bool divides_by_constant_zero(const std::string& text, const SymbolValues* symbols) {
  ConstantParser parser(text, symbols);
  parser.parse();
  return parser.met_zero_divisor();
}

}  // namespace coral::assembler
