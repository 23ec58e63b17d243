// Hostile PLENA kernels (DESIGN.md section 6): each one tries a way to pass without computing
// the task, or to break the harness, and must be rejected through Evaluator::evaluate on the
// default seeds (visible + hidden) with a specific failure_class and a failure_message that
// tells an honest agent what went wrong. The last test checks that none of them passes.
#include <unistd.h>

#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kernelcraft/core/seeds.h"
#include "kernelcraft/eval/evaluator.h"
#include "rejection_check.h"
#include "kernelcraft/platform/plena_platform.h"
#include "plena/machine_state.h"
#include "plena/numerics.h"
#include "plena/poison.h"

namespace kc {
namespace {

const PlenaPlatform& plena() {
  static const PlenaPlatform platform(KC_SOURCE_DIR);
  return platform;
}

std::shared_ptr<const TaskSpec> suite_task(const std::string& name) {
  static const auto suite = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  return find_task(suite, name);
}

std::string num(int64_t value) { return std::to_string(value); }

// gpN = value, for any value below 2^32.
std::string set_gp(int reg, uint64_t value) {
  const std::string r = "gp" + num(reg);
  if (value < 131072) return "S_ADDI_INT " + r + ", gp0, " + num(static_cast<int64_t>(value)) + "\n";
  return "S_LUI_INT " + r + ", " + num(static_cast<int64_t>(value >> 12)) + "\nS_ADDI_INT " + r + ", " + r + ", " +
         num(static_cast<int64_t>(value & 4095)) + "\n";
}

uint64_t vlen(const Evaluator& ev) { return plena().config(ev.preset()).vlen; }

const TensorPlacement& first_input(const Evaluator& ev) {
  for (const TensorPlacement& t : ev.layout().tensors)
    if (t.role == TensorRole::Input) return t;
  throw std::logic_error("task without inputs");
}

const TensorPlacement& first_output(const Evaluator& ev) {
  for (const TensorPlacement& t : ev.layout().tensors)
    if (t.role == TensorRole::Output) return t;
  throw std::logic_error("task without outputs");
}

// Rows of Vector SRAM (VLEN elements each) the first output tensor occupies.
uint64_t output_rows(const Evaluator& ev) {
  return static_cast<uint64_t>(first_output(ev).elements()) / vlen(ev);
}

// VLEN of the default preset, for checks that count elements of one row.
uint64_t vlen_of_default() { return plena().config("default").vlen; }

// Loads input x [rows x cols] (HBM, MXFP8) into y's chunked Vector SRAM layout: chunk c of row i
// at y + (c*rows + i)*VLEN. Uses gp1..gp5 and a0; y then holds x, ready for an in-place op.
std::string load_x_into_y(const Evaluator& ev) {
  const TensorPlacement& x = first_input(ev);
  const TensorPlacement& y = first_output(ev);
  const int64_t v = static_cast<int64_t>(vlen(ev)), rows = x.rows, cols = x.cols;
  const int64_t rows_per_prefetch = plena().config(ev.preset()).v_prefetch_rows;
  return set_gp(1, ev.layout().setting("scale_reg")) + "C_SET_SCALE_REG gp1\n" + set_gp(1, x.address) +
         "C_SET_ADDR_REG a0, gp0, gp1\n" + set_gp(1, static_cast<uint64_t>(cols)) + "C_SET_STRIDE_REG gp1\n" +
         set_gp(2, y.address) + "S_ADDI_INT gp3, gp0, 0\n" + "C_LOOP_START gp4, " + num(cols / v) + "\n" +
         "  C_LOOP_START gp5, " + num(rows / rows_per_prefetch) + "\n" + "    H_PREFETCH_V gp2, gp3, a0, 1, 0\n" +
         "    S_ADDI_INT gp2, gp2, " + num(rows_per_prefetch * v) + "\n" + "    S_ADDI_INT gp3, gp3, " +
         num(rows_per_prefetch * cols) + "\n" + "  C_LOOP_END gp5\n" + "  S_ADDI_INT gp3, gp3, " +
         num(v - rows * cols) + "\n" + "C_LOOP_END gp4\n";
}

// `body` once per output row (VLEN elements), with gp6 holding the row's address.
std::string for_each_output_row(const Evaluator& ev, uint64_t rows, const std::string& body) {
  return set_gp(6, first_output(ev).address) + "C_LOOP_START gp7, " + num(static_cast<int64_t>(rows)) + "\n" + body +
         "  S_ADDI_INT gp6, gp6, " + num(static_cast<int64_t>(vlen(ev))) + "\nC_LOOP_END gp7\n";
}

// A correct ReLU (the hostile variants below change one thing about it).
std::string relu_kernel(const Evaluator& ev) {
  return load_x_into_y(ev) + for_each_output_row(ev, output_rows(ev), "  V_MAX_VF gp6, gp6, f0, 0\n");
}

// f2 = `value` (bf16-exact) from nothing but FP SRAM's 1.0: the mantissa bit by bit, then
// powers of two. f1 = 1.0, f6 = 2.0, f7 = 0.5 must be set.
std::string build_fp_constant(float value) {
  if (value == 0.0f) return "S_ADD_FP f2, f0, f0\n";
  int exponent = 0;
  const double fraction = std::frexp(std::fabs(static_cast<double>(value)), &exponent);  // [0.5, 1)
  auto mantissa = static_cast<int64_t>(std::ldexp(fraction, 8));                      // 8 significant bits
  exponent -= 8;
  std::string code = "S_ADD_FP f2, f1, f0\n";  // the leading 1 bit
  for (int bit = 6; bit >= 0; --bit) {
    code += "S_ADD_FP f2, f2, f2\n";
    if ((mantissa >> bit) & 1) code += "S_ADD_FP f2, f2, f1\n";
  }
  for (int i = 0; i < std::abs(exponent); ++i) code += exponent > 0 ? "S_MUL_FP f2, f2, f6\n" : "S_MUL_FP f2, f2, f7\n";
  if (value < 0) code += "S_SUB_FP f2, f0, f2\n";
  return code;
}

// Writes `values` (row-major, the output's shape) into the output region as constants: FP SRAM
// slots 64..64+VLEN stage one row, S_MAP_V_FP copies it. No input is ever read.
std::string hard_coded_output(const Evaluator& ev, const std::vector<float>& values) {
  const TensorPlacement& y = first_output(ev);
  const int64_t v = static_cast<int64_t>(vlen(ev)), rows = y.rows, cols = y.cols;
  std::string code = "S_LD_FP f1, gp0, 1\nS_ADD_FP f6, f1, f1\nS_RECI_FP f7, f6\n";
  for (int64_t chunk = 0; chunk < cols / v; ++chunk)
    for (int64_t i = 0; i < rows; ++i) {
      for (int64_t k = 0; k < v; ++k) {
        const float value = plena::numerics::round_to_bf16(values[static_cast<std::size_t>(i * cols + chunk * v + k)]);
        code += build_fp_constant(value) + "S_ST_FP f2, gp0, " + num(64 + k) + "\n";
      }
      code += set_gp(1, y.address + static_cast<uint64_t>((chunk * rows + i) * v)) + "S_MAP_V_FP gp1, gp0, 64\n";
    }
  return code;
}

struct HostileKernel {
  std::string name;
  std::string task, config;
  std::function<std::string(Evaluator&)> source;
  std::string expected_class;
  std::vector<std::string> message_mentions;  // each must appear in failure_message
  std::function<void(const EvalReport&)> extra_checks = nullptr;
};

std::vector<HostileKernel> hostile_kernels() {
  return {
      {"hard_coded_visible_outputs", "relu", "C1",
       [](Evaluator& ev) { return hard_coded_output(ev, ev.seed_data(kVisibleSeed).golden[0]); },
       "mismatch",
       {"hidden seed", "passes the visible inputs"},
       [](const EvalReport& report) {
         // The point of hidden seeds: this kernel is perfect on the inputs the agent can see.
         ASSERT_FALSE(report.seeds.empty());
         EXPECT_FALSE(report.seeds[0].hidden);
         EXPECT_TRUE(report.seeds[0].passed);
         for (std::size_t i = 1; i < report.seeds.size(); ++i) EXPECT_FALSE(report.seeds[i].passed);
       }},
      {"partial_computation_half_the_rows", "relu", "C1",
       [](Evaluator& ev) {
         return load_x_into_y(ev) + for_each_output_row(ev, output_rows(ev) / 2, "  V_MAX_VF gp6, gp6, f0, 0\n");
       },
       "mismatch",
       {"visible seed 1", "'y'", "elements outside tolerance", "first at ["}},
      {"reads_uninitialised_vector_sram", "relu", "C1",
       [](Evaluator& ev) {
         // Adds a Vector SRAM row nobody wrote: harmless if memory started at zero.
         return relu_kernel(ev) + set_gp(8, ev.layout().setting("vsram_free_address")) +
                for_each_output_row(ev, output_rows(ev), "  V_ADD_VV gp6, gp6, gp8, 0\n");
       },
       "mismatch",
       {"visible seed 1", "never wrote"}},
      {"reads_uninitialised_fp_sram", "relu", "C1",
       [](Evaluator& ev) {
         // FP slot 500 is beyond every preloaded constant.
         return relu_kernel(ev) + "S_LD_FP f3, gp0, 500\n" +
                for_each_output_row(ev, output_rows(ev), "  V_ADD_VF gp6, gp6, f3, 0\n");
       },
       "mismatch",
       {"visible seed 1", "never wrote"}},
      {"overwrites_its_input_in_hbm", "relu", "C1",
       [](Evaluator& ev) { return relu_kernel(ev) + "H_STORE_V gp0, gp0, a0, 0, 0\n"; },
       "trap:write_protected",
       {"visible seed 1", "write_protected", "line "}},
      {"writes_hbm_outside_the_scratch_area", "relu", "C1",
       [](Evaluator& ev) {
         return relu_kernel(ev) + set_gp(1, 32u << 20) + "C_SET_ADDR_REG a1, gp0, gp1\nH_STORE_V gp0, gp0, a1, 0, 0\n";
       },
       "trap:write_protected",
       {"write_protected"}},
      {"infinite_loop", "relu", "C1",
       [](Evaluator&) {
         return std::string("C_LOOP_START gp1, 4194303\n C_LOOP_START gp2, 4194303\n  C_LOOP_START gp3, 4194303\n"
                            "   S_ADDI_INT gp4, gp4, 1\n  C_LOOP_END gp3\n C_LOOP_END gp2\nC_LOOP_END gp1\n");
       },
       "trap:instruction_limit",
       {"instruction_limit", "line "}},
      {"near_infinite_loop_of_slow_instructions", "relu", "C1",
       [](Evaluator&) {
         // Finite nests, but 2^22 x 64 x 8 copies of S_MAP_V_FP (VLEN cycles each) run for
         // ~10^12 cycles: the cycle limit comes long before the instruction limit.
         std::string body;
         for (int i = 0; i < 8; ++i) body += "  S_MAP_V_FP gp5, gp0, 0\n";
         return "S_LUI_INT gp5, 16\nC_LOOP_START gp1, 4194303\n C_LOOP_START gp2, 64\n" + body +
                " C_LOOP_END gp2\nC_LOOP_END gp1\n";
       },
       "trap:cycle_limit",
       {"cycle_limit"}},
      {"vector_sram_address_out_of_range", "relu", "C1",
       [](Evaluator& ev) {
         return relu_kernel(ev) + set_gp(1, plena().config(ev.preset()).vector_sram_elems) + "V_ADD_VV gp6, gp1, gp1, 0\n";
       },
       "trap:address_out_of_range",
       {"address_out_of_range", "line "}},
      {"misaligned_vector_address", "relu", "C1",
       [](Evaluator& ev) { return relu_kernel(ev) + "S_ADDI_INT gp1, gp0, 3\nV_MAX_VF gp1, gp1, f0, 0\n"; },
       "trap:misaligned_address",
       {"misaligned_address"}},
      {"misaligned_hbm_store", "relu", "C1",
       [](Evaluator& ev) {
         return relu_kernel(ev) + set_gp(1, ev.layout().setting("scratch_hbm_address")) +
                "C_SET_ADDR_REG a1, gp0, gp1\nS_ADDI_INT gp2, gp0, 3\nH_STORE_V gp0, gp2, a1, 0, 0\n";
       },
       "trap:misaligned_address",
       {"misaligned_address"}},
      {"nan_in_one_row", "relu", "C1",
       [](Evaluator& ev) {
         // -inf * 0 = NaN, added to one row of a correct result. A checker testing
         // "|a - g| > tol" would let NaN through; this one must not.
         return relu_kernel(ev) + "S_LD_FP f2, gp0, 2\nS_MUL_FP f3, f2, f0\n" + set_gp(1, first_output(ev).address) +
                "V_ADD_VF gp1, gp1, f3, 0\n";
       },
       "nonfinite",
       {"NaN/Inf", "'y'", "finite"},
       [](const EvalReport& report) {
         EXPECT_EQ(report.seeds[0].outputs[0].nonfinite, static_cast<int64_t>(vlen_of_default()));
       }},
      {"infinity_everywhere", "relu", "C1",
       [](Evaluator& ev) {
         // 0 - (-inf) = +inf: every output becomes +inf.
         return relu_kernel(ev) + "S_LD_FP f2, gp0, 2\nS_SUB_FP f3, f0, f2\n" +
                for_each_output_row(ev, output_rows(ev), "  V_ADD_VF gp6, gp6, f3, 0\n");
       },
       "nonfinite",
       {"NaN/Inf", "1024"}},
      {"softmax_all_zero_outputs", "softmax", "C5",
       [](Evaluator& ev) {
         // Softmax rows of 2048 columns average ~5e-4: zero is within a fixed 0.02 of every one.
         return for_each_output_row(ev, output_rows(ev), "  V_MUL_VF gp6, gp6, f0, 0\n");
       },
       "mismatch",
       {"'y'", "elements outside tolerance", "expected "}},
      {"oversized_program", "relu", "C1",
       [](Evaluator&) {
         std::string source;
         const std::string line = "S_ADDI_INT gp1, gp1, 1\n";
         while (source.size() <= (5u << 20)) source += line;
         return source;
       },
       "program_too_large",
       {"program too large", "4194304"}},
      {"empty_kernel", "relu", "C1", [](Evaluator&) { return std::string("; nothing to see here\n"); },
       "mismatch",
       {"visible seed 1", "elements outside tolerance", "never wrote"}},
      {"does_not_assemble", "relu", "C1", [](Evaluator&) { return std::string("V_MAX_VF gp1, gp1\nNOT_AN_OP\n"); },
       "assembly_error",
       {"does not assemble", "line 1"}},
  };
}

EvalReport evaluate(const HostileKernel& kernel) {
  Evaluator ev(plena(), suite_task(kernel.task), kernel.config, "default");
  EvalOptions options;  // default seeds and limits: what scoring uses
  options.compare_with_baseline = false;
  return ev.evaluate(kernel.source(ev), options);
}

class HostilePlenaKernel : public ::testing::TestWithParam<HostileKernel> {};

TEST_P(HostilePlenaKernel, IsRejectedWithItsClassAndAnActionableMessage) {
  const HostileKernel& kernel = GetParam();
  const EvalReport report = evaluate(kernel);
  expect_rejected_as(report, kernel.expected_class, kernel.message_mentions);
  if (kernel.extra_checks) kernel.extra_checks(report);
}

INSTANTIATE_TEST_SUITE_P(Table, HostilePlenaKernel, ::testing::ValuesIn(hostile_kernels()),
                         [](const ::testing::TestParamInfo<HostileKernel>& param) { return param.param.name; });

TEST(HostilePlenaKernels, TheTableCoversEveryRejectionClass) {
  std::map<std::string, int> classes;
  for (const HostileKernel& kernel : hostile_kernels()) ++classes[kernel.expected_class];
  EXPECT_GE(hostile_kernels().size(), 12u);
  for (const char* expected : {"assembly_error", "program_too_large", "trap:write_protected", "trap:instruction_limit",
                               "trap:cycle_limit", "trap:address_out_of_range", "trap:misaligned_address",
                               "nonfinite", "mismatch"})
    EXPECT_GT(classes[expected], 0) << expected;
}

TEST(HostilePlenaKernels, NoneOfThemPasses) {
  int false_passes = 0;
  for (const HostileKernel& kernel : hostile_kernels()) {
    const EvalReport report = evaluate(kernel);
    if (report.passed || failure_class(report).empty()) {
      ++false_passes;
      ADD_FAILURE() << kernel.name << " passed";
    }
  }
  EXPECT_EQ(false_passes, 0);
}

// Control: the correct kernel the hostile ones are built from passes, so each rejection above is
// caused by its one hostile change (and poison does not break an honest kernel).
TEST(HostilePlenaKernels, TheHonestKernelTheyStartFromPasses) {
  Evaluator ev(plena(), suite_task("relu"), "C1", "default");
  const EvalReport report = ev.evaluate(relu_kernel(ev), EvalOptions{{}, false, {}, 8});
  EXPECT_TRUE(report.passed) << failure_message(report);
  EXPECT_EQ(failure_class(report), "");
  EXPECT_EQ(failure_message(report), "");
}

// Memories start with a per-seed garbage pattern: a kernel that reads an unwritten row sees
// different values on different seeds, and never zeros.
TEST(HostilePlenaKernels, UnwrittenMemoryHoldsPerSeedGarbage) {
  Evaluator ev(plena(), suite_task("relu"), "C1", "default");
  // Copy an unwritten row into y's first row (times 1.0), then compare what two seeds saw.
  const std::string kernel = set_gp(8, ev.layout().setting("vsram_free_address")) + set_gp(6, first_output(ev).address) +
                             "S_LD_FP f1, gp0, 1\nV_MUL_VF gp6, gp8, f1, 0\n";
  EvalOptions options{{kVisibleSeed, hidden_seeds()[0]}, false, {}, 8};
  options.keep_outputs = true;
  const EvalReport report = ev.evaluate(kernel, options);
  ASSERT_EQ(report.seeds.size(), 2u);
  const auto& a = report.seeds[0].actual.at(0);
  const auto& b = report.seeds[1].actual.at(0);
  int differing = 0;
  for (uint64_t k = 0; k < vlen(ev); ++k) {
    differing += a[k] != b[k] ? 1 : 0;
    // Finite (so it cannot be mistaken for a NaN trick) and far from any task's values.
    EXPECT_TRUE(std::isfinite(a[k]));
    EXPECT_GE(std::fabs(a[k]), 1000.0f);
  }
  EXPECT_GT(differing, static_cast<int>(vlen(ev) / 2));
}

// The other size bound: more instructions than the preset's max_program_instructions. A copy of
// the default preset with a limit of 100 shows the assembler's error is classified the same way.
TEST(HostilePlenaKernels, MoreInstructionsThanThePresetAllowsIsProgramTooLarge) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::filesystem::path root = std::filesystem::path(::testing::TempDir()) /
                                     ("kc_adv_" + std::string(info->name()) + "_" + std::to_string(getpid()));
  std::filesystem::create_directories(root / "isa" / "plena" / "presets");
  nlohmann::json preset = nlohmann::json::parse(plena().describe_preset("default"));
  preset["name"] = "tiny_program";
  preset["limits"]["max_program_instructions"] = 100;
  std::ofstream(root / "isa" / "plena" / "presets" / "tiny_program.json") << preset.dump(2);
  const PlenaPlatform tiny(root.string());
  Evaluator ev(tiny, suite_task("relu"), "C1", "tiny_program");
  std::string source;
  for (int i = 0; i < 150; ++i) source += "S_ADDI_INT gp1, gp1, 1\n";
  const EvalReport report = ev.evaluate(source, EvalOptions{{}, false, {}, 8});
  EXPECT_EQ(failure_class(report), "program_too_large");
  EXPECT_NE(failure_message(report).find("150 instructions"), std::string::npos) << failure_message(report);
  EXPECT_NE(failure_message(report).find("at most 100"), std::string::npos) << failure_message(report);
  std::filesystem::remove_all(root);
}

// The pattern itself: deterministic per seed, different between seeds, finite, bf16-exact and
// far from task values in every poisoned memory; poison_value() names what lands where.
TEST(Poison, FillsEverySramWithFiniteBf16GarbageThatDependsOnTheSeed) {
  const plena::HardwareConfig& hw = plena().config("default");
  plena::MachineState a(hw), b(hw), again(hw);
  plena::poison(a, 1);
  plena::poison(b, 2);
  plena::poison(again, 1);
  EXPECT_EQ(a.vector_sram, again.vector_sram);
  EXPECT_EQ(a.int_sram, again.int_sram);
  EXPECT_NE(a.vector_sram, b.vector_sram);
  EXPECT_NE(a.matrix_sram, b.matrix_sram);
  EXPECT_NE(a.fp_sram, b.fp_sram);
  EXPECT_NE(a.int_sram, b.int_sram);
  for (const std::vector<float>* sram : {&a.matrix_sram, &a.vector_sram, &a.fp_sram}) {
    int negative = 0;
    for (float v : *sram) {
      ASSERT_TRUE(std::isfinite(v));
      ASSERT_EQ(plena::numerics::round_to_bf16(v), v);
      ASSERT_GE(std::fabs(v), 1024.0f);
      ASSERT_LT(std::fabs(v), 131072.0f);
      negative += v < 0 ? 1 : 0;
    }
    EXPECT_GT(negative, static_cast<int>(sram->size() / 3));  // mixed signs
    EXPECT_LT(negative, static_cast<int>(2 * sram->size() / 3));
  }
  for (int32_t v : a.int_sram) {
    ASSERT_GE(std::abs(v), 1000);
    ASSERT_LE(std::abs(v), 100000);
  }
  // Neighbouring Vector SRAM rows differ (no period that lines up with VLEN).
  EXPECT_FALSE(std::equal(a.vector_sram.begin(), a.vector_sram.begin() + hw.vlen, a.vector_sram.begin() + hw.vlen));
  for (uint64_t index : {0ull, 77ull, 4098ull, 4099ull, 1048575ull})
    EXPECT_EQ(a.vector_sram[index], plena::poison_value(plena::Memory::VectorSram, 1, index)) << index;
  EXPECT_EQ(a.int_sram[5], plena::poison_int(1, 5));
  // HBM stays as allocated: zero.
  EXPECT_EQ(a.hbm[0], 0);
  // Registers keep their reset values.
  EXPECT_EQ(a.gp[3], 0u);
  EXPECT_EQ(a.fp[3], 0.0f);
}

// Scoring poisons every run; the loaded image still wins over the pattern.
TEST(Poison, TheEvaluatorPoisonsBeforeLoadingInputsAndConstants) {
  Evaluator ev(plena(), suite_task("softmax"), "C1", "default");
  // Copy FP constant slots 0..63 (zero, one, -inf, task constants, then unwritten slots) into y.
  const std::string kernel = set_gp(6, first_output(ev).address) + "S_MAP_V_FP gp6, gp0, 0\n";
  EvalOptions options{{kVisibleSeed}, false, {}, 8};
  options.keep_outputs = true;
  const EvalReport report = ev.evaluate(kernel, options);
  ASSERT_EQ(report.seeds.size(), 1u);
  const std::vector<float>& y = report.seeds[0].actual.at(0);
  EXPECT_EQ(y[0], 0.0f);
  EXPECT_EQ(y[1], 1.0f);
  EXPECT_TRUE(std::isinf(y[2]) && y[2] < 0);
  const std::size_t constants = ev.layout().constants.size();
  ASSERT_LT(constants, 64u);
  for (std::size_t slot = constants; slot < 64; ++slot)
    EXPECT_EQ(y[slot], plena::poison_value(plena::Memory::FpSram, kVisibleSeed, slot)) << slot;
}

}  // namespace
}  // namespace kc
