// Gemini generateContent (POST <base>/models/<model>:generateContent) with function
// declarations and thinking. Parts may carry thought signatures the API wants back, so an
// assistant turn this format decoded is sent back from its provider_state (the reply's parts).
#include <utility>

#include "wire_formats.h"

namespace kc::llm {
namespace {

using nlohmann::json;

const std::string kFormat = "gemini";

// Gemini rejects "additionalProperties" anywhere in a function's parameter schema. Keys of a
// "properties" map are argument names, not schema keywords, so an argument may keep that name.
json without_additional_properties(const json& schema) {
  if (schema.is_array()) {
    json out = json::array();
    for (const json& item : schema) out.push_back(without_additional_properties(item));
    return out;
  }
  if (!schema.is_object()) return schema;
  json out = json::object();
  for (const auto& [key, value] : schema.items()) {
    if (key == "additionalProperties") continue;
    if (key == "properties" && value.is_object()) {
      json properties = json::object();
      for (const auto& [name, property] : value.items())
        properties[name] = without_additional_properties(property);
      out[key] = std::move(properties);
    } else {
      out[key] = without_additional_properties(value);
    }
  }
  return out;
}

json tools_json(const std::vector<ToolSchema>& tools) {
  json declarations = json::array();
  for (const ToolSchema& tool : tools) {
    json declaration{{"name", tool.name}, {"description", tool.description}};
    if (!tool.parameters.is_null())
      declaration["parameters"] = without_additional_properties(tool.parameters);
    declarations.push_back(std::move(declaration));
  }
  return json::array({{{"functionDeclarations", std::move(declarations)}}});
}

json model_parts(const Message& message) {
  if (message.provider_state.is_array()) return message.provider_state;
  json parts = json::array();
  if (!message.text.empty()) parts.push_back({{"text", message.text}});
  for (const ToolCall& call : message.tool_calls)
    parts.push_back({{"functionCall",
                      {{"name", call.name}, {"args", wire::arguments_object(call.arguments)}}}});
  // A turn needs at least one part; an assistant that said nothing said "".
  if (parts.empty()) parts.push_back({{"text", ""}});
  return parts;
}

// Gemini matches a functionResponse to its call by name. A result without one takes the name of
// the call it answers in the preceding assistant turn.
std::string result_name(const ToolResult& result, const Message* previous_assistant) {
  if (!result.name.empty() || previous_assistant == nullptr) return result.name;
  for (const ToolCall& call : previous_assistant->tool_calls)
    if (call.id == result.call_id) return call.name;
  return result.name;
}

json tool_turn_parts(const Message& message, const Message* previous_assistant) {
  json parts = json::array();
  for (const ToolResult& result : message.tool_results) {
    json response{{"content", result.content}};
    if (result.is_error) response["is_error"] = true;
    parts.push_back(
        {{"functionResponse",
          {{"name", result_name(result, previous_assistant)}, {"response", std::move(response)}}}});
  }
  if (!message.text.empty()) parts.push_back({{"text", message.text}});
  return parts;
}

json contents_json(const std::vector<Message>& messages) {
  json contents = json::array();
  const Message* previous_assistant = nullptr;
  for (const Message& message : messages) {
    switch (message.role) {
      case Role::User:
        contents.push_back({{"role", "user"}, {"parts", json::array({{{"text", message.text}}})}});
        break;
      case Role::Assistant:
        contents.push_back({{"role", "model"}, {"parts", model_parts(message)}});
        previous_assistant = &message;
        break;
      case Role::Tool:
        contents.push_back(
            {{"role", "user"}, {"parts", tool_turn_parts(message, previous_assistant)}});
        break;
    }
  }
  return contents;
}

json generation_config(const ModelEndpoint& endpoint) {
  json config{{"maxOutputTokens", endpoint.max_output_tokens}};
  if (endpoint.temperature) config["temperature"] = *endpoint.temperature;
  if (endpoint.top_p) config["topP"] = *endpoint.top_p;
  if (endpoint.seed) config["seed"] = *endpoint.seed;
  if (endpoint.thinking_budget_tokens)
    config["thinkingConfig"] = {{"thinkingBudget", *endpoint.thinking_budget_tokens},
                                {"includeThoughts", true}};
  return config;
}

// Config files may name the model "models/gemini-..." as the API's model list does.
std::string model_path(const std::string& model) {
  const std::string prefix = "models/";
  return model.compare(0, prefix.size(), prefix) == 0 ? model.substr(prefix.size()) : model;
}

ToolCall tool_call_from(const json& call, const std::string& where, std::size_t call_index) {
  if (!call.is_object()) wire::malformed(kFormat, where + ".functionCall is not an object");
  ToolCall out;
  out.name = wire::optional_string(call, "name", kFormat, where + ".functionCall");
  if (out.name.empty()) wire::malformed(kFormat, where + ".functionCall has no name");
  out.id = wire::optional_string(call, "id", kFormat, where + ".functionCall");
  if (out.id.empty()) out.id = "call_" + std::to_string(call_index);
  const json args = call.value("args", json());
  out.arguments = args.is_null() ? "{}" : args.dump();
  return out;
}

void read_parts(const json& parts, Message& message) {
  std::size_t calls = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const json& part = parts[i];
    const std::string where = "candidates[0].content.parts[" + std::to_string(i) + "]";
    if (!part.is_object()) wire::malformed(kFormat, where + " is not an object");
    if (part.contains("functionCall")) {
      message.tool_calls.push_back(tool_call_from(part.at("functionCall"), where, calls++));
      continue;
    }
    const std::string text = wire::optional_string(part, "text", kFormat, where);
    const bool thought = part.value("thought", json()) == true;
    (thought ? message.reasoning : message.text) += text;
  }
}

std::string no_candidates_reason(const json& reply) {
  const json feedback = reply.value("promptFeedback", json());
  if (feedback.is_object() && feedback.contains("blockReason") &&
      feedback.at("blockReason").is_string())
    return "no candidates (promptFeedback.blockReason: " +
           feedback.at("blockReason").get<std::string>() + ")";
  return "no candidates";
}

TokenUsage usage_from(const json& reply) {
  TokenUsage usage;
  if (!reply.contains("usageMetadata") || !reply.at("usageMetadata").is_object()) {
    usage.reported = false;
    return usage;
  }
  const json& counts = reply.at("usageMetadata");
  usage.input = wire::count_field(counts, "promptTokenCount");
  usage.cached = wire::count_field(counts, "cachedContentTokenCount");
  usage.reasoning = wire::count_field(counts, "thoughtsTokenCount");
  // candidatesTokenCount excludes thoughts; our output counts every generated token.
  usage.output = wire::count_field(counts, "candidatesTokenCount") + usage.reasoning;
  return usage;
}

class GeminiWire : public wire::JsonWireFormat {
 public:
  std::string name() const override { return kFormat; }

  HttpRequest encode(const ChatRequest& request, const ModelEndpoint& endpoint) const override {
    HttpRequest http;
    // The key never goes in the URL: URLs appear in error messages and cache keys.
    http.url = wire::trim_base_url(endpoint.base_url) + "/models/" + model_path(endpoint.model) +
               ":generateContent";
    http.headers.emplace_back("Content-Type", "application/json");
    if (!endpoint.api_key.empty()) http.headers.emplace_back("x-goog-api-key", endpoint.api_key);
    for (const auto& header : endpoint.extra_headers) http.headers.push_back(header);
    http.body = wire::dump_body(body(request, endpoint));
    return http;
  }

 private:
  static json body(const ChatRequest& request, const ModelEndpoint& endpoint) {
    json out{{"contents", contents_json(request.messages)},
             {"generationConfig", generation_config(endpoint)}};
    if (!request.system.empty())
      out["systemInstruction"] = {{"parts", json::array({{{"text", request.system}}})}};
    if (!request.tools.empty()) out["tools"] = tools_json(request.tools);
    return out;
  }

  ChatResponse decode_reply(const json& reply) const override {
    if (!reply.contains("candidates")) {
      if (reply.contains("error"))
        wire::malformed(kFormat, "error: " + wire::error_text(reply.dump()));
      wire::malformed(kFormat, no_candidates_reason(reply));
    }
    const json& candidates = reply.at("candidates");
    if (!candidates.is_array()) wire::malformed(kFormat, "'candidates' is not an array");
    if (candidates.empty()) wire::malformed(kFormat, no_candidates_reason(reply));
    const json& candidate = candidates.front();
    if (!candidate.is_object()) wire::malformed(kFormat, "candidates[0] is not an object");

    ChatResponse response;
    response.message.role = Role::Assistant;
    response.stop_reason =
        wire::optional_string(candidate, "finishReason", kFormat, "candidates[0]");
    const json parts = candidate_parts(candidate, !response.stop_reason.empty());
    read_parts(parts, response.message);
    // An empty part list would be rejected if echoed back; rebuilding from fields is safer.
    if (!parts.empty()) response.message.provider_state = parts;
    response.usage = usage_from(reply);
    return response;
  }

  // A candidate stopped for SAFETY, RECITATION or MAX_TOKENS may come without content or parts:
  // that is an empty answer with a reason, not a malformed reply.
  static json candidate_parts(const json& candidate, bool has_finish_reason) {
    const json content = candidate.value("content", json());
    if (content.is_null() && has_finish_reason) return json::array();
    if (!content.is_object()) wire::malformed(kFormat, "candidates[0] has no 'content' object");
    const json parts = content.value("parts", json());
    if (parts.is_null() && has_finish_reason) return json::array();
    if (!parts.is_array()) wire::malformed(kFormat, "candidates[0].content has no 'parts' array");
    return parts;
  }
};

}  // namespace

std::unique_ptr<WireFormat> make_gemini_wire() { return std::make_unique<GeminiWire>(); }

}  // namespace kc::llm
