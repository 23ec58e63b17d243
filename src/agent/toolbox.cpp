// The toolbox: dispatch by name, argument parsing and checking, and the rule that every failure
// becomes a bounded tool error the model can read (DESIGN.md section 4: errors are returned to
// the agent, never thrown out of the loop).
#include <exception>
#include <string>

#include "kernelcraft/agent/tool.h"
#include "kernelcraft/core/errors.h"
#include "tools/tools.h"

namespace kc::agent {
namespace {

using nlohmann::json;

bool blank(const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; }

// Some models send null for an optional field they mean to leave out; treat it as omitted so
// the schema check judges what they meant.
void drop_nulls(json& arguments) {
  for (auto it = arguments.begin(); it != arguments.end();) {
    if (it->is_null()) it = arguments.erase(it);
    else ++it;
  }
}

std::string bounded(std::string content, std::size_t limit) {
  if (content.size() <= limit) return content;
  std::string kept = tool_support::utf8_prefix(content, limit);
  const std::size_t rest = content.size() - kept.size();
  return kept + "\n[truncated: " + std::to_string(rest) + " more characters; ask for less]";
}

}  // namespace

namespace tool_support {

std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string utf8_prefix(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  // Step back over continuation bytes so the cut lands on a character boundary.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace tool_support

Toolbox::Toolbox(std::size_t max_result_chars) : max_result_chars_(max_result_chars) {}

void Toolbox::add(std::unique_ptr<Tool> tool) { tools_.push_back(std::move(tool)); }

std::vector<llm::ToolSchema> Toolbox::schemas() const {
  std::vector<llm::ToolSchema> out;
  for (const auto& tool : tools_) out.push_back(tool->schema());
  return out;
}

llm::ToolResult Toolbox::call(const llm::ToolCall& call, ToolContext& context) const {
  auto finish = [&](std::string content, bool is_error) {
    return llm::ToolResult{call.id, call.name, bounded(std::move(content), max_result_chars_), is_error};
  };

  Tool* tool = nullptr;
  std::string names;
  for (const auto& candidate : tools_) {
    if (candidate->schema().name == call.name) tool = candidate.get();
    names += (names.empty() ? "" : ", ") + candidate->schema().name;
  }
  if (!tool) return finish("unknown tool '" + call.name + "'; tools are: " + names, true);

  json arguments = json::object();
  if (!blank(call.arguments)) {
    try {
      arguments = json::parse(call.arguments);
    } catch (const json::parse_error& e) {
      return finish("arguments of " + call.name + " are not valid JSON: " + e.what(), true);
    }
  }
  if (!arguments.is_object())
    return finish("arguments of " + call.name + " must be a JSON object, not " +
                      std::string(arguments.type_name()),
                  true);
  drop_nulls(arguments);
  const std::string problem = check_arguments(arguments, tool->schema().parameters);
  if (!problem.empty()) return finish(call.name + ": " + problem, true);

  try {
    ToolOutcome outcome = tool->run(arguments, context);
    return finish(std::move(outcome.content), outcome.is_error);
  } catch (const InputError& e) {
    return finish(call.name + " failed: " + e.what(), true);
  } catch (const std::exception& e) {
    return finish(call.name + " failed: " + e.what(), true);
  }
}

Toolbox standard_toolbox(std::size_t max_result_chars) {
  Toolbox toolbox(max_result_chars);
  toolbox.add(make_write_code_tool());
  toolbox.add(make_check_syntax_tool());
  toolbox.add(make_run_eval_tool());
  toolbox.add(make_view_output_tool());
  toolbox.add(make_get_instruction_size_tool());
  toolbox.add(make_grep_docs_tool());
  toolbox.add(make_read_docs_tool());
  toolbox.add(make_submit_tool());
  return toolbox;
}

}  // namespace kc::agent
