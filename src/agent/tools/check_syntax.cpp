// check_syntax: assembles the kernel for the episode's hardware preset without running it.
// A kernel that does not assemble is a normal result (ok=false): the tool itself worked.
#include "tools.h"

#include <algorithm>

#include "kernelcraft/eval/eval_report_json.h"

namespace kc::agent {
namespace tool_support {

nlohmann::json diagnostics_json(const std::vector<SourceDiagnostic>& diagnostics, std::size_t limit) {
  const auto end = diagnostics.begin() + static_cast<long>(std::min(limit, diagnostics.size()));
  return to_json(std::vector<SourceDiagnostic>(diagnostics.begin(), end));
}

void add_diagnostics(nlohmann::json& result, const std::vector<SourceDiagnostic>& diagnostics, std::size_t limit) {
  result["diagnostics"] = diagnostics_json(diagnostics, limit);
  if (diagnostics.size() > limit) result["more_diagnostics"] = diagnostics.size() - limit;
}

}  // namespace tool_support

namespace {

constexpr std::size_t kShownDiagnostics = 20;

class CheckSyntaxTool : public Tool {
 public:
  CheckSyntaxTool() {
    schema_.name = "check_syntax";
    schema_.description =
        "Assemble the kernel without running it and list errors and warnings with line, column "
        "and a hint. Pass `code` to save it as a new version first; otherwise the current "
        "version is checked.";
    schema_.parameters = tool_support::optional_code_parameters("optional: new kernel source to save and check");
  }
  const llm::ToolSchema& schema() const override { return schema_; }

  ToolOutcome run(const nlohmann::json& arguments, ToolContext& context) override {
    std::string source, error;
    if (!tool_support::resolve_source(arguments, context, source, error))
      return tool_support::error_outcome(error);
    const AssembleResult assembled = context.platform.assemble(source, context.evaluator.preset());
    std::size_t errors = 0, warnings = 0;
    for (const SourceDiagnostic& d : assembled.diagnostics) (d.severity == "error" ? errors : warnings)++;
    nlohmann::json result{{"ok", assembled.ok()}, {"errors", errors}, {"warnings", warnings}};
    if (assembled.ok()) result["instructions"] = assembled.program->instruction_count();
    tool_support::add_diagnostics(result, assembled.diagnostics, kShownDiagnostics);
    return tool_support::json_outcome(result);
  }

 private:
  llm::ToolSchema schema_;
};

}  // namespace

std::unique_ptr<Tool> make_check_syntax_tool() { return std::make_unique<CheckSyntaxTool>(); }

}  // namespace kc::agent
