// Decoder blocks: decoder_block_t5 (RMSNorm, multi-head attention, ReLU feed-forward) and
// decoder_block_llama (RMSNorm, RoPE + grouped-query attention, SwiGLU feed-forward).
//
// Data flow (everything stays in Vector SRAM except K and V, which must become Matrix SRAM
// tiles and therefore go through the HBM scratch, as error-feedback copies: see plan_kv):
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

// A single plain copy ("1") is not offered: on the small preset its MXFP8 error alone exceeds
// the LLaMA block's tolerance.
const KnobSpec kCopiesKnob{"kv_copies", "auto", {"auto", "2", "4"},
                           "least number of error-feedback copies of K and V in HBM (the "
                           "attention reads them all: more copies = less MXFP8 error, more "
                           "attention work); auto = 2, or when Vector SRAM has no room for the "
                           "feedback buffers, the fewest plain copies that fill whole key tiles"};

std::vector<KnobSpec> decoder_knobs() {
  std::vector<KnobSpec> knobs = matmul_knob_specs();
  knobs.push_back(kValueKnob);
  knobs.push_back(kCopiesKnob);
  return knobs;
}

struct Shape {
  int64_t S = 0, NH = 0, NKV = 0, D = 0, F = 0;
  int64_t DM = 0, KVD = 0;  // model width NH*D, key/value width NKV*D
  // The attention reads keys in whole MLEN-row tiles, so K and V go to HBM as a multiple of
  // min_copies copies (S * min_copies = lcm(S, MLEN) rows); see DecoderEmitter::plan_kv.
  int64_t min_copies = 1;
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
  s.min_copies = std::lcm(s.S, static_cast<int64_t>(ctx.hw.mlen)) / s.S;
  if (s.min_copies > 64)
    ctx.unsupported("S = " + std::to_string(s.S) + " would need " + std::to_string(s.min_copies) +
                    " copies of the keys to fill whole MLEN tiles");
  return s;
}

// Moves the chunked Vector SRAM matrix [rows x cols] at `vsram` to (store) or from (load) a
// column window of a row-major HBM matrix with row pitch `pitch`, whose element (0, 0) is at
// element offset `first` of a-register `a_index`. Activation format (MXFP8),
// v_writeback_rows / v_prefetch_rows rows per transfer.
void transfer_rows(const TemplateContext& ctx, KernelBuilder& b, bool store, uint64_t vsram,
                   int64_t rows, int64_t cols, int64_t pitch, int64_t first, int a_index) {
  const int64_t vlen = ctx.hw.vlen;
  const int64_t group = store ? ctx.hw.v_writeback_rows : ctx.hw.v_prefetch_rows;
  const std::string mnemonic = store ? "H_STORE_V " : "H_PREFETCH_V ";
  const std::string a = "a" + std::to_string(a_index);
  b.set_stride_reg(static_cast<uint64_t>(pitch));
  GpReg row = b.gp(), offset = b.gp();
  b.set(row, static_cast<int64_t>(vsram));
  b.set(offset, first);
  b.loop(static_cast<uint64_t>(cols / vlen), [&] {
    b.loop(static_cast<uint64_t>(rows / group), [&] {
      b.line(mnemonic + row.name() + ", " + offset.name() + ", " + a + ", 1, 0");
      b.add(row, group * vlen);
      b.add(offset, group * pitch);
    });
    b.loop(static_cast<uint64_t>(rows % group), [&] {
      b.line(mnemonic + row.name() + ", " + offset.name() + ", " + a + ", 0, 0");
      b.add(row, vlen);
      b.add(offset, pitch);
    });
    b.add(offset, vlen - rows * pitch);  // row 0 of the next column chunk
  });
}

// V[dst] = V[rs2] - V[rs1] over `vlen_rows` consecutive rows (V_SUB_VV order).
void subtract_rows(const TemplateContext& ctx, KernelBuilder& b, uint64_t dst, uint64_t rs1,
                   uint64_t rs2, uint64_t vlen_rows) {
  const int64_t vlen = ctx.hw.vlen;
  GpReg d = b.gp(), a = b.gp(), c = b.gp();
  b.set(d, static_cast<int64_t>(dst));
  b.set(a, static_cast<int64_t>(rs1));
  b.set(c, static_cast<int64_t>(rs2));
  b.loop(vlen_rows, [&] {
    b.line("V_SUB_VV " + d.name() + ", " + a.name() + ", " + c.name() + ", 0");
    b.add(d, vlen);
    b.add(a, vlen);
    b.add(c, vlen);
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
  }

  void emit() {
    set_scale_reg(ctx_, b_);
    load_row_vector(ctx_, b_, "g1", g1_, 1);
    load_row_vector(ctx_, b_, "g2", g2_, 2);
    load_chunked(ctx_, b_, "x", y_, 0);
    if (variant_ == Variant::Llama)
      rope_ = load_rope_tables(ctx_, b_, arena_, "cos", "sin", 3);
    dynamic_ = arena_.next();  // matmul and attention scratch; both are transient
    plan_kv();

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
    store_copies(n, hbm_offset);
  }

  // K and V reach the attention as `copies_` copies of their S rows (keys = S * copies_).
  // Repeating every key r times leaves softmax(q K^T) V unchanged (numerator and denominator
  // both scale by r): that is how S < MLEN keys fill whole tiles without padding or masking.
  // More copies also buy accuracy: the MXFP8 round trip costs each element ~2-3% relative
  // error, which dominated the block's error. With error feedback (copy c stores x - e_{c-1},
  // e_{c-1} being the quantisation error of copy c-1), the copies' sum telescopes to
  // r*x + e_{r-1}: the attention sees the mean x + e_{r-1}/r, to first order in the error.
  void plan_kv() {
    const std::string& knob = ctx_.knob("kv_copies");
    const int64_t wanted = knob == "auto" ? 2 : ctx_.knob_int("kv_copies");
    copies_ = s_.min_copies * ((wanted + s_.min_copies - 1) / s_.min_copies);
    // The feedback works on `feedback_chunks_` column chunks at a time (two [S x chunks*VLEN]
    // buffers): all of them when Vector SRAM allows, else the most that fit.
    const uint64_t chunks = static_cast<uint64_t>(s_.KVD / ctx_.hw.vlen);
    const uint64_t per_chunk = 2 * static_cast<uint64_t>(s_.S) * ctx_.hw.vlen;
    const uint64_t room = ctx_.hw.vector_sram_elems > dynamic_ ? ctx_.hw.vector_sram_elems - dynamic_ : 0;
    feedback_chunks_ = static_cast<int64_t>(largest_divisor_at_most(chunks, room / per_chunk));
    if (room < per_chunk) feedback_chunks_ = 0;
    if (feedback_chunks_ == 0) {
      if (knob != "auto")
        ctx_.unsupported("no Vector SRAM left for the K/V error-feedback buffers (kv_copies=" +
                         knob + "; use auto)");
      copies_ = s_.min_copies;
    }
    keys_ = s_.S * copies_;
    k_offset_ = static_cast<int64_t>(ctx_.hw.mlen) * ctx_.hw.mlen;  // after the -I tile
    v_offset_ = k_offset_ + keys_ * s_.KVD;
    if (static_cast<uint64_t>(v_offset_ + keys_ * s_.KVD) > ctx_.layout.setting("scratch_hbm_bytes"))
      ctx_.unsupported("the HBM scratch is too small for " + std::to_string(copies_) +
                       " copies of K and V");
  }

  // P [S x n] -> HBM at element offset `first` (a3 = HBM scratch), copies_ times; copy c at
  // first + c * S * n. With feedback, per group of column chunks: T = X - E is stored and
  // E = readback(T) - T carried on to the next copy.
  void store_copies(int64_t n, int64_t first) {
    const int64_t vlen = ctx_.hw.vlen, copy_elems = s_.S * n;
    const bool feedback = copies_ > 1 && feedback_chunks_ > 0;
    b_.comment("store " + std::to_string(copies_) + " cop" + (copies_ == 1 ? "y" : "ies") +
               (feedback ? " (error feedback)" : "") + " to the HBM scratch");
    if (!feedback) {
      for (int64_t c = 0; c < copies_; ++c)
        transfer_rows(ctx_, b_, true, p_, s_.S, n, n, first + c * copy_elems, 3);
      return;
    }
    const int64_t width = feedback_chunks_ * vlen;  // columns per group
    const uint64_t group_elems = static_cast<uint64_t>(s_.S * width);
    const uint64_t rows = group_elems / static_cast<uint64_t>(vlen);
    VsramArena scratch(ctx_, dynamic_);
    const uint64_t t = scratch.take(group_elems, "the K/V copy");
    const uint64_t e = scratch.take(group_elems, "the K/V copy error");
    for (int64_t col = 0; col < n; col += width) {
      const uint64_t x = p_ + static_cast<uint64_t>(col / vlen * s_.S * vlen);
      auto copy_offset = [&](int64_t c) { return first + c * copy_elems + col; };
      transfer_rows(ctx_, b_, true, x, s_.S, width, n, copy_offset(0), 3);
      transfer_rows(ctx_, b_, false, e, s_.S, width, n, copy_offset(0), 3);
      subtract_rows(ctx_, b_, e, x, e, rows);  // e = q(x) - x
      for (int64_t c = 1; c < copies_; ++c) {
        subtract_rows(ctx_, b_, t, e, x, rows);  // t = x - e
        transfer_rows(ctx_, b_, true, t, s_.S, width, n, copy_offset(c), 3);
        if (c + 1 == copies_) break;
        transfer_rows(ctx_, b_, false, e, s_.S, width, n, copy_offset(c), 3);
        subtract_rows(ctx_, b_, e, t, e, rows);  // e = q(t) - t
      }
    }
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
      head.sk = keys_;
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
  int64_t copies_ = 1, keys_ = 0;  // K/V copies in HBM; keys seen by the attention
  int64_t feedback_chunks_ = 0;    // column chunks per error-feedback group (0: no feedback)
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
