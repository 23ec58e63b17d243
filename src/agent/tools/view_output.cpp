// view_output: the latest run_eval's simulated output beside the golden one, row by row, for the
// visible seed only. Mismatch counts follow the checker's rule (comparison.h), with the RMS of
// the whole golden tensor, so a row's count agrees with run_eval's total.
#include <algorithm>
#include <cmath>

#include "kernelcraft/core/seeds.h"
#include "tools.h"

namespace kc::agent {
namespace {

using nlohmann::json;
using tool_support::compact_number;

constexpr int64_t kDefaultRows = 8;
constexpr int64_t kMaxRows = 32;

json values_json(const float* begin, const float* end) {
  json out = json::array();
  for (const float* v = begin; v != end; ++v) out.push_back(compact_number(*v));
  return out;
}

json first4(const float* row, int64_t cols) { return values_json(row, row + std::min<int64_t>(cols, 4)); }
json last4(const float* row, int64_t cols) { return values_json(row + std::max<int64_t>(cols - 4, 0), row + cols); }

struct RowStats {
  double min = INFINITY, max = -INFINITY, sum = 0;
  int64_t finite = 0;
  double squared_error = 0, max_abs_error = 0;
  int64_t mismatches = 0;
};

RowStats row_stats(const float* sim, const float* golden, int64_t cols, double floor, double rtol) {
  RowStats s;
  for (int64_t j = 0; j < cols; ++j) {
    const double a = sim[j], g = golden[j];
    const double error = std::isfinite(a) ? std::fabs(a - g) : INFINITY;
    s.squared_error += error * error;
    s.max_abs_error = std::max(s.max_abs_error, error);
    if (!(error <= floor + rtol * std::fabs(g))) ++s.mismatches;
    if (!std::isfinite(a)) continue;
    s.min = std::min(s.min, a);
    s.max = std::max(s.max, a);
    s.sum += a;
    ++s.finite;
  }
  return s;
}

json row_json(int64_t row, const float* sim, const float* golden, int64_t cols, double floor, double rtol) {
  const RowStats s = row_stats(sim, golden, cols, floor, rtol);
  const bool any = s.finite > 0;
  return {{"row", row},
          {"sim_first4", first4(sim, cols)},
          {"sim_last4", last4(sim, cols)},
          {"golden_first4", first4(golden, cols)},
          {"golden_last4", last4(golden, cols)},
          {"sim_min", any ? compact_number(s.min) : json(nullptr)},
          {"sim_max", any ? compact_number(s.max) : json(nullptr)},
          {"sim_mean", any ? compact_number(s.sum / static_cast<double>(s.finite)) : json(nullptr)},
          {"mse", compact_number(cols > 0 ? s.squared_error / static_cast<double>(cols) : 0.0)},
          {"max_abs_error", compact_number(s.max_abs_error)},
          {"mismatches", s.mismatches}};
}

json overall_json(const std::vector<float>& sim, const std::vector<float>& golden, int64_t rows, int64_t cols) {
  int64_t nan = 0, inf = 0, zeros = 0;
  double squared_error = 0;
  for (std::size_t i = 0; i < sim.size(); ++i) {
    if (std::isnan(sim[i])) ++nan;
    if (std::isinf(sim[i])) ++inf;
    if (sim[i] == 0.0f) ++zeros;
    const double error = static_cast<double>(sim[i]) - golden[i];
    squared_error += error * error;
  }
  const double mse = sim.empty() ? 0.0 : squared_error / static_cast<double>(sim.size());
  return {{"rows", rows}, {"cols", cols}, {"nan", nan}, {"inf", inf}, {"zeros", zeros}, {"mse", compact_number(mse)}};
}

class ViewOutputTool : public Tool {
 public:
  ViewOutputTool() {
    schema_.name = "view_output";
    schema_.description =
        "Compare the latest run_eval's simulated output with the expected output row by row "
        "(visible inputs only): first and last values, min/max/mean, error and mismatch count per "
        "row. The tensor is viewed as [rows x last dimension].";
    schema_.parameters = {
        {"type", "object"},
        {"properties",
         {{"tensor", {{"type", "string"}, {"description", "output tensor name (default: the first output)"}}},
          {"start_row", {{"type", "integer"}, {"minimum", 0}, {"description", "first row to show (default 0)"}}},
          {"num_rows",
           {{"type", "integer"}, {"minimum", 1}, {"maximum", kMaxRows}, {"description", "rows to show (default 8)"}}}}},
        {"additionalProperties", false}};
  }
  const llm::ToolSchema& schema() const override { return schema_; }

  ToolOutcome run(const json& arguments, ToolContext& context) override {
    const std::optional<EvalReport>& report = context.last_eval;
    if (!report || report->seeds.empty() || report->seeds.front().actual.empty())
      return tool_support::error_outcome(
          "run run_eval first: there is no simulated output to view (the latest kernel did not run)");
    const SeedResult& seed = report->seeds.front();
    const auto outputs = context.evaluator.instance().outputs();

    std::size_t index = 0;
    if (arguments.contains("tensor")) {
      const std::string name = arguments["tensor"].get<std::string>();
      std::string names;
      index = outputs.size();
      for (std::size_t i = 0; i < outputs.size(); ++i) {
        if (outputs[i]->spec->name == name) index = i;
        names += (names.empty() ? "" : ", ") + outputs[i]->spec->name;
      }
      if (index == outputs.size())
        return tool_support::error_outcome("unknown output tensor '" + name + "'; outputs are: " + names);
    }
    if (index >= seed.actual.size() || index >= seed.outputs.size())
      return tool_support::error_outcome("run run_eval first: the latest run kept no outputs");

    const BoundTensor& tensor = *outputs[index];
    const std::vector<float>& sim = seed.actual[index];
    const std::vector<float>& golden = context.evaluator.seed_data(seed.seed).golden.at(index);
    const int64_t rows = tensor.rows, cols = tensor.cols;
    if (static_cast<int64_t>(sim.size()) != rows * cols || golden.size() != sim.size())
      return tool_support::error_outcome("view_output: the stored output of " + tensor.spec->name +
                                         " does not match its shape; run run_eval again");
    const int64_t start = tool_support::integer_argument(arguments, "start_row", 0);
    if (start >= rows)
      return tool_support::error_outcome("start_row " + std::to_string(start) + " is past the end: " +
                                         tensor.spec->name + " has " + std::to_string(rows) +
                                         " rows (0.." + std::to_string(rows - 1) + ")");
    const int64_t count =
        std::min<int64_t>(tool_support::integer_argument(arguments, "num_rows", kDefaultRows), rows - start);

    const Tolerance tolerance = context.evaluator.instance().tolerance_for(tensor.spec->dtype);
    const double floor = tolerance.atol * seed.outputs[index].golden_rms;
    json shown = json::array();
    for (int64_t r = start; r < start + count; ++r)
      shown.push_back(row_json(r, sim.data() + r * cols, golden.data() + r * cols, cols, floor, tolerance.rtol));
    json result{{"tensor", tensor.spec->name}, {"overall", overall_json(sim, golden, rows, cols)}};
    result["rows"] = std::move(shown);
    return tool_support::json_outcome(result);
  }

 private:
  llm::ToolSchema schema_;
};

}  // namespace

std::unique_ptr<Tool> make_view_output_tool() { return std::make_unique<ViewOutputTool>(); }

}  // namespace kc::agent
