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

// Tool arguments are flat objects; anything nested deeper is abuse. Checked on the raw text
// before parsing because nested values are built, printed and destroyed recursively, and 100k
// levels would overflow the stack somewhere along the way.
constexpr std::size_t kMaxArgumentDepth = 64;

// True when `text` nests arrays/objects deeper than `limit` (brackets inside strings ignored).
bool nested_deeper_than(const std::string& text, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

// Length of the valid UTF-8 sequence at `at` (RFC 3629: no overlongs, no surrogates, at most
// U+10FFFF), or 0 when the bytes there are not one.
std::size_t utf8_sequence_length(const std::string& text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) length = 2;
  else if (lead >= 0xE0 && lead <= 0xEF) length = 3;
  else if (lead >= 0xF0 && lead <= 0xF4) length = 4;
  else return 0;
  if (lead == 0xE0) low = 0xA0;
  if (lead == 0xED) high = 0x9F;
  if (lead == 0xF0) low = 0x90;
  if (lead == 0xF4) high = 0x8F;
  if (at + length > text.size() || byte(at + 1) < low || byte(at + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k)
    if ((byte(at + k) & 0xC0) != 0x80) return 0;
  return length;
}

// `text` with every byte outside a valid UTF-8 sequence replaced by '?': results go back to the
// model inside JSON, and parser messages quote the offending raw bytes.
std::string valid_utf8(std::string text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) text[i++] = '?';
    else i += length;
  }
  return text;
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
    return llm::ToolResult{call.id, call.name, bounded(valid_utf8(std::move(content)), max_result_chars_), is_error};
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
    if (nested_deeper_than(call.arguments, kMaxArgumentDepth))
      return finish("arguments of " + call.name + " nest arrays/objects more than " +
                        std::to_string(kMaxArgumentDepth) + " levels deep; send a flat JSON object",
                    true);
    try {
      arguments = json::parse(call.arguments);
    } catch (const json::exception& e) {  // parse_error, and out_of_range for numbers like 1e99999
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
