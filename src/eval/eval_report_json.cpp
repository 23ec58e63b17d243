#include "kernelcraft/eval/eval_report_json.h"

#include "kernelcraft/eval/evaluator.h"

#include <cmath>

namespace kc {
namespace {

// JSON has no NaN/Inf: non-finite numbers travel as strings, as in memory images.
nlohmann::json number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

}  // namespace

nlohmann::json to_json(const TrapInfo& t) {
  return {{"kind", t.kind},       {"pc", t.pc},           {"line", t.line},
          {"memory", t.memory},   {"address", t.address}, {"message", t.message}};
}

nlohmann::json to_json(const std::vector<SourceDiagnostic>& diagnostics) {
  nlohmann::json out = nlohmann::json::array();
  for (const SourceDiagnostic& d : diagnostics)
    out.push_back({{"severity", d.severity},
                   {"line", d.line},
                   {"column", d.column},
                   {"message", d.message},
                   {"hint", d.hint}});
  return out;
}

nlohmann::json units_json(const std::map<std::string, UnitActivity>& units) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [unit, activity] : units)
    out[unit] = {{"busy", activity.busy}, {"stall", activity.stall}};
  return out;
}

nlohmann::json to_json(const TensorComparison& c) {
  nlohmann::json mismatches = nlohmann::json::array();
  for (const Mismatch& m : c.first_mismatches)
    mismatches.push_back({{"index", m.index},
                          {"coords", m.coords},
                          {"golden", number(m.golden)},
                          {"actual", number(m.actual)},
                          {"allowed_error", number(m.allowed)}});
  return {{"tensor", c.tensor},
          {"shape", c.shape},
          {"elements", c.elements},
          {"mismatches", c.mismatches},
          {"nonfinite", c.nonfinite},
          {"match_percent", c.match_percent()},
          {"max_abs_error", number(c.max_abs_error)},
          {"max_rel_error", number(c.max_rel_error)},
          {"golden_rms", number(c.golden_rms)},
          {"passed", c.passed()},
          {"first_mismatches", mismatches}};
}

nlohmann::json to_json(const SeedResult& s) {
  nlohmann::json j = {{"seed", s.seed},
                      {"hidden", s.hidden},
                      {"passed", s.passed},
                      {"cycles", s.cycles},
                      {"instructions", s.instructions},
                      {"trap", nullptr},
                      {"outputs", nlohmann::json::array()}};
  if (s.trap) j["trap"] = to_json(*s.trap);
  for (const auto& o : s.outputs) j["outputs"].push_back(to_json(o));
  j["units"] = units_json(s.units);
  return j;
}

nlohmann::json to_json(const EvalReport& r) {
  nlohmann::json seeds = nlohmann::json::array();
  for (const SeedResult& s : r.seeds) seeds.push_back(to_json(s));
  return {{"platform", r.platform},
          {"task", r.task},
          {"config", r.config},
          {"preset", r.preset},
          {"parameters", r.parameters},
          {"assembled", r.assembled},
          {"diagnostics", to_json(r.diagnostics)},
          {"instruction_count", r.instruction_count},
          {"instruction_classes", r.instruction_classes},
          {"passed", r.passed},
          {"failure_class", failure_class(r)},
          {"failure", failure_message(r)},
          {"cycles", r.cycles},
          {"baseline_cycles", r.baseline_cycles ? nlohmann::json(*r.baseline_cycles) : nlohmann::json()},
          {"baseline_error", r.baseline_error},
          {"speedup", r.speedup},
          {"roofline_cycles", r.roofline_cycles},
          {"sol_percent", r.sol_percent},
          {"flops", {{"matrix", r.flops.matrix}, {"vector", r.flops.vector}}},
          {"offchip_input_bytes", r.offchip_bytes},
          {"seeds", seeds},
          {"timing_ms",
           {{"golden", r.timing.golden_ms},
            {"assemble", r.timing.assemble_ms},
            {"simulate", r.timing.simulate_ms},
            {"check", r.timing.check_ms}}}};
}

}  // namespace kc
