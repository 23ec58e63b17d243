// OpenAI chat completions (POST <base>/chat/completions), also spoken by vLLM, SGLang, Ollama,
// OpenRouter and DeepSeek. Those servers add reasoning text and cache counters under their own
// field names; decode() accepts each of them.
#include <utility>

#include "wire_formats.h"

namespace kc::llm {
namespace {

using nlohmann::json;

const std::string kFormat = "openai";

json tool_json(const ToolSchema& tool) {
  json function{{"name", tool.name}, {"description", tool.description}};
  if (!tool.parameters.is_null()) function["parameters"] = tool.parameters;
  return {{"type", "function"}, {"function", std::move(function)}};
}

json assistant_json(const Message& message) {
  json out{{"role", "assistant"}};
  out["content"] = message.text.empty() ? json(nullptr) : json(message.text);
  if (!message.tool_calls.empty()) {
    json calls = json::array();
    for (const ToolCall& call : message.tool_calls)
      calls.push_back({{"id", call.id},
                       {"type", "function"},
                       {"function", {{"name", call.name}, {"arguments", call.arguments}}}});
    out["tool_calls"] = std::move(calls);
  }
  return out;
}

// One "tool" message per result; harness text after the results travels as a user turn.
void append_tool_turn(const Message& message, json& messages) {
  for (const ToolResult& result : message.tool_results)
    messages.push_back(
        {{"role", "tool"}, {"tool_call_id", result.call_id}, {"content", result.content}});
  if (!message.text.empty()) messages.push_back({{"role", "user"}, {"content", message.text}});
}

json messages_json(const ChatRequest& request) {
  json messages = json::array();
  if (!request.system.empty())
    messages.push_back({{"role", "system"}, {"content", request.system}});
  for (const Message& message : request.messages) {
    switch (message.role) {
      case Role::User: messages.push_back({{"role", "user"}, {"content", message.text}}); break;
      case Role::Assistant: messages.push_back(assistant_json(message)); break;
      case Role::Tool: append_tool_turn(message, messages); break;
    }
  }
  return messages;
}

// content is a string or null; a few compatible servers send an array of text parts instead.
std::string content_text(const json& message) {
  if (!message.contains("content") || message.at("content").is_null()) return "";
  const json& content = message.at("content");
  if (content.is_string()) return content.get<std::string>();
  if (!content.is_array())
    wire::malformed(kFormat, std::string("choices[0].message.content is ") + content.type_name() +
                                 ", expected a string or null");
  std::string text;
  for (const json& part : content)
    if (part.is_object() && part.contains("text") && part.at("text").is_string())
      text += part.at("text").get<std::string>();
  return text;
}

ToolCall tool_call_from(const json& call, std::size_t index) {
  const std::string where = "choices[0].message.tool_calls[" + std::to_string(index) + "]";
  if (!call.is_object()) wire::malformed(kFormat, where + " is not an object");
  if (!call.contains("function") || !call.at("function").is_object())
    wire::malformed(kFormat, where + " has no 'function' object");
  const json& function = call.at("function");
  ToolCall out;
  out.name = wire::optional_string(function, "name", kFormat, where + ".function");
  if (out.name.empty()) wire::malformed(kFormat, where + " has no function name");
  out.id = wire::optional_string(call, "id", kFormat, where);
  if (out.id.empty()) out.id = "call_" + std::to_string(index);
  // Arguments are the model's text, kept as is even when it is not valid JSON.
  const json arguments = function.value("arguments", json());
  if (arguments.is_string())
    out.arguments = arguments.get<std::string>();
  else if (arguments.is_null())
    out.arguments = "{}";
  else
    out.arguments = arguments.dump();
  return out;
}

std::vector<ToolCall> tool_calls_from(const json& message) {
  std::vector<ToolCall> calls;
  if (!message.contains("tool_calls") || message.at("tool_calls").is_null()) return calls;
  const json& list = message.at("tool_calls");
  if (!list.is_array()) wire::malformed(kFormat, "choices[0].message.tool_calls is not an array");
  for (std::size_t i = 0; i < list.size(); ++i) calls.push_back(tool_call_from(list[i], i));
  return calls;
}

// DeepSeek and vLLM say "reasoning_content", OpenRouter says "reasoning".
std::string reasoning_from(const json& message) {
  const std::string where = "choices[0].message";
  std::string reasoning = wire::optional_string(message, "reasoning_content", kFormat, where);
  if (reasoning.empty()) reasoning = wire::optional_string(message, "reasoning", kFormat, where);
  return reasoning;
}

TokenUsage usage_from(const json& reply) {
  TokenUsage usage;
  if (!reply.contains("usage") || !reply.at("usage").is_object()) {
    usage.reported = false;
    return usage;
  }
  const json& counts = reply.at("usage");
  usage.input = wire::count_field(counts, "prompt_tokens");
  usage.cached = wire::count_field(counts.value("prompt_tokens_details", json()), "cached_tokens");
  if (usage.cached == 0) usage.cached = wire::count_field(counts, "prompt_cache_hit_tokens");
  usage.output = wire::count_field(counts, "completion_tokens");
  usage.reasoning =
      wire::count_field(counts.value("completion_tokens_details", json()), "reasoning_tokens");
  return usage;
}

const json& first_choice_message(const json& reply) {
  if (!reply.contains("choices")) {
    // OpenRouter can answer 200 with an error object instead of choices.
    if (reply.contains("error"))
      wire::malformed(kFormat, "error: " + wire::error_text(reply.dump()));
    wire::malformed(kFormat, "missing 'choices'");
  }
  const json& choices = reply.at("choices");
  if (!choices.is_array()) wire::malformed(kFormat, "'choices' is not an array");
  if (choices.empty()) wire::malformed(kFormat, "'choices' is empty");
  const json& choice = choices.front();
  if (!choice.is_object() || !choice.contains("message") || !choice.at("message").is_object())
    wire::malformed(kFormat, "choices[0] has no 'message' object");
  return choice.at("message");
}

class OpenAiWire : public wire::JsonWireFormat {
 public:
  std::string name() const override { return kFormat; }

  HttpRequest encode(const ChatRequest& request, const ModelEndpoint& endpoint) const override {
    HttpRequest http;
    http.url = wire::trim_base_url(endpoint.base_url) + "/chat/completions";
    http.headers.emplace_back("Content-Type", "application/json");
    if (!endpoint.api_key.empty())
      http.headers.emplace_back("Authorization", "Bearer " + endpoint.api_key);
    for (const auto& header : endpoint.extra_headers) http.headers.push_back(header);
    http.body = wire::dump_body(body(request, endpoint));
    return http;
  }

 private:
  ChatResponse decode_reply(const json& reply) const override {
    const json& message = first_choice_message(reply);
    ChatResponse response;
    response.message.role = Role::Assistant;
    response.message.text = content_text(message);
    response.message.reasoning = reasoning_from(message);
    response.message.tool_calls = tool_calls_from(message);
    response.stop_reason =
        wire::optional_string(reply.at("choices").front(), "finish_reason", kFormat, "choices[0]");
    response.usage = usage_from(reply);
    return response;
  }

  static json body(const ChatRequest& request, const ModelEndpoint& endpoint) {
    json out{{"model", endpoint.model}, {"messages", messages_json(request)}};
    if (!request.tools.empty()) {
      json tools = json::array();
      for (const ToolSchema& tool : request.tools) tools.push_back(tool_json(tool));
      out["tools"] = std::move(tools);
    }
    const std::string max_field =
        endpoint.max_tokens_field.empty() ? "max_completion_tokens" : endpoint.max_tokens_field;
    out[max_field] = endpoint.max_output_tokens;
    if (endpoint.temperature) out["temperature"] = *endpoint.temperature;
    if (endpoint.top_p) out["top_p"] = *endpoint.top_p;
    if (endpoint.seed) out["seed"] = *endpoint.seed;
    if (!endpoint.reasoning_effort.empty()) out["reasoning_effort"] = endpoint.reasoning_effort;
    return out;
  }
};

}  // namespace

std::unique_ptr<WireFormat> make_openai_wire() { return std::make_unique<OpenAiWire>(); }

}  // namespace kc::llm
