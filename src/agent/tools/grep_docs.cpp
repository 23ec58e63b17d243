// grep_docs: a case-insensitive regular-expression search over every line of the ISA
// documentation, answering with section ids and line numbers that read_docs accepts.
#include <regex>
#include <sstream>

#include "tools.h"

namespace kc::agent {
namespace {

using nlohmann::json;

constexpr int64_t kDefaultMatches = 20;
constexpr int64_t kMaxMatches = 50;
constexpr std::size_t kMaxPattern = 200;
constexpr std::size_t kMaxLineChars = 200;

class GrepDocsTool : public Tool {
 public:
  GrepDocsTool() {
    schema_.name = "grep_docs";
    schema_.description =
        "Search the ISA documentation for a case-insensitive regular expression (ECMAScript "
        "syntax) and list matching lines with their section id and line number; read_docs shows "
        "the surrounding text.";
    schema_.parameters = {
        {"type", "object"},
        {"properties",
         {{"pattern", {{"type", "string"}, {"maxLength", kMaxPattern}, {"description", "regular expression, e.g. \"M_MM|M_MV\""}}},
          {"max_matches",
           {{"type", "integer"}, {"minimum", 1}, {"maximum", kMaxMatches}, {"description", "matches to list (default 20)"}}}}},
        {"required", {"pattern"}},
        {"additionalProperties", false}};
  }
  const llm::ToolSchema& schema() const override { return schema_; }

  ToolOutcome run(const json& arguments, ToolContext& context) override {
    const std::string pattern = arguments.at("pattern").get<std::string>();
    const int64_t limit = tool_support::integer_argument(arguments, "max_matches", kDefaultMatches);
    std::regex regex;
    try {
      regex = std::regex(pattern, std::regex::ECMAScript | std::regex::icase);
    } catch (const std::regex_error& e) {
      return tool_support::error_outcome("invalid regular expression '" + pattern + "': " + e.what());
    }
    json matches = json::array();
    int64_t total = 0;
    try {
      for (const DocSection& section : context.docs) {
        std::istringstream lines(section.text);
        int64_t number = 0;
        for (std::string line; std::getline(lines, line);) {
          ++number;
          if (!line.empty() && line.back() == '\r') line.pop_back();
          if (!std::regex_search(line, regex)) continue;
          if (++total <= limit)
            matches.push_back({{"section", section.id},
                               {"line", number},
                               {"text", tool_support::utf8_prefix(line, kMaxLineChars)}});
        }
      }
    } catch (const std::regex_error& e) {
      // Patterns that backtrack without end surface here (error_complexity, error_stack).
      return tool_support::error_outcome("regular expression '" + pattern + "' is too costly to match: " + e.what());
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
