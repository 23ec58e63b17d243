// A chat provider: anything that answers a ChatRequest with an assistant turn. The HTTP
// providers (openai, anthropic, gemini), the replay provider and the built-in agents
// (baseline, autotune) all implement it, so the episode loop never knows which one it drives.
#pragma once

#include <stdexcept>
#include <string>

#include "kernelcraft/llm/chat.h"

namespace kc::llm {

// One model call as the transcript records it.
struct Exchange {
  ChatResponse response;
  std::string request_hash;   // sha256 of what identifies the request (cache and replay key)
  std::string response_body;  // raw reply body, enough to decode the response again
  std::string format;         // how response_body decodes: a wire format name or "neutral"
  int attempts = 1;           // HTTP attempts made (1 + retries); 0 when served from cache
  bool from_cache = false;
  double latency_ms = 0;      // wall time of the call, retries and waits included
};

// The call failed for good: retries exhausted, or an error retrying cannot fix. Recorded as
// infra_error, never as a model failure. Messages never contain secrets.
class ProviderError : public std::runtime_error {
 public:
  enum class Kind { Auth, BadRequest, RateLimited, Server, Network, Timeout, MalformedReply, Replay };
  ProviderError(Kind kind, const std::string& message, long status = 0)
      : std::runtime_error(message), kind_(kind), status_(status) {}
  Kind kind() const { return kind_; }
  long status() const { return status_; }

 private:
  Kind kind_;
  long status_;
};
const char* kind_name(ProviderError::Kind kind);

class ChatProvider {
 public:
  virtual ~ChatProvider() = default;
  virtual std::string name() const = 0;  // "openai", "replay", "autotune", ...
  virtual Exchange complete(const ChatRequest& request) = 0;  // throws ProviderError
};

}  // namespace kc::llm
