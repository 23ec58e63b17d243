// report.html: one self-contained page (inline CSS and SVG, no scripts, no URLs) with the four
// plots and the leaderboard tables, so it can be mailed, attached to CI or opened offline.
#include <map>
#include <set>
#include <sstream>

#include "episode_metrics.h"
#include "kernelcraft/report/report.h"
#include "report_text.h"
#include "svg_plots.h"

namespace kc::report {
namespace {

using nlohmann::json;
using detail::markup_escape;

constexpr const char* kStyle = R"css(
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #ffffff;
       margin: 24px auto; max-width: 1400px; padding: 0 16px; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { border-bottom: 1px solid #d0d7de; padding-bottom: 0.2em; margin-top: 1.6em; }
h3 { margin-top: 1.2em; }
figure { margin: 1em 0 2em 0; }
figcaption { color: #57606a; font-size: 0.9em; margin-top: 0.3em; }
svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em 0; font-size: 0.9em; }
th, td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: right; }
th { background: #f6f8fa; }
td.name, th.name { text-align: left; }
tr.total td { font-weight: 600; background: #f6f8fa; }
td.bin-ge2 { background: #1a7f37; color: #ffffff; }
td.bin-1to2 { background: #b7dfb2; }
td.bin-lt1 { background: #f5cf8f; }
td.bin-failed { color: #cf222e; font-weight: 700; text-align: center; }
td.not-run { color: #8c959f; text-align: center; }
.note { background: #fff8c5; border: 1px solid #d4a72c; padding: 6px 10px; }
.muted { color: #57606a; }
)css";

std::string cell(const std::string& text, const std::string& css_class = "", const std::string& style = "") {
  std::string out = "<td";
  if (!css_class.empty()) out += " class=\"" + css_class + "\"";
  if (!style.empty()) out += " style=\"" + style + "\"";
  return out + ">" + markup_escape(text) + "</td>";
}

std::string header_row(const std::vector<std::string>& columns, std::size_t name_columns) {
  std::string out = "<thead><tr>";
  for (std::size_t i = 0; i < columns.size(); ++i)
    out += std::string("<th scope=\"col\"") + (i < name_columns ? " class=\"name\"" : "") + ">" +
           markup_escape(columns[i]) + "</th>";
  return out + "</tr></thead>\n";
}

// Unique id-safe names per platform (two platform names can map to the same slug).
std::map<std::string, std::string> platform_ids(const json& summary) {
  std::map<std::string, std::string> ids;
  std::set<std::string> used;
  for (const auto& platform : summary.at("platforms")) {
    const std::string base = detail::slug(platform.get<std::string>());
    std::string id = base;
    for (int n = 2; used.count(id); ++n) id = base + "-" + std::to_string(n);
    used.insert(id);
    ids[platform.get<std::string>()] = id;
  }
  return ids;
}

std::string solved_cell(const json& solved) {
  if (!solved.is_object() || solved.at("run").get<int>() == 0) return cell("–", "not-run");
  const double rate = solved.at("solved").get<double>() / solved.at("run").get<double>();
  return cell(detail::solved_text(solved), "",
              "background: " + detail::heat_colour(rate) + "; color: " + detail::heat_text_colour(rate));
}

void success_table(std::ostream& os, const json& table, const std::string& id) {
  const auto agents = table.at("agents").get<std::vector<std::string>>();
  std::vector<std::string> columns{"Level", "Task"};
  columns.insert(columns.end(), agents.begin(), agents.end());
  os << "<h3>Success: configurations with a passing sample / configurations run</h3>\n<table id=\"success-" << id
     << "\" class=\"success\">\n"
     << header_row(columns, 2) << "<tbody>\n";
  const json& rows = table.at("rows");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const json& row = rows[i];
    const std::string level = "L" + std::to_string(row.at("level").get<int>());
    os << "<tr>" << cell(level, "name") << cell(row.at("task").get<std::string>(), "name");
    for (const auto& a : agents) os << solved_cell(detail::member_or_null(row.at("agents"), a));
    os << "</tr>\n";
    if (i + 1 == rows.size() || rows[i + 1].at("level") != row.at("level")) {
      os << "<tr class=\"total\">" << cell(level + " total", "name") << cell("", "name");
      for (const auto& a : agents)
        os << cell(detail::solved_text(detail::member_or_null(detail::member_or_null(table.at("levels"), level), a)));
      os << "</tr>\n";
    }
  }
  os << "<tr class=\"total\">" << cell("Total", "name") << cell("", "name");
  for (const auto& a : agents) os << cell(detail::solved_text(detail::member_or_null(table.at("total"), a)));
  os << "</tr>\n</tbody></table>\n";
}

std::string speedup_cell(const json& value) {
  if (!value.is_object()) return cell("—", "not-run");
  const std::string bin = value.at("bin").get<std::string>();
  if (bin == "failed") return cell("✗", "bin-failed");
  const std::string agent_name = value.at("agent").get<std::string>();
  if (bin == "no_baseline") return cell("pass, no baseline (" + agent_name + ")");
  const char* css = bin == ">=2x" ? "bin-ge2" : bin == "1-2x" ? "bin-1to2" : "bin-lt1";
  return cell(detail::fixed(value.at("speedup").get<double>(), 2) + "× (" + agent_name + ")", css);
}

void speedup_table(std::ostream& os, const json& table, const std::string& id) {
  const auto configs = table.at("configs").get<std::vector<std::string>>();
  std::vector<std::string> columns{"Task"};
  columns.insert(columns.end(), configs.begin(), configs.end());
  os << "<h3>Best speedup over the baseline per configuration (best of agents; ✗ = no agent passed)</h3>\n"
     << "<table id=\"speedup-" << id << "\" class=\"speedup\">\n"
     << header_row(columns, 1) << "<tbody>\n";
  for (const auto& row : table.at("rows")) {
    os << "<tr>" << cell(row.at("task").get<std::string>(), "name");
    for (const auto& c : configs) os << speedup_cell(detail::member_or_null(row.at("configs"), c));
    os << "</tr>\n";
  }
  const json& bins = table.at("bins");
  os << "</tbody></table>\n<p class=\"muted\">Configurations by best speedup: ≥2×: " << bins.at(">=2x")
     << ", 1–2×: " << bins.at("1-2x") << ", &lt;1×: " << bins.at("<1x") << ", failed: " << bins.at("failed")
     << ", passed without a baseline: " << bins.at("no_baseline") << ".</p>\n";
}

void agents_results_table(std::ostream& os, const json& summary) {
  const int samples = summary.at("samples").get<int>();
  std::vector<std::string> k_keys;
  if (samples > 1) k_keys = {"1", std::to_string(samples)};
  std::vector<std::string> columns{"Agent", "Episodes", "Passed", "Infra errors", "Success"};
  for (const auto& k : k_keys) columns.push_back("pass@" + k);
  for (const auto& threshold : detail::fast_thresholds()) columns.push_back("fast_" + threshold.first);
  columns.push_back("Geomean speedup");
  columns.push_back("Turns to first valid (mean / median)");
  os << "<h3>Results</h3>\n<table id=\"agents-results\">\n" << header_row(columns, 1) << "<tbody>\n";
  for (const auto& [agent_name, node] : summary.at("by_agent").items()) {
    const json& m = node.at("metrics");
    os << "<tr>" << cell(agent_name, "name") << cell(m.at("episodes").dump()) << cell(m.at("passed").dump())
       << cell(m.at("infra_errors").dump()) << cell(detail::percent_or_dash(m.at("success_rate")));
    for (const auto& k : k_keys) os << cell(detail::percent_or_dash(detail::member_or_null(m.at("pass_at_k"), k)));
    for (const auto& threshold : detail::fast_thresholds())
      os << cell(detail::percent_or_dash(m.at("fast_p").at(threshold.first)));
    os << cell(detail::speedup_or_dash(m.at("geomean_speedup")))
       << cell(detail::turns_or_dash(m.at("turns_to_first_valid"))) << "</tr>\n";
  }
  os << "</tbody></table>\n";
}

void agents_tokens_table(std::ostream& os, const json& summary) {
  os << "<h3>Tokens per run, cost and wall time</h3>\n<table id=\"agents-tokens\">\n"
     << header_row({"Agent", "System", "Input", "Cached", "Reasoning", "Output", "Total", "Cost (sum)", "Cost / run",
                    "Wall (sum)", "Wall / run"},
                   1)
     << "<tbody>\n";
  for (const auto& [agent_name, node] : summary.at("by_agent").items()) {
    const json& m = node.at("metrics");
    os << "<tr>" << cell(agent_name, "name");
    for (const auto& key : {"system", "input", "cached", "reasoning", "output", "total"})
      os << cell(detail::tokens_or_dash(m.at("tokens_mean").at(key)));
    os << cell(detail::dollars_or_dash(m.at("cost_usd").at("sum")))
       << cell(detail::dollars_or_dash(m.at("cost_usd").at("mean")))
       << cell(detail::seconds_or_dash(m.at("wall_s").at("sum")))
       << cell(detail::seconds_or_dash(m.at("wall_s").at("mean")))
       << "</tr>\n";
  }
  os << "</tbody></table>\n<p class=\"muted\">Tokens are means per scored episode; cached tokens are part of system + "
        "input, so Total = system + input + reasoning + output. Sums include infra_error episodes (money and time "
        "spent); means do not.</p>\n";
}

void figure(std::ostream& os, const std::string& svg, const std::string& caption) {
  os << "<figure>\n" << svg << "<figcaption>" << markup_escape(caption) << "</figcaption>\n</figure>\n";
}

void header(std::ostream& os, const json& summary) {
  std::string ids;
  for (const auto& run : summary.at("runs")) ids += (ids.empty() ? "" : ", ") + run.at("id").get<std::string>();
  const json& overall = summary.at("overall");
  os << "<header>\n<h1>KernelCraft leaderboard</h1>\n<p>Runs: <strong>" << markup_escape(ids.empty() ? "(none)" : ids)
     << "</strong></p>\n<p>" << overall.at("episodes") << " episodes: " << overall.at("passed") << " passed, "
     << overall.at("failed") << " failed (success rate " << detail::percent_or_dash(overall.at("success_rate"))
     << "), " << overall.at("infra_errors") << " infra errors.</p>\n";
  const int infra = overall.at("infra_errors").get<int>();
  if (infra > 0)
    os << "<p class=\"note\">" << infra << " episode" << (infra == 1 ? "" : "s")
       << " ended in infra_error (provider or harness failure). They are excluded from every rate and mean and are "
          "re-run by --resume.</p>\n";
  os << "</header>\n";
}

}  // namespace

std::string report_html(const ReportInput& input, const nlohmann::json& summary) {
  (void)input;  // everything shown is in the summary
  std::string title;
  for (const auto& run : summary.at("runs")) title += (title.empty() ? "" : ", ") + run.at("id").get<std::string>();
  std::ostringstream os;
  os << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
     << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
     << "<title>KernelCraft leaderboard: " << markup_escape(title) << "</title>\n<style>" << kStyle
     << "</style>\n</head>\n<body>\n";
  header(os, summary);

  os << "<section id=\"plots\">\n<h2>Overview</h2>\n";
  figure(os, detail::success_heatmap_svg(summary),
         "Configurations solved per task and agent: colour by success rate, text solved/run.");
  figure(os, detail::speedup_svg(summary),
         "Best speedup over the compiler baseline among all agents' passing kernels, per task and configuration "
         "(log scale; dashed line: 1×; ✗: no agent passed).");
  figure(os, detail::turns_svg(summary), "Turns to the first kernel that passed run_eval on the visible seed.");
  figure(os, detail::tokens_svg(summary), "Mean tokens per scored run, by kind, with the mean cost per run.");
  os << "</section>\n";

  const auto ids = platform_ids(summary);
  for (const auto& platform : summary.at("platforms")) {
    const std::string name = platform.get<std::string>();
    os << "<section id=\"platform-" << ids.at(name) << "\">\n<h2>Platform " << markup_escape(name) << "</h2>\n";
    success_table(os, summary.at("success_table").at(name), ids.at(name));
    speedup_table(os, summary.at("best_speedup").at(name), ids.at(name));
    os << "</section>\n";
  }
  os << "<section id=\"agents\">\n<h2>Agents</h2>\n";
  agents_results_table(os, summary);
  agents_tokens_table(os, summary);
  os << "</section>\n<footer class=\"muted\"><p>Every aggregate is defined in docs/metrics.md, section "
        "Leaderboards; the numbers are those of summary.json.</p></footer>\n</body>\n</html>\n";
  return os.str();
}

}  // namespace kc::report
