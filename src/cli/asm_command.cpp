#include <nlohmann/json.hpp>

#include "commands.h"
#include "kernelcraft/cli/app.h"
#include "kernelcraft/platform/registry.h"
#include "output.h"

namespace kc::cli {
namespace {

struct AsmOptions {
  std::string platform;
  std::string preset;
  std::string file;
  std::string output;
  bool json = false;
};

int assemble_file(const CommandIo& io, const AsmOptions& o) {
  auto platform = open_platform(io, o.platform);
  const std::string preset = chosen_preset(*platform, o.preset);
  const std::string source = read_file_or_throw(o.file);
  AssembleResult result = platform->assemble(source, preset);
  if (o.json) {
    nlohmann::json j = {{"ok", result.ok()},
                        {"file", o.file},
                        {"platform", platform->name()},
                        {"preset", preset},
                        {"diagnostics", diagnostics_json(result.diagnostics)}};
    if (result.ok()) {
      j["instructions"] = result.program->instruction_count();
      j["instruction_classes"] = result.program->instruction_classes();
      j["listing"] = result.program->listing();
    }
    io.out << j.dump(2) << '\n';
  } else {
    print_diagnostics(io.err, o.file, result.diagnostics);
    if (result.ok()) io.out << result.program->listing();
  }
  if (!result.ok()) return kExitKernelFailed;
  if (!o.output.empty()) write_file_or_throw(o.output, result.program->machine_code());
  return kExitOk;
}

}  // namespace

Handler add_asm_command(CLI::App& app, const CommandIo& io) {
  auto o = std::make_shared<AsmOptions>();
  CLI::App* cmd = app.add_subcommand("asm", "assemble a kernel: diagnostics, or an encoded listing");
  add_platform_options(*cmd, o->platform, o->preset, true);
  cmd->add_option("-o,--output", o->output, "write the machine code to this file (PLENA: .mem text; Coral NPU: ELF executable)");
  cmd->add_flag("--json", o->json, "machine-readable output");
  cmd->add_option("FILE", o->file, "assembly source")->required();
  return [&io, o]() { return assemble_file(io, *o); };
}

}  // namespace kc::cli
