// One LLM API's wire format: how a neutral ChatRequest becomes an HTTP request and how the
// reply body becomes a neutral ChatResponse. Pure functions of their inputs (no I/O), so each
// format is tested byte for byte and a recorded body decodes the same way on replay.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kernelcraft/llm/chat.h"
#include "kernelcraft/llm/http_client.h"

namespace kc::llm {

// What a wire format needs to know about the model it talks to (from the agent config).
struct ModelEndpoint {
  std::string model;
  std::string base_url;  // e.g. https://api.openai.com/v1 ; no trailing slash needed
  std::string api_key;   // secret; empty for servers without auth
  std::vector<std::pair<std::string, std::string>> extra_headers;
  std::optional<double> temperature;
  std::optional<double> top_p;
  int max_output_tokens = 16384;
  std::string max_tokens_field = "max_completion_tokens";  // openai: servers that want "max_tokens"
  std::optional<int> thinking_budget_tokens;  // Anthropic extended thinking / Gemini thinkingBudget
  std::string reasoning_effort;               // OpenAI reasoning models: "low" | "medium" | "high"
  std::optional<long long> seed;              // OpenAI-compatible servers that honour it
};

class WireFormat {
 public:
  virtual ~WireFormat() = default;
  virtual std::string name() const = 0;  // "openai" | "anthropic" | "gemini"
  virtual HttpRequest encode(const ChatRequest& request, const ModelEndpoint& endpoint) const = 0;
  // A 2xx body. Malformed or unexpected content throws MalformedReply saying what was missing.
  virtual ChatResponse decode(const std::string& body) const = 0;
  // The human-readable error of a non-2xx body (e.g. error.message), or a bounded prefix of it.
  virtual std::string error_message(const std::string& body) const = 0;
};

class MalformedReply : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "openai", "anthropic", "gemini"; InputError listing them for anything else.
std::unique_ptr<WireFormat> make_wire_format(const std::string& name);

}  // namespace kc::llm
