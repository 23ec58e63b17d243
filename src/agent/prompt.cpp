#include "kernelcraft/agent/prompt.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/text_file.h"

namespace kc::agent {
namespace {

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
  return text;
}

std::string join_docs(const std::vector<DocSection>& docs) {
  std::string out;
  for (const DocSection& section : docs) {
    if (!out.empty()) out += "\n\n";
    out += "<!-- section: " + section.id + " -->\n" + section.text;
  }
  return out;
}

std::string tool_list(const std::vector<llm::ToolSchema>& tools) {
  std::string out;
  for (const llm::ToolSchema& tool : tools) out += "- `" + tool.name + "`: " + tool.description + "\n";
  return out;
}

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) out += (i ? " x " : "") + std::to_string(shape[i]);
  return out + "]";
}

std::string tensor_rows(const TaskInstance& instance) {
  std::string out;
  for (const BoundTensor& t : instance.tensors)
    out += "| " + t.spec->name + " | " + tensor_role_name(t.spec->role) + " | " + shape_text(t.shape) + " | " +
           t.spec->dtype + " |\n";
  if (!out.empty()) out.pop_back();
  return out;
}

std::string tolerance_text(const TaskInstance& instance) {
  std::set<std::string> dtypes;
  for (const BoundTensor* t : instance.outputs()) dtypes.insert(t->spec->dtype);
  std::ostringstream text;
  bool first = true;
  for (const std::string& dtype : dtypes) {
    const Tolerance tol = instance.tolerance_for(dtype);
    text << (first ? "" : "; ") << dtype << ": atol = " << tol.atol << ", rtol = " << tol.rtol;
    first = false;
  }
  return text.str();
}

// Presets are JSON; indented they read better in a prompt.
std::string pretty_json(const std::string& text) {
  const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
  return parsed.is_discarded() ? text : parsed.dump(2);
}

}  // namespace

PromptTemplates load_prompt_templates(const std::string& prompts_dir) {
  namespace fs = std::filesystem;
  PromptTemplates templates;
  templates.system_source = (fs::path(prompts_dir) / "system.md").string();
  templates.task_source = (fs::path(prompts_dir) / "task.md").string();
  templates.system = read_text_file(templates.system_source, "system prompt template");
  templates.task = read_text_file(templates.task_source, "task prompt template");
  return templates;
}

std::string fill_template(const std::string& text, const std::string& source,
                          const std::vector<std::pair<std::string, std::string>>& values) {
  std::string out;
  std::size_t at = 0;
  int line = 1;
  while (true) {
    const std::size_t open = text.find("{{", at);
    if (open == std::string::npos) break;
    line += static_cast<int>(std::count(text.begin() + static_cast<long>(at), text.begin() + static_cast<long>(open), '\n'));
    const std::size_t close = text.find("}}", open);
    if (close == std::string::npos)
      throw InputError(source + ":" + std::to_string(line) + ": '{{' without a closing '}}'");
    const std::string name = text.substr(open + 2, close - open - 2);
    const auto it = std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.first == name; });
    if (it == values.end()) {
      std::string known;
      for (const auto& v : values) known += (known.empty() ? "" : ", ") + v.first;
      throw InputError(source + ":" + std::to_string(line) + ": unknown placeholder {{" + name + "}} (known: " + known + ")");
    }
    out += text.substr(at, open - at) + it->second;
    at = close + 2;
  }
  return out + text.substr(at);
}

Prompt build_prompt(const PromptTemplates& templates, const Platform& platform, const std::string& preset,
                    const TaskInstance& instance, const WorkloadLayout& layout, int turn_budget,
                    const std::vector<llm::ToolSchema>& tools) {
  const std::string title = upper(platform.name());
  const std::string budget = std::to_string(turn_budget);
  Prompt prompt;
  prompt.system = fill_template(templates.system, templates.system_source,
                                {{"platform_title", title},
                                 {"platform_description", platform.description()},
                                 {"turn_budget", budget},
                                 {"tool_list", tool_list(tools)},
                                 {"isa_docs", join_docs(platform.docs())}});
  const TaskSpec& task = *instance.task;
  prompt.task = fill_template(templates.task, templates.task_source,
                              {{"task_title", task.title},
                               {"task_name", task.name},
                               {"level", std::to_string(task.level)},
                               {"task_description", task.description},
                               {"config", instance.config},
                               {"parameters", instance.parameter_summary()},
                               {"tensor_rows", tensor_rows(instance)},
                               {"tolerance", tolerance_text(instance)},
                               {"platform_title", title},
                               {"preset", preset},
                               {"hardware", pretty_json(platform.describe_preset(preset))},
                               {"memory_layout", layout.description},
                               {"turn_budget", budget}});
  return prompt;
}

}  // namespace kc::agent
