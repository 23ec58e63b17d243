// Classified rejection reasons: a stable class for tests and reports, and a message that tells
// an honest agent what to fix (tests/adversarial checks both for every hostile kernel).
#include <cmath>
#include <cstdio>
#include <string>

#include "kernelcraft/eval/evaluator.h"

namespace kc {
namespace {

// Outputs this far from the golden almost always come from memory the kernel never wrote: the
// simulator fills on-chip memories with garbage of magnitude 1024..131072 before each run.
constexpr double kGarbageMagnitude = 1000.0;

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

std::string coordinates(const std::vector<int64_t>& coords) {
  std::string out = "[";
  for (std::size_t i = 0; i < coords.size(); ++i) out += (i ? ", " : "") + std::to_string(coords[i]);
  return out + "]";
}

const SourceDiagnostic* first_error(const EvalReport& report) {
  for (const SourceDiagnostic& d : report.diagnostics)
    if (d.severity == "error") return &d;
  return nullptr;
}

bool refused_for_size(const SourceDiagnostic& d) { return d.message.rfind(kProgramTooLarge, 0) == 0; }

const SourceDiagnostic* size_error(const EvalReport& report) {
  for (const SourceDiagnostic& d : report.diagnostics)
    if (d.severity == "error" && refused_for_size(d)) return &d;
  return nullptr;
}

// Visible seeds first: that is the failure the agent can reproduce with its own tools.
const SeedResult* first_failing_seed(const EvalReport& report) {
  for (bool hidden : {false, true})
    for (const SeedResult& seed : report.seeds)
      if (seed.hidden == hidden && !seed.passed) return &seed;
  return nullptr;
}

const TensorComparison* first_nonfinite(const SeedResult& seed) {
  for (const TensorComparison& out : seed.outputs)
    if (out.nonfinite > 0) return &out;
  return nullptr;
}

const TensorComparison* first_mismatching(const SeedResult& seed) {
  for (const TensorComparison& out : seed.outputs)
    if (!out.passed()) return &out;
  return nullptr;
}

bool visible_seed_passed(const EvalReport& report) {
  for (const SeedResult& seed : report.seeds)
    if (!seed.hidden) return seed.passed;
  return false;
}

std::string seed_name(const SeedResult& seed) {
  return std::string(seed.hidden ? "hidden seed " : "visible seed ") + std::to_string(seed.seed);
}

std::string assembly_message(const EvalReport& report) {
  const SourceDiagnostic* d = size_error(report);
  if (d) return "The kernel was refused: " + d->message + (d->hint.empty() ? "." : " (hint: " + d->hint + ").");
  d = first_error(report);
  if (!d) return "The kernel does not assemble.";
  std::size_t errors = 0;
  for (const SourceDiagnostic& each : report.diagnostics) errors += each.severity == "error" ? 1 : 0;
  std::string text = "The kernel does not assemble: line " + std::to_string(d->line) + ", column " +
                     std::to_string(d->column) + ": " + d->message;
  if (!d->hint.empty()) text += " (hint: " + d->hint + ")";
  text += ".";
  if (errors > 1) text += " " + std::to_string(errors - 1) + " more error(s); check_syntax lists them.";
  return text;
}

std::string trap_message(const SeedResult& seed) {
  const TrapInfo& trap = *seed.trap;
  std::string text = "On " + seed_name(seed) + " the kernel stopped with trap " + trap.kind;
  if (trap.line > 0) text += " at line " + std::to_string(trap.line);
  // The pc is the platform's own: an instruction index on PLENA, a byte address on Coral.
  char pc[32];
  std::snprintf(pc, sizeof pc, " (pc 0x%llx)", static_cast<unsigned long long>(trap.pc));
  text += pc;
  if (!trap.message.empty()) text += ": " + trap.message;
  if (text.back() != '.') text += ".";
  return text;
}

std::string nonfinite_message(const SeedResult& seed, const TensorComparison& out) {
  std::string text = "On " + seed_name(seed) + " output '" + out.tensor + "' has " +
                     std::to_string(out.nonfinite) + " NaN/Inf element(s) of " + std::to_string(out.elements);
  for (const Mismatch& m : out.first_mismatches)
    if (!std::isfinite(m.actual)) {
      text += ", first at " + coordinates(m.coords) + " (expected " + number(m.golden) + ")";
      break;
    }
  return text + ". Every output element must be a finite number close to the reference.";
}

std::string mismatch_message(const EvalReport& report, const SeedResult& seed, const TensorComparison& out) {
  std::string text = "On " + seed_name(seed) + " output '" + out.tensor + "' has " + std::to_string(out.mismatches) +
                     " of " + std::to_string(out.elements) + " elements outside tolerance";
  const Mismatch* first = out.first_mismatches.empty() ? nullptr : &out.first_mismatches.front();
  if (first)
    text += ", first at " + coordinates(first->coords) + " (expected " + number(first->golden) + ", got " +
            number(first->actual) + ", allowed error " + number(first->allowed) + ")";
  text += "; max abs error " + number(out.max_abs_error) + ".";
  if (seed.hidden && visible_seed_passed(report))
    text += " It passes the visible inputs but not these hidden ones: compute every output from the inputs; "
            "never hard-code values or rely on the visible data.";
  else if (first && std::fabs(first->actual) >= kGarbageMagnitude &&
           std::fabs(first->actual) > 10 * std::fabs(first->golden))
    text += " Values this large come from memory the kernel never wrote: memories start filled with garbage, "
            "not zeros, so write every output element and every location you read.";
  return text;
}

}  // namespace

std::string failure_class(const EvalReport& report) {
  if (report.passed) return "";
  if (!report.assembled) return size_error(report) ? "program_too_large" : "assembly_error";
  const SeedResult* seed = first_failing_seed(report);
  if (!seed) return "mismatch";  // not passed, yet every seed did: nothing better to say
  if (seed->trap) return "trap:" + seed->trap->kind;
  return first_nonfinite(*seed) ? "nonfinite" : "mismatch";
}

std::string failure_message(const EvalReport& report) {
  if (report.passed) return "";
  if (!report.assembled) return assembly_message(report);
  const SeedResult* seed = first_failing_seed(report);
  if (!seed) return "The kernel did not pass evaluation.";
  if (seed->trap) return trap_message(*seed);
  if (const TensorComparison* out = first_nonfinite(*seed)) return nonfinite_message(*seed, *out);
  if (const TensorComparison* out = first_mismatching(*seed)) return mismatch_message(report, *seed, *out);
  return "On " + seed_name(*seed) + " the outputs do not match the reference.";
}

}  // namespace kc
