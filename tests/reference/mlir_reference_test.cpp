// Tests for kc::MlirReference: golden outputs via MLIR lowering + ExecutionEngine.
#include "kernelcraft/reference/mlir_reference.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "kernelcraft/core/errors.h"

namespace {

std::string readData(const std::string& name) {
  std::ifstream in(std::string(KC_REFERENCE_DATA_DIR) + "/" + name);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

kc::MlirReference loadData(const std::string& name) {
  return kc::MlirReference::load(readData(name), name);
}

// Expects `fn` to throw kc::InputError and returns its message.
template <typename Fn>
std::string inputErrorOf(Fn&& fn) {
  try {
    fn();
  } catch (const kc::InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected kc::InputError";
  return "";
}

TEST(ReferenceRun, ReluMemrefDestinationStyle) {
  auto ref = loadData("relu.mlir");
  std::vector<float> x(32);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i) - 16.0f;
  x[3] = -0.5f;
  x[20] = 2.25f;
  auto out = ref.run("relu", {x});
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].size(), 32u);
  for (size_t i = 0; i < x.size(); ++i) EXPECT_EQ(out[0][i], std::max(x[i], 0.0f)) << i;
  EXPECT_EQ(out[0][3], 0.0f);
  EXPECT_EQ(out[0][20], 2.25f);
  EXPECT_EQ(out[0][31], 15.0f);
}

TEST(ReferenceRun, MatmulTensorStyleHandComputed) {
  auto ref = loadData("matmul.mlir");
  // A = [[1,2,3],[4,5,6]], B = [[7,8],[9,10],[11,12]]
  auto out = ref.run("matmul", {{1, 2, 3, 4, 5, 6}, {7, 8, 9, 10, 11, 12}});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], (std::vector<float>{58, 64, 139, 154}));
  // The JIT is cached: a second run gives the same answer.
  EXPECT_EQ(ref.run("matmul", {{1, 2, 3, 4, 5, 6}, {7, 8, 9, 10, 11, 12}})[0], out[0]);
}

TEST(ReferenceRun, SoftmaxRowsMatchHost) {
  auto ref = loadData("softmax.mlir");
  std::vector<float> x(4 * 16);
  for (size_t i = 0; i < x.size(); ++i) x[i] = std::sin(static_cast<float>(i) * 0.7f) * 3.0f;
  auto out = ref.run("softmax", {x});
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].size(), x.size());
  for (size_t r = 0; r < 4; ++r) {
    float mx = *std::max_element(x.begin() + r * 16, x.begin() + (r + 1) * 16);
    double sum = 0;
    for (size_t c = 0; c < 16; ++c) sum += std::exp(x[r * 16 + c] - mx);
    for (size_t c = 0; c < 16; ++c)
      EXPECT_NEAR(out[0][r * 16 + c], std::exp(x[r * 16 + c] - mx) / sum, 1e-5) << r << "," << c;
  }
}

TEST(ReferenceRun, TanhLowersThroughLibm) {
  // math.tanh has no LLVM intrinsic; the pipeline turns it into a call to libm's tanhf.
  const std::string text =
      "#id = affine_map<(i) -> (i)>\n"
      "func.func @act(%x: tensor<3xf32>) -> tensor<3xf32> {\n"
      "  %e = tensor.empty() : tensor<3xf32>\n"
      "  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = [\"parallel\"]}\n"
      "      ins(%x : tensor<3xf32>) outs(%e : tensor<3xf32>) {\n"
      "  ^bb0(%in: f32, %o: f32):\n"
      "    %t = math.tanh %in : f32\n"
      "    linalg.yield %t : f32\n"
      "  } -> tensor<3xf32>\n"
      "  return %y : tensor<3xf32>\n"
      "}\n";
  auto ref = kc::MlirReference::load(text, "tanh.mlir");
  auto out = ref.run("act", {{-1.5f, 0.0f, 0.75f}});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NEAR(out[0][0], std::tanh(-1.5f), 1e-6);
  EXPECT_NEAR(out[0][1], 0.0f, 1e-7);
  EXPECT_NEAR(out[0][2], std::tanh(0.75f), 1e-6);
}

TEST(ReferenceSignature, ReportsInputsAndOutputs) {
  auto relu = loadData("relu.mlir");
  ASSERT_EQ(relu.inputs("relu").size(), 1u);
  EXPECT_EQ(relu.inputs("relu")[0].shape, (std::vector<int64_t>{4, 8}));
  EXPECT_EQ(relu.inputs("relu")[0].element_type, "f32");
  ASSERT_EQ(relu.outputs("relu").size(), 1u);
  auto mm = loadData("matmul.mlir");
  ASSERT_EQ(mm.inputs("matmul").size(), 2u);
  EXPECT_EQ(mm.inputs("matmul")[1].shape, (std::vector<int64_t>{3, 2}));
  ASSERT_EQ(mm.outputs("matmul").size(), 1u);
  EXPECT_EQ(mm.outputs("matmul")[0].shape, (std::vector<int64_t>{2, 2}));
}

TEST(ReferenceFlops, MatmulIsTwoMNK) {
  EXPECT_EQ(loadData("matmul.mlir").flops("matmul"), 2u * 2u * 2u * 3u);
  EXPECT_EQ(loadData("relu.mlir").flops("relu"), 32u);
}

TEST(ReferenceErrors, SyntaxErrorNamesLine) {
  const std::string text =
      "func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {\n"
      "  %y = arith.addf %x, %x : tensor<2xf32>\n"
      "  return %y tensor<2xf32>\n"
      "}\n";
  std::string msg = inputErrorOf([&] { kc::MlirReference::load(text, "bad.mlir"); });
  EXPECT_EQ(msg.rfind("bad.mlir:3:", 0), 0u) << msg;  // message starts with file:line:col
  EXPECT_NE(msg.find("expected"), std::string::npos) << msg;
}

TEST(ReferenceErrors, VerifierErrorIsInputError) {
  const std::string text =
      "func.func @mm(%a: tensor<2x3xf32>, %b: tensor<4x2xf32>, %c: tensor<2x2xf32>) -> tensor<2x2xf32> {\n"
      "  %r = linalg.matmul ins(%a, %b : tensor<2x3xf32>, tensor<4x2xf32>)\n"
      "                     outs(%c : tensor<2x2xf32>) -> tensor<2x2xf32>\n"
      "  return %r : tensor<2x2xf32>\n"
      "}\n";
  std::string msg = inputErrorOf([&] { kc::MlirReference::load(text, "shapes.mlir"); });
  EXPECT_EQ(msg.rfind("shapes.mlir:2:", 0), 0u) << msg;
  EXPECT_NE(msg.find("linalg.matmul"), std::string::npos) << msg;
}

TEST(ReferenceErrors, DynamicShapeIsInputError) {
  // Parses and verifies, but a dynamic shape cannot be run (checked before lowering).
  const std::string text =
      "func.func @f(%x: tensor<?xf32>) -> tensor<?xf32> {\n"
      "  return %x : tensor<?xf32>\n"
      "}\n";
  auto ref = kc::MlirReference::load(text, "dyn.mlir");
  EXPECT_EQ(ref.inputs("f")[0].shape, (std::vector<int64_t>{-1}));
  EXPECT_THROW(ref.run("f", {{1.0f}}), kc::InputError);
}

TEST(ReferenceErrors, WrongInputsAreInputErrors) {
  auto ref = loadData("matmul.mlir");
  EXPECT_THROW(ref.run("matmul", {{1, 2, 3, 4, 5, 6}}), kc::InputError);
  EXPECT_THROW(ref.run("matmul", {{1, 2, 3, 4, 5}, {7, 8, 9, 10, 11, 12}}), kc::InputError);
  EXPECT_THROW(ref.run("nope", {}), kc::InputError);
}

}  // namespace
