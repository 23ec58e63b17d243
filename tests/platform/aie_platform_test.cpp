// The AMD NPU platform (amd_npu over sim/aie, ISA folder isa/aie/): presets, assembly
// diagnostics, runs with poison and writable DDR ranges, the layout contract, docs, and the
// examples of isa/aie/examples run through the Platform interface.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "aie/bf16.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/platform/aie_platform.h"
#include "kernelcraft/platform/registry.h"

namespace kc {
namespace {

const AiePlatform& aie() {
  static const AiePlatform platform(KC_SOURCE_DIR);
  return platform;
}

std::string read_example(const std::string& name) {
  std::ifstream in(std::string(KC_SOURCE_DIR) + "/isa/aie/examples/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::shared_ptr<const AssembledProgram> assemble_ok(const std::string& source, const std::string& preset = "aie_ml") {
  const AssembleResult r = aie().assemble(source, preset);
  EXPECT_TRUE(r.ok()) << (r.diagnostics.empty() ? "" : r.diagnostics[0].message);
  return r.program;
}

std::vector<double> sample(std::size_t n, double scale, int salt) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i] = aie::round_to_bf16(static_cast<float>(scale * std::sin(0.37 * static_cast<double>(i) + salt)));
  return v;
}

std::shared_ptr<const TaskSpec> task(const std::string& name) {
  static const auto suite = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  return find_task(suite, name);
}

TEST(AiePlatform, IsABuiltInPlatformWithBothPresets) {
  const auto names = builtin_platform_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "amd_npu"), names.end());
  auto platform = make_platform("amd_npu", KC_SOURCE_DIR);
  EXPECT_EQ(platform->name(), "amd_npu");
  EXPECT_EQ(platform->default_preset(), "aie_ml");
  EXPECT_EQ(platform->preset_names(), (std::vector<std::string>{"aie_ml", "aie_ml_small"}));
  EXPECT_NE(platform->describe_preset("aie_ml_small").find("32768"), std::string::npos);
  EXPECT_THROW(platform->describe_preset("aie_xl"), InputError);
  const PeakRates peak = platform->peak_rates("aie_ml");
  EXPECT_EQ(peak.matrix_flops_per_cycle, 256);
  EXPECT_EQ(peak.vector_flops_per_cycle, 32);
  EXPECT_EQ(peak.offchip_bytes_per_cycle, 8);
}

TEST(AiePlatform, AssemblyDiagnosticsNameLineColumnAndHint) {
  const AssembleResult r = aie().assemble("    movi r0, 1\n    vaddd.bf16 x0, x1, x2\n    done\n", "aie_ml");
  ASSERT_FALSE(r.ok());
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics[0].severity, "error");
  EXPECT_EQ(r.diagnostics[0].line, 2u);
  EXPECT_GT(r.diagnostics[0].column, 0u);
  EXPECT_NE(r.diagnostics[0].message.find("vaddd.bf16"), std::string::npos) << r.diagnostics[0].message;
  std::string big;
  for (int i = 0; i < 1100; ++i) big += "    nop\n";
  const AssembleResult too_big = aie().assemble(big + "    done\n", "aie_ml");
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.diagnostics[0].message.rfind(kProgramTooLarge, 0), 0u) << too_big.diagnostics[0].message;
  EXPECT_TRUE(aie().assemble(big.substr(0, 8 * 500) + "    done\n", "aie_ml").ok());
  EXPECT_FALSE(aie().assemble(big.substr(0, 8 * 600) + "    done\n", "aie_ml_small").ok());  // 512 bundles
}

TEST(AiePlatform, RunsTheVaddExampleThroughDdrWithPoisonAndWritableRanges) {
  auto program = assemble_ok(read_example("vadd_bf16.s"));
  ASSERT_TRUE(program);
  EXPECT_GT(program->instruction_classes().at("load"), 0u);
  EXPECT_NE(program->listing().find("vadd.bf16"), std::string::npos);
  const auto a = sample(1024, 3.0, 1), b = sample(1024, 2.0, 2);
  MemoryImage image{{{"ddr", 0x0000, "bf16", 0, a}, {"ddr", 0x1000, "bf16", 0, b}}};
  RunLimits limits;
  limits.poison_seed = 42;
  limits.writable_offchip = {{"ddr", 0x2000, 0x2000 + 2048}};
  const SimReport r = aie().run(*program, "aie_ml", image, {{"ddr", 0x2000, 1024, "bf16", 0}}, limits);
  ASSERT_TRUE(r.ok()) << r.trap->kind << ": " << r.trap->message;
  EXPECT_TRUE(r.stopped_by_break);
  EXPECT_GT(r.cycles, 1024u);
  EXPECT_GT(r.counters.at("ddr_bytes_written"), 0u);
  ASSERT_EQ(r.dumped.segments.size(), 1u);
  for (std::size_t i = 0; i < 1024; ++i)
    ASSERT_EQ(r.dumped.segments[0].values[i], aie::round_to_bf16(static_cast<float>(a[i] + b[i]))) << i;

  // Only the bytes before C writable: the example's write-back traps, naming DDR and the address.
  limits.writable_offchip = {{"ddr", 0x3000, 0x4000}};
  const SimReport blocked = aie().run(*program, "aie_ml", image, {}, limits);
  ASSERT_TRUE(blocked.trap.has_value());
  EXPECT_EQ(blocked.trap->kind, "write_protected");
  EXPECT_EQ(blocked.trap->memory, "ddr");
  EXPECT_EQ(blocked.trap->address, 0x2000u);

  // Unwritten DDR reads back as the seed's poison (large bf16), not zeros; without a seed, zeros.
  const SimReport poisoned = aie().run(*program, "aie_ml", image, {{"ddr", 0x8000, 4, "bf16", 0}}, RunLimits{{}, {}, {}, 7});
  EXPECT_GE(std::fabs(poisoned.dumped.segments[0].values[0]), 1024.0);
  const SimReport zeroed = aie().run(*program, "aie_ml", image, {{"ddr", 0x8000, 4, "bf16", 0}}, RunLimits{});
  EXPECT_EQ(zeroed.dumped.segments[0].values[0], 0.0);
}

TEST(AiePlatform, RunsTheGemmAndReluExamples) {
  auto gemm = assemble_ok(read_example("gemm_bf16.s"));
  ASSERT_TRUE(gemm);
  const int m = 16, k = 64, n = 32;
  const auto a = sample(m * k, 1.0, 3), b = sample(k * n, 1.0, 4);
  RunLimits limits;
  limits.poison_seed = 3;
  const SimReport r = aie().run(*gemm, "aie_ml", {{{"ddr", 0x0000, "bf16", 0, a}, {"ddr", 0x1000, "bf16", 0, b}}},
                                {{"ddr", 0x2000, static_cast<uint64_t>(m * n), "bf16", 0}}, limits);
  ASSERT_TRUE(r.ok()) << r.trap->kind << ": " << r.trap->message;
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      double want = 0;
      for (int q = 0; q < k; ++q) want += a[i * k + q] * b[q * n + j];
      EXPECT_NEAR(r.dumped.segments[0].values[i * n + j], want, 0.02 * (1 + std::fabs(want))) << i << "," << j;
    }
  auto relu = assemble_ok(read_example("relu_i8.s"));
  ASSERT_TRUE(relu);
  const SimReport rr = aie().run(*relu, "aie_ml", {}, {}, limits);
  EXPECT_TRUE(rr.ok()) << rr.trap->kind << ": " << rr.trap->message;
}

TEST(AiePlatform, TrapsCarryKindLineAndMessage) {
  auto program = assemble_ok("    movi p0, 0x10000\n    vldx x0, [p0]\n    done\n");
  ASSERT_TRUE(program);
  const SimReport r = aie().run(*program, "aie_ml", {}, {}, RunLimits{});
  ASSERT_TRUE(r.trap.has_value());
  EXPECT_EQ(r.trap->kind, "address_out_of_range");
  EXPECT_EQ(r.trap->line, 2u);
  EXPECT_FALSE(r.trap->message.empty());
  EXPECT_THROW(aie().run(*program, "aie_ml", {{{"sram", 0, "bf16", 0, {1.0}}}}, {}, RunLimits{}), InputError);
  EXPECT_THROW(aie().run(*program, "aie_ml", {{{"ddr", 0, "mxfp8", 0, {1.0}}}}, {}, RunLimits{}), InputError);
  EXPECT_THROW(aie().run(*program, "aie_ml", {{{"dm", 65534, "bf16", 0, {1.0, 2.0}}}}, {}, RunLimits{}), InputError);
}

TEST(AieLayout, PlacesBf16TensorsInDdrInTaskOrderWithScratch) {
  const TaskInstance instance = bind_task(task("layer_norm"), "C3", "amd_npu");
  const WorkloadLayout layout = aie().layout(instance, "aie_ml");
  ASSERT_EQ(layout.tensors.size(), 4u);
  uint64_t previous_end = 0;
  for (const TensorPlacement& p : layout.tensors) {
    EXPECT_EQ(p.memory, "ddr");
    EXPECT_EQ(p.encoding, "bf16");
    EXPECT_EQ(p.address % 256, 0u) << p.tensor;
    EXPECT_GE(p.address, previous_end);
    previous_end = p.address + 2 * p.elements();
    EXPECT_NE(layout.description.find(p.tensor + "_DDR"), std::string::npos);
  }
  EXPECT_EQ(layout.tensors[0].tensor, "x");
  EXPECT_EQ(layout.tensors[3].tensor, "y");
  EXPECT_EQ(layout.offchip_input_bytes, 2u * (32 * 512 + 512 + 512));
  const uint64_t scratch = layout.setting("scratch_address");
  EXPECT_EQ(scratch % 4096, 0u);
  EXPECT_GE(scratch, previous_end);
  ASSERT_EQ(layout.writable.size(), 2u);  // y, scratch
  EXPECT_EQ(layout.writable[0].begin, layout.placement("y").address);
  EXPECT_EQ(layout.writable[1].begin, scratch);
  EXPECT_EQ(layout.writable[1].end, 16u << 20);
  EXPECT_NE(layout.description.find("address + 2 * (i * 512 + j)"), std::string::npos);
  EXPECT_NE(layout.description.find("write_protected"), std::string::npos);
  EXPECT_NE(layout.description.find("0x3728"), std::string::npos) << layout.description;  // eps = 1e-5 in bf16
  EXPECT_NE(layout.description.find(".equ D, 512"), std::string::npos);

  const auto stored = aie().stored_values(layout.tensors[0], {1.0f, 1.00390625f, 3.14159f});
  EXPECT_EQ(stored, (std::vector<float>{1.0f, 1.0f, 3.140625f}));
}

TEST(AieLayout, AConfigurationTheDdrCannotHoldIsAnInputErrorNamingSizes) {
  const TaskInstance instance = bind_task(task("gemm"), "C5", "amd_npu");  // 1.75 MiB of tensors
  EXPECT_NO_THROW(aie().layout(instance, "aie_ml"));
  try {
    aie().layout(instance, "aie_ml_small");  // 1 MiB DDR
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("aie_ml_small"), std::string::npos) << what;
    EXPECT_NE(what.find("1048576"), std::string::npos) << what;
    EXPECT_NE(what.find("M=256"), std::string::npos) << what;
  }
}

TEST(AieDocs, LoadsEveryIsaPageWithTitles) {
  const auto docs = aie().docs();
  ASSERT_EQ(docs.size(), 11u);
  EXPECT_EQ(docs.front().id, "00-overview");
  EXPECT_EQ(docs.back().id, "10-examples");
  for (const DocSection& d : docs) {
    EXPECT_FALSE(d.title.empty()) << d.id;
    EXPECT_FALSE(d.text.empty()) << d.id;
  }
}

}  // namespace
}  // namespace kc
