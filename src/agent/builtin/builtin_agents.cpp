// The built-in agents' common provider plumbing and the factory the episode runner uses.
#include "kernelcraft/agent/builtin_agents.h"

#include <algorithm>
#include <chrono>

#include "builtin.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/llm/replay_provider.h"

namespace kc::agent {
namespace builtin {

llm::Exchange BuiltinAgent::complete(const llm::ChatRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  llm::ChatResponse response;
  response.message = reply(request);
  response.message.role = llm::Role::Assistant;
  response.stop_reason = response.message.tool_calls.empty() ? "end_turn" : "tool_calls";
  response.usage = llm::TokenUsage{};  // no model, no tokens; "reported" stays true

  llm::Exchange exchange;
  exchange.response_body = llm::to_json(response).dump();
  exchange.response = std::move(response);
  exchange.request_hash = llm::neutral_request_hash(request);
  exchange.format = "neutral";
  exchange.attempts = 1;
  exchange.latency_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return exchange;
}

int turn_number(const llm::ChatRequest& request) {
  return 1 + static_cast<int>(std::count_if(request.messages.begin(), request.messages.end(),
                                            [](const llm::Message& m) { return m.role == llm::Role::Assistant; }));
}

llm::ToolCall tool_call(int turn, std::size_t index, const std::string& name, const nlohmann::json& arguments) {
  return {"call_t" + std::to_string(turn) + "_" + std::to_string(index + 1), name, arguments.dump()};
}

llm::Message assistant_text(const std::string& text) {
  llm::Message message;
  message.role = llm::Role::Assistant;
  message.text = text;
  return message;
}

}  // namespace builtin

bool is_builtin_agent(const std::string& provider) { return provider == "baseline" || provider == "autotune"; }

std::unique_ptr<llm::ChatProvider> make_builtin_agent(const llm::AgentConfig& config, Evaluator& evaluator,
                                                      int turn_budget) {
  if (config.provider == "baseline") return builtin::make_baseline_agent(evaluator, turn_budget);
  if (config.provider == "autotune") return builtin::make_autotune_agent(config, evaluator, turn_budget);
  throw InputError((config.source.empty() ? std::string("agent config") : config.source) +
                   ": field 'provider' is '" + config.provider +
                   "', not a built-in agent (expected baseline or autotune)");
}

}  // namespace kc::agent
