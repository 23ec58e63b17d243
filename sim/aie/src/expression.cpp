#include "expression.h"

#include <cctype>
#include <cstdint>

namespace aie {
namespace {

constexpr int kMaxDepth = 32;

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '.'; }
bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; }

class Parser {
 public:
  Parser(std::string_view text, const std::map<std::string, int64_t>& symbols)
      : text_(text), symbols_(symbols) {}

  ExprResult run() {
    ExprResult r;
    int64_t v = 0;
    skip();
    if (!shift(v, 0)) return error_;
    skip();
    if (pos_ != text_.size()) return fail("unexpected '" + std::string(1, text_[pos_]) + "'");
    r.ok = true;
    r.value = v;
    return r;
  }

 private:
  void skip() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool peek(std::string_view op) {
    skip();
    return text_.substr(pos_, op.size()) == op;
  }
  ExprResult fail(std::string message) {
    error_.ok = false;
    error_.error = std::move(message);
    error_.error_offset = pos_;
    return error_;
  }
  bool failb(std::string message) {
    fail(std::move(message));
    return false;
  }

  bool shift(int64_t& out, int depth) {
    if (!add(out, depth)) return false;
    for (;;) {
      const bool left = peek("<<"), right = peek(">>");
      if (!left && !right) return true;
      pos_ += 2;
      int64_t rhs;
      if (!add(rhs, depth)) return false;
      if (rhs < 0 || rhs > 62) return failb("shift amount must be 0..62");
      if (left) {
        if (out > (INT64_MAX >> rhs) || out < (INT64_MIN >> rhs)) return failb("value too large");
        out = static_cast<int64_t>(static_cast<uint64_t>(out) << rhs);
      } else {
        out >>= rhs;
      }
    }
  }

  bool add(int64_t& out, int depth) {
    if (!mul(out, depth)) return false;
    for (;;) {
      skip();
      if (pos_ >= text_.size() || (text_[pos_] != '+' && text_[pos_] != '-')) return true;
      const char op = text_[pos_++];
      int64_t rhs;
      if (!mul(rhs, depth)) return false;
      const bool overflow = op == '+' ? __builtin_add_overflow(out, rhs, &out)
                                      : __builtin_sub_overflow(out, rhs, &out);
      if (overflow) return failb("value too large");
    }
  }

  bool mul(int64_t& out, int depth) {
    if (!unary(out, depth)) return false;
    for (;;) {
      skip();
      if (pos_ >= text_.size() || (text_[pos_] != '*' && text_[pos_] != '/')) return true;
      const char op = text_[pos_++];
      int64_t rhs;
      if (!unary(rhs, depth)) return false;
      if (op == '*') {
        if (__builtin_mul_overflow(out, rhs, &out)) return failb("value too large");
      } else {
        if (rhs == 0) return failb("division by zero");
        if (out == INT64_MIN && rhs == -1) return failb("value too large");
        out /= rhs;
      }
    }
  }

  bool unary(int64_t& out, int depth) {
    if (depth > kMaxDepth) return failb("expression nested too deeply");
    skip();
    if (pos_ < text_.size() && text_[pos_] == '-') {
      ++pos_;
      if (!unary(out, depth + 1)) return false;
      if (out == INT64_MIN) return failb("value too large");
      out = -out;
      return true;
    }
    if (pos_ < text_.size() && text_[pos_] == '+') {
      ++pos_;
      return unary(out, depth + 1);
    }
    return primary(out, depth);
  }

  bool primary(int64_t& out, int depth) {
    skip();
    if (pos_ >= text_.size()) return failb("expected a number or a symbol");
    const char c = text_[pos_];
    if (c == '(') {
      ++pos_;
      if (!shift(out, depth + 1)) return false;
      skip();
      if (pos_ >= text_.size() || text_[pos_] != ')') return failb("missing ')'");
      ++pos_;
      return true;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) return number(out);
    if (ident_start(c)) {
      const std::size_t start = pos_;
      while (pos_ < text_.size() && ident_char(text_[pos_])) ++pos_;
      const std::string name(text_.substr(start, pos_ - start));
      auto it = symbols_.find(name);
      if (it == symbols_.end()) {
        pos_ = start;
        return failb("unknown symbol '" + name + "'");
      }
      out = it->second;
      return true;
    }
    return failb("unexpected '" + std::string(1, c) + "'");
  }

  bool number(int64_t& out) {
    unsigned base = 10;
    if (text_.substr(pos_, 2) == "0x" || text_.substr(pos_, 2) == "0X") base = 16, pos_ += 2;
    else if (text_.substr(pos_, 2) == "0b" || text_.substr(pos_, 2) == "0B") base = 2, pos_ += 2;
    const std::size_t start = pos_;
    uint64_t v = 0;
    while (pos_ < text_.size() && std::isalnum(static_cast<unsigned char>(text_[pos_]))) {
      const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(text_[pos_])));
      const unsigned d = std::isdigit(static_cast<unsigned char>(c)) ? static_cast<unsigned>(c - '0')
                                                                     : static_cast<unsigned>(c - 'a' + 10);
      if (d >= base) return failb("bad digit '" + std::string(1, text_[pos_]) + "' in a number");
      if (v > (static_cast<uint64_t>(INT64_MAX) - d) / base) return failb("number too large");
      v = v * base + d;
      ++pos_;
    }
    if (pos_ == start) return failb("digits expected after the base prefix");
    out = static_cast<int64_t>(v);
    return true;
  }

  std::string_view text_;
  const std::map<std::string, int64_t>& symbols_;
  std::size_t pos_ = 0;
  ExprResult error_;
};

}  // namespace

ExprResult evaluate_expression(std::string_view text, const std::map<std::string, int64_t>& symbols) {
  return Parser(text, symbols).run();
}

}  // namespace aie
