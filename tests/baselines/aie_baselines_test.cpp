// Every AMD NPU (amd_npu) task x configuration that the template compiler knows: the baseline
// kernel must pass eval on the visible and every hidden seed on the default preset (aie_ml), and on
// the small preset (aie_ml_small) where it fits; where it does not, the compiler says what does not.
// Tasks without a template would be listed explicitly, so a new template (or a lost one) shows.
#include <gtest/gtest.h>

#include <set>

#include "kernelcraft/baselines/baseline.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/eval/evaluator.h"
#include "kernelcraft/platform/aie_platform.h"
#include "baseline_case.h"

namespace kc {
namespace {

const AiePlatform& aie() {
  static const AiePlatform platform(KC_SOURCE_DIR);
  return platform;
}

std::vector<BaselineCase> all_cases() {
  std::vector<BaselineCase> cases;
  for (const auto& task : shipped_suite())
    if (task->supports("amd_npu") && has_baseline("amd_npu", task->name))
      for (const std::string& config : task->config_names()) cases.push_back({task->name, config, "aie_ml"});
  return cases;
}

TEST(AieBaselineSuite, CoversTheTemplatedFamiliesAndNamesTheRest) {
  std::set<std::string> with, without;
  for (const auto& task : shipped_suite())
    if (task->supports("amd_npu")) (has_baseline("amd_npu", task->name) ? with : without).insert(task->name);
  EXPECT_EQ(with.size() + without.size(), 22u);
  EXPECT_EQ(with, (std::set<std::string>{"relu", "gelu", "silu", "softmax", "layer_norm", "rms_norm", "gemm", "linear",
                                         "batch_matmul", "gemv", "conv2d", "depthwise_conv", "conv_block", "swiglu",
                                         "ffn", "rope", "attention", "mha", "mqa", "gqa", "decoder_block_llama",
                                         "decoder_block_t5"}));
  EXPECT_TRUE(without.empty());
  EXPECT_EQ(all_cases().size(), 22u * 5u);
}

class AieBaseline : public ::testing::TestWithParam<BaselineCase> {};

TEST_P(AieBaseline, PassesEverySeed) {
  const BaselineCase& c = GetParam();
  Evaluator evaluator(aie(), find_task(shipped_suite(), c.task), c.config, c.preset);
  expect_passes_every_seed(evaluator, evaluator.baseline_source());
}

INSTANTIATE_TEST_SUITE_P(Suite, AieBaseline, ::testing::ValuesIn(all_cases()), baseline_case_name);

TEST(AieBaselineCompiler, KnobsChangeTheKernelAndStayCorrect) {
  const auto task = find_task(shipped_suite(), "gemm");
  Evaluator evaluator(aie(), task, "C2", "aie_ml");
  const std::string base = evaluator.baseline_source();
  EXPECT_EQ(base, evaluator.baseline_source());  // reproducible
  EXPECT_NE(base.find("mmac.bf16"), std::string::npos);
  EXPECT_NE(base.find("vsrs.bf16"), std::string::npos);
  EXPECT_NE(base.find("dma.start"), std::string::npos);
  for (const BaselineKnobs& knobs : std::vector<BaselineKnobs>{{{"unroll", "1"}}, {{"unroll", "4"}, {"panel", "32"}}}) {
    const std::string kernel = evaluator.baseline_source(knobs);
    EXPECT_NE(kernel, base);
    expect_passes_every_seed(evaluator, kernel);
  }
  Evaluator relu(aie(), find_task(shipped_suite(), "relu"), "C3", "aie_ml");
  expect_passes_every_seed(relu, relu.baseline_source({{"tile", "1024"}, {"unroll", "4"}}));
  EXPECT_THROW(relu.baseline_source({{"lanes", "8"}}), InputError);
  EXPECT_THROW(relu.baseline_source({{"tile", "3"}}), InputError);
  EXPECT_FALSE(baseline_knobs("amd_npu", "softmax").empty());
  EXPECT_FALSE(baseline_knobs("amd_npu", "decoder_block_llama").empty());
  EXPECT_THROW(baseline_knobs("amd_npu", "no_such_task"), InputError);
  Evaluator dw(aie(), find_task(shipped_suite(), "depthwise_conv"), "C2", "aie_ml");
  const std::string dw_base = dw.baseline_source();
  const std::string dw_band = dw.baseline_source({{"band", "1"}});
  EXPECT_NE(dw_base, dw_band);
  expect_passes_every_seed(dw, dw_band);
}

// More stages than BDs: the decoder blocks reprogram freed BD numbers with bd.set (immediates) and
// stay within the preset's 32; llama shares its matmul code to fit program memory.
TEST(AieBaselineCompiler, RecyclesBufferDescriptorsAndSharesCode) {
  for (const char* task : {"decoder_block_llama", "decoder_block_t5"}) {
    SCOPED_TRACE(task);
    Evaluator evaluator(aie(), find_task(shipped_suite(), task), "C1", "aie_ml");
    const std::string kernel = evaluator.baseline_source();
    std::set<int> defined;
    std::size_t reprogrammed = 0;
    for (std::size_t at = 0; (at = kernel.find("\n.bd ", at)) != std::string::npos; ++at)
      defined.insert(std::stoi(kernel.substr(at + 5)));
    for (std::size_t at = 0; (at = kernel.find("bd.set bd", at)) != std::string::npos; ++at) {
      const std::string line = kernel.substr(at, kernel.find('\n', at) - at);
      if (line.find(", r") == std::string::npos) ++reprogrammed;  // an immediate: a recycled BD
    }
    EXPECT_LE(defined.size(), 32u);
    EXPECT_GT(reprogrammed, 0u);
  }
  Evaluator llama(aie(), find_task(shipped_suite(), "decoder_block_llama"), "C5", "aie_ml");
  const std::string kernel = llama.baseline_source();
  EXPECT_NE(kernel.find(".Lshared_matmul"), std::string::npos);
  EXPECT_NE(kernel.find("j .Lshared_matmul"), std::string::npos);
  Evaluator gemm(aie(), find_task(shipped_suite(), "gemm"), "C5", "aie_ml");
  EXPECT_EQ(gemm.baseline_source().find("Lshared"), std::string::npos);  // only when needed
}

// aie_ml_small (32 KiB data memory, 128 KiB memory tile, 16 BDs, 512 bundles, 1 MiB DDR): the
// stages take shares of the memories, so these fit (C1/C2 here; most fit up to C3..C5).
const std::set<std::string>& fit_small() {
  static const std::set<std::string> tasks{"relu", "gelu", "silu", "softmax", "layer_norm", "rms_norm", "gemm",
                                           "linear", "batch_matmul", "gemv", "conv2d", "depthwise_conv",
                                           "conv_block", "swiglu", "ffn", "rope", "attention", "mha", "mqa", "gqa"};
  return tasks;
}

std::vector<BaselineCase> small_cases() {
  std::vector<BaselineCase> cases;
  for (const std::string& task : fit_small())
    for (const char* config : {"C1", "C2"}) cases.push_back({task, config, "aie_ml_small"});
  return cases;
}

class AieBaselineSmall : public ::testing::TestWithParam<BaselineCase> {};

TEST_P(AieBaselineSmall, PassesEverySeed) {
  const BaselineCase& c = GetParam();
  Evaluator evaluator(aie(), find_task(shipped_suite(), c.task), c.config, c.preset);
  expect_passes_every_seed(evaluator, evaluator.baseline_source());
}

INSTANTIATE_TEST_SUITE_P(Suite, AieBaselineSmall, ::testing::ValuesIn(small_cases()), baseline_case_name);

// What does not fit fails while compiling, with an InputError naming the preset and the resource.
TEST(AieBaselineSmallPreset, SaysWhatDoesNotFit) {
  const auto message = [](const char* task, const char* config) -> std::string {
    try {
      Evaluator evaluator(aie(), find_task(shipped_suite(), task), config, "aie_ml_small");
      evaluator.baseline_source();
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  const std::string llama = message("decoder_block_llama", "C1");
  EXPECT_NE(llama.find("program memory for 512"), std::string::npos) << llama;
  EXPECT_NE(llama.find("shared matmul code"), std::string::npos) << llama;
  EXPECT_NE(message("decoder_block_t5", "C1").find("program memory"), std::string::npos);
  const std::string conv = message("conv2d", "C4");
  EXPECT_NE(conv.find("memory tile of preset aie_ml_small"), std::string::npos) << conv;
  EXPECT_NE(message("gemm", "C5").find("cannot be laid out"), std::string::npos);  // DDR
}

}  // namespace
}  // namespace kc
