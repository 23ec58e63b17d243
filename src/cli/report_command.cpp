#include <filesystem>

#include "commands.h"
#include "kernelcraft/cli/app.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/report/report.h"
#include "output.h"

namespace kc::cli {
namespace {

struct ReportOptions {
  std::vector<std::string> runs;
  std::string out;
  std::vector<std::string> compare;
  std::vector<std::string> fail_if;
  bool quiet = false;
};

int compare_command(const CommandIo& io, const ReportOptions& o) {
  if (o.compare.size() != 2) throw InputError("report --compare takes two run folders: BASE NEW");
  const report::ReportInput base = report::load_report_input({o.compare[0]});
  const report::ReportInput candidate = report::load_report_input({o.compare[1]});
  const report::CompareResult result = report::compare_runs(base, candidate, o.fail_if);
  io.out << result.text;
  for (const std::string& violation : result.violations) io.out << "regression: " << violation << '\n';
  return result.regression ? kExitKernelFailed : kExitOk;
}

int report_command(const CommandIo& io, const ReportOptions& o) {
  if (!o.compare.empty()) return compare_command(io, o);
  if (o.runs.empty()) throw InputError("report: give one or more run folders (or --compare BASE NEW)");
  const report::ReportInput input = report::load_report_input(o.runs);
  const std::string out = o.out.empty() ? (std::filesystem::path(o.runs.front()) / "report").string() : o.out;
  const std::vector<std::string> written = report::write_report(input, out);
  if (!o.quiet) io.out << read_file_or_throw((std::filesystem::path(out) / "leaderboard.md").string()) << '\n';
  for (const std::string& path : written) io.out << "wrote " << path << '\n';
  return kExitOk;
}

}  // namespace

Handler add_report_command(CLI::App& app, const CommandIo& io) {
  auto o = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report", "leaderboard of run folders: leaderboard.md, report.html, results.csv, summary.json, junit.xml");
  cmd->add_option("RUN", o->runs, "run folders");
  cmd->add_option("--out,-o", o->out, "report folder (default <first run>/report)");
  cmd->add_option("--compare", o->compare, "BASE NEW: compare two runs instead")->expected(2);
  cmd->add_option("--fail-if", o->fail_if,
                  "with --compare: exit 1 when e.g. success_rate_drop>0.05, geomean_speedup_drop>0.1, new_failures>0");
  cmd->add_flag("--quiet,-q", o->quiet, "do not print the leaderboard");
  return [&io, o]() { return report_command(io, *o); };
}

}  // namespace kc::cli
