// Golden outputs of shipped tasks against small independent hand computations (plain C++ loops
// written from each task's formula, not from its MLIR).
#include "kernelcraft/reference/golden_model.h"

#include <cmath>

#include <gtest/gtest.h>

#include "kernelcraft/core/comparison.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/input_generator.h"
#include "kernelcraft/core/seeds.h"

namespace kc {
namespace {

using Tensors = std::vector<std::vector<float>>;

std::shared_ptr<const TaskSpec> suite_task(const std::string& name) {
  static const auto suite = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  return find_task(suite, name);
}

struct GoldenRun {
  TaskInstance instance;
  Tensors inputs;
  Tensors outputs;
  int64_t p(const std::string& name) const { return static_cast<int64_t>(instance.parameters.at(name)); }
};

GoldenRun run_golden(const std::string& task, const std::string& config = "C1") {
  GoldenRun run{bind_task(suite_task(task), config), {}, {}};
  run.inputs = generate_inputs(run.instance, kVisibleSeed);
  run.outputs = GoldenModel::load(run.instance)->run(run.inputs);
  return run;
}

void expect_close(const std::vector<float>& golden, const std::vector<double>& hand,
                  const std::string& what) {
  ASSERT_EQ(golden.size(), hand.size()) << what;
  for (std::size_t i = 0; i < hand.size(); ++i)
    ASSERT_NEAR(golden[i], hand[i], 1e-4 * (1 + std::fabs(hand[i]))) << what << " element " << i;
}

TEST(GoldenModel, SiluAndRelu) {
  const GoldenRun silu = run_golden("silu");
  std::vector<double> hand;
  for (float x : silu.inputs[0]) hand.push_back(x / (1 + std::exp(-static_cast<double>(x))));
  expect_close(silu.outputs[0], hand, "silu");

  const GoldenRun relu = run_golden("relu");
  hand.clear();
  for (float x : relu.inputs[0]) hand.push_back(std::max(0.0f, x));
  expect_close(relu.outputs[0], hand, "relu");
}

TEST(GoldenModel, GeluTanhApproximation) {
  const GoldenRun run = run_golden("gelu");
  std::vector<double> hand;
  for (double x : run.inputs[0])
    hand.push_back(0.5 * x * (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x))));
  expect_close(run.outputs[0], hand, "gelu");
}

TEST(GoldenModel, SoftmaxRows) {
  const GoldenRun run = run_golden("softmax");
  const int64_t n = run.p("N"), d = run.p("D");
  std::vector<double> hand;
  for (int64_t i = 0; i < n; ++i) {
    const float* row = &run.inputs[0][i * d];
    double max = row[0], sum = 0;
    for (int64_t j = 0; j < d; ++j) max = std::max<double>(max, row[j]);
    for (int64_t j = 0; j < d; ++j) sum += std::exp(row[j] - max);
    for (int64_t j = 0; j < d; ++j) hand.push_back(std::exp(row[j] - max) / sum);
  }
  expect_close(run.outputs[0], hand, "softmax");
}

TEST(GoldenModel, LayerNormAndRmsNorm) {
  const GoldenRun ln = run_golden("layer_norm");
  const int64_t n = ln.p("N"), d = ln.p("D");
  std::vector<double> hand;
  for (int64_t i = 0; i < n; ++i) {
    const float* row = &ln.inputs[0][i * d];
    double mean = 0, var = 0;
    for (int64_t j = 0; j < d; ++j) mean += row[j];
    mean /= d;
    for (int64_t j = 0; j < d; ++j) var += (row[j] - mean) * (row[j] - mean);
    var /= d;
    for (int64_t j = 0; j < d; ++j)
      hand.push_back((row[j] - mean) / std::sqrt(var + 1e-5) * ln.inputs[1][j] + ln.inputs[2][j]);
  }
  expect_close(ln.outputs[0], hand, "layer_norm");

  const GoldenRun rms = run_golden("rms_norm");
  hand.clear();
  for (int64_t i = 0; i < n; ++i) {
    const float* row = &rms.inputs[0][i * d];
    double sq = 0;
    for (int64_t j = 0; j < d; ++j) sq += static_cast<double>(row[j]) * row[j];
    const double scale = 1 / std::sqrt(sq / d + 1e-6);
    for (int64_t j = 0; j < d; ++j) hand.push_back(row[j] * scale * rms.inputs[1][j]);
  }
  expect_close(rms.outputs[0], hand, "rms_norm");
}

TEST(GoldenModel, GemmGemvAndLinear) {
  const GoldenRun gemm = run_golden("gemm");
  const int64_t m = gemm.p("M"), k = gemm.p("K"), n = gemm.p("N");
  std::vector<double> hand(static_cast<std::size_t>(m * n), 0.0);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j)
      for (int64_t t = 0; t < k; ++t)
        hand[i * n + j] += static_cast<double>(gemm.inputs[0][i * k + t]) * gemm.inputs[1][t * n + j];
  expect_close(gemm.outputs[0], hand, "gemm");

  const GoldenRun gemv = run_golden("gemv");
  const int64_t rows = gemv.p("N"), cols = gemv.p("K");
  hand.assign(static_cast<std::size_t>(rows), 0.0);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t t = 0; t < cols; ++t)
      hand[i] += static_cast<double>(gemv.inputs[0][i * cols + t]) * gemv.inputs[1][t];
  expect_close(gemv.outputs[0], hand, "gemv");

  const GoldenRun lin = run_golden("linear");
  const int64_t lm = lin.p("M"), lk = lin.p("K"), ln = lin.p("N");
  hand.assign(static_cast<std::size_t>(lm * ln), 0.0);
  for (int64_t i = 0; i < lm; ++i)
    for (int64_t j = 0; j < ln; ++j) {
      double acc = lin.inputs[2][j];
      for (int64_t t = 0; t < lk; ++t)
        acc += static_cast<double>(lin.inputs[0][i * lk + t]) * lin.inputs[1][t * ln + j];
      hand[i * ln + j] = acc;
    }
  expect_close(lin.outputs[0], hand, "linear");
}

TEST(GoldenModel, RopeRotateHalfPerHead) {
  const GoldenRun run = run_golden("rope", "C2");  // C2 has two heads
  const int64_t s = run.p("S"), nh = run.p("NH"), d = run.p("D"), half = d / 2;
  const auto& x = run.inputs[0];
  const auto& cos = run.inputs[1];
  const auto& sin = run.inputs[2];
  std::vector<double> hand;
  for (int64_t t = 0; t < s; ++t)
    for (int64_t h = 0; h < nh; ++h)
      for (int64_t j = 0; j < d; ++j) {
        const double v = x[t * nh * d + h * d + j];
        const double rotated = j < half ? -x[t * nh * d + h * d + j + half] : x[t * nh * d + h * d + j - half];
        hand.push_back(v * cos[t * d + j] + rotated * sin[t * d + j]);
      }
  expect_close(run.outputs[0], hand, "rope");
}

TEST(GoldenModel, ScaledDotProductAttention) {
  const GoldenRun run = run_golden("attention");
  const int64_t sq = run.p("Sq"), sk = run.p("Sk"), d = run.p("D");
  const auto& q = run.inputs[0];
  const auto& k = run.inputs[1];
  const auto& v = run.inputs[2];
  std::vector<double> hand;
  for (int64_t i = 0; i < sq; ++i) {
    std::vector<double> scores(static_cast<std::size_t>(sk));
    double max = -1e300, sum = 0;
    for (int64_t j = 0; j < sk; ++j) {
      double dot = 0;
      for (int64_t t = 0; t < d; ++t) dot += static_cast<double>(q[i * d + t]) * k[j * d + t];
      scores[j] = dot / std::sqrt(static_cast<double>(d));
      max = std::max(max, scores[j]);
    }
    for (auto& sc : scores) sum += (sc = std::exp(sc - max));
    for (int64_t t = 0; t < d; ++t) {
      double acc = 0;
      for (int64_t j = 0; j < sk; ++j) acc += scores[j] / sum * v[j * d + t];
      hand.push_back(acc);
    }
  }
  expect_close(run.outputs[0], hand, "attention");
}

TEST(GoldenModel, FlopsAreSplitIntoMatrixAndVectorWork) {
  const TaskInstance gemm = bind_task(suite_task("gemm"), "C2");
  const FlopCount f = GoldenModel::load(gemm)->flops();
  const uint64_t m = 32, k = 256, n = 256;
  EXPECT_EQ(f.matrix, 2 * m * k * n);
  const TaskInstance relu = bind_task(suite_task("relu"), "C1");
  const FlopCount r = GoldenModel::load(relu)->flops();
  EXPECT_EQ(r.matrix, 0u);
  EXPECT_EQ(r.vector, 8u * 128u);  // one max per element
}

TEST(GoldenModel, EveryShippedReferenceBindsAndMatchesItsTaskForEveryConfig) {
  const auto suite = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  for (const auto& task : suite)
    for (const std::string& config : task->config_names()) {
      SCOPED_TRACE(task->name + " " + config);
      EXPECT_NO_THROW(GoldenModel::load(bind_task(task, config)));
    }
}

TEST(BindReferenceText, SubstitutesParametersExpressionsAndConstants) {
  auto task = suite_task("layer_norm");
  const TaskInstance inst = bind_task(task, "C1");
  EXPECT_EQ(bind_reference_text("tensor<${N}x${D/2}xf32>", "t.mlir", inst), "tensor<8x64xf32>");
  const std::string eps = bind_reference_text("${eps}", "t.mlir", inst);
  EXPECT_NEAR(std::stod(eps), 1e-5, 1e-12);
  EXPECT_NE(eps.find('e'), std::string::npos);  // a float literal for MLIR
}

TEST(BindReferenceText, BadPlaceholdersNameFileAndLine) {
  const TaskInstance inst = bind_task(suite_task("relu"), "C1");
  try {
    bind_reference_text("line one\n${Q}", "ref.mlir", inst);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("ref.mlir:2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("unknown name 'Q'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(bind_reference_text("${N", "ref.mlir", inst), InputError);
}

}  // namespace
}  // namespace kc

namespace kc {
namespace {

// Validity: for every task, an all-zero or sign-flipped output must fail the task's tolerance,
// so no trivial kernel passes by writing nothing.
TEST(GoldenModel, TrivialOutputsFailEveryTasksTolerance) {
  const auto suite = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  for (const auto& task : suite) {
    const TaskInstance inst = bind_task(task, "C1");
    const auto golden = GoldenModel::load(inst)->run(generate_inputs(inst, kVisibleSeed));
    const auto outputs = inst.outputs();
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      const Tolerance tol = inst.tolerance_for(outputs[i]->spec->dtype);
      std::vector<float> zeros(golden[i].size(), 0.0f), negated = golden[i];
      for (float& v : negated) v = -v;
      EXPECT_FALSE(compare_tensor("y", outputs[i]->shape, golden[i], zeros, tol).passed()) << task->name;
      EXPECT_FALSE(compare_tensor("y", outputs[i]->shape, golden[i], negated, tol).passed()) << task->name;
      EXPECT_TRUE(compare_tensor("y", outputs[i]->shape, golden[i], golden[i], tol).passed()) << task->name;
    }
  }
}

}  // namespace
}  // namespace kc
