#include "kernelcraft/eval/evaluator.h"

#include <algorithm>
#include <chrono>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/input_generator.h"
#include "kernelcraft/core/seeds.h"

namespace kc {
namespace {

using Clock = std::chrono::steady_clock;

double elapsed_ms(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

MemorySegment segment_for(const TensorPlacement& p, std::vector<double> values) {
  return MemorySegment{p.memory, p.address, p.encoding, p.scale_address, std::move(values)};
}

}  // namespace

std::vector<uint64_t> scoring_seeds() {
  std::vector<uint64_t> seeds = {kVisibleSeed};
  for (uint64_t s : hidden_seeds()) seeds.push_back(s);
  return seeds;
}

Evaluator::Evaluator(const Platform& platform, std::shared_ptr<const TaskSpec> task,
                     const std::string& config, const std::string& preset)
    : platform_(platform),
      instance_(bind_task(std::move(task), config, platform.task_platform())),
      preset_(preset.empty() ? platform.default_preset() : preset),
      layout_(platform.layout(instance_, preset_)) {}

const GoldenModel& Evaluator::golden_model() {
  if (!golden_) golden_ = GoldenModel::load(instance_);
  return *golden_;
}

const Evaluator::SeedData& Evaluator::seed_data(uint64_t seed) {
  auto it = seeds_.find(seed);
  if (it != seeds_.end()) return it->second;
  SeedData data;
  const auto inputs = instance_.inputs();
  for (const BoundTensor* t : inputs) {
    const TensorPlacement& p = layout_.placement(t->spec->name);
    const std::vector<float> raw = generate_input(instance_, *t, seed);
    data.stored.push_back(platform_.stored_values(p, raw));
    data.image.segments.push_back(segment_for(p, to_placement_order(p, raw)));
  }
  for (const ConstantPlacement& c : layout_.constants)
    data.image.segments.push_back({c.memory, c.address, "native", 0, {c.value}});
  data.golden = golden_model().run(data.stored);
  return seeds_.emplace(seed, std::move(data)).first->second;
}

double Evaluator::roofline_cycles() {
  const FlopCount flops = golden_model().flops();
  const PeakRates peak = platform_.peak_rates(preset_);
  const double compute = (peak.matrix_flops_per_cycle > 0 ? flops.matrix / peak.matrix_flops_per_cycle : 0) +
                         (peak.vector_flops_per_cycle > 0 ? flops.vector / peak.vector_flops_per_cycle : 0);
  const double memory = peak.offchip_bytes_per_cycle > 0
                            ? layout_.offchip_input_bytes / peak.offchip_bytes_per_cycle
                            : 0;
  return std::max(compute, memory);
}

std::string Evaluator::baseline_source(const BaselineKnobs& knobs) const {
  if (!has_baseline(platform_.name(), instance_.task->name))
    throw InputError("platform " + platform_.name() + " has no baseline for task " +
                     instance_.task->name);
  BaselineRequest request{&instance_, &layout_, platform_.describe_preset(preset_), knobs};
  return compile_baseline(platform_.name(), request);
}

std::optional<uint64_t> Evaluator::baseline_cycles(std::string& error, const EvalOptions& options) {
  if (!baseline_cycles_) {
    std::optional<uint64_t> cycles;
    try {
      EvalOptions baseline_options = options;
      baseline_options.compare_with_baseline = false;
      const EvalReport report = evaluate(baseline_source(), baseline_options);
      if (report.passed) cycles = report.cycles;
      else baseline_error_ = "the baseline kernel failed its own evaluation";
    } catch (const InputError& e) {
      baseline_error_ = e.what();
    }
    baseline_cycles_ = cycles;
  }
  error = baseline_error_;
  return *baseline_cycles_;
}

SeedResult Evaluator::run_seed(const AssembledProgram& program, uint64_t seed,
                               const EvalOptions& options, EvalTiming& timing) {
  auto start = Clock::now();
  const SeedData& data = seed_data(seed);
  timing.golden_ms += elapsed_ms(start);

  std::vector<MemoryRegion> dumps;
  const auto outputs = instance_.outputs();
  for (const BoundTensor* t : outputs) {
    const TensorPlacement& p = layout_.placement(t->spec->name);
    dumps.push_back({p.memory, p.address, static_cast<uint64_t>(p.elements()), p.encoding, p.scale_address});
  }
  RunLimits limits = options.limits;
  limits.writable_offchip = layout_.writable;
  limits.poison_seed = seed;  // garbage differs per seed, so reading unwritten memory fails

  start = Clock::now();
  SimReport sim = platform_.run(program, preset_, data.image, dumps, limits);
  timing.simulate_ms += elapsed_ms(start);

  start = Clock::now();
  SeedResult result;
  result.seed = seed;
  const auto& hidden = hidden_seeds();
  result.hidden = std::find(hidden.begin(), hidden.end(), seed) != hidden.end();
  result.cycles = sim.cycles;
  result.instructions = sim.instructions;
  result.trap = sim.trap;
  result.units = sim.units;
  bool all_match = true;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const TensorPlacement& p = layout_.placement(outputs[i]->spec->name);
    const std::vector<float> actual = from_placement_order(p, sim.dumped.segments[i].values);
    result.outputs.push_back(compare_tensor(p.tensor, outputs[i]->shape, data.golden[i], actual,
                                            instance_.tolerance_for(outputs[i]->spec->dtype),
                                            options.max_reported_mismatches));
    all_match = all_match && result.outputs.back().passed();
    if (options.keep_outputs) result.actual.push_back(actual);
  }
  result.passed = sim.ok() && all_match;
  timing.check_ms += elapsed_ms(start);
  return result;
}

EvalReport Evaluator::evaluate(const std::string& kernel_source, const EvalOptions& options) {
  EvalReport report;
  report.platform = platform_.name();
  report.task = instance_.task->name;
  report.config = instance_.config;
  report.preset = preset_;
  report.parameters = instance_.parameter_summary();
  report.offchip_bytes = layout_.offchip_input_bytes;

  auto start = Clock::now();
  report.flops = golden_model().flops();
  report.roofline_cycles = roofline_cycles();
  report.timing.golden_ms += elapsed_ms(start);

  start = Clock::now();
  const AssembleResult assembled = platform_.assemble(kernel_source, preset_);
  report.timing.assemble_ms = elapsed_ms(start);
  report.diagnostics = assembled.diagnostics;
  report.assembled = assembled.ok();
  if (!assembled.ok()) return report;
  report.instruction_count = assembled.program->instruction_count();
  report.instruction_classes = assembled.program->instruction_classes();

  const std::vector<uint64_t> seeds = options.seeds.empty() ? scoring_seeds() : options.seeds;
  report.passed = true;
  for (uint64_t seed : seeds) {
    report.seeds.push_back(run_seed(*assembled.program, seed, options, report.timing));
    report.passed = report.passed && report.seeds.back().passed;
    report.cycles = std::max(report.cycles, report.seeds.back().cycles);
  }
  if (report.cycles > 0) report.sol_percent = 100.0 * report.roofline_cycles / report.cycles;
  if (options.compare_with_baseline) {
    report.baseline_cycles = baseline_cycles(report.baseline_error, options);
    if (report.baseline_cycles && report.cycles > 0 && report.passed)
      report.speedup = static_cast<double>(*report.baseline_cycles) / report.cycles;
  }
  return report;
}

}  // namespace kc
