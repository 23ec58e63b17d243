// Co-simulation of the two PLENA backends on the compiler baselines: every PLENA baseline kernel
// that fits the small preset (the preset the RTL is built for) runs through eval on the C++
// model and on the Verilated RTL. The simulated outputs must be bit-identical and the cycle
// counts, instruction counts and per-unit busy/stall counters equal: the RTL implements the
// model's timing exactly, so any difference is a bug in one of them.
#include <gtest/gtest.h>

#include <cstring>

#include "baselines/baseline_case.h"
#include "kernelcraft/baselines/baseline.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/seeds.h"
#include "kernelcraft/eval/evaluator.h"
#include "kernelcraft/platform/plena_platform.h"

namespace kc {
namespace {

const PlenaPlatform& backend(PlenaBackend which) {
  static const PlenaPlatform model(KC_SOURCE_DIR, PlenaBackend::Model);
  static const PlenaPlatform rtl(KC_SOURCE_DIR, PlenaBackend::Rtl);
  return which == PlenaBackend::Rtl ? rtl : model;
}

std::vector<BaselineCase> small_preset_cases() {
  std::vector<BaselineCase> cases;
  for (const auto& task : shipped_suite())
    if (task->supports("plena"))
      for (const std::string& config : task->config_names()) cases.push_back({task->name, config, "small"});
  return cases;
}

uint32_t bits(float x) {
  uint32_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

EvalReport evaluate_on(PlenaBackend which, const BaselineCase& c, std::string& kernel) {
  Evaluator evaluator(backend(which), find_task(shipped_suite(), c.task), c.config, c.preset);
  if (kernel.empty()) kernel = evaluator.baseline_source();
  EvalOptions options;
  options.compare_with_baseline = false;
  options.keep_outputs = true;
  // One seed per kernel keeps the largest case near a minute on the RTL; the random
  // differential tests (tests/sim/plena_rtl) vary the data far more.
  options.seeds = {kVisibleSeed};
  return evaluator.evaluate(kernel, options);
}

void expect_same_seed(const SeedResult& model, const SeedResult& rtl) {
  SCOPED_TRACE("seed " + std::to_string(model.seed));
  EXPECT_EQ(model.cycles, rtl.cycles);
  EXPECT_EQ(model.instructions, rtl.instructions);
  EXPECT_EQ(model.passed, rtl.passed);
  EXPECT_EQ(model.trap.has_value(), rtl.trap.has_value());
  if (model.trap && rtl.trap) {
    EXPECT_EQ(model.trap->kind, rtl.trap->kind);
    EXPECT_EQ(model.trap->pc, rtl.trap->pc);
  }
  ASSERT_EQ(model.units.size(), rtl.units.size());
  for (const auto& [unit, activity] : model.units) {
    EXPECT_EQ(activity.busy, rtl.units.at(unit).busy) << unit;
    EXPECT_EQ(activity.stall, rtl.units.at(unit).stall) << unit;
  }
  ASSERT_EQ(model.actual.size(), rtl.actual.size());
  for (std::size_t t = 0; t < model.actual.size(); ++t) {
    ASSERT_EQ(model.actual[t].size(), rtl.actual[t].size());
    std::size_t differing = 0, first = 0;
    for (std::size_t i = 0; i < model.actual[t].size(); ++i)
      if (bits(model.actual[t][i]) != bits(rtl.actual[t][i]) && differing++ == 0) first = i;
    EXPECT_EQ(differing, 0u) << "output " << t << ": first difference at element " << first;
  }
}

class PlenaRtlCosim : public ::testing::TestWithParam<BaselineCase> {};

TEST_P(PlenaRtlCosim, BaselineGivesIdenticalOutputsAndCycles) {
  const BaselineCase& c = GetParam();
  std::string kernel;
  EvalReport model;
  try {
    model = evaluate_on(PlenaBackend::Model, c, kernel);
  } catch (const InputError& e) {
    GTEST_SKIP() << "does not fit the small preset: " << e.what();
  }
  ASSERT_TRUE(model.assembled);
  ASSERT_TRUE(model.passed) << "the baseline must pass on the model first";
  const EvalReport rtl = evaluate_on(PlenaBackend::Rtl, c, kernel);
  EXPECT_TRUE(rtl.passed);
  EXPECT_EQ(model.cycles, rtl.cycles);
  ASSERT_EQ(model.seeds.size(), rtl.seeds.size());
  for (std::size_t i = 0; i < model.seeds.size(); ++i) expect_same_seed(model.seeds[i], rtl.seeds[i]);
  ::testing::Test::RecordProperty("cycles", std::to_string(model.cycles));
}

INSTANTIATE_TEST_SUITE_P(Small, PlenaRtlCosim, ::testing::ValuesIn(small_preset_cases()), baseline_case_name);

TEST(PlenaRtlBackend, RefusesPresetsItWasNotBuiltFor) {
  Evaluator evaluator(backend(PlenaBackend::Rtl), find_task(shipped_suite(), "relu"), "C1", "default");
  EvalOptions options;
  options.compare_with_baseline = false;
  try {
    evaluator.evaluate(evaluator.baseline_source(), options);
    ADD_FAILURE() << "the default preset's geometry is not the RTL's";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("the PLENA RTL backend cannot run preset 'default'"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace kc
