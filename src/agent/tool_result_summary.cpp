#include "tool_result_summary.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace kc::agent {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxSummary = 120;

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  if (line.size() > kMaxSummary) line = line.substr(0, kMaxSummary) + "...";
  return line;
}

std::string eval_summary(const json& r) {
  if (!r.value("assembled", true)) return "does not assemble";
  if (r.contains("trap") && r["trap"].is_object())
    return "trap " + r["trap"].value("kind", "?") + " at line " + std::to_string(r["trap"].value("line", 0));
  if (r.value("passed", false)) {
    char text[96];
    std::snprintf(text, sizeof text, "PASS, %llu cycles (%.1f%% of roofline)",
                  static_cast<unsigned long long>(r.value("cycles", 0ULL)), r.value("sol_percent", 0.0));
    return text;
  }
  std::string out = "FAIL";
  for (const json& o : r.value("outputs", json::array()))
    if (o.value("mismatches", 0) > 0)
      out += ", " + o.value("tensor", "?") + ": " + std::to_string(o.value("mismatches", 0)) + " of " +
             std::to_string(o.value("elements", 0)) + " mismatch";
  return out;
}

}  // namespace

std::string summarize_tool_result(const llm::ToolResult& result) {
  if (result.is_error) return "error: " + first_line(result.content);
  const json parsed = json::parse(result.content, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return first_line(result.content);
  if (result.name == "run_eval") return eval_summary(parsed);
  if (result.name == "check_syntax" || result.name == "get_instruction_size") {
    if (parsed.value("ok", true)) return "ok";
    return std::to_string(parsed.value("errors", 0)) + " error(s)";
  }
  return "ok";
}

}  // namespace kc::agent
