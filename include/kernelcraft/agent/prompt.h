// The prompt of an episode, assembled from the templates in agents/prompts/: the system prompt
// (role, workflow, tool rules, the platform's ISA documentation) and the task prompt (task
// text, shapes, hardware preset, memory layout, preloaded constants, turn budget).
// Templates use {{name}} placeholders; an unknown placeholder is an InputError naming the file.
#pragma once

#include <string>
#include <vector>

#include "kernelcraft/core/platform.h"
#include "kernelcraft/core/workload_layout.h"
#include "kernelcraft/llm/chat.h"

namespace kc::agent {

struct PromptTemplates {
  std::string system, system_source;
  std::string task, task_source;
};

// <prompts_dir>/system.md and <prompts_dir>/task.md.
PromptTemplates load_prompt_templates(const std::string& prompts_dir);

struct Prompt {
  std::string system;
  std::string task;
};

Prompt build_prompt(const PromptTemplates& templates, const Platform& platform,
                    const std::string& preset, const TaskInstance& instance,
                    const WorkloadLayout& layout, int turn_budget,
                    const std::vector<llm::ToolSchema>& tools);

// Replaces every {{name}} in `text`; `source` names the template in errors.
std::string fill_template(const std::string& text, const std::string& source,
                          const std::vector<std::pair<std::string, std::string>>& values);

}  // namespace kc::agent
