// Tool arguments against the small JSON Schema subset the tool schemas use. Messages name the
// field, because they go back to the model as tool errors and must say what to fix.
#include <algorithm>
#include <cmath>
#include <string>

#include "kernelcraft/agent/tool.h"
#include "tools/tools.h"

namespace kc::agent {
namespace {

using nlohmann::json;

bool is_integral(const json& value) {
  if (value.is_number_integer()) return true;
  if (!value.is_number_float()) return false;
  const double v = value.get<double>();
  return std::isfinite(v) && std::floor(v) == v;
}

// Unicode code points, which is what a schema's maxLength counts.
std::size_t code_points(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(
      text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string number_text(const json& bound) {
  if (bound.is_number_integer()) return bound.dump();
  const double v = bound.get<double>();
  if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  return bound.dump();
}

std::string field(const std::string& name) { return "field '" + name + "'"; }

std::string check_type(const std::string& name, const json& value, const std::string& type) {
  bool ok = true;
  std::string article = "a ";
  if (type == "string") ok = value.is_string();
  else if (type == "integer") { ok = is_integral(value); article = "an "; }
  else if (type == "number") ok = value.is_number();
  else if (type == "boolean") ok = value.is_boolean();
  else if (type == "object") { ok = value.is_object(); article = "an "; }
  else if (type == "array") { ok = value.is_array(); article = "an "; }
  return ok ? "" : field(name) + " must be " + article + type;
}

std::string check_enum(const std::string& name, const json& value, const json& allowed) {
  if (!allowed.is_array()) return "";
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return "";
  std::string list;
  for (const json& a : allowed) list += (list.empty() ? "" : ", ") + (a.is_string() ? a.get<std::string>() : a.dump());
  return field(name) + " must be one of " + list;
}

std::string check_bounds(const std::string& name, const json& value, const json& schema) {
  if (!value.is_number()) return "";
  const double v = value.get<double>();
  if (schema.contains("minimum") && schema["minimum"].is_number() && v < schema["minimum"].get<double>())
    return field(name) + " must be >= " + number_text(schema["minimum"]);
  if (schema.contains("maximum") && schema["maximum"].is_number() && v > schema["maximum"].get<double>())
    return field(name) + " must be <= " + number_text(schema["maximum"]);
  return "";
}

std::string check_length(const std::string& name, const json& value, const json& schema) {
  if (!value.is_string() || !schema.contains("maxLength") || !schema["maxLength"].is_number()) return "";
  const std::size_t length = code_points(value.get_ref<const std::string&>());
  const double limit = schema["maxLength"].get<double>();
  if (static_cast<double>(length) <= limit) return "";
  return field(name) + " must be at most " + number_text(schema["maxLength"]) + " characters (it has " +
         std::to_string(length) + ")";
}

std::string check_property(const std::string& name, const json& value, const json& schema) {
  if (!schema.is_object()) return "";
  std::string problem;
  if (schema.contains("type") && schema["type"].is_string())
    problem = check_type(name, value, schema["type"].get<std::string>());
  if (problem.empty() && schema.contains("enum")) problem = check_enum(name, value, schema["enum"]);
  if (problem.empty()) problem = check_bounds(name, value, schema);
  if (problem.empty()) problem = check_length(name, value, schema);
  return problem;
}

}  // namespace

std::string check_arguments(const json& arguments, const json& schema) {
  if (!arguments.is_object()) return "arguments must be a JSON object";
  if (!schema.is_object()) return "";
  const json properties = schema.value("properties", json::object());
  if (schema.contains("required") && schema["required"].is_array())
    for (const json& name : schema["required"])
      if (name.is_string() && !arguments.contains(name.get<std::string>()))
        return "missing required field '" + name.get<std::string>() + "'";
  const bool closed = schema.contains("additionalProperties") && schema["additionalProperties"] == false;
  for (const auto& [name, value] : arguments.items()) {
    if (!properties.contains(name)) {
      if (!closed) continue;
      std::string allowed;
      for (const auto& property : properties.items()) allowed += (allowed.empty() ? "" : ", ") + property.key();
      return "unknown field '" + name + "' (allowed: " + (allowed.empty() ? "none" : allowed) + ")";
    }
    const std::string problem = check_property(name, value, properties.at(name));
    if (!problem.empty()) return problem;
  }
  return "";
}

namespace tool_support {

long long integer_argument(const json& arguments, const char* name, long long fallback) {
  if (!arguments.is_object() || !arguments.contains(name) || !arguments[name].is_number()) return fallback;
  const json& value = arguments[name];
  if (value.is_number_unsigned()) return static_cast<long long>(std::min<uint64_t>(value.get<uint64_t>(), 1ULL << 53));
  if (value.is_number_integer()) return value.get<long long>();
  constexpr double kLimit = 9.0e15;  // far beyond any row or line count, and exact in a double
  return static_cast<long long>(std::clamp(value.get<double>(), -kLimit, kLimit));
}

}  // namespace tool_support
}  // namespace kc::agent
