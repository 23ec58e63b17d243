#include <algorithm>
#include <filesystem>
#include <iomanip>

#include <spdlog/spdlog.h>

#include "commands.h"
#include "kernelcraft/cli/app.h"
#include "kernelcraft/baselines/baseline.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/memory_image.h"
#include "kernelcraft/eval/evaluator.h"
#include "kernelcraft/platform/registry.h"
#include "output.h"

namespace kc::cli {
namespace {

namespace fs = std::filesystem;

struct DemoOptions {
  std::string platform = "plena";
  std::string preset;
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

// Scores the compiler baseline on C1 of every task the platform has a baseline for: the whole
// eval path (inputs, MLIR golden, layout, simulation on four seeds, checks, roofline).
bool score_baselines(const CommandIo& io, const Platform& platform, const std::string& preset) {
  io.out << "\ncompiler baseline, configuration C1, visible + hidden seeds:\n"
         << std::left << std::setw(22) << "task" << std::right << std::setw(8) << "result"
         << std::setw(12) << "cycles" << std::setw(12) << "roofline" << std::setw(9) << "SOL%" << '\n';
  std::size_t scored = 0, passed = 0;
  for (const auto& task : task_suite(io)) {
    if (!task->supports(platform.name()) || !has_baseline(platform.name(), task->name)) continue;
    ++scored;
    std::string result;
    EvalReport report;
    try {
      Evaluator evaluator(platform, task, "C1", preset);
      EvalOptions options;
      options.compare_with_baseline = false;
      report = evaluator.evaluate(evaluator.baseline_source(), options);
      result = report.passed ? "PASS" : "FAIL";
    } catch (const InputError& e) {
      result = "n/a";
      spdlog::warn("{}: {}", task->name, e.what());
    }
    passed += report.passed;
    io.out << std::left << std::setw(22) << task->name << std::right << std::setw(8) << result
           << std::setw(12) << report.cycles << std::setw(12) << std::fixed << std::setprecision(0)
           << report.roofline_cycles << std::setw(9) << std::setprecision(1) << report.sol_percent
           << '\n';
  }
  io.out << passed << " of " << scored << " baselines passed; `kernelcraft eval --help` scores your own kernel\n";
  return passed == scored;
}

int run_demo(const CommandIo& io, const DemoOptions& o) {
  auto platform = open_platform(io, o.platform);
  const std::string preset = chosen_preset(*platform, o.preset);
  const fs::path examples = fs::path(data_dir(io)) / "isa" / o.platform / "examples";
  std::vector<fs::path> kernels;
  std::error_code ec;
  if (fs::is_directory(examples, ec))
    for (const auto& entry : fs::directory_iterator(examples))
      if (entry.path().extension() == ".asm") kernels.push_back(entry.path());
  std::sort(kernels.begin(), kernels.end());
  if (kernels.empty()) {
    io.err << "error: no example kernels in " << examples.string() << '\n';
    return kExitUsage;
  }
  spdlog::info("{} demo: {} example kernels on preset '{}'", platform->name(), kernels.size(), preset);
  io.out << std::left << std::setw(26) << "kernel" << std::right << std::setw(8) << "instrs"
         << std::setw(12) << "cycles" << std::setw(12) << "MACs" << "  status\n";
  std::size_t passed = 0;
  for (const fs::path& kernel : kernels) passed += run_example(io, *platform, preset, kernel);
  io.out << passed << " of " << kernels.size() << " example kernels ran without a trap\n";
  const bool baselines_ok = score_baselines(io, *platform, preset);
  return passed == kernels.size() && baselines_ok ? kExitOk : kExitKernelFailed;
}

}  // namespace

Handler add_demo_command(CLI::App& app, const CommandIo& io) {
  auto o = std::make_shared<DemoOptions>();
  CLI::App* cmd = app.add_subcommand(
      "demo",
      "simulate the shipped example kernels, then score the compiler baseline on every task's C1");
  add_platform_options(*cmd, o->platform, o->preset, false);
  return [&io, o]() { return run_demo(io, *o); };
}

}  // namespace kc::cli
