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

// y[0..count) = max(src[0..count), 0), strip-mined with m8; ends without ebreak so a hostile
// variant can append its one change.
std::string relu_loop(uint64_t src, uint64_t dst, int64_t count) {
  return "        li      a0, " + hex(src) + "\n        li      a1, " + hex(dst) + "\n        li      a2, " +
         num(count) +
         "\n        fmv.w.x ft0, zero\n"
         "1:      vsetvli t0, a2, e32, m8, ta, ma\n"
         "        vle32.v v8, (a0)\n"
         "        vfmax.vf v8, v8, ft0\n"
         "        vse32.v v8, (a1)\n"
         "        slli    t1, t0, 2\n"
         "        add     a0, a0, t1\n"
         "        add     a1, a1, t1\n"
         "        sub     a2, a2, t0\n"
         "        bnez    a2, 1b\n";
}

// A correct ReLU followed by `tail` (the hostile change) and ebreak.
std::string relu_kernel(const Evaluator& ev, const std::string& tail = "") {
  const TensorPlacement &x = tensor(ev, "x"), &y = tensor(ev, "y");
  return kPrologue + relu_loop(x.address, y.address, x.elements()) + tail + "        ebreak\n";
}

// C[M x N] = A[M x K] * B[K x N] for `rows` rows of C (N <= 32 floats: one m8 register group),
// each row an accumulation of vfmacc.vf over k; then ebreak.
std::string gemm_kernel(const Evaluator& ev, int64_t rows, const std::string& tail = "") {
  const TensorPlacement &a = tensor(ev, "A"), &b = tensor(ev, "B"), &c = tensor(ev, "C");
  const int64_t k = a.cols, n = b.cols;
  return kPrologue + "        li      s0, " + hex(a.address) + "\n        li      s2, " + hex(c.address) +
         "\n        li      s3, " + num(rows) + "\n        li      s4, " + num(n) +
         "\n"
         "row:    vsetvli t0, s4, e32, m8, ta, ma\n"
         "        vmv.v.i v8, 0\n"
         "        mv      a0, s0\n        li      a1, " +
         hex(b.address) + "\n        li      a2, " + num(k) +
         "\n"
         "kloop:  flw     ft0, 0(a0)\n"
         "        vle32.v v16, (a1)\n"
         "        vfmacc.vf v8, ft0, v16\n"
         "        addi    a0, a0, 4\n"
         "        addi    a1, a1, " +
         num(4 * n) +
         "\n"
         "        addi    a2, a2, -1\n"
         "        bnez    a2, kloop\n"
         "        vse32.v v8, (s2)\n"
         "        addi    s0, s0, " +
         num(4 * k) + "\n        addi    s2, s2, " + num(4 * n) +
         "\n"
         "        addi    s3, s3, -1\n"
         "        bnez    s3, row\n" +
         tail + "        ebreak\n";
}

// `count` floats of zero from `address` on (a kernel tidying up what it did not compute).
std::string zero_fill(uint64_t address, int64_t count) {
  return "        li      a1, " + hex(address) + "\n        li      a2, " + num(count) +
         "\n"
         "2:      vsetvli t0, a2, e32, m8, ta, ma\n"
         "        vmv.v.i v8, 0\n"
         "        vse32.v v8, (a1)\n"
         "        slli    t1, t0, 2\n"
         "        add     a1, a1, t1\n"
         "        sub     a2, a2, t0\n"
         "        bnez    a2, 2b\n";
}

// The visible seed's golden outputs as float32 bit patterns in .rodata (DTCM), copied to y with
// vector moves: no input is ever read.
std::string hard_coded_relu(Evaluator& ev) {
  const std::vector<float>& golden = ev.seed_data(kVisibleSeed).golden.at(0);
  std::string table = "        .section .rodata\n        .balign 16\nanswer:\n";
  for (float value : golden) {
    uint32_t bits = 0;
    std::memcpy(&bits, &value, 4);
    table += "        .word   " + num(bits) + "\n";
  }
  const TensorPlacement& y = tensor(ev, "y");
  return table + kPrologue + "        la      a0, answer\n        li      a1, " + hex(y.address) + "\n        li      a2, " + num(y.elements()) +
         "\n"
         "1:      vsetvli t0, a2, e32, m8, ta, ma\n"
         "        vle32.v v8, (a0)\n"
         "        vse32.v v8, (a1)\n"
         "        slli    t1, t0, 2\n"
         "        add     a0, a0, t1\n"
         "        add     a1, a1, t1\n"
         "        sub     a2, a2, t0\n"
         "        bnez    a2, 1b\n"
         "        ebreak\n";
}

// Every softmax output 1/D: each row sums to one and every value is the right order of
// magnitude, but it ignores the inputs.
std::string uniform_softmax(const Evaluator& ev) {
  const TensorPlacement& y = tensor(ev, "y");
  const float value = 1.0f / static_cast<float>(y.cols);
  uint32_t bits = 0;
  std::memcpy(&bits, &value, 4);
  return kPrologue + "        li      t2, " + num(bits) + "\n        fmv.w.x ft1, t2\n        li      a1, " +
         hex(y.address) + "\n        li      a2, " + num(y.elements()) +
         "\n"
         "1:      vsetvli t0, a2, e32, m8, ta, ma\n"
         "        vfmv.v.f v8, ft1\n"
         "        vse32.v v8, (a1)\n"
         "        slli    t1, t0, 2\n"
         "        add     a1, a1, t1\n"
         "        sub     a2, a2, t0\n"
         "        bnez    a2, 1b\n"
         "        ebreak\n";
}

// Small enough to keep the test fast, large enough for every honest C1 kernel here (~2000
// instructions). Scoring's defaults are far higher; only the loop kernels reach these.
RunLimits loop_limits() {
  RunLimits limits;
  limits.max_instructions = 1'000'000;
  limits.max_cycles = 20'000'000;
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
       [](Evaluator& ev) {
         const TensorPlacement &x = tensor(ev, "x"), &y = tensor(ev, "y");
         return kPrologue + relu_loop(x.address, y.address, x.cols) + "        ebreak\n";
       },
       "PARTIAL", {"visible seed 1", "'y'"}},
      {"partial_gemm_first_row_rest_zeroed", "gemm", "C1", "coral",
       [](Evaluator& ev) {
         const TensorPlacement& c = tensor(ev, "C");
         return gemm_kernel(ev, 1, zero_fill(c.address + 4 * static_cast<uint64_t>(c.cols), c.elements() - c.cols));
       },
       "mismatch", {"visible seed 1", "'C'", "elements outside tolerance", "first at [1, "}},
      {"softmax_uniform_rows", "softmax", "C1", "coral", uniform_softmax, "mismatch",
       {"visible seed 1", "'y'", "elements outside tolerance"}},
      {"reads_uninitialised_ext_scratch", "relu", "C1", "coral",
       [](Evaluator& ev) {
         const TensorPlacement &x = tensor(ev, "x"), &y = tensor(ev, "y");
         return kPrologue + relu_loop(ev.layout().setting("scratch_address"), y.address, x.elements()) +
                "        ebreak\n";
       },
       "UNINIT_EXT", {"visible seed 1", "'y'"}},
      {"reads_uninitialised_dtcm", "relu", "C1", "coral",
       [](Evaluator& ev) {
         const TensorPlacement &x = tensor(ev, "x"), &y = tensor(ev, "y");
         return kPrologue + relu_loop(ev.layout().setting("dtcm_base") + 0x8000, y.address, x.elements()) +
                "        ebreak\n";
       },
       "UNINIT_DTCM", {"visible seed 1", "'y'"}},
      {"stores_into_its_input", "relu", "C1", "coral",
       [](Evaluator& ev) { return relu_kernel(ev, "        li      t2, " + hex(tensor(ev, "x").address) + "\n        sw      zero, 0(t2)\n"); },
       "trap:write_protected", {"visible seed 1", "write_protected", "at line ", "inputs are read-only"}},
      {"stores_outside_every_memory", "relu", "C1", "coral",
       [](Evaluator& ev) { return relu_kernel(ev, "        li      t2, 0x40000000\n        sw      zero, 0(t2)\n"); },
       "trap:address_out_of_range", {"address_out_of_range", "0x40000000", "outside the memory map"}},
      {"misaligned_scalar_store", "relu", "C1", "coral",
       [](Evaluator& ev) {
         return relu_kernel(ev, "        li      t2, " + hex(tensor(ev, "y").address + 2) + "\n        sw      zero, 0(t2)\n");
       },
       "trap:misaligned_address", {"misaligned_address", "not 4-byte aligned"}},
      {"misaligned_vector_load", "relu", "C1", "coral",
       [](Evaluator& ev) {
         const TensorPlacement &x = tensor(ev, "x"), &y = tensor(ev, "y");
         return kPrologue + relu_loop(x.address + 2, y.address, x.elements()) + "        ebreak\n";
       },
       "trap:misaligned_address", {"misaligned_address", "vector load", "not 4-byte aligned"}},
      {"infinite_loop", "relu", "C1", "coral",
       [](Evaluator& ev) { return relu_kernel(ev, "3:      addi    t3, t3, 1\n        j       3b\n"); },
       "trap:instruction_limit", {"instruction_limit", "instruction limit of 1000000"}, loop_limits()},
      {"near_infinite_loop_of_vector_divides", "relu", "C1", "coral",
       [](Evaluator& ev) {
         // Finite (10^9 iterations), but each iteration is eight dependent m8 vfdiv: the cycle
         // limit comes long before the instruction limit.
         std::string body;
         for (int i = 0; i < 8; ++i) body += "        vfdiv.vv v8, v8, v16\n";
         return relu_kernel(ev, "        li      s5, 1000000000\n        li      t2, 32\n"
                                "        vsetvli t0, t2, e32, m8, ta, ma\n3:\n" +
                                    body + "        addi    s5, s5, -1\n        bnez    s5, 3b\n");
       },
       "trap:cycle_limit", {"cycle_limit", "cycle limit of 20000000"}, loop_limits()},
      {"near_infinite_loop_of_scalar_divides", "relu", "C1", "coral",
       [](Evaluator& ev) {
         std::string body;
         for (int i = 0; i < 8; ++i) body += "        fdiv.s  fa0, fa0, fa1\n";
         return relu_kernel(ev, "        li      s5, 1000000000\n3:\n" + body +
                                    "        addi    s5, s5, -1\n        bnez    s5, 3b\n");
       },
       "FDIV", {}, loop_limits()},
      {"nan_in_one_element", "relu", "C1", "coral",
       [](Evaluator& ev) {
         // 0/0 = NaN, stored over one element of a correct result. A checker testing
         // "|a - g| > tol" would let NaN through; this one must not.
         return relu_kernel(ev, "        fmv.w.x fa0, zero\n        fdiv.s  fa1, fa0, fa0\n        li      t2, " +
                                    hex(tensor(ev, "y").address) + "\n        fsw     fa1, 0(t2)\n");
       },
       "nonfinite", {"NaN/Inf", "'y'", "has 1 NaN/Inf element(s) of 256", "finite"},
       [](const EvalReport& report) {
         for (const SeedResult& seed : report.seeds) EXPECT_EQ(seed.outputs.at(0).nonfinite, 1);
       }},
      {"infinity_everywhere", "relu", "C1", "coral",
       [](Evaluator& ev) {
         // y / 0: +inf where y > 0 and NaN where y = 0.
         const TensorPlacement& y = tensor(ev, "y");
         return relu_kernel(ev, "        fmv.w.x fa0, zero\n        li      a1, " + hex(y.address) + "\n        li      a2, " +
                                    num(y.elements()) +
                                    "\n"
                                    "2:      vsetvli t0, a2, e32, m8, ta, ma\n"
                                    "        vle32.v v8, (a1)\n"
                                    "        vfdiv.vf v8, v8, fa0\n"
                                    "        vse32.v v8, (a1)\n"
                                    "        slli    t1, t0, 2\n"
                                    "        add     a1, a1, t1\n"
                                    "        sub     a2, a2, t0\n"
                                    "        bnez    a2, 2b\n");
       },
       "nonfinite", {"NaN/Inf", "has 256 NaN/Inf element(s) of 256"}},
      {"self_modifying_code", "relu", "C1", "coral",
       [](Evaluator& ev) { return relu_kernel(ev, "        la      t2, _start\n        sw      zero, 0(t2)\n"); },
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
         return relu_kernel(ev, "        vsetivli zero, 4, e16, m1, ta, ma\n        vfwadd.vv v2, v4, v6\n");
       },
       "trap:illegal_instruction", {"illegal_instruction", "vfwadd.vv", "Zve32x/Zve32f subset"}},
      {"segment_load_llvm_accepts", "relu", "C1", "coral",
       [](Evaluator& ev) {
         return relu_kernel(ev, "        li      t2, " + hex(tensor(ev, "x").address) +
                                    "\n        vsetivli zero, 4, e32, m1, ta, ma\n        vlseg2e32.v v2, (t2)\n");
       },
       "trap:illegal_instruction", {"illegal_instruction", "segment"}},
      {"jumps_into_dtcm_data", "relu", "C1", "coral",
       [](Evaluator& ev) {
         return "        .data\n        .balign 4\nfake:   .word 0x00100073\n" +  // an ebreak, as data
                relu_kernel(ev, "        la      t2, fake\n        jr      t2\n");
       },
       "trap:address_out_of_range", {"address_out_of_range", "outside ITCM", "code runs only from ITCM"}},
      {"jumps_into_words_placed_in_text", "relu", "C1", "coral",
       [](Evaluator& ev) { return relu_kernel(ev, "        j       4f\n4:      .word   0\n"); },
       "trap:illegal_instruction", {"illegal_instruction", "0x00000000"}},
      {"runs_off_the_end_of_its_code", "relu", "C1", "coral",
       [](Evaluator& ev) {
         std::string source = relu_kernel(ev);
         source.erase(source.rfind("        ebreak\n"));
         return source;
       },
       "trap:address_out_of_range", {"address_out_of_range", "missing ebreak"}},
      {"incbin_of_a_host_file", "relu", "C1", "coral",
       [](Evaluator& ev) {
         return "        .section .rodata\nsecret: .incbin \"/etc/passwd\"\n" + relu_kernel(ev);
       },
       "assembly_error", {"does not assemble", "line 2", ".incbin"}},
      {"oversized_program_on_coral_small", "relu", "C1", "coral_small",
       [](Evaluator& ev) { return relu_kernel(ev, "        .rept 3000\n        nop\n        .endr\n"); },
       "program_too_large", {"program too large", "8192"}},
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
       "trap:address_out_of_range", {"address_out_of_range", "vector store"}},
      {"empty_kernel", "relu", "C1", "coral", [](Evaluator&) { return kPrologue + "        ebreak\n"; }, "EMPTY",
       {"visible seed 1", "'y'"}},
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
  EXPECT_FALSE(report.passed);
  EXPECT_EQ(failure_class(report), kernel.expected_class);
  const std::string message = failure_message(report);
  std::printf("%s | %s | %s\n", kernel.name.c_str(), failure_class(report).c_str(), message.c_str());
  for (const std::string& mention : kernel.message_mentions)
    EXPECT_NE(message.find(mention), std::string::npos) << "'" << mention << "' missing from: " << message;
  EXPECT_LT(message.size(), 600u) << message;  // one or two sentences, not a dump
  if (report.assembled) {
    EXPECT_EQ(report.seeds.size(), scoring_seeds().size());
  }
  if (kernel.extra_checks) kernel.extra_checks(report);
}

INSTANTIATE_TEST_SUITE_P(Table, HostileCoralKernel, ::testing::ValuesIn(hostile_kernels()),
                         [](const ::testing::TestParamInfo<HostileKernel>& param) { return param.param.name; });

}  // namespace
}  // namespace kc
