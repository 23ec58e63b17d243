// The tools an agent calls (DESIGN.md section 4), what they may touch, and the toolbox that
// validates arguments, dispatches, turns every failure into a readable tool error and bounds
// every result.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kernelcraft/core/platform.h"
#include "kernelcraft/eval/evaluator.h"
#include "kernelcraft/llm/chat.h"

namespace kc::agent {

// The kernel the agent is working on. Each write_code (or code argument) saves a new version
// as <directory>/kernel_v<N>.asm so the episode's history stays on disk.
struct KernelWorkspace {
  std::string directory;  // empty: versions are kept in memory only
  std::string source;
  int version = 0;        // 0: nothing written yet
  std::string path;       // file of the current version ("" when in memory only)
};

// What the tools of one episode share.
struct ToolContext {
  ToolContext(const Platform& platform_in, Evaluator& evaluator_in, std::vector<DocSection> docs_in,
              KernelWorkspace kernel_in = {})
      : platform(platform_in), evaluator(evaluator_in), docs(std::move(docs_in)), kernel(std::move(kernel_in)) {}

  const Platform& platform;
  Evaluator& evaluator;
  std::vector<DocSection> docs;
  KernelWorkspace kernel;
  int turn = 0;                        // the turn whose calls are running (1-based)
  std::optional<EvalReport> last_eval;  // visible-seed report of the latest run_eval
  std::optional<int> first_valid_turn;  // first turn whose run_eval passed
  int eval_calls = 0;
  bool submitted = false;
  std::string submitted_source;
};

struct ToolOutcome {
  std::string content;  // JSON text for structured results
  bool is_error = false;
};

class Tool {
 public:
  virtual ~Tool() = default;
  virtual const llm::ToolSchema& schema() const = 0;
  // `arguments` has been checked against schema().parameters. Problems the agent caused are
  // returned as is_error outcomes; exceptions are caught by the toolbox and reported too.
  virtual ToolOutcome run(const nlohmann::json& arguments, ToolContext& context) = 0;
};

class Toolbox {
 public:
  explicit Toolbox(std::size_t max_result_chars = 12000);
  void add(std::unique_ptr<Tool> tool);
  std::vector<llm::ToolSchema> schemas() const;
  // Parses the call's argument text, checks it against the tool's schema, runs the tool.
  // Unknown tools, invalid JSON, schema violations and thrown errors all come back as
  // is_error results naming the problem. Content longer than the bound is cut with a note.
  llm::ToolResult call(const llm::ToolCall& call, ToolContext& context) const;
  std::size_t max_result_chars() const { return max_result_chars_; }

 private:
  std::vector<std::unique_ptr<Tool>> tools_;
  std::size_t max_result_chars_;
};

// The eight tools: write_code, check_syntax, run_eval, view_output, get_instruction_size,
// grep_docs, read_docs, submit.
Toolbox standard_toolbox(std::size_t max_result_chars = 12000);

// Checks `arguments` against the subset of JSON Schema the tools use (object, properties,
// required, additionalProperties false, type string/integer/number/boolean, enum, minimum,
// maximum, maxLength). Returns "" when valid, else what is wrong, naming the field.
std::string check_arguments(const nlohmann::json& arguments, const nlohmann::json& schema);

}  // namespace kc::agent
