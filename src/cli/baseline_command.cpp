#include <nlohmann/json.hpp>

#include "commands.h"
#include "kernelcraft/cli/app.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/eval/eval_report_json.h"
#include "kernelcraft/eval/evaluator.h"
#include "output.h"

namespace kc::cli {
namespace {

struct BaselineOptions {
  std::string platform;
  std::string preset;
  std::string task;
  std::string config;
  std::vector<std::string> knobs;
  std::string output;
  bool list_knobs = false;
};

BaselineKnobs parse_knobs(const std::vector<std::string>& specs) {
  BaselineKnobs knobs;
  for (const std::string& spec : specs) {
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0)
      throw InputError("--knob " + spec + ": expected NAME=VALUE");
    knobs[spec.substr(0, eq)] = spec.substr(eq + 1);
  }
  return knobs;
}

int run_baseline(const CommandIo& io, const BaselineOptions& o) {
  auto platform = open_platform(io, o.platform);
  auto task = task_named(io, o.task);
  if (o.list_knobs) {
    for (const KnobSpec& k : baseline_knobs(platform->name(), task->name)) {
      io.out << k.name << " (default " << k.default_value << "; choices:";
      for (const auto& c : k.choices) io.out << ' ' << c;
      io.out << "): " << k.description << '\n';
    }
    return kExitOk;
  }
  if (o.config.empty()) throw InputError("baseline: --config is required unless --list-knobs");
  Evaluator evaluator(*platform, task, o.config, chosen_preset(*platform, o.preset));
  const std::string source = evaluator.baseline_source(parse_knobs(o.knobs));
  if (o.output.empty()) io.out << source;
  else write_file_or_throw(o.output, source);
  return kExitOk;
}

}  // namespace

Handler add_baseline_command(CLI::App& app, const CommandIo& io) {
  auto o = std::make_shared<BaselineOptions>();
  CLI::App* cmd = app.add_subcommand("baseline", "print the compiler baseline kernel of a task");
  add_platform_options(*cmd, o->platform, o->preset, true);
  cmd->add_option("--task,-t", o->task, "task name (see `list tasks`)")->required();
  cmd->add_option("--config,-c", o->config, "configuration C1..C5");
  cmd->add_option("--knob", o->knobs, "tuning knob NAME=VALUE (repeatable)");
  cmd->add_flag("--list-knobs", o->list_knobs, "list the knobs of this baseline and exit");
  cmd->add_option("-o,--output", o->output, "write the kernel to this file");
  return [&io, o]() { return run_baseline(io, *o); };
}

}  // namespace kc::cli
