// Feed-forward templates (swiglu, ffn) and rope: sequences of stages (aie_blocks.h) through the
// DDR scratch region.
//   swiglu: [gate | up] = x [w_gate | w_up] (one matmul stage, two batches: the weights are
//           adjacent in DDR), h = silu(gate) * up (binary stream), y = h w_down.
//   ffn:    u = x w1 + b1 (bias from vups), g = gelu(u) (stream), y = g w2 + b2.
//   rope:   one stream stage over row chunks of x, cos and sin.
#include "aie_blocks.h"
#include "aie_templates.h"
#include "kernelcraft/core/errors.h"

namespace kc::aie_baseline {
namespace {

int64_t addr(const TemplateContext& c, const std::string& tensor) { return static_cast<int64_t>(c.address(tensor)); }

}  // namespace

// A row-major C = A B with the family's unroll/panel knobs.
MatmulStage plain_matmul(const TemplateContext& c, const std::string& what, int64_t m, int64_t k, int64_t n,
                         int64_t a, int64_t bm, int64_t out) {
  MatmulStage s;
  s.what = what;
  s.m = m;
  s.k = k;
  s.n = n;
  s.a = {a, k, 0};
  s.b = {bm, n, 0};
  s.c = {out, n, 0};
  s.unroll = c.knob_int("unroll");
  s.panel = c.knob_int("panel");
  return s;
}

// [gate | up] -> silu(gate) * up -> down, through the scratch region (also the decoder FFN).
void swiglu_ffn(const TemplateContext& c, KernelBuilder& b, Scratch& scratch, int64_t s, int64_t h, int64_t f,
                int64_t x, int64_t w_gate, int64_t w_up, int64_t w_down, int64_t y) {
  const int64_t gate = scratch.alloc(2 * 2 * s * f), up = gate + 2 * s * f;  // adjacent
  MatmulStage proj = plain_matmul(c, "swiglu gate/up", s, h, f, x, w_gate, gate);
  proj.batches = 2;
  proj.b.batch_stride = w_up - w_gate;
  proj.c.batch_stride = up - gate;
  matmul_stage(b, proj);
  ElementwiseStage act;
  act.op = "silu_mul";
  act.elements = s * f;
  act.in = gate;
  act.in2 = up;
  act.out = gate;
  elementwise_stage(b, act);
  matmul_stage(b, plain_matmul(c, "swiglu down", s, f, h, gate, w_down, y));
}

void emit_mlp(const TemplateContext& c, KernelBuilder& b) {
  const std::string task = c.task.task->name;
  Scratch scratch(c);
  if (task == "rope") {
    rope_stage(b, c.param("S"), c.param("NH"), c.param("D"), addr(c, "x"), addr(c, "cos"), addr(c, "sin"),
               addr(c, "y"), c.knob_int("tile"));
  } else if (task == "swiglu") {
    swiglu_ffn(c, b, scratch, c.param("S"), c.param("H"), c.param("F"), addr(c, "x"), addr(c, "w_gate"),
               addr(c, "w_up"), addr(c, "w_down"), addr(c, "y"));
  } else {  // ffn
    const int64_t s = c.param("S"), h = c.param("H"), f = c.param("F");
    const int64_t u = scratch.alloc(2 * s * f);
    MatmulStage up = plain_matmul(c, "ffn w1", s, h, f, addr(c, "x"), addr(c, "w1"), u);
    up.has_bias = true;
    up.bias = {addr(c, "b1"), 0, 0};
    matmul_stage(b, up);
    ElementwiseStage act;
    act.op = "gelu";
    act.elements = s * f;
    act.in = u;
    act.out = u;
    act.sqrt_2_over_pi = c.task.constant("sqrt_2_over_pi");
    act.gelu_coeff = c.task.constant("gelu_coeff");
    elementwise_stage(b, act);
    MatmulStage down = plain_matmul(c, "ffn w2", s, f, h, u, addr(c, "w2"), addr(c, "y"));
    down.has_bias = true;
    down.bias = {addr(c, "b2"), 0, 0};
    matmul_stage(b, down);
  }
  b.done();
}

}  // namespace kc::aie_baseline
