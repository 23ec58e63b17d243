// Decoder-block templates (decoder_block_llama, decoder_block_t5): pre-norm residual blocks as a
// sequence of stages (aie_blocks.h) through the DDR scratch region:
//   u = rms_norm(x) * g1                      (row-wise stage)
//   a = self_attention(u) wo                  (aie_templates_attention.cpp; llama: RoPE on Q and K
//                                              between the projections and the attention core)
//   h = x + a                                 (binary stream)
//   v = rms_norm(h) * g2
//   f = swiglu(v) (llama) | relu(v w1) w2 (t5)
//   y = h + f
// About twenty stages: more buffer descriptors than a preset has, so the builder reprograms the
// numbers of ended stages (KernelBuilder::bd).
#include "aie_blocks.h"
#include "aie_templates.h"

namespace kc::aie_baseline {
namespace {

int64_t addr(const TemplateContext& c, const std::string& tensor) { return static_cast<int64_t>(c.address(tensor)); }

// out = rms_norm(in) * gamma over [rows x dm].
void rms_norm(const TemplateContext& c, KernelBuilder& b, int64_t rows, int64_t dm, int64_t in, int64_t gamma,
              int64_t out) {
  RowwiseStage s;
  s.op = "rms_norm";
  s.rows = rows;
  s.d = dm;
  s.in = in;
  s.out = out;
  s.gamma = gamma;
  s.inv_d = c.task.constant("inv_dm");
  s.eps = c.task.constant("eps");
  rowwise_stage(b, s);
}

// out = a + r (elementwise).
void residual_add(KernelBuilder& b, int64_t elements, int64_t a, int64_t r, int64_t out) {
  ElementwiseStage s;
  s.op = "add";
  s.elements = elements;
  s.in = a;
  s.in2 = r;
  s.out = out;
  elementwise_stage(b, s);
}

// y = relu(x w1) w2, x [s x h], w1 [h x f], w2 [f x h].
void relu_ffn(const TemplateContext& c, KernelBuilder& b, Scratch& scratch, int64_t s, int64_t h, int64_t f, int64_t x,
              int64_t w1, int64_t w2, int64_t y) {
  const int64_t t = scratch.alloc(2 * s * f);
  matmul_stage(b, plain_matmul(c, "ffn w1", s, h, f, x, w1, t));
  ElementwiseStage act;
  act.op = "relu";
  act.elements = s * f;
  act.in = t;
  act.out = t;
  elementwise_stage(b, act);
  matmul_stage(b, plain_matmul(c, "ffn w2", s, f, h, t, w2, y));
}

}  // namespace

void emit_decoder(const TemplateContext& c, KernelBuilder& b) {
  const bool llama = c.task.task->name == "decoder_block_llama";
  const int64_t s = c.param("S"), nh = c.param("NH"), d = c.param("D"), f = c.param("F");
  const int64_t nkv = llama ? c.param("NKV") : nh, dm = nh * d;
  const double scale = llama ? c.task.constant("scale") : 1.0;
  Scratch scratch(c);
  const int64_t x = addr(c, "x"), y = addr(c, "y");
  const int64_t u = scratch.alloc(2 * s * dm), h = scratch.alloc(2 * s * dm);
  rms_norm(c, b, s, dm, x, addr(c, "g1"), u);
  std::function<void(int64_t, int64_t)> rope;
  if (llama)
    rope = [&](int64_t q, int64_t k) {
      rope_stage(b, s, nh, d, q, addr(c, "cos"), addr(c, "sin"), q, 4096);
      rope_stage(b, s, nkv, d, k, addr(c, "cos"), addr(c, "sin"), k, 4096);
    };
  self_attention(c, b, scratch, s, nh, nkv, d, scale, u, addr(c, "wq"), addr(c, "wk"), addr(c, "wv"), addr(c, "wo"),
                 h, rope);
  residual_add(b, s * dm, x, h, h);
  rms_norm(c, b, s, dm, h, addr(c, "g2"), u);
  const int64_t ffn = scratch.alloc(2 * s * dm);
  if (llama)
    swiglu_ffn(c, b, scratch, s, dm, f, u, addr(c, "w_gate"), addr(c, "w_up"), addr(c, "w_down"), ffn);
  else
    relu_ffn(c, b, scratch, s, dm, f, u, addr(c, "w1"), addr(c, "w2"), ffn);
  residual_add(b, s * dm, h, ffn, y);
  b.done();
}

}  // namespace kc::aie_baseline
