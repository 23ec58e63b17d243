// leaderboard.md: KernelCraft's tables (success x/5 per task, best speedup per configuration)
// per platform, then one row per agent with the rest of the metrics. Every number comes from
// the summary, so the markdown, the HTML and summary.json cannot disagree.
#include <sstream>

#include "kernelcraft/report/report.h"
#include "episode_metrics.h"
#include "report_text.h"

namespace kc::report {
namespace {

using nlohmann::json;
using detail::markdown_cell;

std::string joined_run_ids(const json& summary) {
  std::string out;
  for (const auto& run : summary.at("runs")) out += (out.empty() ? "" : ", ") + run.at("id").get<std::string>();
  return out.empty() ? "(no run)" : out;
}

void table_header(std::ostream& os, const std::vector<std::string>& columns) {
  os << '|';
  for (const auto& c : columns) os << ' ' << c << " |";
  os << "\n|";
  for (std::size_t i = 0; i < columns.size(); ++i) os << "---|";
  os << '\n';
}

void table_row(std::ostream& os, const std::vector<std::string>& cells) {
  os << '|';
  for (const auto& c : cells) os << ' ' << c << " |";
  os << '\n';
}

std::string bold(const std::string& text) { return "**" + text + "**"; }

void success_section(std::ostream& os, const json& table) {
  const auto agents = table.at("agents").get<std::vector<std::string>>();
  std::vector<std::string> columns{"Level", "Task"};
  for (const auto& a : agents) columns.push_back(markdown_cell(a));
  os << "### Success (configurations with a passing sample / configurations run)\n\n";
  table_header(os, columns);
  const json& rows = table.at("rows");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const json& row = rows[i];
    const std::string level = "L" + std::to_string(row.at("level").get<int>());
    std::vector<std::string> cells{level, markdown_cell(row.at("task").get<std::string>())};
    for (const auto& a : agents) cells.push_back(detail::solved_text(detail::member_or_null(row.at("agents"), a)));
    table_row(os, cells);
    // A level's total follows its last task.
    if (i + 1 == rows.size() || rows[i + 1].at("level") != row.at("level")) {
      std::vector<std::string> total{bold(level + " total"), ""};
      const json& level_totals = detail::member_or_null(table.at("levels"), level);
      for (const auto& a : agents) total.push_back(bold(detail::solved_text(detail::member_or_null(level_totals, a))));
      table_row(os, total);
    }
  }
  std::vector<std::string> total{bold("Total"), ""};
  for (const auto& a : agents) total.push_back(bold(detail::solved_text(detail::member_or_null(table.at("total"), a))));
  table_row(os, total);
  os << '\n';
}

std::string speedup_cell(const json& cell) {
  if (!cell.is_object()) return "—";  // configuration not run
  const std::string bin = cell.at("bin").get<std::string>();
  if (bin == "failed") return "✗";
  const std::string agent_name = markdown_cell(cell.at("agent").get<std::string>());
  if (bin == "no_baseline") return "pass, no baseline (" + agent_name + ")";
  return detail::fixed(cell.at("speedup").get<double>(), 2) + "× (" + agent_name + ")";
}

void speedup_section(std::ostream& os, const json& table) {
  const auto configs = table.at("configs").get<std::vector<std::string>>();
  std::vector<std::string> columns{"Task"};
  for (const auto& c : configs) columns.push_back(markdown_cell(c));
  os << "### Best speedup over the baseline per configuration (best of agents; ✗ = no agent passed)\n\n";
  table_header(os, columns);
  for (const auto& row : table.at("rows")) {
    std::vector<std::string> cells{markdown_cell(row.at("task").get<std::string>())};
    for (const auto& c : configs) cells.push_back(speedup_cell(detail::member_or_null(row.at("configs"), c)));
    table_row(os, cells);
  }
  const json& bins = table.at("bins");
  os << "\nConfigurations by best speedup: ≥2×: " << bins.at(">=2x") << ", 1–2×: " << bins.at("1-2x")
     << ", <1×: " << bins.at("<1x") << ", failed: " << bins.at("failed");
  if (bins.at("no_baseline").get<int>() > 0) os << ", passed without a baseline: " << bins.at("no_baseline");
  os << ".\n\n";
}

std::vector<std::string> pass_at_k_keys(const json& summary) {
  const int samples = summary.at("samples").get<int>();
  if (samples <= 1) return {};
  return {"1", std::to_string(samples)};
}

void agents_results(std::ostream& os, const json& summary) {
  const auto k_keys = pass_at_k_keys(summary);
  std::vector<std::string> columns{"Agent", "Episodes", "Passed", "Infra errors", "Success"};
  for (const auto& k : k_keys) columns.push_back("pass@" + k);
  for (const auto& threshold : detail::fast_thresholds()) columns.push_back("fast_" + threshold.first);
  columns.push_back("Geomean speedup");
  columns.push_back("Turns to first valid (mean / median)");
  os << "### Results\n\n";
  table_header(os, columns);
  for (const auto& [agent_name, node] : summary.at("by_agent").items()) {
    const json& m = node.at("metrics");
    std::vector<std::string> cells{markdown_cell(agent_name), m.at("episodes").dump(), m.at("passed").dump(),
                                   m.at("infra_errors").dump(), detail::percent_or_dash(m.at("success_rate"))};
    for (const auto& k : k_keys) cells.push_back(detail::percent_or_dash(detail::member_or_null(m.at("pass_at_k"), k)));
    for (const auto& threshold : detail::fast_thresholds())
      cells.push_back(detail::percent_or_dash(m.at("fast_p").at(threshold.first)));
    cells.push_back(detail::speedup_or_dash(m.at("geomean_speedup")));
    cells.push_back(detail::turns_or_dash(m.at("turns_to_first_valid")));
    table_row(os, cells);
  }
  os << '\n';
}

void agents_tokens(std::ostream& os, const json& summary) {
  os << "### Tokens per run, cost and wall time\n\n";
  table_header(os, {"Agent", "System", "Input", "Cached", "Reasoning", "Output", "Total", "Cost (sum)", "Cost / run",
                    "Wall (sum)", "Wall / run"});
  for (const auto& [agent_name, node] : summary.at("by_agent").items()) {
    const json& m = node.at("metrics");
    std::vector<std::string> cells{markdown_cell(agent_name)};
    for (const auto& key : {"system", "input", "cached", "reasoning", "output", "total"})
      cells.push_back(detail::tokens_or_dash(m.at("tokens_mean").at(key)));
    cells.push_back(detail::dollars_or_dash(m.at("cost_usd").at("sum")));
    cells.push_back(detail::dollars_or_dash(m.at("cost_usd").at("mean")));
    cells.push_back(detail::seconds_or_dash(m.at("wall_s").at("sum")));
    cells.push_back(detail::seconds_or_dash(m.at("wall_s").at("mean")));
    table_row(os, cells);
  }
  os << "\nTokens are means per scored episode; cached tokens are part of system + input, so Total = system + input "
        "+ reasoning + output. Sums include infra_error episodes (money and time spent); means do not.\n";
}

}  // namespace

std::string leaderboard_markdown(const ReportInput& input, const nlohmann::json& summary) {
  (void)input;  // everything shown is in the summary
  std::ostringstream os;
  const json& overall = summary.at("overall");
  os << "# KernelCraft leaderboard: " << markdown_cell(joined_run_ids(summary)) << "\n\n";
  os << overall.at("episodes") << " episodes: " << overall.at("passed") << " passed, " << overall.at("failed")
     << " failed (success rate " << detail::percent_or_dash(overall.at("success_rate")) << ")";
  const int infra = overall.at("infra_errors").get<int>();
  os << ", " << infra << " infra errors.\n\n";
  if (infra > 0)
    os << "> " << infra << " episode" << (infra == 1 ? "" : "s")
       << " ended in `infra_error` (provider or harness failure). They are excluded from every rate and mean and "
          "are re-run by `--resume`.\n\n";

  for (const auto& platform : summary.at("platforms")) {
    const std::string name = platform.get<std::string>();
    os << "## Platform " << markdown_cell(name) << "\n\n";
    success_section(os, summary.at("success_table").at(name));
    speedup_section(os, summary.at("best_speedup").at(name));
  }
  os << "## Agents\n\n";
  agents_results(os, summary);
  agents_tokens(os, summary);
  return os.str();
}

}  // namespace kc::report
