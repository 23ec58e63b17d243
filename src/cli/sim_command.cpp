#include <nlohmann/json.hpp>

#include "commands.h"
#include "kernelcraft/cli/app.h"
#include "kernelcraft/core/memory_image.h"
#include "kernelcraft/platform/registry.h"
#include "output.h"

namespace kc::cli {
namespace {

struct SimOptions {
  std::string platform;
  std::string sim;
  std::string preset;
  std::string file;
  std::vector<std::string> images_in;
  std::vector<std::string> dumps;
  std::string image_out;
  RunLimits limits;
  bool json = false;
};

int simulate_file(const CommandIo& io, const SimOptions& o) {
  auto platform = open_platform(io, o.platform, o.sim);
  const std::string preset = chosen_preset(*platform, o.preset);

  // Validate every input before running, so a typo in the last flag costs no simulation.
  MemoryImage input;
  for (const std::string& path : o.images_in) {
    MemoryImage part = load_memory_image(path);
    input.segments.insert(input.segments.end(), part.segments.begin(), part.segments.end());
  }
  std::vector<MemoryRegion> regions;
  for (const std::string& spec : o.dumps) regions.push_back(parse_memory_region(spec));

  const AssembleResult assembled = platform->assemble(read_file_or_throw(o.file), preset);
  if (!assembled.ok()) {
    if (o.json)
      io.out << nlohmann::json{{"ok", false},
                               {"stage", "assemble"},
                               {"diagnostics", diagnostics_json(assembled.diagnostics)}}
                    .dump(2)
             << '\n';
    else
      print_diagnostics(io.err, o.file, assembled.diagnostics);
    return kExitKernelFailed;
  }
  if (!o.json) print_diagnostics(io.err, o.file, assembled.diagnostics);  // warnings

  const SimReport report = platform->run(*assembled.program, preset, input, regions, o.limits);
  if (!o.image_out.empty()) write_file_or_throw(o.image_out, to_json_text(report.dumped));
  if (o.json) {
    nlohmann::json j = sim_report_json(report);
    j["platform"] = platform->name();
    j["preset"] = preset;
    j["sim"] = o.sim.empty() ? kDefaultSimBackend : o.sim;
    j["file"] = o.file;
    io.out << j.dump(2) << '\n';
  } else {
    print_sim_report(io.out, report);
    for (const MemorySegment& seg : report.dumped.segments) {
      io.out << "dump " << seg.memory << ':' << seg.address << " (" << seg.values.size()
             << " values):";
      for (double v : seg.values) io.out << ' ' << v;
      io.out << '\n';
    }
  }
  return report.ok() ? kExitOk : kExitKernelFailed;
}

}  // namespace

Handler add_sim_command(CLI::App& app, const CommandIo& io) {
  auto o = std::make_shared<SimOptions>();
  CLI::App* cmd = app.add_subcommand(
      "sim", "assemble and simulate a kernel: cycles, unit busy/stall, instruction mix, or a trap");
  add_platform_options(*cmd, o->platform, o->preset, true);
  add_sim_option(*cmd, o->sim);
  cmd->add_option("--mem-in", o->images_in, "memory image JSON to load before the run (repeatable)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--dump", o->dumps,
                  "region to read back after the run, MEM:ADDR:COUNT[:ENCODING[@SCALE_ADDR]] "
                  "(repeatable), e.g. vsram:0:64 or hbm:4096:256:mxfp8@8192");
  cmd->add_option("--mem-out", o->image_out, "write the dumped regions as a memory image JSON");
  cmd->add_option("--max-instructions", o->limits.max_instructions,
                  "dynamic instruction limit (trap when exceeded)")
      ->capture_default_str();
  cmd->add_option("--max-cycles", o->limits.max_cycles, "cycle limit (trap when exceeded)")
      ->capture_default_str();
  cmd->add_flag("--json", o->json, "machine-readable output");
  cmd->add_option("FILE", o->file, "assembly source")->required();
  return [&io, o]() { return simulate_file(io, *o); };
}

}  // namespace kc::cli
