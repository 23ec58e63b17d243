// Shared shape of the built-in (non-LLM) agents: each computes its next assistant turn from the
// conversation alone, and BuiltinAgent wraps that turn in an Exchange like any provider's.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "kernelcraft/eval/evaluator.h"
#include "kernelcraft/llm/agent_config.h"
#include "kernelcraft/llm/provider.h"

namespace kc::agent::builtin {

class BuiltinAgent : public llm::ChatProvider {
 public:
  // Exchange in the neutral format: no tokens, no cost, one attempt.
  llm::Exchange complete(const llm::ChatRequest& request) final;

 protected:
  // The assistant message for `request`; must depend on nothing but the request, so replayed
  // and resumed conversations get the same answers.
  virtual llm::Message reply(const llm::ChatRequest& request) = 0;
};

// 1 + the assistant turns already in the conversation.
int turn_number(const llm::ChatRequest& request);
// A call with a stable id derived from its turn and position.
llm::ToolCall tool_call(int turn, std::size_t index, const std::string& name, const nlohmann::json& arguments);
llm::Message assistant_text(const std::string& text);

std::unique_ptr<llm::ChatProvider> make_baseline_agent(Evaluator& evaluator, int turn_budget);
std::unique_ptr<llm::ChatProvider> make_autotune_agent(const llm::AgentConfig& config, Evaluator& evaluator,
                                                       int turn_budget);

}  // namespace kc::agent::builtin
