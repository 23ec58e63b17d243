// Attention family: RoPE, single-head attention (plain and flash), and multi-head attention
// with projections (MHA, GQA, MQA). The heavy lifting is in attention_blocks.h.
#include <algorithm>

#include "attention_blocks.h"
#include "matmul_blocks.h"
#include "template_context.h"

namespace kc::plena_baseline {
namespace {

// ---- Knobs -----------------------------------------------------------------------------------

const KnobSpec kScoreKnob{"qk", "btmm", {"btmm", "tmv"},
                          "first (approximate) part of the scores: M_BTMM partial products "
                          "summed over HLEN groups, or one M_TMV write-out per query row (the "
                          "exact residual is M_TMV + M_MV either way)"};
const KnobSpec kValueKnob{"pv", "bmm", {"bmm", "mv", "mm"},
                          "P.V instruction: M_MV (a probability row times a V tile), M_BMM "
                          "(probabilities replicated per HLEN head, BLEN rows x MLEN columns per "
                          "instruction) or M_MM (BLEN x BLEN blocks)"};
const KnobSpec kQueryBlockKnob{"q_block", "auto", {"auto", "4", "8", "16", "32", "64"},
                               "query rows per block (rounded to a multiple of BLEN dividing the "
                               "query count; auto = 64)"};
const KnobSpec kKeyBlockKnob{"k_block", "auto", {"auto", "64", "128", "256", "512"},
                             "keys per online-softmax block (clamped to what Matrix SRAM holds; "
                             "auto = as many as fit)"};

// The options the declared knobs select: every attention template has pv and q_block; the
// single-head ones also qk, and flash_attention k_block.
AttentionOptions attention_options(const TemplateContext& ctx, bool with_score_knob,
                                   bool with_key_block) {
  AttentionOptions o;
  if (with_score_knob) o.qk = ctx.knob("qk") == "tmv" ? ScoreInstr::Tmv : ScoreInstr::Btmm;
  const std::string& pv = ctx.knob("pv");
  o.pv = pv == "bmm" ? ValueInstr::Bmm : pv == "mm" ? ValueInstr::Mm : ValueInstr::Mv;
  o.q_block = ctx.knob("q_block") == "auto" ? 0 : ctx.knob_int("q_block");
  o.k_block = with_key_block && ctx.knob("k_block") != "auto" ? ctx.knob_int("k_block") : 0;
  return o;
}

// ---- rope ------------------------------------------------------------------------------------

// y = rope(x): x is loaded straight into the output region and rotated in place.
void emit_rope(const TemplateContext& ctx, KernelBuilder& b) {
  const TensorPlacement& y = ctx.tensor("y");
  const int64_t s = ctx.param("S"), nh = ctx.param("NH");
  set_scale_reg(ctx, b);
  load_chunked(ctx, b, "x", y.address, 0);
  VsramArena arena(ctx, ctx.layout.setting("vsram_free_address"));
  const RopeTables tables = load_rope_tables(ctx, b, arena, "cos", "sin", 1);
  rope_in_place(ctx, b, arena, VsramMatrix{y.address, s, 0}, s, nh, tables);
}

// ---- attention / flash_attention -------------------------------------------------------------

// o = softmax(q k^T * scale) v for one head: q is loaded into Vector SRAM, K and V are read as
// Matrix SRAM tiles straight from their HBM inputs.
void emit_single_head(const TemplateContext& ctx, KernelBuilder& b, bool flash) {
  const TensorPlacement& q = ctx.tensor("q");
  const TensorPlacement& k = ctx.tensor("k");
  const TensorPlacement& v = ctx.tensor("v");
  const TensorPlacement& o = ctx.tensor("o");
  set_scale_reg(ctx, b);
  VsramArena arena(ctx, ctx.layout.setting("vsram_free_address"));
  const uint64_t q_base = arena.take(static_cast<uint64_t>(q.elements()), "q");
  load_chunked(ctx, b, "q", q_base, 0);

  AttentionHead head;
  head.sq = q.rows;
  head.sk = k.rows;
  head.d = q.cols;
  head.q = VsramMatrix{q_base, q.rows, 0};
  head.o = VsramMatrix{o.address, o.rows, 0};
  head.k = HbmMatrix{k.address, 0, k.cols};
  head.v = HbmMatrix{v.address, 0, v.cols};
  head.k_a_reg = 1;
  head.v_a_reg = 2;
  head.scale_slot = ctx.fp_slot("scale");
  const AttentionScratch scratch{&arena, first_free_fp_slot(ctx), 0,
                                 ctx.layout.setting("scratch_hbm_address"), 3, false};
  emit_attention_head(ctx, b, head, attention_options(ctx, true, flash), scratch);
}

// ---- mha / gqa / mqa -------------------------------------------------------------------------

// y = concat_h softmax(Q_h K_g^T * scale) V_g . wo with Q = x wq, K = x wk, V = x wv, query head
// h reading key/value head g = h / (NH / NKV).
//  1. x is loaded into the output region (y is only written by the last projection, which
//     reads O); Q = x wq stays in Vector SRAM.
//  2. K and V are projected one after the other into one buffer and spilled to the HBM scratch
//     area as MXFP8 hi/lo pairs (spill_kv): attention reads them back as Matrix SRAM tiles, and
//     a single MXFP8 copy would move K and V by up to ~6% per element, beyond the tolerance.
//     When NKV * D is not a multiple of MLEN the projection is widened to the next multiple by
//     reading the weight tiles past their row ends (the extra columns are ignored).
//  3. Per query head, one attention head writes its columns of O (emit_attention_heads).
//     Scores are rounded to BF16 once (no residual pass): the tolerance (0.1) allows it.
//  4. y = O wo.
void emit_multi_head(const TemplateContext& ctx, KernelBuilder& b, int64_t nkv) {
  const TensorPlacement& y = ctx.tensor("y");
  const TensorPlacement& wk = ctx.tensor("wk");
  const TensorPlacement& wv = ctx.tensor("wv");
  const int64_t s = ctx.param("S"), nh = ctx.param("NH"), d = ctx.param("D");
  const int64_t dm = nh * d, kv_cols = nkv * d;
  set_scale_reg(ctx, b);
  load_chunked(ctx, b, "x", y.address, 0);

  const KvSpill kv = plan_kv_spill(ctx, ctx.layout.setting("scratch_hbm_address"), s, kv_cols);
  VsramArena arena(ctx, ctx.layout.setting("vsram_free_address"));
  const uint64_t q = arena.take(static_cast<uint64_t>(s * dm), "Q");
  const uint64_t kv_buf = arena.take(static_cast<uint64_t>(s * kv.width), "K / V");
  // O reuses the K/V buffer when it is large enough (stores read their rows when they issue).
  const uint64_t o = kv.width >= dm ? kv_buf : arena.take(static_cast<uint64_t>(s * dm), "O");
  MatmulOptions mm = matmul_options_from_knobs(ctx);
  mm.scratch_vsram = arena.take(std::max(matmul_scratch_elems(ctx, s, dm, dm, mm),
                                         matmul_scratch_elems(ctx, s, dm, kv.width, mm)),
                                "matmul scratch");
  const uint64_t staging =
      arena.take(static_cast<uint64_t>(8 * ctx.hw.v_prefetch_rows * ctx.hw.vlen), "spill staging");

  b.comment("Q = x wq");
  matmul_from_hbm(ctx, b, y.address, s, dm, hbm_matrix(ctx.tensor("wq")), dm, q, mm);
  b.comment("K = x wk, spilled to HBM as hi/lo");
  matmul_from_hbm(ctx, b, y.address, s, dm, HbmMatrix{wk.address, 0, kv_cols}, kv.width, kv_buf, mm);
  spill_kv(ctx, b, kv, false, kv_buf, staging, 3);
  b.comment("V = x wv, spilled to HBM as hi/lo");
  matmul_from_hbm(ctx, b, y.address, s, dm, HbmMatrix{wv.address, 0, kv_cols}, kv.width, kv_buf, mm);
  spill_kv(ctx, b, kv, true, kv_buf, staging, 3);

  AttentionOptions options = attention_options(ctx, false, false);
  options.residual_scores = false;
  emit_attention_heads(ctx, b, q, o, nh, nkv, d, kv, ctx.fp_slot("scale"), options, arena,
                       first_free_fp_slot(ctx), 0);
  b.comment("y = O wo");
  matmul_from_hbm(ctx, b, o, s, dm, hbm_matrix(ctx.tensor("wo")), dm, y.address, mm);
}

void emit_mha(const TemplateContext& ctx, KernelBuilder& b) { emit_multi_head(ctx, b, ctx.param("NH")); }
void emit_gqa(const TemplateContext& ctx, KernelBuilder& b) { emit_multi_head(ctx, b, ctx.param("NKV")); }
void emit_mqa(const TemplateContext& ctx, KernelBuilder& b) { emit_multi_head(ctx, b, 1); }

std::vector<KnobSpec> multi_head_knobs() {
  std::vector<KnobSpec> knobs = matmul_knob_specs();
  knobs.push_back(kValueKnob);
  knobs.push_back(kQueryBlockKnob);
  return knobs;
}

void emit_attention(const TemplateContext& ctx, KernelBuilder& b) { emit_single_head(ctx, b, false); }
void emit_flash_attention(const TemplateContext& ctx, KernelBuilder& b) {
  emit_single_head(ctx, b, true);
}

}  // namespace

void add_attention_templates(TemplateTable& table) {
  table.push_back({"rope", emit_rope, {}});
  table.push_back({"attention", emit_attention, {kScoreKnob, kValueKnob, kQueryBlockKnob}});
  table.push_back({"flash_attention", emit_flash_attention,
                   {kScoreKnob, kValueKnob, kQueryBlockKnob, kKeyBlockKnob}});
  table.push_back({"mha", emit_mha, multi_head_knobs()});
  table.push_back({"gqa", emit_gqa, multi_head_knobs()});
  table.push_back({"mqa", emit_mqa, multi_head_knobs()});
}

}  // namespace kc::plena_baseline
