// Re-runs an episode from its transcript with no network: each call returns the recorded
// response of the same turn. The request must hash to the recorded one, so a replay that
// would diverge (other prompt, other tool results) stops with a ProviderError naming the turn.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kernelcraft/llm/provider.h"

namespace kc::llm {

class ReplayProvider : public ChatProvider {
 public:
  explicit ReplayProvider(const std::vector<nlohmann::json>& transcript_events);
  std::string name() const override { return "replay"; }
  Exchange complete(const ChatRequest& request) override;
  std::size_t recorded_calls() const { return responses_.size(); }

 private:
  std::vector<nlohmann::json> requests_;
  std::vector<nlohmann::json> responses_;
  std::size_t next_ = 0;
};

// The request hash a provider would record for `request` when it is not an HTTP request
// (built-in agents, replay): sha256 of the neutral JSON of the request.
std::string neutral_request_hash(const ChatRequest& request);

}  // namespace kc::llm
