// grep_docs: a case-insensitive regular-expression search over every line of the ISA
// documentation, answering with section ids and line numbers that read_docs accepts.
//
// Patterns come from the model, so matching must stay fast whatever they are. std::regex
// backtracks: "(a*)*b" takes exponential time and deep recursion can overflow the stack. POSIX
// extended expressions through <regex.h> (glibc) are matched by automaton without backtracking,
// as long as there are no back-references (refused here) and interval bounds do not blow the
// automaton up (estimated and capped here).
#include <regex.h>

#include <algorithm>
#include <sstream>

#include "tools.h"

namespace kc::agent {
namespace {

using nlohmann::json;

constexpr int64_t kDefaultMatches = 20;
constexpr int64_t kMaxMatches = 50;
constexpr std::size_t kMaxPattern = 200;
constexpr std::size_t kMaxLineChars = 200;
// Intervals copy their atom ("a{100}" is 100 nodes, "(a{100}){100}" 10,000): beyond this many
// copies compiling alone costs noticeable time and memory, and no documentation search needs it.
constexpr double kMaxExpandedAtoms = 2000;

// A compiled regex_t, freed on every path.
class PosixRegex {
 public:
  PosixRegex() = default;
  PosixRegex(const PosixRegex&) = delete;
  PosixRegex& operator=(const PosixRegex&) = delete;
  ~PosixRegex() {
    if (compiled_) regfree(&regex_);
  }

  // "" on success, else regerror's description.
  std::string compile(const std::string& pattern) {
    const int code = regcomp(&regex_, pattern.c_str(), REG_EXTENDED | REG_ICASE | REG_NOSUB);
    if (code == 0) {
      compiled_ = true;
      return "";
    }
    char text[256];
    regerror(code, &regex_, text, sizeof text);
    return text;
  }

  bool matches(const std::string& line) const { return regexec(&regex_, line.c_str(), 0, nullptr, 0) == 0; }

 private:
  regex_t regex_{};
  bool compiled_ = false;
};

// A rough size of the automaton a pattern compiles to, counting interval copies. It follows
// ERE syntax only as far as needed to find atoms and their bounds; regcomp judges validity.
class ExpansionEstimate {
 public:
  explicit ExpansionEstimate(const std::string& pattern) : p_(pattern) {}

  double atoms() {
    double total = 0;
    while (at_ < p_.size()) {
      total += alternation();
      if (at_ < p_.size()) ++at_;  // a stray ')': regcomp will say so
    }
    return total;
  }

  bool has_back_reference() const {
    bool in_bracket = false;
    for (std::size_t i = 0; i < p_.size(); ++i) {
      if (in_bracket) {
        in_bracket = p_[i] != ']';
      } else if (p_[i] == '[') {
        in_bracket = true;
        if (i + 1 < p_.size() && p_[i + 1] == '^') ++i;
        if (i + 1 < p_.size() && p_[i + 1] == ']') ++i;  // a leading ']' is literal
      } else if (p_[i] == '\\' && i + 1 < p_.size()) {
        if (p_[i + 1] >= '1' && p_[i + 1] <= '9') return true;
        ++i;
      }
    }
    return false;
  }

 private:
  double alternation() {
    double total = sequence();
    while (at_ < p_.size() && p_[at_] == '|') {
      ++at_;
      total += sequence();
    }
    return total;
  }

  double sequence() {
    double total = 0;
    while (at_ < p_.size() && p_[at_] != '|' && p_[at_] != ')') {
      double size = atom();
      for (;;) {
        if (at_ < p_.size() && (p_[at_] == '*' || p_[at_] == '+' || p_[at_] == '?')) {
          ++at_;
          size += 1;
        } else if (double copies = 0; interval(copies)) {
          size *= std::max(1.0, copies);
        } else {
          break;
        }
      }
      total = std::min(total + size, 1e18);  // saturate: only the comparison with the cap matters
    }
    return total;
  }

  double atom() {
    const char c = p_[at_++];
    if (c == '(') {
      const double inner = 1 + alternation();
      if (at_ < p_.size() && p_[at_] == ')') ++at_;
      return inner;
    }
    if (c == '[') skip_bracket();
    else if (c == '\\' && at_ < p_.size()) ++at_;
    return 1;
  }

  void skip_bracket() {
    if (at_ < p_.size() && p_[at_] == '^') ++at_;
    if (at_ < p_.size() && p_[at_] == ']') ++at_;
    while (at_ < p_.size() && p_[at_] != ']') {
      // [:alpha:], [=a=], [.a.] contain ']' of their own.
      if (p_[at_] == '[' && at_ + 1 < p_.size() && (p_[at_ + 1] == ':' || p_[at_ + 1] == '=' || p_[at_ + 1] == '.')) {
        const std::size_t close = p_.find(std::string(1, p_[at_ + 1]) + "]", at_ + 2);
        at_ = close == std::string::npos ? p_.size() : close + 2;
      } else {
        ++at_;
      }
    }
    if (at_ < p_.size()) ++at_;
  }

  // "{m}", "{m,}" or "{m,n}" at the cursor: consumes it and sets the number of copies.
  bool interval(double& copies) {
    if (at_ >= p_.size() || p_[at_] != '{') return false;
    std::size_t i = at_ + 1;
    double low = 0, high = -1;
    if (!digits(i, low)) return false;
    if (i < p_.size() && p_[i] == ',') {
      ++i;
      if (!digits(i, high)) high = low + 1;  // "{m,}": m copies plus a star
    } else {
      high = low;
    }
    if (i >= p_.size() || p_[i] != '}') return false;
    at_ = i + 1;
    copies = std::max(low, high);
    return true;
  }

  bool digits(std::size_t& i, double& value) const {
    const std::size_t start = i;
    value = 0;
    while (i < p_.size() && p_[i] >= '0' && p_[i] <= '9') value = std::min(value * 10 + (p_[i++] - '0'), 1e9);
    return i > start;
  }

  const std::string& p_;
  std::size_t at_ = 0;
};

// "" when the pattern may be compiled, else why not (in words the model can act on).
std::string refuse_pattern(const std::string& pattern) {
  ExpansionEstimate estimate(pattern);
  if (estimate.has_back_reference())
    return "back-references (\\1 to \\9) are not supported in grep_docs patterns; search for the text itself";
  if (estimate.atoms() > kMaxExpandedAtoms)
    return "its repetition bounds {m,n} expand to more than " + std::to_string(static_cast<int>(kMaxExpandedAtoms)) +
           " elements; use smaller bounds or * and +";
  return "";
}

class GrepDocsTool : public Tool {
 public:
  GrepDocsTool() {
    schema_.name = "grep_docs";
    schema_.description =
        "Search the ISA documentation for a case-insensitive regular expression (POSIX extended "
        "syntax: | ( ) [ ] * + ? {m,n}; no back-references) and list matching lines with their "
        "section id and line number; read_docs shows the surrounding text.";
    schema_.parameters = {
        {"type", "object"},
        {"properties",
         {{"pattern", {{"type", "string"}, {"maxLength", kMaxPattern}, {"description", "regular expression over the ISA documentation, e.g. \"reduction|vfredusum\""}}},
          {"max_matches",
           {{"type", "integer"}, {"minimum", 1}, {"maximum", kMaxMatches}, {"description", "matches to list (default 20)"}}}}},
        {"required", {"pattern"}},
        {"additionalProperties", false}};
  }
  const llm::ToolSchema& schema() const override { return schema_; }

  ToolOutcome run(const json& arguments, ToolContext& context) override {
    const std::string pattern = arguments.at("pattern").get<std::string>();
    const int64_t limit = tool_support::integer_argument(arguments, "max_matches", kDefaultMatches);
    if (pattern.find('\0') != std::string::npos)
      return tool_support::error_outcome("invalid regular expression: the pattern contains a NUL character");
    std::string problem = refuse_pattern(pattern);
    PosixRegex regex;
    if (problem.empty()) problem = regex.compile(pattern);
    if (!problem.empty())
      return tool_support::error_outcome("invalid regular expression '" + pattern + "': " + problem);

    json matches = json::array();
    int64_t total = 0;
    for (const DocSection& section : context.docs) {
      std::istringstream lines(section.text);
      int64_t number = 0;
      for (std::string line; std::getline(lines, line);) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!regex.matches(line)) continue;
        if (++total <= limit)
          matches.push_back({{"section", section.id},
                             {"line", number},
                             {"text", tool_support::utf8_prefix(line, kMaxLineChars)}});
      }
    }
    const auto shown = matches.size();
    return tool_support::json_outcome({{"matches", std::move(matches)}, {"total", total}, {"shown", shown}});
  }

 private:
  llm::ToolSchema schema_;
};

}  // namespace

std::unique_ptr<Tool> make_grep_docs_tool() { return std::make_unique<GrepDocsTool>(); }

}  // namespace kc::agent
