#include "kernelcraft/llm/chat.h"

#include <type_traits>

#include "kernelcraft/core/errors.h"

namespace kc::llm {
namespace {

using nlohmann::json;

// Integer fields take JSON integers only: get<uint64_t>() of 2e70 is an out-of-range float
// conversion, undefined behaviour (tests/fuzz/corpus/transcript/regress-float-usage.jsonl).
template <typename T>
bool convertible(const json& value) {
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) return value.is_number_integer();
  return true;
}

// Field access for the neutral forms: a missing or mistyped field names itself.
template <typename T>
T field(const json& object, const char* name, const char* what) {
  if (!object.is_object() || !object.contains(name))
    throw InputError(std::string(what) + ": missing field '" + name + "'");
  if (!convertible<T>(object.at(name)))
    throw InputError(std::string(what) + ": field '" + name + "' has the wrong type");
  try {
    return object.at(name).get<T>();
  } catch (const json::exception&) {
    throw InputError(std::string(what) + ": field '" + name + "' has the wrong type");
  }
}

template <typename T>
T optional_field(const json& object, const char* name, T fallback) {
  if (!object.is_object() || !object.contains(name) || object.at(name).is_null()) return fallback;
  if (!convertible<T>(object.at(name)))
    throw InputError(std::string("field '") + name + "' has the wrong type");
  try {
    return object.at(name).get<T>();
  } catch (const json::exception&) {
    throw InputError(std::string("field '") + name + "' has the wrong type");
  }
}

Role role_from_name(const std::string& name) {
  if (name == "user") return Role::User;
  if (name == "assistant") return Role::Assistant;
  if (name == "tool") return Role::Tool;
  throw InputError("message: field 'role' must be user, assistant or tool, not '" + name + "'");
}

}  // namespace

TokenUsage& TokenUsage::operator+=(const TokenUsage& other) {
  input += other.input;
  cached += other.cached;
  output += other.output;
  reasoning += other.reasoning;
  reported = reported && other.reported;
  return *this;
}

const char* role_name(Role role) {
  switch (role) {
    case Role::User: return "user";
    case Role::Assistant: return "assistant";
    case Role::Tool: return "tool";
  }
  return "user";
}

json to_json(const Message& message) {
  json out{{"role", role_name(message.role)}};
  if (!message.text.empty()) out["text"] = message.text;
  if (!message.reasoning.empty()) out["reasoning"] = message.reasoning;
  if (!message.tool_calls.empty()) {
    json calls = json::array();
    for (const ToolCall& call : message.tool_calls)
      calls.push_back({{"id", call.id}, {"name", call.name}, {"arguments", call.arguments}});
    out["tool_calls"] = std::move(calls);
  }
  if (!message.tool_results.empty()) {
    json results = json::array();
    for (const ToolResult& result : message.tool_results)
      results.push_back({{"call_id", result.call_id},
                         {"name", result.name},
                         {"content", result.content},
                         {"is_error", result.is_error}});
    out["tool_results"] = std::move(results);
  }
  if (!message.provider_state.is_null()) out["provider_state"] = message.provider_state;
  return out;
}

Message message_from_json(const json& object) {
  Message message;
  message.role = role_from_name(field<std::string>(object, "role", "message"));
  message.text = optional_field<std::string>(object, "text", "");
  message.reasoning = optional_field<std::string>(object, "reasoning", "");
  if (object.contains("tool_calls"))
    for (const json& call : object.at("tool_calls"))
      message.tool_calls.push_back({field<std::string>(call, "id", "tool call"),
                                    field<std::string>(call, "name", "tool call"),
                                    field<std::string>(call, "arguments", "tool call")});
  if (object.contains("tool_results"))
    for (const json& result : object.at("tool_results"))
      message.tool_results.push_back({field<std::string>(result, "call_id", "tool result"),
                                      field<std::string>(result, "name", "tool result"),
                                      field<std::string>(result, "content", "tool result"),
                                      optional_field<bool>(result, "is_error", false)});
  if (object.contains("provider_state")) message.provider_state = object.at("provider_state");
  return message;
}

json to_json(const TokenUsage& usage) {
  return {{"input", usage.input},   {"cached", usage.cached},     {"output", usage.output},
          {"reasoning", usage.reasoning}, {"reported", usage.reported}};
}

TokenUsage usage_from_json(const json& object) {
  TokenUsage usage;
  usage.input = optional_field<uint64_t>(object, "input", 0);
  usage.cached = optional_field<uint64_t>(object, "cached", 0);
  usage.output = optional_field<uint64_t>(object, "output", 0);
  usage.reasoning = optional_field<uint64_t>(object, "reasoning", 0);
  usage.reported = optional_field<bool>(object, "reported", true);
  return usage;
}

json to_json(const ChatResponse& response) {
  return {{"message", to_json(response.message)},
          {"stop_reason", response.stop_reason},
          {"usage", to_json(response.usage)}};
}

ChatResponse response_from_json(const json& object) {
  ChatResponse response;
  response.message = message_from_json(field<json>(object, "message", "response"));
  response.stop_reason = optional_field<std::string>(object, "stop_reason", "");
  response.usage = usage_from_json(optional_field<json>(object, "usage", json::object()));
  return response;
}

}  // namespace kc::llm
