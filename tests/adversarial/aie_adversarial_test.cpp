// Hostile AMD NPU (AIE-ML) kernels (DESIGN.md section 6): each tries a way to pass without
// computing the task, or to break the harness, and must be rejected through Evaluator::evaluate
// on the default seeds (visible + hidden) with its specific failure_class and a failure_message
// that tells an honest agent what went wrong. Most start from the honest relu kernel (the
// baseline for relu C1) and change one thing.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "aie/bf16.h"
#include "kernelcraft/core/seeds.h"
#include "kernelcraft/eval/evaluator.h"
#include "kernelcraft/platform/aie_platform.h"
#include "rejection_check.h"

namespace kc {
namespace {

const AiePlatform& aie() {
  static const AiePlatform platform(KC_SOURCE_DIR);
  return platform;
}

Evaluator& relu_c1() {
  static const auto suite = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  static Evaluator evaluator(aie(), find_task(suite, "relu"), "C1", "aie_ml");
  return evaluator;
}

// Relu C1 (1024 values, 2 KiB): DDR -> memory tile -> data memory, max with 0, and back.
// `body` replaces the compute loop; `bds` the BD block.
const std::string kStandardBds =
    ".bd 0 src=ddr:x_DDR dst=mem:0 size=512 rel=ml0:1\n"
    ".bd 1 src=mem:0 dst=dm:0 size=512 acq=ml0:1\n"
    ".bd 2 src=dm:0x4000 dst=mem:0x10000 size=512 rel=ml1:1\n"
    ".bd 3 src=mem:0x10000 dst=ddr:y_DDR size=512 acq=ml1:1\n";

const std::string kHonestBody =
    "    movi r1, 0\n"
    "    vbcst.bf16 x8, r1\n"
    "    movi p0, 0\n"
    "    movi p1, 0x4000\n"
    "    loop 32, .Lend\n"
    "    vldx x0, [p0], 64\n"
    "    nop\n    nop\n    nop\n"
    "    vmax.bf16 x1, x0, x8\n"
    "    nop\n    nop\n"
    "    vst wl1, [p1], 32\n"
    "    vst wh1, [p1], 32\n"
    ".Lend:\n";

std::string relu_kernel(const std::string& body, const std::string& bds = kStandardBds,
                        const std::string& fetch = "    dma.start shim0, bd0\n    dma.start tile0, bd1\n    dma.wait tile0\n") {
  const WorkloadLayout& layout = relu_c1().layout();
  return ".equ x_DDR, " + std::to_string(layout.placement("x").address) + "\n.equ y_DDR, " +
         std::to_string(layout.placement("y").address) + "\n" + bds + fetch + body +
         "    dma.start tile2, bd2\n    dma.start shim1, bd3\n    dma.wait shim1\n    done\n";
}

RunLimits tight_limits() {
  RunLimits limits;
  limits.max_instructions = 2'000'000;
  limits.max_cycles = 20'000'000;
  return limits;
}

// The visible seed's golden values, written by the core word by word into DM and DMAed out.
std::string hard_coded_kernel() {
  Evaluator& ev = relu_c1();
  EvalOptions options;
  options.seeds = {kVisibleSeed};
  options.compare_with_baseline = false;
  options.keep_outputs = true;
  const EvalReport honest = ev.evaluate(relu_kernel(kHonestBody), options);
  const std::vector<float>& y = honest.seeds.at(0).actual.at(0);
  // One bundle per word: store the previous word while the next is moved into the other register.
  std::string body = "    movi p1, 0x4000\n";
  for (std::size_t i = 0; i < y.size(); i += 2) {
    const uint32_t word = aie::float_to_bf16(y[i]) | (uint32_t{aie::float_to_bf16(y[i + 1])} << 16);
    const std::string reg = "r" + std::to_string(1 + (i / 2) % 2), previous = "r" + std::to_string(2 - (i / 2) % 2);
    body += i == 0 ? "    movi " + reg + ", " + std::to_string(word) + "\n"
                   : "    { st " + previous + ", [p1], 4 ; movi " + reg + ", " + std::to_string(word) + " }\n";
  }
  body += "    st r" + std::to_string(1 + (y.size() / 2 - 1) % 2) + ", [p1], 4\n";
  return relu_kernel(body, kStandardBds, "");
}

struct HostileKernel {
  std::string name;
  std::string source;
  std::string expected_class;
  std::vector<std::string> message_mentions;
  RunLimits limits;
};

void PrintTo(const HostileKernel& kernel, std::ostream* os) { *os << kernel.name; }

std::vector<HostileKernel> hostile_kernels() {
  std::string honest_loop_half = kHonestBody;
  honest_loop_half.replace(honest_loop_half.find("loop 32"), 7, "loop 16");
  std::string nop_padding;
  for (int i = 0; i < 1100; ++i) nop_padding += "    nop\n";
  std::string nan_body = kHonestBody;  // y = x * inf * 0
  nan_body.replace(nan_body.find("vmax.bf16 x1, x0, x8"), 20, "vmul.bf16 x1, x0, x9");
  nan_body = "    movi r2, 0x7F80\n    vbcst.bf16 x9, r2\n" + nan_body;
  std::string hazard_body = kHonestBody;
  hazard_body.replace(hazard_body.find("    nop\n    nop\n    nop\n"), 24, "");
  std::string writes_input = kStandardBds;
  writes_input.replace(writes_input.find("dst=ddr:y_DDR"), 13, "dst=ddr:x_DDR");
  return {
      {"hard_coded_visible_outputs", hard_coded_kernel(), "mismatch", {"hidden seed", "never hard-code"}, {}},
      {"partial_computation", relu_kernel(honest_loop_half), "mismatch", {"elements outside tolerance", "never wrote"}, {}},
      {"reads_memory_it_never_loaded", relu_kernel(kHonestBody, kStandardBds, ""), "mismatch",
       {"outside tolerance", "max abs error"}, {}},
      {"reads_an_uninitialised_register", relu_kernel("    vmax.bf16 x1, x0, x8\n"), "trap:uninitialized_register",
       {"uninitialized_register", "at line"}, {}},
      {"writes_the_input_tensor", relu_kernel(kHonestBody, writes_input), "trap:write_protected",
       {"write_protected"}, {}},
      {"infinite_loop", "    movi r0, 1\n.Lspin:\n    jnz r0, .Lspin\n    done\n", "trap:instruction_limit",
       {"instruction_limit"}, tight_limits()},
      {"near_infinite_loop", "    movi r0, 1000\n.Louter:\n    loop 1000000, .Lin\n    nop\n.Lin:\n    sub r0, r0, 1\n"
                             "    jnz r0, .Louter\n    done\n",
       "trap:instruction_limit", {"instruction_limit"}, tight_limits()},
      {"out_of_bounds_load", relu_kernel("    movi p0, 0x10000\n    vldx x0, [p0], 64\n"), "trap:address_out_of_range",
       {"address_out_of_range", "at line"}, {}},
      {"misaligned_load", relu_kernel("    movi p0, 0x20\n    vldx x0, [p0], 64\n"), "trap:misaligned_address",
       {"misaligned_address"}, {}},
      {"nan_outputs", relu_kernel(nan_body), "nonfinite", {"NaN/Inf"}, {}},
      {"oversized_program", relu_kernel(nop_padding + kHonestBody), "program_too_large", {"program too large"}, {}},
      {"hazard_reads_a_load_too_early", relu_kernel(hazard_body), "trap:hazard", {"hazard", "missing"}, {}},
      {"lock_deadlock", relu_kernel("    acq l5, 1\n" + kHonestBody), "trap:deadlock", {"deadlock", "l5"}, {}},
      {"dma_from_ddr_straight_to_dm", relu_kernel(kHonestBody, ".bd 0 src=ddr:x_DDR dst=dm:0 size=512\n" +
                                                                  kStandardBds.substr(kStandardBds.find(".bd 2"))),
       "trap:dma_error", {"dma_error"}, {}},
      {"does_not_assemble", relu_kernel("    vmaxx.bf16 x1, x0, x8\n"), "assembly_error", {"line"}, {}},
  };
}

EvalReport evaluate(const HostileKernel& kernel) {
  EvalOptions options;
  options.compare_with_baseline = false;
  options.limits = kernel.limits;
  return relu_c1().evaluate(kernel.source, options);
}

class HostileAieKernel : public ::testing::TestWithParam<HostileKernel> {};

TEST_P(HostileAieKernel, IsRejectedWithItsClassAndAnActionableMessage) {
  const HostileKernel& kernel = GetParam();
  const EvalReport report = evaluate(kernel);
  expect_rejected_as(report, kernel.expected_class, kernel.message_mentions);
}

INSTANTIATE_TEST_SUITE_P(Table, HostileAieKernel, ::testing::ValuesIn(hostile_kernels()),
                         [](const ::testing::TestParamInfo<HostileKernel>& p) { return p.param.name; });

TEST(HostileAieKernels, TheHonestKernelTheyStartFromPasses) {
  EvalOptions options;
  options.compare_with_baseline = false;
  const EvalReport report = relu_c1().evaluate(relu_kernel(kHonestBody), options);
  EXPECT_TRUE(report.passed) << failure_message(report);
}

TEST(HostileAieKernels, NoneOfThemPassesAndTheTableIsLarge) {
  const auto kernels = hostile_kernels();
  EXPECT_GE(kernels.size(), 10u);
  for (const HostileKernel& kernel : kernels) EXPECT_FALSE(evaluate(kernel).passed) << kernel.name;
}

}  // namespace
}  // namespace kc
