// An agent: which provider and model to call, how (base URL, key variable, headers, sampling,
// thinking), what it costs, and its turn budgets. One JSON file per agent in agents/
// (format "kernelcraft-agent/1", docs/agents.md). Built-in agents (baseline, autotune) and
// replay use the same file format with their own provider names.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kernelcraft/llm/chat.h"
#include "kernelcraft/llm/wire_format.h"

namespace kc::llm {

struct Prices {  // USD per million tokens
  double input = 0;
  double cached_input = 0;
  double output = 0;  // reasoning tokens are billed as output
};

struct AgentConfig {
  std::string source;      // file the config came from (for messages)
  std::string name;
  std::string provider;    // openai | anthropic | gemini | baseline | autotune | replay
  std::string model;
  std::string base_url;
  std::string api_key_env;  // the environment variable holding the key ("" : no key)
  // Extra headers; "${VAR}" in a value is read from the environment and treated as a secret.
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<double> temperature;
  std::optional<double> top_p;
  int max_output_tokens = 16384;
  std::string max_tokens_field = "max_completion_tokens";
  std::optional<int> thinking_budget_tokens;
  std::string reasoning_effort;
  std::optional<long long> seed;
  Prices prices;
  double timeout_s = 600;
  int max_retries = 5;
  // Backoff between retries ("retry" object): up to base * 2^n seconds, capped at max; a
  // server's Retry-After wins. Shorter values suit local servers and tests.
  double retry_base_delay_s = 1.0;
  double retry_max_delay_s = 60.0;
  std::map<int, int> turn_budget{{1, 15}, {2, 20}, {3, 25}};  // by task level
  int max_tool_calls_per_turn = 16;
  nlohmann::json options;  // provider-specific extras (autotune: search settings)

  bool uses_http() const;  // openai | anthropic | gemini
  int turns_for_level(int level) const;
  // The endpoint with the key read from api_key_env (registered as a secret). A missing
  // variable throws InputError naming it (never its value).
  ModelEndpoint endpoint() const;
};

// Parses and validates; errors name the file, the field and what was expected.
AgentConfig parse_agent_config(const std::string& json_text, const std::string& source);
AgentConfig load_agent_config(const std::string& path);
// The canonical JSON of a config (no secrets: only the key's variable name).
nlohmann::json to_json(const AgentConfig& config);

// USD for `usage` at `prices`.
double cost_usd(const TokenUsage& usage, const Prices& prices);

}  // namespace kc::llm
