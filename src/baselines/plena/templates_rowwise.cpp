// Row-wise templates (softmax, LayerNorm, RMSNorm): load X into the output region in the
// VLEN-chunked layout, then process it row by row in place with the rowwise blocks.
#include "blocks.h"
#include "rowwise_blocks.h"
#include "template_context.h"

namespace kc::plena_baseline {
namespace {

const KnobSpec kChunkUnrollKnob{"unroll", "4", {"1", "2", "4"},
                                "column chunks processed per hardware-loop iteration"};
const KnobSpec kVarianceKnob{"variance", "two_pass", {"two_pass", "one_pass"},
                             "two_pass: mean, then sum of squared centred values (as the "
                             "reference); one_pass: sum and sum of squares together, "
                             "var = E[x^2] - mean^2"};

// Vector SRAM allocator over the free region after the outputs.
class VsramArena {
 public:
  explicit VsramArena(const TemplateContext& ctx)
      : ctx_(ctx), next_(ctx.layout.setting("vsram_free_address")) {}
  uint64_t take(uint64_t elements, const std::string& what) {
    const uint64_t address = next_;
    next_ += elements;
    if (next_ > ctx_.hw.vector_sram_elems)
      ctx_.unsupported("Vector SRAM is too small for " + what + " (needs " +
                       std::to_string(next_) + " elements, the preset has " +
                       std::to_string(ctx_.hw.vector_sram_elems) + ")");
    return address;
  }
  uint64_t take_rows(uint64_t rows, const std::string& what) { return take(rows * ctx_.hw.vlen, what); }

 private:
  const TemplateContext& ctx_;
  uint64_t next_;
};

void emit_softmax(const TemplateContext& ctx, KernelBuilder& b) {
  const TensorPlacement& y = ctx.tensor("y");
  VsramArena arena(ctx);
  const uint64_t scratch = arena.take_rows(kSoftmaxScratchRows, "the softmax scratch row");
  set_scale_reg(ctx, b);
  load_chunked(ctx, b, "x", y.address, 0);
  SoftmaxOptions options;
  options.unroll = static_cast<uint64_t>(ctx.knob_int("unroll"));
  softmax_rows(ctx, b, y.address, static_cast<uint64_t>(y.rows), static_cast<uint64_t>(y.cols),
               scratch, options);
}

// LayerNorm and RMSNorm: gamma (and beta) go to free Vector SRAM first (they are small and
// needed by every row), then X into the output region, then the rows are normalised in place.
void emit_norm(const TemplateContext& ctx, KernelBuilder& b, NormKind kind) {
  const TensorPlacement& y = ctx.tensor("y");
  const bool layer = kind == NormKind::LayerNorm;
  const uint64_t cols = static_cast<uint64_t>(y.cols);
  VsramArena arena(ctx);
  NormOptions options;
  options.kind = kind;
  options.gamma = arena.take(cols, "gamma");
  if (layer) options.beta = arena.take(cols, "beta");
  const uint64_t scratch = arena.take_rows(kNormScratchRows, "the norm scratch rows");
  options.eps_fp_slot = ctx.fp_slot("eps");
  options.inv_cols_fp_slot = ctx.fp_slot("inv_d");
  options.unroll = static_cast<uint64_t>(ctx.knob_int("unroll"));
  if (layer) options.one_pass_variance = ctx.knob("variance") == "one_pass";

  set_scale_reg(ctx, b);
  load_row_vector(ctx, b, "gamma", options.gamma, 1);
  if (layer) load_row_vector(ctx, b, "beta", options.beta, 2);
  load_chunked(ctx, b, "x", y.address, 0);
  normalize_rows(ctx, b, y.address, static_cast<uint64_t>(y.rows), cols, scratch, options);
}

void emit_layer_norm(const TemplateContext& ctx, KernelBuilder& b) { emit_norm(ctx, b, NormKind::LayerNorm); }
void emit_rms_norm(const TemplateContext& ctx, KernelBuilder& b) { emit_norm(ctx, b, NormKind::RmsNorm); }

}  // namespace

void add_rowwise_templates(TemplateTable& table) {
  table.push_back({"softmax", emit_softmax, {kChunkUnrollKnob}});
  table.push_back({"layer_norm", emit_layer_norm, {kChunkUnrollKnob, kVarianceKnob}});
  table.push_back({"rms_norm", emit_rms_norm, {kChunkUnrollKnob}});
}

}  // namespace kc::plena_baseline
