// The Coral NPU platform: presets, the layout contract, assembling and running kernels through
// the Platform interface (images in, regions out, traps mapped to source lines, poison).
#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/platform/coral_platform.h"
#include "kernelcraft/platform/registry.h"

namespace kc {
namespace {

const CoralPlatform& coral() {
  static const CoralPlatform platform(KC_SOURCE_DIR);
  return platform;
}

std::shared_ptr<const TaskSpec> task(const std::string& name) {
  static const auto suite = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  return find_task(suite, name);
}

std::shared_ptr<const AssembledProgram> assemble_ok(const std::string& source, const std::string& preset = "coral") {
  AssembleResult result = coral().assemble(source, preset);
  std::string errors;
  for (const auto& d : result.diagnostics) errors += std::to_string(d.line) + ": " + d.message + "\n";
  EXPECT_TRUE(result.ok()) << errors;
  return result.program;
}

TEST(CoralPlatform, IsABuiltInPlatformWithBothPresets) {
  const auto names = builtin_platform_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "coral_npu"), names.end());
  EXPECT_EQ(coral().name(), "coral_npu");
  const auto presets = coral().preset_names();
  EXPECT_NE(std::find(presets.begin(), presets.end(), "coral"), presets.end());
  EXPECT_NE(std::find(presets.begin(), presets.end(), "coral_small"), presets.end());
  EXPECT_EQ(coral().config("coral_small").itcm_bytes, 8u * 1024);
  EXPECT_EQ(coral().config("coral_small").dtcm_bytes, 32u * 1024);
  const auto described = nlohmann::json::parse(coral().describe_preset("coral"));
  EXPECT_EQ(described.at("vector").at("vlen_bits"), 128);
  EXPECT_EQ(described.at("memory").at("itcm_bytes"), 64 * 1024);
  // The description is a preset file: it reads back to the same configuration.
  const std::string small = coral().describe_preset("coral_small");
  EXPECT_EQ(coral::to_json(coral::load_config(small, "described")), small);
  try {
    coral().config("huge");
    FAIL() << "an unknown preset must be refused";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("coral_small"), std::string::npos) << e.what();
  }
}

TEST(CoralLayout, PlacesTensorsInOrderAlignedAndOnlyOutputsAndScratchWritable) {
  const TaskInstance instance = bind_task(task("gemm"), "C2", "coral_npu");
  const WorkloadLayout layout = coral().layout(instance, "coral");
  ASSERT_EQ(layout.tensors.size(), instance.tensors.size());
  uint64_t previous_end = 0x20000000;
  for (const TensorPlacement& p : layout.tensors) {
    EXPECT_EQ(p.memory, "ext");
    EXPECT_EQ(p.address % 64, 0u) << p.tensor;
    EXPECT_GE(p.address, previous_end) << p.tensor << " overlaps the previous tensor";
    previous_end = p.address + 4 * static_cast<uint64_t>(p.elements());
    EXPECT_NE(layout.description.find(hex_address(p.address)), std::string::npos) << p.tensor;
  }
  const auto writable = [&](uint64_t address) {
    return std::any_of(layout.writable.begin(), layout.writable.end(),
                       [&](const MemoryRange& r) { return address >= r.begin && address < r.end; });
  };
  for (const TensorPlacement& p : layout.tensors) EXPECT_EQ(writable(p.address), p.role == TensorRole::Output) << p.tensor;
  EXPECT_TRUE(writable(layout.setting("scratch_address")));
  EXPECT_GE(layout.setting("scratch_address"), previous_end);
  EXPECT_EQ(layout.offchip_input_bytes, 4u * (instance.tensor("A").elements + instance.tensor("B").elements));
}

TEST(CoralLayout, ListsConstantsWithTheirFloatBits) {
  const TaskInstance instance = bind_task(task("layer_norm"), "C1", "coral_npu");
  ASSERT_FALSE(instance.constants.empty());
  const WorkloadLayout layout = coral().layout(instance, "coral");
  for (const auto& [name, value] : instance.constants)
    EXPECT_NE(layout.description.find("| " + name + " |"), std::string::npos) << name;
  EXPECT_TRUE(layout.constants.empty()) << "Coral preloads no constants";
}

TEST(CoralLayout, StoresFloat32Exactly) {
  const TaskInstance instance = bind_task(task("relu"), "C1", "coral_npu");
  const WorkloadLayout layout = coral().layout(instance, "coral");
  const std::vector<float> values = {1.0f / 3.0f, -2.5e-7f, 12345.678f};
  EXPECT_EQ(coral().stored_values(layout.tensors[0], values), values);
}

// y[i] = 2 * x[i] for 8 floats, with RVV; then a scalar store into the input (not writable).
const char* const kDoubleKernel = R"(    .text
    .globl _start
_start:
    li a0, 0x20000000
    li a1, 0x20000040
    li t0, 8
    vsetvli t1, t0, e32, m2, ta, ma
    vle32.v v2, (a0)
    vfadd.vv v2, v2, v2
    vse32.v v2, (a1)
    ebreak
)";

MemoryImage eight_inputs() {
  MemorySegment in{"ext", 0x20000000, "f32", 0, {1, -2, 3.5, 0.25, 100, -0.5, 7, 8}};
  return MemoryImage{{in}};
}

RunLimits writable_output() {
  RunLimits limits;
  limits.writable_offchip = {{"ext", 0x20000040, 0x20000060}};
  return limits;
}

TEST(CoralPlatformRun, LoadsTheImageRunsAndDumpsRegions) {
  const auto program = assemble_ok(kDoubleKernel);
  ASSERT_TRUE(program);
  const SimReport report =
      coral().run(*program, "coral", eight_inputs(), {{"ext", 0x20000040, 8, "f32", 0}}, writable_output());
  ASSERT_TRUE(report.ok()) << report.trap->kind << ": " << report.trap->message;
  EXPECT_TRUE(report.stopped_by_break);
  ASSERT_EQ(report.dumped.segments.size(), 1u);
  EXPECT_EQ(report.dumped.segments[0].values, (std::vector<double>{2, -4, 7, 0.5, 200, -1, 14, 16}));
  EXPECT_GT(report.cycles, 0u);
  EXPECT_EQ(report.instructions, 9u);  // li expands to lui + addi for the second address
  const auto classes = program->instruction_classes();
  EXPECT_EQ(classes.at("vector_load"), 1u);
  EXPECT_EQ(classes.at("vector_store"), 1u);
  EXPECT_EQ(classes.at("total"), program->instruction_count());
  EXPECT_NE(program->listing().find("vfadd.vv"), std::string::npos);
  EXPECT_EQ(program->machine_code().substr(0, 4), "\x7f" "ELF");
}

TEST(CoralPlatformRun, AWriteOutsideTheWritableRangesTrapsOnItsSourceLine) {
  std::string kernel = kDoubleKernel;
  kernel.replace(kernel.find("    vse32.v v2, (a1)"), 20, "    vse32.v v2, (a0)");  // line 10: into the input
  const auto program = assemble_ok(kernel);
  ASSERT_TRUE(program);
  const SimReport report = coral().run(*program, "coral", eight_inputs(), {}, writable_output());
  ASSERT_TRUE(report.trap.has_value());
  EXPECT_EQ(report.trap->kind, "write_protected");
  EXPECT_EQ(report.trap->line, 10u);
  EXPECT_EQ(report.trap->memory, "ext");
  EXPECT_EQ(report.trap->address, 0x20000000u);
}

TEST(CoralPlatformRun, NoWritableRangesMeansNoRestrictionAsThePlatformContractSays) {
  std::string kernel = kDoubleKernel;
  kernel.replace(kernel.find("    vse32.v v2, (a1)"), 20, "    vse32.v v2, (a0)");
  const auto program = assemble_ok(kernel);
  ASSERT_TRUE(program);
  const SimReport report = coral().run(*program, "coral", eight_inputs(), {{"ext", 0x20000000, 2, "f32", 0}}, {});
  ASSERT_TRUE(report.ok()) << report.trap->message;
  EXPECT_EQ(report.dumped.segments.at(0).values, (std::vector<double>{2, -4}));
}

TEST(CoralPlatformRun, UnwrittenMemoryHoldsTheSeedsPoison) {
  // Copies 4 words of DTCM that nothing wrote to the output.
  const auto program = assemble_ok(R"(    li a0, 0x00020000
    li a1, 0x20000040
    vsetivli t0, 4, e32, m1, ta, ma
    vle32.v v1, (a0)
    vse32.v v1, (a1)
    ebreak
)");
  ASSERT_TRUE(program);
  const auto dump_with = [&](std::optional<uint64_t> seed) {
    RunLimits limits = writable_output();
    limits.poison_seed = seed;
    const SimReport report = coral().run(*program, "coral", {}, {{"ext", 0x20000040, 4, "f32", 0}}, limits);
    EXPECT_TRUE(report.ok());
    return report.dumped.segments.at(0).values;
  };
  EXPECT_EQ(dump_with(std::nullopt), (std::vector<double>(4, 0.0)));
  const auto first = dump_with(1), again = dump_with(1), other = dump_with(2);
  EXPECT_NE(first, std::vector<double>(4, 0.0));
  EXPECT_EQ(first.size(), again.size());
  for (std::size_t i = 0; i < first.size(); ++i)
    if (!std::isnan(first[i])) {
      EXPECT_EQ(first[i], again[i]);
    }
  EXPECT_NE(nlohmann::json(first).dump(), nlohmann::json(other).dump());
}

TEST(CoralPlatformAssemble, ErrorsNameTheLineAndOversizedSourcesAreTooLarge) {
  const AssembleResult bad = coral().assemble("    li a0, 1\n    vfrobnicate v1, v2\n    ebreak\n", "coral");
  ASSERT_FALSE(bad.ok());
  ASSERT_FALSE(bad.diagnostics.empty());
  EXPECT_EQ(bad.diagnostics[0].severity, "error");
  EXPECT_EQ(bad.diagnostics[0].line, 2u);
  const AssembleResult huge = coral().assemble(std::string(5u << 20, '\n'), "coral");
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.diagnostics.at(0).message.rfind(kProgramTooLarge, 0), 0u);
}

TEST(CoralPlatformRun, RefusesImagesOutsideItsMemories) {
  const auto program = assemble_ok("    ebreak\n");
  ASSERT_TRUE(program);
  MemoryImage outside{{MemorySegment{"ext", 0x10000000, "f32", 0, {1}}}};
  EXPECT_THROW(coral().run(*program, "coral", outside, {}, {}), InputError);
  MemoryImage unknown{{MemorySegment{"hbm", 0, "f32", 0, {1}}}};
  EXPECT_THROW(coral().run(*program, "coral", unknown, {}, {}), InputError);
  MemoryImage mxfp8{{MemorySegment{"ext", 0x20000000, "mxfp8", 0, {1}}}};
  EXPECT_THROW(coral().run(*program, "coral", mxfp8, {}, {}), InputError);
}

TEST(CoralPlatform, DocsAreTheIsaPagesInOrder) {
  const auto docs = coral().docs();
  ASSERT_GE(docs.size(), 6u);
  EXPECT_EQ(docs.front().id, "00-overview");
  for (const DocSection& section : docs) {
    EXPECT_FALSE(section.title.empty()) << section.id;
    EXPECT_GT(section.text.size(), 200u) << section.id;
  }
}

}  // namespace
}  // namespace kc
