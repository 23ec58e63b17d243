// Hostile Coral NPU kernels (DESIGN.md section 6): each one tries a way to pass without computing
// the task, or to break the harness, and must be rejected through Evaluator::evaluate on the
// default seeds (visible + hidden) with a specific failure_class and a failure_message that
// tells an honest agent what went wrong. The last tests check that none of them passes and that
// the honest kernels they are built from do pass.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kernelcraft/core/seeds.h"
#include "kernelcraft/eval/evaluator.h"
#include "rejection_check.h"
#include "kernelcraft/platform/coral_platform.h"

namespace kc {
namespace {

const CoralPlatform& coral() {
  static const CoralPlatform platform(KC_SOURCE_DIR);
  return platform;
}

std::shared_ptr<const TaskSpec> suite_task(const std::string& name) {
  static const auto suite = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  return find_task(suite, name);
}

// One Evaluator per (task, config, preset): inputs and MLIR goldens are computed once and
// shared by every kernel of the table (the Evaluator caches them per seed).
Evaluator& evaluator(const std::string& task, const std::string& config, const std::string& preset) {
  static std::map<std::string, std::unique_ptr<Evaluator>> cache;
  std::unique_ptr<Evaluator>& slot = cache[task + "/" + config + "/" + preset];
  if (!slot) slot = std::make_unique<Evaluator>(coral(), suite_task(task), config, preset);
  return *slot;
}

const TensorPlacement& tensor(const Evaluator& ev, const std::string& name) { return ev.layout().placement(name); }

std::string hex(uint64_t value) { return hex_address(value); }
std::string num(int64_t value) { return std::to_string(value); }

uint64_t ext_end(const Evaluator& ev) {
  const coral::CoralConfig& c = coral().config(ev.preset());
  return uint64_t{c.ext_base} + c.ext_bytes;
}

const std::string kPrologue = "        .text\n        .globl _start\n_start:\n";

// One indented assembly statement, and the few statements every kernel here repeats.
std::string op(const std::string& text) { return "        " + text + "\n"; }
std::string li(const std::string& reg, const std::string& value) { return op("li      " + reg + ", " + value); }
std::string li(const std::string& reg, uint64_t value) { return li(reg, hex(value)); }
std::string float_bits(float value) {
  uint32_t bits = 0;
  std::memcpy(&bits, &value, 4);
  return std::to_string(bits);
}

// Runs `body` over `count` floats in strips of vl = min(left, 32) (e32, m8; vl in t0, floats
// left in a2); every register in `pointers` advances by vl floats after each strip. `label`
// is the numeric local label of the loop.
std::string strip_loop(int label, int64_t count, const std::string& body, const std::vector<std::string>& pointers) {
  std::string code = li("a2", num(count)) + num(label) + ":      vsetvli t0, a2, e32, m8, ta, ma\n" + body +
                     op("slli    t1, t0, 2");
  for (const std::string& p : pointers) code += op("add     " + p + ", " + p + ", t1");
  return code + op("sub     a2, a2, t0") + op("bnez    a2, " + num(label) + "b");
}

// y[0..count) = max(src[0..count), 0); ends without ebreak so a hostile variant can append its
// one change.
std::string relu_loop(uint64_t src, uint64_t dst, int64_t count) {
  return li("a0", src) + li("a1", dst) + op("fmv.w.x ft0, zero") +
         strip_loop(1, count, op("vle32.v v8, (a0)") + op("vfmax.vf v8, v8, ft0") + op("vse32.v v8, (a1)"),
                    {"a0", "a1"});
}

// A correct ReLU followed by `tail` (the hostile change) and ebreak.
std::string relu_kernel(const Evaluator& ev, const std::string& tail = "") {
  const TensorPlacement &x = tensor(ev, "x"), &y = tensor(ev, "y");
  return kPrologue + relu_loop(x.address, y.address, x.elements()) + tail + op("ebreak");
}

// ReLU of `count` floats read from `src` instead of x, then ebreak.
std::string relu_from(const Evaluator& ev, uint64_t src, int64_t count) {
  return kPrologue + relu_loop(src, tensor(ev, "y").address, count) + op("ebreak");
}

// C[M x N] = A[M x K] * B[K x N] for the first `rows` rows of C (N <= 32 floats: one m8
// register group), each row a vfmacc.vf accumulation over k; then `tail` and ebreak.
std::string gemm_kernel(const Evaluator& ev, int64_t rows, const std::string& tail = "") {
  const TensorPlacement &a = tensor(ev, "A"), &b = tensor(ev, "B"), &c = tensor(ev, "C");
  const int64_t k = a.cols, n = b.cols;
  return kPrologue + li("s0", a.address) + li("s2", c.address) + li("s3", num(rows)) + li("s4", num(n)) +
         "row:    vsetvli t0, s4, e32, m8, ta, ma\n" + op("vmv.v.i v8, 0") + op("mv      a0, s0") +
         li("a1", b.address) + li("a2", num(k)) + "kloop:  flw     ft0, 0(a0)\n" + op("vle32.v v16, (a1)") +
         op("vfmacc.vf v8, ft0, v16") + op("addi    a0, a0, 4") + op("addi    a1, a1, " + num(4 * n)) +
         op("addi    a2, a2, -1") + op("bnez    a2, kloop") + op("vse32.v v8, (s2)") +
         op("addi    s0, s0, " + num(4 * k)) + op("addi    s2, s2, " + num(4 * n)) + op("addi    s3, s3, -1") +
         op("bnez    s3, row") + tail + op("ebreak");
}

// `count` floats of zero from `address` on (a kernel tidying up what it did not compute).
std::string zero_fill(uint64_t address, int64_t count) {
  return li("a1", address) + strip_loop(2, count, op("vmv.v.i v8, 0") + op("vse32.v v8, (a1)"), {"a1"});
}

// The visible seed's golden outputs as float32 bit patterns in .rodata (DTCM), copied to y with
// vector moves: no input is ever read.
std::string hard_coded_relu(Evaluator& ev) {
  std::string table = op(".section .rodata") + op(".balign 16") + "answer:\n";
  for (float value : ev.seed_data(kVisibleSeed).golden.at(0)) table += op(".word   " + float_bits(value));
  const TensorPlacement& y = tensor(ev, "y");
  return table + kPrologue + op("la      a0, answer") + li("a1", y.address) +
         strip_loop(1, y.elements(), op("vle32.v v8, (a0)") + op("vse32.v v8, (a1)"), {"a0", "a1"}) + op("ebreak");
}

// Every softmax output 1/D: each row sums to one and every value is the right order of
// magnitude, but it ignores the inputs.
std::string uniform_softmax(const Evaluator& ev) {
  const TensorPlacement& y = tensor(ev, "y");
  return kPrologue + li("t2", float_bits(1.0f / static_cast<float>(y.cols))) + op("fmv.w.x ft1, t2") +
         li("a1", y.address) + strip_loop(1, y.elements(), op("vfmv.v.f v8, ft1") + op("vse32.v v8, (a1)"), {"a1"}) +
         op("ebreak");
}

// Eight copies of `instruction` in a loop of 10^9 iterations: finite, but far beyond any limit.
std::string slow_loop(const std::string& setup, const std::string& instruction) {
  std::string body;
  for (int i = 0; i < 8; ++i) body += op(instruction);
  return li("s5", "1000000000") + setup + "3:\n" + body + op("addi    s5, s5, -1") + op("bnez    s5, 3b");
}

// Small enough to keep the test fast, large enough for every honest C1 kernel here (a few
// thousand instructions); only the loop kernels reach them. Scoring's defaults (RunLimits) are
// 100x higher with the same cycles-per-instruction ratio, so the same limit trips first.
RunLimits loop_limits() {
  RunLimits limits;
  limits.max_instructions = 500'000;
  limits.max_cycles = 20'000'000;  // 40 cycles per instruction, as in scoring's defaults
  return limits;
}

struct HostileKernel {
  std::string name;
  std::string task, config, preset;
  std::function<std::string(Evaluator&)> source;
  std::string expected_class;
  std::vector<std::string> message_mentions;  // each must appear in failure_message
  std::optional<RunLimits> limits = std::nullopt;  // default: what scoring uses
  std::function<void(const EvalReport&)> extra_checks = nullptr;
};

std::vector<HostileKernel> hostile_kernels() {
  return {
      {"hard_coded_visible_outputs", "relu", "C1", "coral", hard_coded_relu, "mismatch",
       {"hidden seed", "passes the visible inputs", "never hard-code"}, std::nullopt,
       [](const EvalReport& report) {
         // The point of hidden seeds: this kernel is perfect on the inputs the agent can see.
         ASSERT_FALSE(report.seeds.empty());
         EXPECT_FALSE(report.seeds[0].hidden);
         EXPECT_TRUE(report.seeds[0].passed);
         for (std::size_t i = 1; i < report.seeds.size(); ++i) EXPECT_FALSE(report.seeds[i].passed);
       }},
      {"partial_computation_first_row_only", "relu", "C1", "coral",
       [](Evaluator& ev) { return relu_from(ev, tensor(ev, "x").address, tensor(ev, "x").cols); },
       // Rows 1..3 keep EXT's poison: large seed-dependent floats, named as memory never written.
       "mismatch", {"visible seed 1", "'y'", "elements outside tolerance", "never wrote"}},
      {"partial_gemm_first_row_rest_zeroed", "gemm", "C1", "coral",
       [](Evaluator& ev) {
         const TensorPlacement& c = tensor(ev, "C");
         return gemm_kernel(ev, 1, zero_fill(c.address + 4 * static_cast<uint64_t>(c.cols), c.elements() - c.cols));
       },
       "mismatch", {"visible seed 1", "'C'", "elements outside tolerance", "first at [1, "}},
      {"softmax_uniform_rows", "softmax", "C1", "coral", uniform_softmax, "mismatch",
       {"visible seed 1", "'y'", "elements outside tolerance"}},
      {"reads_uninitialised_ext_scratch", "relu", "C1", "coral",
       [](Evaluator& ev) { return relu_from(ev, ev.layout().setting("scratch_address"), tensor(ev, "x").elements()); },
       "mismatch", {"visible seed 1", "'y'", "elements outside tolerance", "max abs error"}},
      {"reads_uninitialised_dtcm", "relu", "C1", "coral",
       [](Evaluator& ev) {
         // 32 KiB into DTCM: beyond this kernel's (empty) data, below the stack.
         return relu_from(ev, ev.layout().setting("dtcm_base") + 0x8000, tensor(ev, "x").elements());
       },
       "mismatch", {"visible seed 1", "'y'", "elements outside tolerance", "max abs error"}},
      {"stores_into_its_input", "relu", "C1", "coral",
       [](Evaluator& ev) { return relu_kernel(ev, li("t2", tensor(ev, "x").address) + op("sw      zero, 0(t2)")); },
       "trap:write_protected", {"visible seed 1", "write_protected", "at line ", "inputs are read-only"}},
      {"stores_outside_every_memory", "relu", "C1", "coral",
       [](Evaluator& ev) { return relu_kernel(ev, li("t2", 0x40000000) + op("sw      zero, 0(t2)")); },
       "trap:address_out_of_range", {"address_out_of_range", "0x40000000", "outside the memory map"}},
      {"misaligned_scalar_store", "relu", "C1", "coral",
       [](Evaluator& ev) { return relu_kernel(ev, li("t2", tensor(ev, "y").address + 2) + op("sw      zero, 0(t2)")); },
       "trap:misaligned_address", {"misaligned_address", "not 4-byte aligned"}},
      {"misaligned_vector_load", "relu", "C1", "coral",
       [](Evaluator& ev) { return relu_from(ev, tensor(ev, "x").address + 2, tensor(ev, "x").elements()); },
       "trap:misaligned_address", {"misaligned_address", "vector load", "not 4-byte aligned"}},
      {"infinite_loop", "relu", "C1", "coral",
       [](Evaluator& ev) { return relu_kernel(ev, "3:\n" + op("addi    t3, t3, 1") + op("j       3b")); },
       "trap:instruction_limit", {"instruction_limit", "instruction limit of 500000", "endless loop"}, loop_limits()},
      {"near_infinite_loop_of_vector_divides", "relu", "C1", "coral",
       [](Evaluator& ev) {
         // Each m8 vfdiv is 8 uops of 12 unpipelined cycles: the cycle limit comes first.
         const std::string m8 = li("t2", "32") + op("vsetvli t0, t2, e32, m8, ta, ma");
         return relu_kernel(ev, slow_loop(m8, "vfdiv.vv v8, v8, v16"));
       },
       "trap:cycle_limit", {"cycle_limit", "cycle limit of 20000000"}, loop_limits()},
      {"near_infinite_loop_of_scalar_divides", "relu", "C1", "coral",
       [](Evaluator& ev) { return relu_kernel(ev, slow_loop("", "fdiv.s  fa0, fa0, fa1")); },
       // 12 cycles per fdiv is below the limits' 40 cycles per instruction (scoring's ratio
       // too): a scalar divide loop meets the instruction limit first.
       "trap:instruction_limit", {"instruction_limit", "at line "}, loop_limits()},
      {"nan_in_one_element", "relu", "C1", "coral",
       [](Evaluator& ev) {
         // 0/0 = NaN, stored over one element of a correct result. A checker testing
         // "|a - g| > tol" would let NaN through; this one must not.
         return relu_kernel(ev, op("fmv.w.x fa0, zero") + op("fdiv.s  fa1, fa0, fa0") +
                                    li("t2", tensor(ev, "y").address) + op("fsw     fa1, 0(t2)"));
       },
       "nonfinite", {"NaN/Inf", "'y'", "has 1 NaN/Inf element(s) of 256", "finite"}, std::nullopt,
       [](const EvalReport& report) {
         for (const SeedResult& seed : report.seeds) EXPECT_EQ(seed.outputs.at(0).nonfinite, 1);
       }},
      {"infinity_everywhere", "relu", "C1", "coral",
       [](Evaluator& ev) {
         // y / 0: +inf where y > 0 and NaN where y = 0.
         const TensorPlacement& y = tensor(ev, "y");
         const std::string divide = op("vle32.v v8, (a1)") + op("vfdiv.vf v8, v8, fa0") + op("vse32.v v8, (a1)");
         return relu_kernel(ev, op("fmv.w.x fa0, zero") + li("a1", y.address) +
                                    strip_loop(2, y.elements(), divide, {"a1"}));
       },
       "nonfinite", {"NaN/Inf", "has 256 NaN/Inf element(s) of 256"}},
      {"self_modifying_code", "relu", "C1", "coral",
       [](Evaluator& ev) { return relu_kernel(ev, op("la      t2, _start") + op("sw      zero, 0(t2)")); },
       "trap:write_protected", {"write_protected", "ITCM, which is read-only"}},
      {"ecall_instead_of_ebreak", "relu", "C1", "coral",
       [](Evaluator& ev) {
         std::string source = relu_kernel(ev);
         source.replace(source.rfind("ebreak"), 6, "ecall");
         return source;
       },
       "trap:illegal_instruction", {"illegal_instruction", "ecall", "use ebreak"}},
      {"widening_float_add_llvm_accepts", "relu", "C1", "coral",
       [](Evaluator& ev) {
         return relu_kernel(ev, op("vsetivli zero, 4, e16, m1, ta, ma") + op("vfwadd.vv v2, v4, v6"));
       },
       "trap:illegal_instruction",
       {"illegal_instruction", "at line 18", "unsupported vector instruction", "Zve32x/Zve32f subset"}},
      {"segment_load_llvm_accepts", "relu", "C1", "coral",
       [](Evaluator& ev) {
         return relu_kernel(ev, li("t2", tensor(ev, "x").address) + op("vsetivli zero, 4, e32, m1, ta, ma") +
                                    op("vlseg2e32.v v2, (t2)"));
       },
       "trap:illegal_instruction", {"illegal_instruction", "at line 19", "segment"}},
      {"jumps_into_dtcm_data", "relu", "C1", "coral",
       [](Evaluator& ev) {
         return op(".data") + op(".balign 4") + "fake:   .word 0x00100073\n" +  // an ebreak, as data
                relu_kernel(ev, op("la      t2, fake") + op("jr      t2"));
       },
       "trap:address_out_of_range", {"address_out_of_range", "0x00010000", "outside ITCM", "code runs only from ITCM"}},
      {"jumps_into_words_placed_in_text", "relu", "C1", "coral",
       [](Evaluator& ev) { return relu_kernel(ev, op("j       4f") + "4:      .word   0\n"); },
       "trap:illegal_instruction", {"illegal_instruction", "0x00000000", "at line 17"}},
      {"runs_off_the_end_of_its_code", "relu", "C1", "coral",
       [](Evaluator& ev) {
         std::string source = relu_kernel(ev);
         source.erase(source.rfind(op("ebreak")));
         return source;
       },
       "trap:address_out_of_range", {"address_out_of_range", "missing ebreak"}},
      {"incbin_of_a_host_file", "relu", "C1", "coral",
       [](Evaluator& ev) {
         return "        .section .rodata\nsecret: .incbin \"/etc/passwd\"\n" + relu_kernel(ev);
       },
       "assembly_error", {"does not assemble", "line 2", "'.incbin' is not allowed", "host file"}},
      // LLVM 16 aborts the process on this one (the screen cannot see through the macro
      // argument); the platform assembles in a worker process, so it is an error on line 4.
      {"directive_that_makes_llvm_abort", "relu", "C1", "coral",
       [](Evaluator& ev) { return ".macro m d\n.equ x, 1/\\d\n.endm\nm 0\n" + relu_kernel(ev); },
       "assembly_error", {"does not assemble", "line 4", "LLVM ERROR: unable to evaluate offset"}},
      {"oversized_program_on_coral_small", "relu", "C1", "coral_small",
       [](Evaluator& ev) { return relu_kernel(ev, "        .rept 3000\n        nop\n        .endr\n"); },
       "program_too_large", {"program too large", "12060 bytes", "ITCM holds 8192 bytes"}},
      {"vector_load_past_the_end_of_ext", "relu", "C1", "coral",
       [](Evaluator& ev) {
         return relu_kernel(ev, "        li      t2, " + hex(ext_end(ev) - 16) +
                                    "\n        li      t3, 32\n        vsetvli zero, t3, e32, m8, ta, ma\n"
                                    "        vle32.v v8, (t2)\n");
       },
       "trap:address_out_of_range", {"address_out_of_range", "vector load", "outside the memory map"}},
      {"vector_store_past_the_end_of_ext", "relu", "C1", "coral",
       [](Evaluator& ev) {
         // The scratch area runs to the end of EXT: the first 16 bytes are writable, the rest
         // do not exist.
         return relu_kernel(ev, "        li      t2, " + hex(ext_end(ev) - 16) +
                                    "\n        li      t3, 32\n        vsetvli zero, t3, e32, m8, ta, ma\n"
                                    "        vse32.v v8, (t2)\n");
       },
       "trap:address_out_of_range", {"address_out_of_range", "vector store", "0x20400000", "outside the memory map"}},
      {"empty_kernel", "relu", "C1", "coral", [](Evaluator&) { return kPrologue + op("ebreak"); },
       "mismatch", {"visible seed 1", "'y'", "of 256 elements outside tolerance", "never wrote"}},
  };
}

EvalReport evaluate(const HostileKernel& kernel) {
  Evaluator& ev = evaluator(kernel.task, kernel.config, kernel.preset);
  EvalOptions options;  // default seeds and limits: what scoring uses
  options.compare_with_baseline = false;
  if (kernel.limits) options.limits = *kernel.limits;
  return ev.evaluate(kernel.source(ev), options);
}

class HostileCoralKernel : public ::testing::TestWithParam<HostileKernel> {};

TEST_P(HostileCoralKernel, IsRejectedWithItsClassAndAnActionableMessage) {
  const HostileKernel& kernel = GetParam();
  const EvalReport report = evaluate(kernel);
  expect_rejected_as(report, kernel.expected_class, kernel.message_mentions);
  if (kernel.extra_checks) kernel.extra_checks(report);
}

INSTANTIATE_TEST_SUITE_P(Table, HostileCoralKernel, ::testing::ValuesIn(hostile_kernels()),
                         [](const ::testing::TestParamInfo<HostileKernel>& param) { return param.param.name; });

TEST(HostileCoralKernels, TheTableCoversEveryRejectionClass) {
  std::map<std::string, int> classes;
  for (const HostileKernel& kernel : hostile_kernels()) ++classes[kernel.expected_class];
  EXPECT_GE(hostile_kernels().size(), 12u);
  for (const char* expected :
       {"assembly_error", "program_too_large", "trap:write_protected", "trap:instruction_limit", "trap:cycle_limit",
        "trap:address_out_of_range", "trap:misaligned_address", "trap:illegal_instruction", "nonfinite", "mismatch"})
    EXPECT_GT(classes[expected], 0) << expected;
}

TEST(HostileCoralKernels, NoneOfThemPasses) {
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

// Controls: the correct kernels the hostile ones are built from pass on every scoring seed, so
// each rejection above is caused by its one hostile change (and poison does not break an
// honest kernel).
TEST(HostileCoralKernels, TheHonestKernelsTheyStartFromPass) {
  for (const auto& [task, source] : std::vector<std::pair<std::string, std::function<std::string(Evaluator&)>>>{
           {"relu", [](Evaluator& ev) { return relu_kernel(ev); }},
           {"gemm", [](Evaluator& ev) { return gemm_kernel(ev, tensor(ev, "C").rows); }}}) {
    Evaluator& ev = evaluator(task, "C1", "coral");
    EvalOptions options;
    options.compare_with_baseline = false;
    const EvalReport report = ev.evaluate(source(ev), options);
    EXPECT_TRUE(report.passed) << task << ": " << failure_message(report);
    EXPECT_EQ(failure_class(report), "") << task;
    EXPECT_EQ(report.seeds.size(), scoring_seeds().size()) << task;
  }
}

// The oversized kernel is refused for its size alone: the same kernel without the padding fits
// coral_small and passes there.
TEST(HostileCoralKernels, TheOversizedKernelFitsWithoutItsPadding) {
  Evaluator& ev = evaluator("relu", "C1", "coral_small");
  EvalOptions options;
  options.compare_with_baseline = false;
  const EvalReport report = ev.evaluate(relu_kernel(ev, "        .rept 1000\n        nop\n        .endr\n"), options);
  EXPECT_TRUE(report.passed) << failure_message(report);
}

// A source without a single instruction (comments only, or only .data) once assembled with a
// warning and then made CoralPlatform::run throw out of Evaluator::evaluate, which an episode
// records as infra_error (retried, never the model's failure). It is an assembly error now.
TEST(HostileCoralKernels, ASourceWithoutInstructionsIsRejectedNotAHarnessError) {
  Evaluator& ev = evaluator("relu", "C1", "coral");
  EvalOptions options;
  options.compare_with_baseline = false;
  for (const std::string source : {"# nothing to see here\n", ".data\nanswer: .word 42\n"}) {
    EvalReport report;
    EXPECT_NO_THROW(report = ev.evaluate(source, options)) << source;
    EXPECT_FALSE(report.passed) << source;
    const std::string cls = failure_class(report);
    EXPECT_TRUE(cls == "assembly_error" || cls.rfind("trap:", 0) == 0) << source << ": " << cls;
    EXPECT_NE(failure_message(report).find("no instructions"), std::string::npos) << failure_message(report);
  }
}

// A subsection number that is not a small constant (".text b", ".data x", ".subsection 1+b",
// ".text 100000", ".text -1") once passed the source screen and made LLVM call
// report_fatal_error, aborting the process: one line of any agent's kernel killed the run
// (found by fuzz_coral_assembler; corpus/coral_assembler/regress-text-subsection-symbol.s).
// The screen refuses such operands now.
TEST(HostileCoralKernels, ASubsectionOperandThatLlvmCannotUseIsAnAssemblyError) {
  Evaluator& ev = evaluator("relu", "C1", "coral");
  EvalOptions options;
  options.compare_with_baseline = false;
  for (const std::string line : {".text b", ".data x", ".subsection 1+b", ".text 100000", ".text -1"}) {
    const EvalReport report = ev.evaluate(relu_kernel(ev) + op(line), options);
    EXPECT_EQ(failure_class(report), "assembly_error") << line;
    EXPECT_NE(failure_message(report).find("line 18"), std::string::npos) << failure_message(report);
  }
}

}  // namespace
}  // namespace kc
