// Builds the chat provider an agent config names: an HTTP provider (openai, anthropic, gemini)
// over libcurl with retries and the response cache, a built-in agent, or a transcript replay.
// Owns the HTTP client and the cache, so one factory serves every episode of a run.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kernelcraft/eval/evaluator.h"
#include "kernelcraft/llm/agent_config.h"
#include "kernelcraft/llm/http_client.h"
#include "kernelcraft/llm/provider.h"
#include "kernelcraft/llm/response_cache.h"

namespace kc::agent {

class ProviderFactory {
 public:
  // cache_directory "" : no response cache.
  explicit ProviderFactory(std::string cache_directory);
  // For tests: another HTTP transport.
  ProviderFactory(std::string cache_directory, std::unique_ptr<llm::HttpClient> http);

  std::unique_ptr<llm::ChatProvider> make(const llm::AgentConfig& config, Evaluator& evaluator, int turn_budget);
  std::unique_ptr<llm::ChatProvider> make_replay(const std::vector<nlohmann::json>& transcript_events);

 private:
  std::unique_ptr<llm::HttpClient> http_;
  std::unique_ptr<llm::ResponseCache> cache_;
};

// What a transcript's episode_start recorded, to re-run the same episode.
struct RecordedEpisode {
  llm::AgentConfig agent;
  std::string platform, task, config, preset;
  int turn_budget = 0;
  int sample = 0;
  std::size_t max_tool_result_chars = 12000;
  std::vector<uint64_t> scoring_seeds;
};
// InputError naming the transcript when it has no usable episode_start.
RecordedEpisode recorded_episode(const std::vector<nlohmann::json>& events, const std::string& source);

}  // namespace kc::agent
