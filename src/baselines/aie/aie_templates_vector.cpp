// Elementwise (relu, gelu, silu) and row-wise (softmax, layer_norm, rms_norm) templates: one
// stream stage each (aie_blocks.h). The input streams through the memory tile in chunks: DDR
// -(shim0)-> memory tile -(tile0)-> data memory, compute, data memory -(tile2)-> memory tile
// -(shim1)-> DDR. The write-back of chunk i overlaps the input transfer of chunk i+1.
#include <cmath>

#include "aie/bf16.h"
#include "aie_blocks.h"
#include "aie_templates.h"

namespace kc::aie_baseline {

// The simulator's own rounding (aie/bf16.h), so a constant means to the kernel what it means to
// the model.
int64_t bf16_bits(double value) { return aie::float_to_bf16(static_cast<float>(value)); }

void emit_elementwise(const TemplateContext& c, KernelBuilder& b) {
  const std::string task = c.task.task->name;
  ElementwiseStage s;
  s.op = task;
  s.elements = c.task.tensor("x").elements;
  s.in = static_cast<int64_t>(c.address("x"));
  s.out = static_cast<int64_t>(c.address("y"));
  s.tile = c.knob_int("tile");
  s.unroll = c.knob_int("unroll");
  if (task == "gelu") {
    s.sqrt_2_over_pi = c.task.constant("sqrt_2_over_pi");
    s.gelu_coeff = c.task.constant("gelu_coeff");
  }
  elementwise_stage(b, s);
  b.done();
}

void emit_rowwise(const TemplateContext& c, KernelBuilder& b) {
  const std::string task = c.task.task->name;
  const BoundTensor& x = c.task.tensor("x");
  RowwiseStage s;
  s.op = task;
  s.rows = x.rows;
  s.d = x.cols;
  s.in = static_cast<int64_t>(c.address("x"));
  s.out = static_cast<int64_t>(c.address("y"));
  s.tile = c.knob_int("tile");
  if (task == "softmax") {
    s.prescale_log2 = 1.4426950408889634;
  } else {
    s.inv_d = c.task.constant("inv_d");
    s.eps = c.task.constant("eps");
    s.gamma = static_cast<int64_t>(c.address("gamma"));
    if (task == "layer_norm") s.beta = static_cast<int64_t>(c.address("beta"));
  }
  rowwise_stage(b, s);
  b.done();
}

}  // namespace kc::aie_baseline
