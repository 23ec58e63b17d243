// Escaping and number formatting shared by the report writers. Task and agent names are user
// input, so every writer passes them through the escaper of its format.
#pragma once

#include <cmath>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

namespace kc::report::detail {

// XML 1.0 forbids most C0 control characters even as character references, so they are
// dropped rather than escaped; tab, newline and carriage return are kept.
inline bool is_forbidden_control(unsigned char c) { return c < 0x20 && c != '\t' && c != '\n' && c != '\r'; }

// For HTML/SVG/XML text and attribute values (both quote kinds are escaped, so one function
// serves every context).
inline std::string markup_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_forbidden_control(c)) continue;
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

// Attribute values in XML are normalised by parsers (newlines become spaces), so keep them as
// character references to preserve multi-line failure messages.
inline std::string xml_attribute(const std::string& text) {
  std::string out;
  for (const char ch : markup_escape(text)) {
    if (ch == '\n') out += "&#10;";
    else if (ch == '\r') out += "&#13;";
    else if (ch == '\t') out += "&#9;";
    else out += ch;
  }
  return out;
}

// A markdown table cell: no line breaks, no cell separators, no raw HTML or emphasis markers.
inline std::string markdown_cell(const std::string& text) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '\n' || ch == '\r' || ch == '\t') out += ' ';
    else if (c < 0x20) continue;
    else if (ch == '<') out += "&lt;";
    else if (ch == '>') out += "&gt;";
    else if (ch == '&') out += "&amp;";
    else if (ch == '|' || ch == '\\' || ch == '*' || ch == '`' || ch == '[' || ch == ']') out += std::string("\\") + ch;
    else out += ch;
  }
  return out;
}

// A name usable inside an id attribute: letters, digits, '-' and '_' kept, the rest as '-'.
inline std::string slug(const std::string& text) {
  std::string out;
  for (const char ch : text) {
    const bool keep = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
                      ch == '_';
    out += keep ? ch : '-';
  }
  return out.empty() ? "x" : out;
}

inline std::string fixed(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

// Renderers show a null aggregate (nothing to aggregate) as "–".
inline std::string speedup_or_dash(const nlohmann::json& value) {
  return value.is_number() ? fixed(value.get<double>(), 3) + "×" : "–";
}

inline std::string percent_or_dash(const nlohmann::json& value) {
  return value.is_number() ? fixed(100.0 * value.get<double>(), 1) + "%" : "–";
}

// Token counts: "950", "12.3k", "1.25M".
inline std::string tokens_short(double value) {
  if (value >= 1e6) return fixed(value / 1e6, 2) + "M";
  if (value >= 1e3) return fixed(value / 1e3, 1) + "k";
  return fixed(value, 0);
}

inline std::string tokens_or_dash(const nlohmann::json& value) {
  return value.is_number() ? tokens_short(value.get<double>()) : "–";
}

inline std::string seconds_or_dash(const nlohmann::json& value) {
  return value.is_number() ? fixed(value.get<double>(), 1) + " s" : "–";
}

// Turns to the first valid kernel as "mean / median".
inline std::string turns_or_dash(const nlohmann::json& turns) {
  if (!turns.at("mean").is_number()) return "–";
  return fixed(turns.at("mean").get<double>(), 1) + " / " + fixed(turns.at("median").get<double>(), 1);
}

inline std::string dollars_or_dash(const nlohmann::json& value) {
  return value.is_number() ? "$" + fixed(value.get<double>(), 4) : "–";
}

// "x/y" from {"solved": x, "run": y}, or "–" when the agent did not run the task or none of
// its episodes was scored (only infra errors).
inline std::string solved_text(const nlohmann::json& cell) {
  if (!cell.is_object() || cell.at("run").get<int>() == 0) return "–";
  return std::to_string(cell.at("solved").get<int>()) + "/" + std::to_string(cell.at("run").get<int>());
}

// A json member or null when absent, so renderers can treat "not run" and "undefined" alike.
inline const nlohmann::json& member_or_null(const nlohmann::json& object, const std::string& key) {
  static const nlohmann::json null_value;
  if (!object.is_object()) return null_value;
  const auto it = object.find(key);
  return it == object.end() ? null_value : *it;
}

}  // namespace kc::report::detail
