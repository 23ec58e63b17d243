#include "kernelcraft/llm/replay_provider.h"

#include "kernelcraft/core/errors.h"
#include "kernelcraft/llm/sha256.h"

namespace kc::llm {

using nlohmann::json;

namespace {

// A string field of a recorded event. Transcripts are files a user can edit: a field of another
// type is a replay error naming it, not a JSON exception escaping the episode loop.
std::string recorded_string(const json& event, const char* key, const std::string& fallback,
                            const std::string& turn) {
  const auto it = event.find(key);
  if (it == event.end()) return fallback;
  if (!it->is_string())
    throw ProviderError(ProviderError::Kind::Replay, "replay: the recorded " + std::string(key) +
                                                         " of turn " + turn + " is not a string");
  return it->get<std::string>();
}

}  // namespace

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
    const json type = event.is_object() ? event.value("event", json()) : json();
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
  const std::string recorded =
      call < requests_.size() ? recorded_string(requests_[call], "request_hash", "", turn) : "";
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
  exchange.request_hash = recorded_string(event, "request_hash", hash, turn);
  exchange.response_body = recorded_string(event, "body", "", turn);
  exchange.format = recorded_string(event, "format", "neutral", turn);
  exchange.attempts = 0;
  exchange.from_cache = true;
  return exchange;
}

}  // namespace kc::llm
