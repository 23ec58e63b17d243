#include <algorithm>
#include <filesystem>
#include <iomanip>

#include <spdlog/spdlog.h>

#include "commands.h"
#include "kernelcraft/cli/app.h"
#include "kernelcraft/core/memory_image.h"
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
  return passed == kernels.size() ? kExitOk : kExitKernelFailed;
}

}  // namespace

Handler add_demo_command(CLI::App& app, const CommandIo& io) {
  auto o = std::make_shared<DemoOptions>();
  CLI::App* cmd = app.add_subcommand(
      "demo", "assemble and simulate the shipped example kernels and print their cycles");
  add_platform_options(*cmd, o->platform, o->preset, false);
  return [&io, o]() { return run_demo(io, *o); };
}

}  // namespace kc::cli
