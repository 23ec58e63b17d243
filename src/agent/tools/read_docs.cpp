// read_docs: the documentation's table of contents, or a slice of one section by line numbers
// (the numbers grep_docs reports).
#include <algorithm>
#include <cctype>
#include <sstream>

#include "tools.h"

namespace kc::agent {
namespace {

using nlohmann::json;

constexpr int64_t kDefaultLines = 200;
constexpr int64_t kMaxLines = 400;

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

const DocSection* find_section(const std::vector<DocSection>& docs, const std::string& wanted) {
  const std::string key = lower(wanted);
  for (const DocSection& s : docs)
    if (lower(s.id) == key || lower(s.title) == key) return &s;
  return nullptr;
}

json table_of_contents(const std::vector<DocSection>& docs) {
  json sections = json::array();
  for (const DocSection& s : docs)
    sections.push_back({{"section", s.id}, {"title", s.title}, {"lines", split_lines(s.text).size()}});
  return {{"sections", std::move(sections)}};
}

class ReadDocsTool : public Tool {
 public:
  ReadDocsTool() {
    schema_.name = "read_docs";
    schema_.description =
        "Read the ISA documentation. Without `section` it lists the sections (id, title, line "
        "count); with a section id or title it returns that section's lines from start_line.";
    schema_.parameters = {
        {"type", "object"},
        {"properties",
         {{"section", {{"type", "string"}, {"description", "section id (e.g. \"02-matrix\") or title"}}},
          {"start_line", {{"type", "integer"}, {"minimum", 1}, {"description", "first line, 1-based (default 1)"}}},
          {"max_lines",
           {{"type", "integer"}, {"minimum", 1}, {"maximum", kMaxLines}, {"description", "lines to return (default 200)"}}}}},
        {"additionalProperties", false}};
  }
  const llm::ToolSchema& schema() const override { return schema_; }

  ToolOutcome run(const json& arguments, ToolContext& context) override {
    if (!arguments.contains("section")) return tool_support::json_outcome(table_of_contents(context.docs));
    const std::string wanted = arguments["section"].get<std::string>();
    const DocSection* section = find_section(context.docs, wanted);
    if (!section) {
      std::string ids;
      for (const DocSection& s : context.docs) ids += (ids.empty() ? "" : ", ") + s.id;
      return tool_support::error_outcome("unknown section '" + wanted + "'; sections are: " + ids);
    }
    const std::vector<std::string> lines = split_lines(section->text);
    const auto total = static_cast<int64_t>(lines.size());
    const int64_t start = tool_support::integer_argument(arguments, "start_line", 1);
    if (start > total)
      return tool_support::error_outcome("start_line " + std::to_string(start) + " is past the end: section " +
                                         section->id + " has " + std::to_string(total) + " lines");
    const int64_t end =
        std::min<int64_t>(total, start - 1 + tool_support::integer_argument(arguments, "max_lines", kDefaultLines));
    std::string text;
    for (int64_t i = start; i <= end; ++i) text += lines[static_cast<std::size_t>(i - 1)] + "\n";
    return tool_support::json_outcome({{"section", section->id},
                                       {"title", section->title},
                                       {"start_line", start},
                                       {"end_line", end},
                                       {"total_lines", total},
                                       {"text", text}});
  }

 private:
  llm::ToolSchema schema_;
};

}  // namespace

std::unique_ptr<Tool> make_read_docs_tool() { return std::make_unique<ReadDocsTool>(); }

}  // namespace kc::agent
