// The provider-neutral conversation model: what the episode loop says to a model and what it
// gets back, whatever the wire format (OpenAI chat completions, Anthropic messages, Gemini).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kc::llm {

struct ToolCall {
  std::string id;         // provider's call id (Gemini has none: the decoder makes "call_<n>")
  std::string name;
  std::string arguments;  // JSON text exactly as the model produced it (may be invalid JSON)
};

struct ToolResult {
  std::string call_id;
  std::string name;
  std::string content;
  bool is_error = false;
};

enum class Role { User, Assistant, Tool };

struct Message {
  Role role = Role::User;
  std::string text;                      // user text, or the assistant's visible text
  std::string reasoning;                 // assistant thinking text, when the provider returns it
  std::vector<ToolCall> tool_calls;      // assistant turns
  std::vector<ToolResult> tool_results;  // Role::Tool: answers to the previous assistant turn
  // Blocks the producing provider needs echoed back verbatim on later requests (Anthropic
  // thinking blocks with signatures, Gemini parts with thought signatures). Null when none.
  nlohmann::json provider_state;
};

struct ToolSchema {
  std::string name;
  std::string description;
  nlohmann::json parameters;  // JSON Schema of the arguments object
};

struct ChatRequest {
  std::string system;
  std::vector<Message> messages;
  std::vector<ToolSchema> tools;
};

// Token counts as the provider reported them.
struct TokenUsage {
  uint64_t input = 0;      // every prompt token, cached ones included
  uint64_t cached = 0;     // the part of `input` served from the provider's prompt cache
  uint64_t output = 0;     // every generated token, reasoning included
  uint64_t reasoning = 0;  // the part of `output` spent on reasoning/thinking
  bool reported = true;    // false: the reply carried no usage (counts are zero)

  TokenUsage& operator+=(const TokenUsage& other);
};

struct ChatResponse {
  Message message;          // role Assistant
  std::string stop_reason;  // the provider's own word: "tool_calls", "end_turn", "STOP", ...
  TokenUsage usage;
};

// Neutral JSON forms, used by transcripts, the replay provider and the built-in agents.
nlohmann::json to_json(const Message& message);
Message message_from_json(const nlohmann::json& json);  // InputError naming the bad field
nlohmann::json to_json(const TokenUsage& usage);
TokenUsage usage_from_json(const nlohmann::json& json);
nlohmann::json to_json(const ChatResponse& response);
ChatResponse response_from_json(const nlohmann::json& json);
const char* role_name(Role role);

}  // namespace kc::llm
