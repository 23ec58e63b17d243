// Decoder blocks: decoder_block_t5 (RMSNorm, multi-head attention, ReLU feed-forward) and
// decoder_block_llama (RMSNorm, RoPE + grouped-query attention, SwiGLU feed-forward).
//
// Data flow (everything stays in Vector SRAM except K and V, which must become Matrix SRAM
// tiles and therefore go through the HBM scratch):
//   Y  <- x                         the output region holds x, then h, then y
//   U  <- rmsnorm(x) * g1
//   P  <- U wk [RoPE] -> HBM K;  P <- U wv -> HBM V;  P <- U wq [RoPE]
//   U  <- attention(P, K, V)        one head at a time (attention_blocks.h); u is dead by now.
//                                   HBM scratch: the block's -I tile, then K, then V
//   P  <- U wo;  Y += P             h = x + O wo
//   U  <- rmsnorm(h) * g2
//   Y  += ffn(U)                    templates_mlp.cpp, in row bands if Vector SRAM is short
#include <algorithm>
#include <numeric>
#include <string>

#include "attention_blocks.h"
#include "blocks.h"
#include "matmul_blocks.h"
#include "rowwise_blocks.h"
#include "template_context.h"

namespace kc::plena_baseline {

// Defined in templates_mlp.cpp: y[rows x H] += ffn(x[rows x H]) for activation "relu" or
// "swiglu" (w_up is used by swiglu only), both chunked in Vector SRAM; Vector SRAM from `free`
// up is the layer's to use.
void emit_residual_feed_forward(const TemplateContext& ctx, KernelBuilder& b,
                                const std::string& activation, uint64_t x, uint64_t y,
                                int64_t rows, int64_t H, int64_t F, const HbmMatrix& w_in,
                                const HbmMatrix& w_up, const HbmMatrix& w_out, uint64_t free,
                                const MatmulOptions& opt);

namespace {

enum class Variant { T5, Llama };

const KnobSpec kValueKnob{"pv", "mv", {"mv", "bmm", "mm"},
                          "attention P.V: M_MV (a probability row times a V tile), M_BMM "
                          "(probabilities replicated per HLEN head) or M_MM (BLEN x BLEN blocks)"};

std::vector<KnobSpec> decoder_knobs() {
  std::vector<KnobSpec> knobs = matmul_knob_specs();
  knobs.push_back(kValueKnob);
  return knobs;
}

struct Shape {
  int64_t S = 0, NH = 0, NKV = 0, D = 0, F = 0;
  int64_t DM = 0, KVD = 0;  // model width NH*D, key/value width NKV*D
  // Keys as the attention sees them: the S keys repeated `key_copies` times (see store_kv).
  int64_t keys = 0, key_copies = 1;
};

Shape decoder_shape(const TemplateContext& ctx, Variant variant) {
  Shape s;
  s.S = ctx.param("S");
  s.NH = ctx.param("NH");
  s.NKV = variant == Variant::Llama ? ctx.param("NKV") : s.NH;
  s.D = ctx.param("D");
  s.F = ctx.param("F");
  s.DM = s.NH * s.D;
  s.KVD = s.NKV * s.D;
  if (s.NKV <= 0 || s.NH % s.NKV != 0) ctx.unsupported("NKV must divide NH");
  // The attention block reads keys in whole MLEN-row tiles. Repeating every key r times leaves
  // softmax(q K^T) V unchanged (numerator and denominator both scale by r), so S keys are
  // presented as lcm(S, MLEN) keys: no padding rows, no masking.
  s.keys = std::lcm(s.S, static_cast<int64_t>(ctx.hw.mlen));
  s.key_copies = s.keys / s.S;
  if (s.key_copies > 64)
    ctx.unsupported("S = " + std::to_string(s.S) + " would need " + std::to_string(s.key_copies) +
                    " copies of the keys to fill whole MLEN tiles");
  return s;
}

// Writes the chunked Vector SRAM matrix [rows x cols] at `vsram` to HBM row-major with pitch
// cols, `copies` times: copy c at element offset first + c * rows * cols from a-register
// `a_index` (MXFP8, the activation format: the attention block reads it back the same way).
void store_rows(const TemplateContext& ctx, KernelBuilder& b, uint64_t vsram, int64_t rows,
                int64_t cols, int64_t first, int64_t copies, int a_index) {
  const int64_t vlen = ctx.hw.vlen, group = ctx.hw.v_writeback_rows;
  const std::string a = "a" + std::to_string(a_index);
  b.comment("store [" + std::to_string(rows) + " x " + std::to_string(cols) + "] to HBM scratch (" +
            std::to_string(copies) + " cop" + (copies == 1 ? "y" : "ies") + ")");
  b.set_stride_reg(static_cast<uint64_t>(cols));
  GpReg src = b.gp(), dst = b.gp();
  b.set(dst, first);
  b.loop(static_cast<uint64_t>(copies), [&] {
    b.set(src, static_cast<int64_t>(vsram));
    b.loop(static_cast<uint64_t>(cols / vlen), [&] {
      b.loop(static_cast<uint64_t>(rows / group), [&] {
        b.line("H_STORE_V " + src.name() + ", " + dst.name() + ", " + a + ", 1, 0");
        b.add(src, group * vlen);
        b.add(dst, group * cols);
      });
      b.loop(static_cast<uint64_t>(rows % group), [&] {
        b.line("H_STORE_V " + src.name() + ", " + dst.name() + ", " + a + ", 0, 0");
        b.add(src, vlen);
        b.add(dst, cols);
      });
      b.add(dst, vlen - rows * cols);  // row 0 of the next column chunk
    });
    b.add(dst, rows * cols - cols);  // row 0 of the next copy
  });
}

// y[rows x cols] += t[rows x cols], both chunked with the same row count (so contiguous rows).
void add_rows(const TemplateContext& ctx, KernelBuilder& b, uint64_t y, uint64_t t,
              uint64_t vlen_rows) {
  b.comment("residual: h = x + attention output");
  GpReg dst = b.gp(), src = b.gp();
  b.set(dst, static_cast<int64_t>(y));
  b.set(src, static_cast<int64_t>(t));
  b.loop(vlen_rows / 4, [&] {
    for (int u = 0; u < 4; ++u) {
      b.line("V_ADD_VV " + dst.name() + ", " + dst.name() + ", " + src.name() + ", 0");
      b.add(dst, static_cast<int64_t>(ctx.hw.vlen));
      b.add(src, static_cast<int64_t>(ctx.hw.vlen));
    }
  });
  for (uint64_t r = 0; r < vlen_rows % 4; ++r) {
    b.line("V_ADD_VV " + dst.name() + ", " + dst.name() + ", " + src.name() + ", 0");
    b.add(dst, static_cast<int64_t>(ctx.hw.vlen));
    b.add(src, static_cast<int64_t>(ctx.hw.vlen));
  }
}

class DecoderEmitter {
 public:
  DecoderEmitter(const TemplateContext& ctx, KernelBuilder& b, Variant variant)
      : ctx_(ctx), b_(b), variant_(variant), s_(decoder_shape(ctx, variant)),
        arena_(ctx, ctx.layout.setting("vsram_free_address")) {
    const uint64_t dm = static_cast<uint64_t>(s_.DM), rows = static_cast<uint64_t>(s_.S);
    y_ = ctx.tensor("y").address;
    g1_ = arena_.take(dm, "g1");
    g2_ = arena_.take(dm, "g2");
    u_ = arena_.take(rows * dm, "the normalised rows / attention output");
    p_ = arena_.take(rows * static_cast<uint64_t>(std::max(s_.DM, s_.KVD)), "the projections");
    opt_ = matmul_options_from_knobs(ctx);
    const std::string& pv = ctx.knob("pv");
    attention_.pv = pv == "bmm" ? ValueInstr::Bmm : pv == "mm" ? ValueInstr::Mm : ValueInstr::Mv;
    scratch_hbm_ = ctx.layout.setting("scratch_hbm_address");
    k_offset_ = static_cast<int64_t>(ctx.hw.mlen) * ctx.hw.mlen;  // after the -I tile
    v_offset_ = k_offset_ + s_.keys * s_.KVD;
    if (static_cast<uint64_t>(v_offset_ + s_.keys * s_.KVD) > ctx.layout.setting("scratch_hbm_bytes"))
      ctx.unsupported("the HBM scratch is too small for K and V");
  }

  void emit() {
    set_scale_reg(ctx_, b_);
    load_row_vector(ctx_, b_, "g1", g1_, 1);
    load_row_vector(ctx_, b_, "g2", g2_, 2);
    load_chunked(ctx_, b_, "x", y_, 0);
    if (variant_ == Variant::Llama)
      rope_ = load_rope_tables(ctx_, b_, arena_, "cos", "sin", 3);
    dynamic_ = arena_.next();  // matmul and attention scratch; both are transient

    rms_norm(y_, g1_);
    project_and_store("wk", s_.KVD, k_offset_, s_.NKV);
    project_and_store("wv", s_.KVD, v_offset_, 0);
    project("wq", s_.DM);
    if (variant_ == Variant::Llama) rope(s_.NH);
    attention();
    b_.comment("P = O wo; h = x + P");
    project_from(u_, "wo", s_.DM);
    add_rows(ctx_, b_, y_, p_, static_cast<uint64_t>(s_.S * s_.DM / ctx_.hw.vlen));
    rms_norm(y_, g2_);
    const bool llama = variant_ == Variant::Llama;
    const TensorPlacement& w_in = ctx_.tensor(llama ? "w_gate" : "w1");
    const TensorPlacement& w_out = ctx_.tensor(llama ? "w_down" : "w2");
    const HbmMatrix w_up = llama ? hbm_matrix(ctx_.tensor("w_up")) : HbmMatrix{};
    emit_residual_feed_forward(ctx_, b_, llama ? "swiglu" : "relu", u_, y_, s_.S, s_.DM, s_.F,
                               hbm_matrix(w_in), w_up, hbm_matrix(w_out), p_, opt_);
  }

 private:
  // U = rmsnorm(src) * gamma.
  void rms_norm(uint64_t src, uint64_t gamma) {
    NormOptions o;
    o.kind = NormKind::RmsNorm;
    o.gamma = gamma;
    o.eps_fp_slot = ctx_.fp_slot("eps");
    o.inv_cols_fp_slot = ctx_.fp_slot("inv_dm");
    o.out = u_;
    const uint64_t scratch = VsramArena(ctx_, dynamic_).take(kNormScratchRows * ctx_.hw.vlen, "norm scratch");
    normalize_rows(ctx_, b_, src, static_cast<uint64_t>(s_.S), static_cast<uint64_t>(s_.DM),
                   scratch, o);
  }

  // P[S x n] = X[S x DM] . w.
  void project_from(uint64_t x, const std::string& weight, int64_t n) {
    MatmulOptions o = opt_;
    o.scratch_vsram = dynamic_;
    VsramArena(ctx_, dynamic_).take(matmul_scratch_elems(ctx_, s_.S, s_.DM, n, o), "matmul scratch");
    matmul_from_hbm(ctx_, b_, x, s_.S, s_.DM, hbm_matrix(ctx_.tensor(weight)), n, p_, o);
  }
  void project(const std::string& weight, int64_t n) { project_from(u_, weight, n); }

  // P = U . w (K or V), RoPE on `rope_heads` heads (LLaMA keys), then P to the HBM scratch.
  void project_and_store(const std::string& weight, int64_t n, int64_t hbm_offset,
                         int64_t rope_heads) {
    b_.comment(weight + " projection -> HBM scratch");
    project(weight, n);
    if (variant_ == Variant::Llama && rope_heads > 0) rope(rope_heads);
    b_.set_addr_reg(3, scratch_hbm_);
    store_rows(ctx_, b_, p_, s_.S, n, hbm_offset, s_.key_copies, 3);
  }

  void rope(int64_t heads) {
    VsramArena scratch(ctx_, dynamic_);
    rope_in_place(ctx_, b_, scratch, VsramMatrix{p_, s_.S, 0}, s_.S, heads, rope_);
  }

  // O (in U) = per head j: softmax(Q_j K_g^T [* scale]) V_g, g = j / (NH / NKV).
  void attention() {
    const int64_t group = s_.NH / s_.NKV;
    {
      VsramArena scratch(ctx_, dynamic_);
      load_neg_identity_tile(ctx_, b_, scratch, scratch_hbm_, 3);
    }
    for (int64_t j = 0; j < s_.NH; ++j) {
      const int64_t g = j / group;
      b_.comment("attention head " + std::to_string(j) + " (key/value head " + std::to_string(g) + ")");
      AttentionHead head;
      head.sq = s_.S;
      head.sk = s_.keys;
      head.d = s_.D;
      head.q = VsramMatrix{p_, s_.S, j * s_.D};
      head.o = VsramMatrix{u_, s_.S, j * s_.D};
      head.k = HbmMatrix{scratch_hbm_, k_offset_ + g * s_.D, s_.KVD};
      head.v = HbmMatrix{scratch_hbm_, v_offset_ + g * s_.D, s_.KVD};
      head.k_a_reg = 1;
      head.v_a_reg = 2;
      if (variant_ == Variant::Llama) head.scale_slot = ctx_.fp_slot("scale");
      VsramArena scratch(ctx_, dynamic_);  // every head reuses the same scratch
      emit_attention_head(ctx_, b_, head, attention_,
                          AttentionScratch{&scratch, first_free_fp_slot(ctx_), 0, scratch_hbm_, 3, true});
    }
  }

  const TemplateContext& ctx_;
  KernelBuilder& b_;
  Variant variant_;
  Shape s_;
  VsramArena arena_;
  uint64_t y_ = 0, g1_ = 0, g2_ = 0, u_ = 0, p_ = 0, dynamic_ = 0;
  uint64_t scratch_hbm_ = 0;
  // HBM scratch (element offsets from its start): the attention block's -I tile, K, V.
  int64_t k_offset_ = 0, v_offset_ = 0;
  RopeTables rope_;
  MatmulOptions opt_;
  AttentionOptions attention_;
};

void emit_decoder_block_t5(const TemplateContext& ctx, KernelBuilder& b) {
  DecoderEmitter(ctx, b, Variant::T5).emit();
}

void emit_decoder_block_llama(const TemplateContext& ctx, KernelBuilder& b) {
  DecoderEmitter(ctx, b, Variant::Llama).emit();
}

}  // namespace

void add_decoder_templates(TemplateTable& table) {
  table.push_back({"decoder_block_t5", emit_decoder_block_t5, decoder_knobs()});
  table.push_back({"decoder_block_llama", emit_decoder_block_llama, decoder_knobs()});
}

}  // namespace kc::plena_baseline
