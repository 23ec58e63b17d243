// get_instruction_size: the static instruction count of the kernel, by instruction class, so an
// agent can see where its program's length goes without running it.
#include "tools.h"

namespace kc::agent {
namespace {

constexpr std::size_t kShownDiagnostics = 20;

class GetInstructionSizeTool : public Tool {
 public:
  GetInstructionSizeTool() {
    schema_.name = "get_instruction_size";
    schema_.description =
        "Assemble the kernel and count its instructions, in total and by instruction class "
        "(static counts, loops not unrolled). Pass `code` to save it as a new version first.";
    schema_.parameters = tool_support::optional_code_parameters("optional: new kernel source to save and count");
  }
  const llm::ToolSchema& schema() const override { return schema_; }

  ToolOutcome run(const nlohmann::json& arguments, ToolContext& context) override {
    std::string source, error;
    if (!tool_support::resolve_source(arguments, context, source, error))
      return tool_support::error_outcome(error);
    const AssembleResult assembled = context.platform.assemble(source, context.evaluator.preset());
    if (!assembled.ok()) {
      nlohmann::json result{{"ok", false}};
      tool_support::add_diagnostics(result, assembled.diagnostics, kShownDiagnostics);
      return tool_support::json_outcome(result);
    }
    nlohmann::json classes = nlohmann::json::object();
    // A platform may list its total among the classes; it is reported once, as "total".
    for (const auto& [name, count] : assembled.program->instruction_classes())
      if (name != "total") classes[name] = count;
    return tool_support::json_outcome(
        {{"ok", true}, {"total", assembled.program->instruction_count()}, {"classes", std::move(classes)}});
  }

 private:
  llm::ToolSchema schema_;
};

}  // namespace

std::unique_ptr<Tool> make_get_instruction_size_tool() { return std::make_unique<GetInstructionSizeTool>(); }

}  // namespace kc::agent
