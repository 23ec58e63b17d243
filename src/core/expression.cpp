#include "kernelcraft/core/expression.h"

#include <cctype>
#include <cmath>

#include "kernelcraft/core/errors.h"

namespace kc {
namespace {

// Recursive descent over: sum := product (('+'|'-') product)*; product := unary (('*'|'/')
// unary)*; unary := '-' unary | primary; primary := number | name | name '(' sum ')' | '(' sum ')'.
class ExpressionParser {
 public:
  ExpressionParser(const std::string& text, const ExpressionBindings& names)
      : text_(text), names_(names) {}

  double parse() {
    const double value = sum();
    skip_spaces();
    if (pos_ != text_.size()) fail("unexpected '" + std::string(1, text_[pos_]) + "'");
    return value;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError("expression \"" + text_ + "\" at column " + std::to_string(pos_ + 1) +
                     ": " + what);
  }

  void skip_spaces() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  bool accept(char c) {
    skip_spaces();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  double sum() {
    double value = product();
    for (;;) {
      if (accept('+')) value += product();
      else if (accept('-')) value -= product();
      else return value;
    }
  }

  double product() {
    double value = unary();
    for (;;) {
      if (accept('*')) {
        value *= unary();
      } else if (accept('/')) {
        const double divisor = unary();
        if (divisor == 0) fail("division by zero");
        value /= divisor;
      } else {
        return value;
      }
    }
  }

  double unary() { return accept('-') ? -unary() : primary(); }

  double primary() {
    skip_spaces();
    if (pos_ >= text_.size()) fail("expected a number, a name or '('");
    const char c = text_[pos_];
    if (accept('(')) {
      const double value = sum();
      if (!accept(')')) fail("expected ')'");
      return value;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return number();
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') return name_or_call();
    fail("expected a number, a name or '(' but found '" + std::string(1, c) + "'");
  }

  double number() {
    const char* begin = text_.c_str() + pos_;
    char* end = nullptr;
    const double value = std::strtod(begin, &end);
    if (end == begin) fail("malformed number");
    pos_ += static_cast<std::size_t>(end - begin);
    return value;
  }

  double name_or_call() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_'))
      ++pos_;
    const std::string name = text_.substr(start, pos_ - start);
    if (accept('(')) {
      const double arg = sum();
      if (!accept(')')) fail("expected ')' after the argument of " + name);
      if (name == "sqrt") {
        if (arg < 0) fail("sqrt of a negative value");
        return std::sqrt(arg);
      }
      if (name == "exp") return std::exp(arg);
      pos_ = start;
      fail("unknown function '" + name + "'; expected sqrt or exp");
    }
    auto it = names_.find(name);
    if (it == names_.end()) {
      pos_ = start;
      std::string known;
      for (const auto& [n, v] : names_) known += (known.empty() ? "" : ", ") + n;
      fail("unknown name '" + name + "'; known names: " + (known.empty() ? "(none)" : known));
    }
    return it->second;
  }

  const std::string& text_;
  const ExpressionBindings& names_;
  std::size_t pos_ = 0;
};

}  // namespace

double evaluate_expression(const std::string& text, const ExpressionBindings& names) {
  const double value = ExpressionParser(text, names).parse();
  if (!std::isfinite(value))
    throw InputError("expression \"" + text + "\": result is not a finite number");
  return value;
}

int64_t evaluate_dimension(const std::string& text, const ExpressionBindings& names) {
  const double value = evaluate_expression(text, names);
  if (value < 1 || value != std::floor(value) || value > 1e12)
    throw InputError("expression \"" + text + "\" = " + std::to_string(value) +
                     ": expected a positive integer dimension");
  return static_cast<int64_t>(value);
}

}  // namespace kc
