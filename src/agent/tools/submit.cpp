// submit: hands in the kernel for final scoring on hidden inputs; the episode loop ends the
// episode once it sees context.submitted.
#include "tools.h"

namespace kc::agent {
namespace {

class SubmitTool : public Tool {
 public:
  SubmitTool() {
    schema_.name = "submit";
    schema_.description =
        "Submit the kernel as your final answer; the episode ends and the kernel is scored on "
        "hidden inputs. Pass `code` to save and submit it; otherwise the current version is submitted.";
    schema_.parameters = tool_support::optional_code_parameters("optional: kernel source to save and submit");
  }
  const llm::ToolSchema& schema() const override { return schema_; }

  ToolOutcome run(const nlohmann::json& arguments, ToolContext& context) override {
    std::string source, error;
    if (!tool_support::resolve_source(arguments, context, source, error))
      return tool_support::error_outcome(error);
    context.submitted = true;
    context.submitted_source = source;
    return tool_support::json_outcome({{"submitted", true},
                                       {"version", context.kernel.version},
                                       {"note", "the episode ends; the kernel is scored on hidden inputs"}});
  }

 private:
  llm::ToolSchema schema_;
};

}  // namespace

std::unique_ptr<Tool> make_submit_tool() { return std::make_unique<SubmitTool>(); }

}  // namespace kc::agent
