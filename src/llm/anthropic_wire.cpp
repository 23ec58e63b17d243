// Anthropic messages (POST <base>/v1/messages) with tools and extended thinking. Thinking blocks
// carry signatures the API checks on later turns, so an assistant turn this format decoded is
// sent back from its provider_state (the reply's content blocks) rather than rebuilt.
#include <algorithm>
#include <cctype>
#include <utility>

#include "wire_formats.h"

namespace kc::llm {
namespace {

using nlohmann::json;

const std::string kFormat = "anthropic";
const std::string kVersionHeader = "anthropic-version";

bool same_header_name(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool has_header(const ModelEndpoint& endpoint, const std::string& name) {
  return std::any_of(endpoint.extra_headers.begin(), endpoint.extra_headers.end(),
                     [&](const auto& header) { return same_header_name(header.first, name); });
}

json text_block(const std::string& text) { return {{"type", "text"}, {"text", text}}; }

json tool_json(const ToolSchema& tool) {
  // input_schema is required by the API; a tool without parameters takes an empty object.
  json schema = tool.parameters.is_null() ? json{{"type", "object"}} : tool.parameters;
  return {{"name", tool.name}, {"description", tool.description}, {"input_schema", schema}};
}

json assistant_content(const Message& message) {
  if (message.provider_state.is_array()) return message.provider_state;
  json content = json::array();
  if (!message.text.empty()) content.push_back(text_block(message.text));
  for (const ToolCall& call : message.tool_calls)
    content.push_back({{"type", "tool_use"},
                       {"id", call.id},
                       {"name", call.name},
                       {"input", wire::arguments_object(call.arguments)}});
  return content;
}

json tool_turn_content(const Message& message) {
  json content = json::array();
  for (const ToolResult& result : message.tool_results) {
    json block{
        {"type", "tool_result"}, {"tool_use_id", result.call_id}, {"content", result.content}};
    if (result.is_error) block["is_error"] = true;
    content.push_back(std::move(block));
  }
  if (!message.text.empty()) content.push_back(text_block(message.text));
  return content;
}

json message_json(const Message& message) {
  switch (message.role) {
    case Role::User:
      return {{"role", "user"}, {"content", json::array({text_block(message.text)})}};
    case Role::Assistant: return {{"role", "assistant"}, {"content", assistant_content(message)}};
    case Role::Tool: return {{"role", "user"}, {"content", tool_turn_content(message)}};
  }
  return json();
}

ToolCall tool_call_from(const json& block, const std::string& where) {
  ToolCall call;
  call.id = wire::optional_string(block, "id", kFormat, where);
  call.name = wire::optional_string(block, "name", kFormat, where);
  if (call.name.empty()) wire::malformed(kFormat, where + " (tool_use) has no name");
  const json input = block.value("input", json());
  call.arguments = input.is_null() ? "{}" : input.dump();
  return call;
}

// Reads the content blocks into the message; unknown block types only live in provider_state.
void read_content(const json& content, Message& message) {
  for (std::size_t i = 0; i < content.size(); ++i) {
    const json& block = content[i];
    const std::string where = "content[" + std::to_string(i) + "]";
    if (!block.is_object()) wire::malformed(kFormat, where + " is not an object");
    const std::string type = wire::optional_string(block, "type", kFormat, where);
    if (type == "text")
      message.text += wire::optional_string(block, "text", kFormat, where);
    else if (type == "thinking")
      message.reasoning += wire::optional_string(block, "thinking", kFormat, where);
    else if (type == "tool_use")
      message.tool_calls.push_back(tool_call_from(block, where));
  }
}

TokenUsage usage_from(const json& reply) {
  TokenUsage usage;
  if (!reply.contains("usage") || !reply.at("usage").is_object()) {
    usage.reported = false;
    return usage;
  }
  const json& counts = reply.at("usage");
  usage.cached = wire::count_field(counts, "cache_read_input_tokens");
  // The API's input_tokens excludes cache reads and writes; ours counts every prompt token.
  usage.input = wire::count_field(counts, "input_tokens") + usage.cached +
                wire::count_field(counts, "cache_creation_input_tokens");
  usage.output = wire::count_field(counts, "output_tokens");
  return usage;
}

class AnthropicWire : public wire::JsonWireFormat {
 public:
  std::string name() const override { return kFormat; }

  HttpRequest encode(const ChatRequest& request, const ModelEndpoint& endpoint) const override {
    HttpRequest http;
    http.url = wire::trim_base_url(endpoint.base_url) + "/v1/messages";
    http.headers.emplace_back("Content-Type", "application/json");
    if (!endpoint.api_key.empty()) http.headers.emplace_back("x-api-key", endpoint.api_key);
    if (!has_header(endpoint, kVersionHeader))
      http.headers.emplace_back(kVersionHeader, "2023-06-01");
    for (const auto& header : endpoint.extra_headers) http.headers.push_back(header);
    http.body = wire::dump_body(body(request, endpoint));
    return http;
  }

 private:
  static json body(const ChatRequest& request, const ModelEndpoint& endpoint) {
    json messages = json::array();
    for (const Message& message : request.messages) messages.push_back(message_json(message));
    json out{{"model", endpoint.model},
             {"max_tokens", endpoint.max_output_tokens},
             {"messages", std::move(messages)}};
    if (!request.system.empty()) out["system"] = request.system;
    if (!request.tools.empty()) {
      json tools = json::array();
      for (const ToolSchema& tool : request.tools) tools.push_back(tool_json(tool));
      out["tools"] = std::move(tools);
    }
    if (endpoint.temperature) out["temperature"] = *endpoint.temperature;
    if (endpoint.top_p) out["top_p"] = *endpoint.top_p;
    if (endpoint.thinking_budget_tokens)
      out["thinking"] = {{"type", "enabled"}, {"budget_tokens", *endpoint.thinking_budget_tokens}};
    return out;
  }

  ChatResponse decode_reply(const json& reply) const override {
    if (reply.value("type", json()) == "error")
      wire::malformed(kFormat, "error: " + wire::error_text(reply.dump()));
    if (!reply.contains("content")) wire::malformed(kFormat, "missing 'content'");
    const json& content = reply.at("content");
    if (!content.is_array()) wire::malformed(kFormat, "'content' is not an array");
    ChatResponse response;
    response.message.role = Role::Assistant;
    read_content(content, response.message);
    // An empty block list would be rejected if echoed back; rebuilding from fields is safer.
    if (!content.empty()) response.message.provider_state = content;
    response.stop_reason = wire::optional_string(reply, "stop_reason", kFormat, "message");
    response.usage = usage_from(reply);
    return response;
  }
};

}  // namespace

std::unique_ptr<WireFormat> make_anthropic_wire() { return std::make_unique<AnthropicWire>(); }

}  // namespace kc::llm
