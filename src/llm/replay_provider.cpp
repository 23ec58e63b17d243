#include "kernelcraft/llm/replay_provider.h"

#include "kernelcraft/core/errors.h"
#include "kernelcraft/llm/sha256.h"

namespace kc::llm {

using nlohmann::json;

std::string neutral_request_hash(const ChatRequest& request) {
  json messages = json::array();
  for (const Message& message : request.messages) messages.push_back(to_json(message));
  json tools = json::array();
  for (const ToolSchema& tool : request.tools)
    tools.push_back({{"name", tool.name}, {"description", tool.description}, {"parameters", tool.parameters}});
  const json neutral{{"system", request.system}, {"messages", messages}, {"tools", tools}};
  return sha256_hex(neutral.dump());
}

ReplayProvider::ReplayProvider(const std::vector<json>& transcript_events) {
  for (const json& event : transcript_events) {
    const std::string type = event.value("event", "");
    if (type == "request") requests_.push_back(event);
    if (type == "response") responses_.push_back(event);
  }
}

Exchange ReplayProvider::complete(const ChatRequest& request) {
  const std::size_t call = next_++;
  const std::string turn = std::to_string(call + 1);
  if (call >= responses_.size())
    throw ProviderError(ProviderError::Kind::Replay,
                        "replay: the transcript has no response for turn " + turn + " (it recorded " +
                            std::to_string(responses_.size()) + ")");
  const std::string hash = neutral_request_hash(request);
  const std::string recorded = call < requests_.size() ? requests_[call].value("request_hash", "") : "";
  if (hash != recorded)
    throw ProviderError(ProviderError::Kind::Replay,
                        "replay diverged at turn " + turn +
                            ": the request differs from the recorded one (other prompt, tools or tool results)");
  const json& event = responses_[call];
  Exchange exchange;
  try {
    exchange.response = response_from_json(event.at("response"));
  } catch (const std::exception& e) {
    throw ProviderError(ProviderError::Kind::Replay,
                        "replay: recorded response of turn " + turn + " is unreadable: " + e.what());
  }
  exchange.request_hash = event.value("request_hash", hash);
  exchange.response_body = event.value("body", "");
  exchange.format = event.value("format", "neutral");
  exchange.attempts = 0;
  exchange.from_cache = true;
  return exchange;
}

}  // namespace kc::llm
