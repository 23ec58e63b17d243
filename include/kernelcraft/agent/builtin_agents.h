// Agents without an LLM that drive the same tools: `baseline` writes and submits the compiler
// baseline; `autotune` searches the baseline's knobs with run_eval calls within the turn budget
// and submits the fastest kernel that passed. They make the suite runnable offline and give the
// leaderboard a classical-search row.
#pragma once

#include <memory>

#include "kernelcraft/eval/evaluator.h"
#include "kernelcraft/llm/agent_config.h"
#include "kernelcraft/llm/provider.h"

namespace kc::agent {

// The provider for a built-in agent config (provider "baseline" or "autotune"); InputError
// for any other. The evaluator supplies the baseline source and knobs (harness-side only);
// `turn_budget` is the episode's, so autotune can keep its last turn for submit.
std::unique_ptr<llm::ChatProvider> make_builtin_agent(const llm::AgentConfig& config,
                                                      Evaluator& evaluator, int turn_budget);
bool is_builtin_agent(const std::string& provider);

}  // namespace kc::agent
