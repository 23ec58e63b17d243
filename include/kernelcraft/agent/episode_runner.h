// One episode (DESIGN.md section 3): prompt -> provider -> tool calls -> tools -> feedback, for
// at most the turn budget, ending on submit; then the final kernel is scored on the hidden
// seeds. Everything is written to the transcript as it happens.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kernelcraft/agent/episode_record.h"
#include "kernelcraft/agent/prompt.h"
#include "kernelcraft/agent/tool.h"
#include "kernelcraft/core/platform.h"
#include "kernelcraft/eval/evaluator.h"
#include "kernelcraft/llm/agent_config.h"
#include "kernelcraft/llm/provider.h"

namespace kc::agent {

// Progress of a running episode, for live logs.
struct EpisodeEvent {
  enum class Kind { TurnStarted, ModelReplied, ToolFinished, Ended };
  Kind kind = Kind::TurnStarted;
  int turn = 0, turn_budget = 0;
  std::string tool;           // ToolFinished
  std::string summary;        // one line: verdict, error, tokens
  bool is_error = false;
};

struct EpisodeOptions {
  std::string directory;        // kernels and transcript.jsonl go here ("" : nothing on disk)
  std::string transcript_path;  // overrides <directory>/transcript.jsonl (runs keep transcripts apart)
  std::string kernel_directory; // overrides <directory> for kernel versions and final.asm
  std::vector<uint64_t> scoring_seeds;  // empty: the standard hidden seeds
  int turn_budget = 0;          // 0: the agent config's budget for the task's level
  int sample = 0;
  std::size_t max_tool_result_chars = 12000;
  std::function<void(const EpisodeEvent&)> on_event;
};

class EpisodeRunner {
 public:
  EpisodeRunner(const Platform& platform, const llm::AgentConfig& agent, llm::ChatProvider& provider,
                PromptTemplates templates);
  EpisodeRecord run(Evaluator& evaluator, const EpisodeOptions& options);

 private:
  void score_final_kernel(Evaluator& evaluator, const ToolContext& context, const EpisodeOptions& options,
                          EpisodeRecord& record) const;

  const Platform& platform_;
  const llm::AgentConfig& agent_;
  llm::ChatProvider& provider_;
  PromptTemplates templates_;
};

}  // namespace kc::agent
