// run_eval: assembles and simulates the kernel on the visible seed and checks its outputs. The
// agent learns correctness, cycles and the roofline bound, never the baseline's cycles, and is
// reminded that the final score uses hidden inputs.
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "kernelcraft/core/seeds.h"
#include "tools.h"

#include "kernelcraft/eval/eval_report_json.h"

namespace kc::agent {
namespace tool_support {

nlohmann::json compact_number(double value) {
  if (!std::isfinite(value)) return nullptr;
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return std::strtod(text, nullptr);
}

}  // namespace tool_support

namespace {

using nlohmann::json;
using tool_support::compact_number;

constexpr std::size_t kShownDiagnostics = 10;
constexpr std::size_t kShownMismatches = 5;

json output_json(const TensorComparison& c) {
  json mismatches = json::array();
  for (std::size_t i = 0; i < c.first_mismatches.size() && i < kShownMismatches; ++i) {
    const Mismatch& m = c.first_mismatches[i];
    mismatches.push_back(
        {{"coords", m.coords}, {"expected", compact_number(m.golden)}, {"actual", compact_number(m.actual)}});
  }
  const double percent = c.elements == 0 ? 0.0 : 100.0 * static_cast<double>(c.mismatches) / static_cast<double>(c.elements);
  return {{"tensor", c.tensor},
          {"elements", c.elements},
          {"mismatches", c.mismatches},
          {"mismatch_percent", compact_number(percent)},
          {"nonfinite", c.nonfinite},
          {"max_abs_error", compact_number(c.max_abs_error)},
          {"first_mismatches", std::move(mismatches)}};
}

json report_json(const EvalReport& report) {
  json result{{"passed", report.passed}, {"assembled", report.assembled}};
  if (!report.assembled) {
    result["diagnostics"] = tool_support::diagnostics_json(report.diagnostics, kShownDiagnostics);
  } else if (!report.seeds.empty()) {
    const SeedResult& seed = report.seeds.front();
    if (seed.trap) result["trap"] = to_json(*seed.trap);
    result["cycles"] = report.cycles;
    result["instructions"] = report.instruction_count;
    result["roofline_cycles"] = compact_number(report.roofline_cycles);
    result["sol_percent"] = compact_number(report.sol_percent);
    json outputs = json::array();
    for (const TensorComparison& c : seed.outputs) outputs.push_back(output_json(c));
    result["outputs"] = std::move(outputs);
  }
  if (!report.passed)  // the classified reason in plain words: what to fix first
    result["failure"] = {{"class", failure_class(report)}, {"message", failure_message(report)}};
  result["note"] = "visible inputs only; the final score uses hidden inputs";
  return result;
}

class RunEvalTool : public Tool {
 public:
  RunEvalTool() {
    schema_.name = "run_eval";
    schema_.description =
        "Assemble and simulate the kernel on the visible test inputs, check its outputs against "
        "the reference and report correctness, mismatches, any trap, cycles and the roofline "
        "bound. Pass `code` to save it as a new version first; otherwise the current version runs.";
    schema_.parameters = tool_support::optional_code_parameters("optional: new kernel source to save and run");
  }
  const llm::ToolSchema& schema() const override { return schema_; }

  ToolOutcome run(const json& arguments, ToolContext& context) override {
    std::string source, error;
    if (!tool_support::resolve_source(arguments, context, source, error))
      return tool_support::error_outcome(error);
    EvalOptions options;
    options.seeds = {kVisibleSeed};
    options.compare_with_baseline = false;  // the agent never learns the baseline's cycles
    options.keep_outputs = true;            // view_output reads them
    options.max_reported_mismatches = kShownMismatches;
    EvalReport report = context.evaluator.evaluate(source, options);
    context.eval_calls++;
    if (report.passed && !context.first_valid_turn) context.first_valid_turn = context.turn;
    json result = report_json(report);
    context.last_eval = std::move(report);
    return tool_support::json_outcome(result);
  }

 private:
  llm::ToolSchema schema_;
};

}  // namespace

std::unique_ptr<Tool> make_run_eval_tool() { return std::make_unique<RunEvalTool>(); }

}  // namespace kc::agent
