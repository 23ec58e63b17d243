// Template families of the AMD NPU baseline: each emits one task's kernel into a KernelBuilder.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "aie/config.h"
#include "aie_kernel_builder.h"
#include "kernelcraft/baselines/baseline.h"
#include "kernelcraft/core/task.h"
#include "kernelcraft/core/workload_layout.h"

namespace kc::aie_baseline {

struct TemplateContext {
  const TaskInstance& task;
  const WorkloadLayout& layout;
  const aie::HardwareConfig& hw;
  const BaselineKnobs& knobs;  // every knob of the family, defaults filled in

  int64_t param(const std::string& name) const;
  int64_t knob_int(const std::string& name) const;
  bool knob_on(const std::string& name) const { return knobs.at(name) == "on"; }
  uint64_t address(const std::string& tensor) const { return layout.placement(tensor).address; }
};

// bf16 bits of a constant, as the immediate of `movi`.
int64_t bf16_bits(double value);

void emit_elementwise(const TemplateContext& c, KernelBuilder& b);  // relu, gelu, silu
void emit_rowwise(const TemplateContext& c, KernelBuilder& b);      // softmax, layer_norm, rms_norm
void emit_matmul(const TemplateContext& c, KernelBuilder& b);       // gemm, linear, batch_matmul, gemv
void emit_mlp(const TemplateContext& c, KernelBuilder& b);          // swiglu, ffn, rope
void emit_attention(const TemplateContext& c, KernelBuilder& b);    // attention, mha, mqa, gqa
void emit_conv_family(const TemplateContext& c, KernelBuilder& b);  // conv2d, conv_block, depthwise_conv
void emit_decoder(const TemplateContext& c, KernelBuilder& b);      // decoder_block_llama, decoder_block_t5

struct MatmulStage;
// C[m x n] = A[m x k] B[k x n], all row-major in DDR, with the family's unroll and panel knobs.
MatmulStage plain_matmul(const TemplateContext& c, const std::string& what, int64_t m, int64_t k, int64_t n,
                         int64_t a, int64_t bm, int64_t out);

class Scratch;
// The SwiGLU feed-forward y = (silu(x w_gate) * (x w_up)) w_down, x [s x h], w_* [h x f] (w_up
// right after w_gate is not required), through `scratch`.
void swiglu_ffn(const TemplateContext& c, KernelBuilder& b, Scratch& scratch, int64_t s, int64_t h, int64_t f,
                int64_t x, int64_t w_gate, int64_t w_up, int64_t w_down, int64_t y);
// y = softmax((x wq)(x wk)^T * scale per head) (x wv) wo with nh query and nkv key/value heads of
// d columns; `between(q, k)` (may be empty) runs on the projected Q and K (scratch, row-major).
void self_attention(const TemplateContext& c, KernelBuilder& b, Scratch& scratch, int64_t s, int64_t nh, int64_t nkv,
                    int64_t d, double scale, int64_t x, int64_t wq, int64_t wk, int64_t wv, int64_t wo, int64_t y,
                    const std::function<void(int64_t q, int64_t k)>& between);

}  // namespace kc::aie_baseline
