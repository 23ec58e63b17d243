// The four plots of report.html, drawn from summary.json alone: the success heat map (tasks x
// agents), the best-of-agents speedup per configuration (KernelCraft's figure, log scale), turns
// to the first valid kernel, and tokens per run with cost. Static SVG: readable without scripts.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "svg_canvas.h"

namespace kc::report::detail {

// Success rate 0 -> red, 0.5 -> yellow, 1 -> green (a diverging scale readable in grey too:
// the ends are darker than the middle, and every cell also prints its value).
inline std::string heat_colour(double rate) {
  struct Rgb {
    double r, g, b;
  };
  const Rgb low{215, 48, 39}, mid{254, 224, 139}, high{26, 152, 80};
  const double t = std::clamp(rate, 0.0, 1.0);
  const Rgb& a = t < 0.5 ? low : mid;
  const Rgb& b = t < 0.5 ? mid : high;
  const double u = t < 0.5 ? t * 2 : (t - 0.5) * 2;
  const auto channel = [u](double from, double to) { return static_cast<int>(std::lround(from + (to - from) * u)); };
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", channel(a.r, b.r), channel(a.g, b.g), channel(a.b, b.b));
  return buffer;
}

inline std::string heat_text_colour(double rate) { return (rate < 0.2 || rate > 0.8) ? "#ffffff" : "#1f2328"; }

inline const char* bin_colour(const std::string& bin) {
  if (bin == ">=2x") return "#1a7f37";
  if (bin == "1-2x") return "#8cc084";
  if (bin == "<1x") return "#e8a33d";
  if (bin == "failed") return "#cf222e";
  return "#8c959f";  // no_baseline
}

constexpr const char* kAxisColour = "#57606a";
constexpr const char* kFont = "font-family=\"system-ui, sans-serif\" fill=\"#1f2328\"";

inline void no_data(SvgCanvas& svg, double width, double height) {
  svg.text(width / 2, height / 2, "no episodes to plot", "middle", 14, kFont);
}

// ---- success heat map ----------------------------------------------------------------------

struct HeatRow {
  std::string label, tooltip;
  const nlohmann::json* cells;  // agent -> {"solved", "run"}
};

inline std::vector<HeatRow> heat_rows(const nlohmann::json& summary) {
  std::vector<HeatRow> rows;
  const bool several_platforms = summary.at("platforms").size() > 1;
  for (const auto& platform : summary.at("platforms")) {
    const std::string p = platform.get<std::string>();
    for (const auto& row : summary.at("success_table").at(p).at("rows")) {
      const std::string task = row.at("task").get<std::string>();
      const std::string label = "L" + std::to_string(row.at("level").get<int>()) + " " +
                                (several_platforms ? p + " / " : "") + task;
      rows.push_back({label, p + " / " + task, &row.at("agents")});
    }
  }
  return rows;
}

inline std::string success_heatmap_svg(const nlohmann::json& summary) {
  const std::vector<HeatRow> rows = heat_rows(summary);
  const auto agents = summary.at("agents").get<std::vector<std::string>>();
  std::size_t longest = 8;
  for (const auto& row : rows) longest = std::max(longest, display_chars(row.label));
  const double label_w = std::clamp(7.0 * static_cast<double>(longest) + 12, 90.0, 290.0);
  const double cell_w = 100, cell_h = 26, left = 28 + label_w, top = 64, legend_w = 170;
  const double width = left + cell_w * static_cast<double>(std::max<std::size_t>(agents.size(), 1)) + legend_w;
  const double height = top + cell_h * static_cast<double>(std::max<std::size_t>(rows.size(), 1)) + 24;
  SvgCanvas svg("plot-success-heatmap", width, height,
                "Configurations solved per task and agent (colour: success rate, text: solved/run)");
  if (rows.empty() || agents.empty()) {
    no_data(svg, width, height);
    return svg.finish();
  }
  const double grid_w = cell_w * static_cast<double>(agents.size());
  svg.text(left + grid_w / 2, 18, "agent", "middle", 13, kFont + std::string(" font-weight=\"600\""));
  svg.rotated_text(14, top + cell_h * static_cast<double>(rows.size()) / 2, -90, "level and task", "middle", 13);
  for (std::size_t a = 0; a < agents.size(); ++a)
    svg.text(left + cell_w * (static_cast<double>(a) + 0.5), top - 10, shortened(agents[a], 14), "middle", 11, kFont,
             agents[a]);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const double y = top + cell_h * static_cast<double>(r);
    svg.text(left - 8, y + cell_h / 2 + 4, shortened(rows[r].label, 40), "end", 11, kFont, rows[r].tooltip);
    for (std::size_t a = 0; a < agents.size(); ++a) {
      const double x = left + cell_w * static_cast<double>(a);
      const nlohmann::json& cell = member_or_null(*rows[r].cells, agents[a]);
      const int run = cell.is_object() ? cell.at("run").get<int>() : 0;
      if (run == 0) {
        svg.rect(x + 1, y + 1, cell_w - 2, cell_h - 2, "#eaeef2", agents[a] + ", " + rows[r].tooltip + ": not run");
        svg.text(x + cell_w / 2, y + cell_h / 2 + 4, "–", "middle", 11, kFont);
        continue;
      }
      const double rate = cell.at("solved").get<double>() / run;
      const std::string value = solved_text(cell);
      svg.rect(x + 1, y + 1, cell_w - 2, cell_h - 2, heat_colour(rate),
               agents[a] + ", " + rows[r].tooltip + ": " + value + " configurations solved");
      svg.text(x + cell_w / 2, y + cell_h / 2 + 4, value, "middle", 12,
               "font-family=\"system-ui, sans-serif\" fill=\"" + heat_text_colour(rate) + "\"");
    }
  }
  // Legend: the colour of five rates.
  const double lx = left + grid_w + 24;
  svg.text(lx, top - 10, "success rate", "start", 11, kFont);
  for (int i = 0; i <= 4; ++i) {
    const double rate = i / 4.0, y = top + 22.0 * i;
    svg.rect(lx, y, 18, 18, heat_colour(rate));
    svg.text(lx + 26, y + 13, fixed(100 * rate, 0) + "%", "start", 11, kFont);
  }
  svg.rect(lx, top + 22.0 * 5, 18, 18, "#eaeef2");
  svg.text(lx + 26, top + 22.0 * 5 + 13, "not run", "start", 11, kFont);
  return svg.finish();
}

// ---- best speedup per configuration -----------------------------------------------------------

struct SpeedupGroup {
  std::string platform, task;
  const nlohmann::json* cells;  // config -> {"speedup", "agent", "bin"}
  const nlohmann::json* configs;
};

inline std::string power_of_two_label(int exponent) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g×", std::ldexp(1.0, exponent));
  return buffer;
}

inline std::string speedup_svg(const nlohmann::json& summary) {
  std::vector<SpeedupGroup> groups;
  double low = 1, high = 1;
  for (const auto& platform : summary.at("platforms")) {
    const nlohmann::json& table = summary.at("best_speedup").at(platform.get<std::string>());
    for (const auto& row : table.at("rows")) {
      groups.push_back({platform.get<std::string>(), row.at("task").get<std::string>(), &row.at("configs"),
                        &table.at("configs")});
      for (const auto& [config, cell] : row.at("configs").items()) {
        if (!cell.at("speedup").is_number()) continue;
        low = std::min(low, cell.at("speedup").get<double>());
        high = std::max(high, cell.at("speedup").get<double>());
      }
    }
  }
  // Powers of two around the data, at least 0.5x..2x, at most 1/64x..256x (outliers are clipped).
  const int low_exp = std::clamp(static_cast<int>(std::floor(std::log2(std::min(low, 0.5)))), -6, -1);
  const int high_exp = std::clamp(static_cast<int>(std::ceil(std::log2(std::max(high, 2.0)))), 1, 8);
  const double bar_w = 11, bar_gap = 3, group_gap = 22, left = 74, top = 56, plot_h = 260, bottom = 130;
  double plot_w = 0;
  for (const auto& g : groups) plot_w += static_cast<double>(g.configs->size()) * (bar_w + bar_gap) + group_gap;
  const double width = left + std::max(plot_w, 420.0) + 20, height = top + plot_h + bottom;
  SvgCanvas svg("plot-speedup", width, height,
                "Best speedup over the baseline per task and configuration, best of agents (log scale)");
  if (groups.empty()) {
    no_data(svg, width, height);
    return svg.finish();
  }
  const auto y_of = [&](double speedup) {
    const double e = std::clamp(std::log2(speedup), static_cast<double>(low_exp), static_cast<double>(high_exp));
    return top + (high_exp - e) / (high_exp - low_exp) * plot_h;
  };
  // Axes, grid and the 1x line.
  svg.line(left, top, left, top + plot_h, kAxisColour);
  svg.line(left, top + plot_h, left + plot_w, top + plot_h, kAxisColour);
  for (int e = low_exp; e <= high_exp; ++e) {
    const double y = y_of(std::ldexp(1.0, e));
    if (e != 0) svg.line(left, y, left + plot_w, y, "#d0d7de", "stroke-dasharray=\"2 3\"");
    svg.line(left - 4, y, left, y, kAxisColour);
    svg.text(left - 7, y + 4, power_of_two_label(e), "end", 11, kFont);
  }
  svg.line(left, y_of(1), left + plot_w, y_of(1), "#1f2328", "stroke-width=\"1.5\" stroke-dasharray=\"6 3\"");
  svg.rotated_text(18, top + plot_h / 2, -90, "best speedup over baseline (log scale)", "middle", 12);
  svg.text(left + plot_w / 2, height - 8, "task (bars: its configurations in order, e.g. C1…C5)", "middle", 12,
           kFont);

  double x = left + group_gap / 2;
  std::string previous_platform;
  for (const auto& g : groups) {
    if (summary.at("platforms").size() > 1 && g.platform != previous_platform) {
      svg.line(x - group_gap / 2, top - 14, x - group_gap / 2, top + plot_h, "#8c959f");
      svg.text(x - group_gap / 2 + 4, top - 4, shortened(g.platform, 24), "start", 11, kFont, g.platform);
      previous_platform = g.platform;
    }
    const double group_start = x;
    for (const auto& config_json : *g.configs) {
      const std::string config = config_json.get<std::string>();
      const nlohmann::json& cell = member_or_null(*g.cells, config);
      const double centre = x + bar_w / 2;
      const std::string where = g.platform + " / " + g.task + " " + config;
      if (cell.is_object()) {
        const std::string bin = cell.at("bin").get<std::string>();
        if (cell.at("speedup").is_number()) {
          const double s = cell.at("speedup").get<double>();
          const double y1 = y_of(1), ys = y_of(s);
          svg.rect(x, std::min(y1, ys), bar_w, std::max(1.0, std::fabs(ys - y1)), bin_colour(bin),
                   where + ": " + fixed(s, 2) + "× (" + cell.at("agent").get<std::string>() + ")");
        } else if (bin == "failed") {
          svg.text(centre, y_of(1) + 4, "✗", "middle", 12, "fill=\"#cf222e\" font-weight=\"700\"",
                   where + ": no agent passed");
        } else {
          svg.text(centre, y_of(1) + 4, "?", "middle", 11, "fill=\"#57606a\"", where + ": passed, no baseline");
        }
      }
      if (bar_w + bar_gap >= 12)
        svg.text(centre, top + plot_h + 11, shortened(config, 3), "middle", 7, "fill=\"#57606a\"", config);
      x += bar_w + bar_gap;
    }
    svg.rotated_text((group_start + x - bar_gap) / 2, top + plot_h + 22, -40, shortened(g.task, 18), "end", 11,
                     g.platform + " / " + g.task);
    x += group_gap;
  }
  // Legend: the four bins of KernelCraft's figure.
  double lx = left;
  for (const auto& [bin, label] : std::vector<std::pair<std::string, std::string>>{
           {">=2x", "≥ 2×"}, {"1-2x", "1–2×"}, {"<1x", "< 1× (slower)"}, {"failed", "✗ failed"}}) {
    svg.rect(lx, 12, 14, 14, bin_colour(bin));
    svg.text(lx + 19, 24, label, "start", 11, kFont);
    lx += 34 + 7.0 * static_cast<double>(display_chars(label));
  }
  svg.line(lx, 19, lx + 22, 19, "#1f2328", "stroke-width=\"1.5\" stroke-dasharray=\"6 3\"");
  svg.text(lx + 28, 24, "1× = baseline", "start", 11, kFont);
  return svg.finish();
}

// ---- horizontal bar charts per agent -------------------------------------------------------------

struct AgentBars {
  double label_w, left, top, row_h, plot_w, width, height;
};

inline AgentBars agent_bar_layout(const std::vector<std::string>& agents, double plot_w, double right) {
  std::size_t longest = 6;
  for (const auto& a : agents) longest = std::max(longest, std::min<std::size_t>(display_chars(a), 28));
  AgentBars l{};
  l.label_w = 7.0 * static_cast<double>(longest) + 16;
  l.left = 30 + l.label_w;
  l.top = 44;
  l.row_h = 30;
  l.plot_w = plot_w;
  l.width = l.left + plot_w + right;
  l.height = l.top + l.row_h * static_cast<double>(std::max<std::size_t>(agents.size(), 1)) + 56;
  return l;
}

// A value axis from 0 at `left` to `max_value` at left + plot_w, with round ticks.
template <typename Label>
void value_axis(SvgCanvas& svg, const AgentBars& l, std::size_t rows, double max_value, Label label) {
  const double bottom = l.top + l.row_h * static_cast<double>(rows);
  svg.line(l.left, l.top - 4, l.left, bottom, kAxisColour);
  svg.line(l.left, bottom, l.left + l.plot_w, bottom, kAxisColour);
  const double step = nice_step(max_value, 5);
  for (int i = 0; step * i <= max_value * (1 + 1e-9); ++i) {
    const double x = l.left + step * i / max_value * l.plot_w;
    svg.line(x, bottom, x, bottom + 4, kAxisColour);
    if (i > 0) svg.line(x, l.top - 4, x, bottom, "#eaeef2");
    svg.text(x, bottom + 16, label(step * i), "middle", 10, kFont);
  }
}

inline std::string turns_svg(const nlohmann::json& summary) {
  const auto agents = summary.at("agents").get<std::vector<std::string>>();
  double max_turns = 1;
  for (const auto& a : agents) {
    const auto& t = summary.at("by_agent").at(a).at("metrics").at("turns_to_first_valid");
    if (t.at("mean").is_number())
      max_turns = std::max({max_turns, t.at("mean").get<double>(), t.at("median").get<double>()});
  }
  const double step = nice_step(max_turns, 5);
  max_turns = std::ceil(max_turns / step) * step;
  const AgentBars l = agent_bar_layout(agents, 560, 150);
  SvgCanvas svg("plot-turns", l.width, l.height, "Turns to the first valid kernel per agent (bar: mean, tick: median)");
  if (agents.empty()) {
    no_data(svg, l.width, l.height);
    return svg.finish();
  }
  value_axis(svg, l, agents.size(), max_turns, [](double v) { return fixed(v, v == std::floor(v) ? 0 : 1); });
  svg.text(l.left + l.plot_w / 2, l.height - 8, "turns to the first valid kernel (bar: mean, black tick: median)",
           "middle", 12, kFont);
  svg.rotated_text(14, l.top + l.row_h * static_cast<double>(agents.size()) / 2, -90, "agent", "middle", 12);
  for (std::size_t i = 0; i < agents.size(); ++i) {
    const double y = l.top + l.row_h * static_cast<double>(i);
    svg.text(l.left - 8, y + l.row_h / 2 + 4, shortened(agents[i], 28), "end", 11, kFont, agents[i]);
    const auto& t = summary.at("by_agent").at(agents[i]).at("metrics").at("turns_to_first_valid");
    if (!t.at("mean").is_number()) {
      svg.text(l.left + 6, y + l.row_h / 2 + 4, "no valid kernel", "start", 11, "fill=\"#57606a\"");
      continue;
    }
    const double mean = t.at("mean").get<double>(), median = t.at("median").get<double>();
    svg.rect(l.left, y + 6, mean / max_turns * l.plot_w, l.row_h - 12, "#4c78a8",
             agents[i] + ": mean " + fixed(mean, 2) + ", median " + fixed(median, 1) + " over " +
                 t.at("episodes").dump() + " episodes");
    const double mx = l.left + median / max_turns * l.plot_w;
    svg.line(mx, y + 2, mx, y + l.row_h - 2, "#1f2328", "stroke-width=\"3\"");
    svg.text(l.left + std::max(mean, median) / max_turns * l.plot_w + 8, y + l.row_h / 2 + 4,
             fixed(mean, 1) + " (median " + fixed(median, 1) + ")", "start", 11, kFont);
  }
  // Legend above the bars, so long value labels never run into it.
  svg.rect(l.left, 10, 14, 14, "#4c78a8");
  svg.text(l.left + 20, 21, "mean", "start", 11, kFont);
  svg.line(l.left + 87, 8, l.left + 87, 26, "#1f2328", "stroke-width=\"3\"");
  svg.text(l.left + 96, 21, "median", "start", 11, kFont);
  return svg.finish();
}

inline const std::vector<std::pair<std::string, std::string>>& token_segments() {
  // Stacked in the order a call spends them; cached is drawn apart (it is part of the prompt).
  static const std::vector<std::pair<std::string, std::string>> segments{
      {"system", "#4c78a8"}, {"input", "#72b7b2"}, {"reasoning", "#f58518"}, {"output", "#e45756"}};
  return segments;
}

inline std::string tokens_svg(const nlohmann::json& summary) {
  const auto agents = summary.at("agents").get<std::vector<std::string>>();
  double max_total = 10;  // tokens are whole numbers: no fractional ticks when every run used none
  for (const auto& a : agents) {
    const auto& total = summary.at("by_agent").at(a).at("metrics").at("tokens_mean").at("total");
    if (total.is_number()) max_total = std::max(max_total, total.get<double>());
  }
  const double step = nice_step(max_total, 5);
  max_total = std::ceil(max_total / step) * step;
  const AgentBars l = agent_bar_layout(agents, 560, 110);
  SvgCanvas svg("plot-tokens", l.width, l.height, "Mean tokens per run per agent, stacked by kind, with cost per run");
  if (agents.empty()) {
    no_data(svg, l.width, l.height);
    return svg.finish();
  }
  value_axis(svg, l, agents.size(), max_total, [](double v) { return tokens_short(v); });
  svg.text(l.left + l.plot_w / 2, l.height - 8, "mean tokens per run (label: mean cost per run)", "middle", 12, kFont);
  svg.rotated_text(14, l.top + l.row_h * static_cast<double>(agents.size()) / 2, -90, "agent", "middle", 12);
  for (std::size_t i = 0; i < agents.size(); ++i) {
    const double y = l.top + l.row_h * static_cast<double>(i);
    svg.text(l.left - 8, y + l.row_h / 2 + 4, shortened(agents[i], 28), "end", 11, kFont, agents[i]);
    const auto& m = summary.at("by_agent").at(agents[i]).at("metrics");
    const auto& tokens = m.at("tokens_mean");
    if (!tokens.at("total").is_number()) {
      svg.text(l.left + 6, y + l.row_h / 2 + 4, "no scored episode", "start", 11, "fill=\"#57606a\"");
      continue;
    }
    double x = l.left;
    for (const auto& [kind, colour] : token_segments()) {
      const double value = tokens.at(kind).get<double>();
      const double w = value / max_total * l.plot_w;
      svg.rect(x, y + 5, w, l.row_h - 14, colour, agents[i] + ": " + kind + " " + tokens_short(value) + " per run");
      x += w;
    }
    const double cached = tokens.at("cached").get<double>();
    svg.rect(l.left, y + l.row_h - 8, cached / max_total * l.plot_w, 4, "#54a24b",
             agents[i] + ": cached " + tokens_short(cached) + " per run (part of system + input)");
    svg.text(x + 8, y + l.row_h / 2 + 3, dollars_or_dash(m.at("cost_usd").at("mean")) + " / run", "start", 11, kFont);
  }
  // Legend above the bars, so the cost labels never run into it.
  double lx = l.left;
  for (const auto& [kind, colour] : token_segments()) {
    svg.rect(lx, 10, 14, 14, colour);
    svg.text(lx + 19, 21, kind, "start", 11, kFont);
    lx += 30 + 7.0 * static_cast<double>(kind.size());
  }
  svg.rect(lx, 15, 14, 4, "#54a24b");
  svg.text(lx + 19, 21, "cached (part of system + input)", "start", 11, kFont);
  return svg.finish();
}

}  // namespace kc::report::detail
