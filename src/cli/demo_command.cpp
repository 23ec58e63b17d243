#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <thread>

#include <spdlog/spdlog.h>

#include "commands.h"
#include "kernelcraft/cli/app.h"
#include "kernelcraft/baselines/baseline.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/memory_image.h"
#include "kernelcraft/eval/evaluator.h"
#include "kernelcraft/platform/registry.h"
#include "kernelcraft/report/report.h"
#include "output.h"

namespace kc::cli {
namespace {

namespace fs = std::filesystem;

struct DemoOptions {
  std::vector<std::string> platforms;  // empty: every built-in platform
  std::string preset;
  std::vector<std::string> configs;    // empty: C1..C5
  std::vector<std::string> tasks;      // empty: all
  int jobs = 0;                        // 0: one per core
  std::string out;
};

// Runs one shipped example; `<stem>.image.json` beside it, when present, is its input.
bool run_example(const CommandIo& io, const Platform& platform, const std::string& preset,
                 const fs::path& kernel) {
  const AssembleResult assembled = platform.assemble(read_file_or_throw(kernel.string()), preset);
  std::string status;
  std::size_t instructions = 0;
  uint64_t cycles = 0, macs = 0;
  if (!assembled.ok()) {
    print_diagnostics(io.err, kernel.string(), assembled.diagnostics);
    status = "assembly failed";
  } else {
    MemoryImage input;
    fs::path image = kernel;
    image.replace_extension(".image.json");
    if (fs::exists(image)) input = load_memory_image(image.string());
    const SimReport report = platform.run(*assembled.program, preset, input, {}, RunLimits{});
    instructions = assembled.program->instruction_count();
    cycles = report.cycles;
    macs = report.counters.count("macs") ? report.counters.at("macs") : 0;
    status = report.ok() ? "ok" : "trap: " + report.trap->kind;
  }
  io.out << std::left << std::setw(26) << kernel.filename().string() << std::right << std::setw(8)
         << instructions << std::setw(12) << cycles << std::setw(12) << macs << "  " << status
         << '\n';
  return status == "ok";
}

// The shipped example kernels of one platform: each assembles and runs without a trap.
bool run_examples(const CommandIo& io, const Platform& platform, const std::string& preset) {
  if (platform.examples_directory().empty()) return true;  // nothing shipped to run
  const fs::path examples = platform.examples_directory();
  std::vector<fs::path> kernels;
  std::error_code ec;
  if (fs::is_directory(examples, ec))
    for (const auto& entry : fs::directory_iterator(examples))
      if (entry.path().extension() == ".asm" || entry.path().extension() == ".s") kernels.push_back(entry.path());
  std::sort(kernels.begin(), kernels.end());
  if (kernels.empty()) {
    io.err << "error: no example kernels in " << examples.string() << '\n';
    return false;
  }
  spdlog::info("{} demo: {} example kernels on preset '{}'", platform.name(), kernels.size(), preset);
  io.out << std::left << std::setw(26) << "kernel" << std::right << std::setw(8) << "instrs"
         << std::setw(12) << "cycles" << std::setw(12) << "MACs" << "  status\n";
  std::size_t passed = 0;
  for (const fs::path& kernel : kernels) passed += run_example(io, platform, preset, kernel);
  io.out << passed << " of " << kernels.size() << " example kernels ran without a trap\n\n";
  return passed == kernels.size();
}

// The default suite with the built-in agents: every platform, every supported task and
// configuration, the baseline and the autotuner; then the leaderboard.
int run_demo(const CommandIo& io, const DemoOptions& o) {
  const std::vector<std::string> platforms = o.platforms.empty() ? builtin_platform_names() : o.platforms;
  bool examples_ok = true;
  for (const std::string& name : platforms) {
    auto platform = open_platform(io, name);
    examples_ok = run_examples(io, *platform, chosen_preset(*platform, o.preset)) && examples_ok;
  }
  RunRequest request;
  request.spec.agents = {"baseline", "autotune"};
  request.spec.platforms = platforms;
  request.spec.tasks = o.tasks;
  request.spec.configs = o.configs;
  // The built-in agents need a compiler baseline; tasks a platform has none for yet are listed
  // as skipped in run.json instead of being scored as failures.
  request.spec.baselines_only = true;
  if (!o.preset.empty()) request.spec.presets = {o.preset};
  request.spec.jobs = o.jobs > 0 ? o.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  request.out = o.out;
  request.run_id = o.out.empty() ? "" : fs::path(o.out).filename().string();
  request.no_cache = true;  // built-in agents make no model calls
  const RunOutcome outcome = run_matrix(io, request);

  const report::ReportInput input = report::load_report_input({outcome.directory});
  const std::string report_dir = (fs::path(outcome.directory) / "report").string();
  report::write_report(input, report_dir);
  io.out << read_file_or_throw((fs::path(report_dir) / "leaderboard.md").string()) << '\n';
  std::size_t baseline_failures = 0;
  for (const auto& record : input.episodes)
    if (record.agent == "baseline" && !record.passed()) ++baseline_failures;
  io.out << "run folder: " << outcome.directory << "\nreport: " << report_dir
         << "/report.html (also leaderboard.md, results.csv, summary.json, junit.xml)\n";
  if (outcome.progress.infra_errors > 0) return kExitInfra;
  if (!examples_ok || baseline_failures > 0) {
    io.err << "demo: " << baseline_failures << " baseline episode(s) failed\n";
    return kExitKernelFailed;
  }
  return kExitOk;
}

}  // namespace

Handler add_demo_command(CLI::App& app, const CommandIo& io) {
  auto o = std::make_shared<DemoOptions>();
  CLI::App* cmd = app.add_subcommand(
      "demo",
      "the main job: example kernels, then the default suite with the built-in agents and its leaderboard");
  cmd->add_option("--platforms,-p", o->platforms, "platforms (default: all)")->delimiter(',');
  cmd->add_option("--hw", o->preset, "hardware preset (default: each platform's default)");
  cmd->add_option("--tasks,-t", o->tasks, "tasks (default: all)")->delimiter(',');
  cmd->add_option("--configs,-c", o->configs, "configurations (default: C1..C5)")->delimiter(',');
  cmd->add_option("--jobs,-j", o->jobs, "parallel workers (default: one per core)")->check(CLI::Range(1, 256));
  cmd->add_option("--out,-o", o->out, "run folder (default results/run-<UTC time>)");
  return [&io, o]() { return run_demo(io, *o); };
}

}  // namespace kc::cli
