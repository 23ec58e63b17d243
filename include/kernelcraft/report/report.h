// Leaderboards from one or more runs (DESIGN.md section 5, docs/metrics.md): KernelCraft's
// success table, speedups per configuration, tokens and cost, as markdown, a self-contained
// HTML page with inline SVG plots, CSV, JSON and JUnit; and the comparison of two runs that CI
// of agent prompts gates on.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kernelcraft/agent/episode_record.h"

namespace kc::report {

struct ReportInput {
  std::vector<agent::EpisodeRecord> episodes;  // every run's records, run order then file order
  std::vector<nlohmann::json> runs;            // each run's run.json
  std::vector<std::string> run_directories;
};

// Reads run folders (run.json + episodes.jsonl); InputError naming the folder or file.
ReportInput load_report_input(const std::vector<std::string>& run_directories);

// Every aggregate of the report, as JSON (this is summary.json).
nlohmann::json summarize(const ReportInput& input);

std::string leaderboard_markdown(const ReportInput& input, const nlohmann::json& summary);
std::string report_html(const ReportInput& input, const nlohmann::json& summary);
std::string results_csv(const ReportInput& input);
std::string junit_xml(const ReportInput& input);

// Writes leaderboard.md, report.html, results.csv, summary.json and junit.xml into `directory`
// (created). Returns the paths written.
std::vector<std::string> write_report(const ReportInput& input, const std::string& directory);

// A regression gate: "<metric><op><number>" checked on (new - base) deltas, e.g.
// "success_rate_drop>0.05", "geomean_speedup_drop>0.1", "new_failures>0", "infra_errors>0".
struct CompareResult {
  bool regression = false;
  std::vector<std::string> violations;  // one line per broken threshold
  std::string text;                     // a readable table of base vs new
};
CompareResult compare_runs(const ReportInput& base, const ReportInput& candidate,
                           const std::vector<std::string>& fail_if);

}  // namespace kc::report
