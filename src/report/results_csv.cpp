// results.csv: one row per episode with every field of its record (tokens flattened), RFC 4180:
// CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled.
#include <set>
#include <sstream>

#include "kernelcraft/report/report.h"
#include "report_text.h"

namespace kc::report {
namespace {

using nlohmann::json;

// The record's fields in reading order; a field added to the record later still appears (after
// these, in name order) because the columns are checked against to_json below.
const std::vector<std::string>& known_columns() {
  static const std::vector<std::string> columns{
      "agent", "provider", "model", "platform", "task", "level", "config", "preset", "sample", "status", "end",
      "failure", "turn_budget", "turns", "tool_calls", "first_valid_turn", "hidden_seeds", "hidden_seeds_passed",
      "cycles", "baseline_cycles", "speedup", "sol_percent", "tokens_system", "tokens_input", "tokens_cached",
      "tokens_reasoning", "tokens_output", "tokens_calls", "tokens_calls_without_usage", "cost_usd", "cache_hits",
      "wall_s", "kernel_sha256", "kernel_path", "transcript"};
  return columns;
}

json flattened(const agent::EpisodeRecord& record) {
  const json nested = agent::to_json(record);
  json flat = json::object();
  for (const auto& [key, value] : nested.items()) {
    if (value.is_object()) {
      for (const auto& [inner, inner_value] : value.items()) flat[key + "_" + inner] = inner_value;
    } else {
      flat[key] = value;
    }
  }
  return flat;
}

std::vector<std::string> columns_for(const json& example) {
  std::vector<std::string> columns = known_columns();
  std::set<std::string> known(columns.begin(), columns.end());
  known.insert("schema");  // the serialisation's version tag, not a field of the episode
  for (const auto& [key, value] : example.items())
    if (!known.count(key)) columns.push_back(key);
  return columns;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (const char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + '"';
}

std::string cell_text(const json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  return value.dump();  // numbers round-trip exactly
}

}  // namespace

std::string results_csv(const ReportInput& input) {
  const std::vector<std::string> columns = columns_for(flattened(agent::EpisodeRecord{}));
  std::ostringstream os;
  for (std::size_t i = 0; i < columns.size(); ++i) os << (i ? "," : "") << csv_field(columns[i]);
  os << "\r\n";
  for (const auto& record : input.episodes) {  // run order, then file order, as loaded
    const json flat = flattened(record);
    for (std::size_t i = 0; i < columns.size(); ++i)
      os << (i ? "," : "") << csv_field(cell_text(detail::member_or_null(flat, columns[i])));
    os << "\r\n";
  }
  return os.str();
}

}  // namespace kc::report
