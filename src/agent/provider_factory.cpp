#include "kernelcraft/agent/provider_factory.h"

#include <algorithm>

#include "kernelcraft/agent/builtin_agents.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/llm/http_provider.h"
#include "kernelcraft/llm/replay_provider.h"
#include "kernelcraft/llm/wire_format.h"

namespace kc::agent {

ProviderFactory::ProviderFactory(std::string cache_directory)
    : ProviderFactory(std::move(cache_directory), std::make_unique<llm::CurlHttpClient>()) {}

ProviderFactory::ProviderFactory(std::string cache_directory, std::unique_ptr<llm::HttpClient> http)
    : http_(std::move(http)) {
  if (!cache_directory.empty()) cache_ = std::make_unique<llm::ResponseCache>(std::move(cache_directory));
}

std::unique_ptr<llm::ChatProvider> ProviderFactory::make(const llm::AgentConfig& config, Evaluator& evaluator,
                                                         int turn_budget) {
  if (is_builtin_agent(config.provider)) return make_builtin_agent(config, evaluator, turn_budget);
  if (config.provider == "replay")
    throw InputError(config.source + ": a replay agent needs a transcript (kernelcraft agent --replay FILE)");
  llm::HttpProviderOptions options;
  options.timeout = std::chrono::milliseconds(static_cast<long long>(config.timeout_s * 1000));
  options.retry.max_retries = config.max_retries;
  options.retry.base_delay_s = config.retry_base_delay_s;
  options.retry.max_delay_s = config.retry_max_delay_s;
  options.cache = cache_.get();
  return std::make_unique<llm::HttpChatProvider>(llm::make_wire_format(config.provider), config.endpoint(), *http_,
                                                 options);
}

std::unique_ptr<llm::ChatProvider> ProviderFactory::make_replay(const std::vector<nlohmann::json>& transcript_events) {
  return std::make_unique<llm::ReplayProvider>(transcript_events);
}

RecordedEpisode recorded_episode(const std::vector<nlohmann::json>& events, const std::string& source) {
  // Compared as JSON: value("event", "") would throw on a non-string event.
  if (events.empty() || !events.front().is_object() ||
      events.front().value("event", nlohmann::json()) != "episode_start")
    throw InputError(source + ": not an episode transcript (the first event must be episode_start)");
  const nlohmann::json& start = events.front();
  // get<int>() of a float such as 2e70 is an out-of-range conversion (undefined behaviour;
  // tests/fuzz/corpus/transcript/regress-float-count.jsonl): integers only.
  for (const char* key : {"turn_budget", "sample", "max_tool_result_chars", "scoring_seeds"}) {
    if (!start.contains(key)) continue;
    const nlohmann::json& value = start.at(key);
    const auto integer = [](const nlohmann::json& v) { return v.is_number_integer(); };
    if (value.is_array() ? !std::all_of(value.begin(), value.end(), integer) : !integer(value))
      throw InputError(source + ": episode_start." + key + " must be an integer (or a list of them)");
  }
  RecordedEpisode episode;
  try {
    episode.agent = llm::parse_agent_config(start.at("agent").dump(), source + " (episode_start.agent)");
    episode.platform = start.at("platform").get<std::string>();
    episode.task = start.at("task").get<std::string>();
    episode.config = start.at("config").get<std::string>();
    episode.preset = start.at("preset").get<std::string>();
    episode.turn_budget = start.at("turn_budget").get<int>();
    episode.sample = start.value("sample", 0);
    episode.max_tool_result_chars = start.value("max_tool_result_chars", std::size_t{12000});
    episode.scoring_seeds = start.value("scoring_seeds", std::vector<uint64_t>{});
  } catch (const nlohmann::json::exception& e) {
    throw InputError(source + ": episode_start is incomplete (" + e.what() + ")");
  }
  return episode;
}

}  // namespace kc::agent
