#include <cstdio>

#include <spdlog/spdlog.h>

#include "commands.h"
#include "kernelcraft/cli/app.h"
#include "kernelcraft/eval/eval_report_json.h"
#include "kernelcraft/eval/evaluator.h"
#include "output.h"

namespace kc::cli {
namespace {

struct EvalCommandOptions {
  std::string platform;
  std::string sim;
  std::string preset;
  std::string task;
  std::string config;
  std::string kernel;
  std::vector<uint64_t> seeds;
  bool no_baseline = false;
  bool json = false;
  uint64_t max_instructions = RunLimits{}.max_instructions;
  uint64_t max_cycles = RunLimits{}.max_cycles;
};

std::string fixed(double value, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

std::string general(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

std::string coords_text(const std::vector<int64_t>& coords) {
  std::string out;
  for (int64_t c : coords) out += (out.empty() ? "" : ",") + std::to_string(c);
  return "[" + out + "]";
}

void print_seed(std::ostream& os, const SeedResult& s) {
  os << "seed " << s.seed << (s.hidden ? " (hidden)" : " (visible)") << "  "
     << (s.passed ? "PASS" : "FAIL") << "  cycles " << s.cycles << '\n';
  if (s.trap)
    os << "  trap " << s.trap->kind << " at pc " << s.trap->pc << " (line " << s.trap->line
       << "): " << s.trap->message << '\n';
  for (const TensorComparison& c : s.outputs) {
    os << "  " << c.tensor << ": " << fixed(c.match_percent(), 2) << "% match (" << c.mismatches
       << " of " << c.elements << " outside tolerance";
    if (c.nonfinite) os << ", " << c.nonfinite << " NaN/Inf";
    os << "), max abs err " << general(c.max_abs_error) << ", max rel err "
       << general(c.max_rel_error) << '\n';
    for (const Mismatch& m : c.first_mismatches)
      os << "    " << c.tensor << coords_text(m.coords) << ": expected " << general(m.golden)
         << ", got " << general(m.actual) << " (allowed error " << general(m.allowed) << ")\n";
  }
}

void print_report(std::ostream& os, const std::string& file, const EvalReport& r) {
  os << "eval " << r.platform << " " << r.task << " " << r.config << " (" << r.parameters
     << "), preset " << r.preset << '\n';
  print_diagnostics(os, file, r.diagnostics);
  if (!r.assembled) {
    os << "result: FAIL (the kernel does not assemble)\n";
    return;
  }
  os << "kernel: " << r.instruction_count << " instructions\n";
  for (const SeedResult& s : r.seeds) print_seed(os, s);
  os << "result: " << (r.passed ? "PASS" : "FAIL") << "  cycles " << r.cycles
     << " (max over seeds)\n";
  if (!r.passed) os << "why: [" << failure_class(r) << "] " << failure_message(r) << '\n';
  if (r.baseline_cycles) {
    os << "baseline: " << *r.baseline_cycles << " cycles";
    if (r.passed) os << ", speedup " << fixed(r.speedup, 3) << "x";
    os << '\n';
  } else if (!r.baseline_error.empty()) {
    os << "baseline: unavailable (" << r.baseline_error << ")\n";
  }
  os << "roofline: " << fixed(r.roofline_cycles, 0) << " cycles (" << r.flops.matrix
     << " matrix + " << r.flops.vector << " vector FLOPs, " << r.offchip_bytes
     << " input bytes), SOL " << fixed(r.sol_percent, 2) << "%\n";
}

int run_eval(const CommandIo& io, const EvalCommandOptions& o) {
  auto platform = open_platform(io, o.platform, o.sim);
  auto task = task_named(io, o.task);
  const std::string source = read_file_or_throw(o.kernel);
  Evaluator evaluator(*platform, task, o.config, chosen_preset(*platform, o.preset));
  EvalOptions options;
  options.seeds = o.seeds;
  options.compare_with_baseline = !o.no_baseline;
  options.limits.max_instructions = o.max_instructions;
  options.limits.max_cycles = o.max_cycles;
  spdlog::debug("evaluating {} on {} {} {}", o.kernel, o.platform, o.task, o.config);
  const EvalReport report = evaluator.evaluate(source, options);
  if (o.json) io.out << to_json(report).dump(2) << '\n';
  else print_report(io.out, o.kernel, report);
  return report.passed ? kExitOk : kExitKernelFailed;
}

}  // namespace

Handler add_eval_command(CLI::App& app, const CommandIo& io) {
  auto o = std::make_shared<EvalCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "eval", "score a kernel: visible + hidden seeds, golden check, cycles, baseline, SOL%");
  add_platform_options(*cmd, o->platform, o->preset, true);
  add_sim_option(*cmd, o->sim);
  cmd->add_option("--task,-t", o->task, "task name (see `list tasks`)")->required();
  cmd->add_option("--config,-c", o->config, "configuration C1..C5")->required();
  cmd->add_option("--seed", o->seeds, "run only these seeds (default: visible + hidden)");
  cmd->add_flag("--no-baseline", o->no_baseline, "skip the baseline run (no speedup)");
  cmd->add_option("--max-instructions", o->max_instructions, "dynamic instruction limit")
      ->capture_default_str();
  cmd->add_option("--max-cycles", o->max_cycles, "cycle limit")->capture_default_str();
  cmd->add_flag("--json", o->json, "machine-readable output");
  cmd->add_option("KERNEL", o->kernel, "kernel source file")->required();
  return [&io, o]() { return run_eval(io, *o); };
}

}  // namespace kc::cli
