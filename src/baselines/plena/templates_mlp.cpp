// Feed-forward family: ffn (GELU between two biased projections) and swiglu (SiLU-gated).
//
// Both run the same engine, emit_feed_forward(): the input rows go through the first
// projection(s) into a hidden block in Vector SRAM, the activation is applied there, and the
// second projection writes (or, for the decoder blocks' residual, adds into) the output rows.
// When the hidden activations of all rows do not fit in Vector SRAM next to everything else,
// the rows are processed in bands (the weights are then streamed once per band).
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "blocks.h"
#include "matmul_blocks.h"
#include "rowwise_blocks.h"
#include "template_context.h"

namespace kc::plena_baseline {
namespace {

uint64_t align_up(uint64_t value, uint64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

// The activation between the projections.
enum class Gate { Gelu, Relu, SwiGlu };

Gate gate_named(const TemplateContext& ctx, const std::string& name) {
  if (name == "gelu") return Gate::Gelu;
  if (name == "relu") return Gate::Relu;
  if (name == "swiglu") return Gate::SwiGlu;
  ctx.unsupported("unknown feed-forward activation '" + name + "'");
}

// Vector SRAM used by one band of `band` rows, laid out from the band's free address.
struct BandLayout {
  uint64_t hidden = 0;   // [band x F]: gate (SwiGLU) or the activated projection
  uint64_t up = 0;       // [band x F]: SwiGLU only
  uint64_t partial = 0;  // [band x H]: the second projection before the residual add
  uint64_t act_scratch = 0;
  uint64_t scratch = 0;  // matmul scratch (shared by the projections, which run one by one)
  uint64_t end = 0;
};

struct FeedForward {
  Gate gate = Gate::Gelu;
  uint64_t x = 0;      // [rows x H] chunked input
  uint64_t y = 0;      // [rows x H] chunked output (may be x itself when !residual)
  int64_t rows = 0, H = 0, F = 0;
  HbmMatrix w_in, w_up, w_out;  // w_up: SwiGLU only
  std::optional<HbmVector> b_in, b_out;
  bool residual = false;  // y += ffn(x) instead of y = ffn(x)
  uint64_t free = 0;      // first free Vector SRAM element
  MatmulOptions opt;
};

MatmulOptions with_bias(MatmulOptions opt, const std::optional<HbmVector>& bias) {
  opt.bias = bias;
  return opt;
}

BandLayout band_layout(const TemplateContext& ctx, const FeedForward& f, int64_t band) {
  const uint64_t vlen = ctx.hw.vlen;
  BandLayout l;
  uint64_t cursor = align_up(f.free, vlen);
  auto take = [&](uint64_t elems) {
    const uint64_t at = cursor;
    cursor = align_up(cursor + elems, vlen);
    return at;
  };
  const uint64_t hidden_elems = static_cast<uint64_t>(band * f.F);
  l.hidden = take(hidden_elems);
  if (f.gate == Gate::SwiGlu) l.up = take(hidden_elems);
  if (f.residual) l.partial = take(static_cast<uint64_t>(band * f.H));
  l.act_scratch = take(kActivationScratchRows * vlen);
  MatmulOptions first = with_bias(f.opt, f.b_in), second = with_bias(f.opt, f.b_out);
  first.scratch_vsram = second.scratch_vsram = cursor;
  const uint64_t scratch = std::max(matmul_scratch_elems(ctx, band, f.H, f.F, first),
                                    matmul_scratch_elems(ctx, band, f.F, f.H, second));
  l.scratch = take(scratch);
  l.end = cursor;
  return l;
}

// Rows per band: the most rows (a divisor of `rows`, a multiple of BLEN for M_MM) whose band
// fits in Vector SRAM.
int64_t choose_band(const TemplateContext& ctx, const FeedForward& f) {
  const int64_t step = f.opt.instr == MatmulInstr::BlockMM ? ctx.hw.blen : 1;
  require_multiple(ctx, f.rows, step, "the row count");
  for (int64_t band = f.rows; band >= step; band -= step) {
    if (f.rows % band != 0 || band % step != 0) continue;
    if (band_layout(ctx, f, band).end <= ctx.hw.vector_sram_elems) return band;
  }
  ctx.unsupported("Vector SRAM (" + std::to_string(ctx.hw.vector_sram_elems) +
                  " elements) cannot hold the hidden activations of even " + std::to_string(step) +
                  " row(s) of the feed-forward layer");
}

// hidden = act(hidden) (GELU / ReLU), or hidden = silu(hidden) * up (SwiGLU), on `vlen_rows`
// consecutive rows (the operation is elementwise, so the chunk order does not matter).
void apply_gate(const TemplateContext& ctx, KernelBuilder& b, Gate gate, const BandLayout& l,
                uint64_t vlen_rows) {
  switch (gate) {
    case Gate::Gelu:
      apply_gelu(ctx, b, l.hidden, vlen_rows, l.act_scratch);
      return;
    case Gate::Relu:
      b.comment("hidden = max(hidden, 0); f0 reads 0.0");
      for_each_row(ctx, b, l.hidden, vlen_rows, 4, [&](const GpReg& row) {
        b.line("V_MAX_VF " + row.name() + ", " + row.name() + ", f0, 0");
      });
      return;
    case Gate::SwiGlu: {
      b.comment("hidden = silu(gate) * up, row by row");
      const int64_t vlen = ctx.hw.vlen;
      GpReg gate_row = b.gp(), up_row = b.gp(), tmp = b.gp();
      b.set(gate_row, static_cast<int64_t>(l.hidden));
      b.set(up_row, static_cast<int64_t>(l.up));
      b.set(tmp, static_cast<int64_t>(l.act_scratch));
      activation_setup(ctx, b, Activation::Silu);
      b.loop(vlen_rows, [&] {
        activation_row(b, Activation::Silu, gate_row, tmp);
        b.line("V_MUL_VV " + gate_row.name() + ", " + gate_row.name() + ", " + up_row.name() + ", 0");
        b.add(gate_row, vlen);
        b.add(up_row, vlen);
      });
      return;
    }
  }
}

// y rows [r0, r0 + band) (chunk pitch `rows`) += partial ([band x H], chunk pitch band).
void add_partial(const TemplateContext& ctx, KernelBuilder& b, const FeedForward& f,
                 const BandLayout& l, int64_t r0, int64_t band) {
  const int64_t vlen = ctx.hw.vlen;
  b.comment("residual: y += feed-forward output");
  GpReg dst = b.gp(), src = b.gp();
  b.set(dst, static_cast<int64_t>(f.y) + r0 * vlen);
  b.set(src, static_cast<int64_t>(l.partial));
  b.loop(static_cast<uint64_t>(f.H / vlen), [&] {
    b.loop(static_cast<uint64_t>(band), [&] {
      b.line("V_ADD_VV " + dst.name() + ", " + dst.name() + ", " + src.name() + ", 0");
      b.add(dst, vlen);
      b.add(src, vlen);
    });
    b.add(dst, (f.rows - band) * vlen);
  });
}

void emit_band(const TemplateContext& ctx, KernelBuilder& b, const FeedForward& f,
               const BandLayout& l, int64_t r0, int64_t band) {
  const int64_t vlen = ctx.hw.vlen;
  MatmulOptions first = with_bias(f.opt, f.b_in);
  first.scratch_vsram = l.scratch;
  first.x_chunk_rows = f.rows;  // the band is a row slice of x
  const uint64_t x_rows = f.x + static_cast<uint64_t>(r0 * vlen);
  matmul_from_hbm(ctx, b, x_rows, band, f.H, f.w_in, f.F, l.hidden, first);
  if (f.gate == Gate::SwiGlu) {
    first.bias.reset();
    matmul_from_hbm(ctx, b, x_rows, band, f.H, f.w_up, f.F, l.up, first);
  }
  apply_gate(ctx, b, f.gate, l, static_cast<uint64_t>(band * f.F / vlen));

  MatmulOptions second = with_bias(f.opt, f.b_out);
  second.scratch_vsram = l.scratch;
  if (f.residual) {
    matmul_from_hbm(ctx, b, l.hidden, band, f.F, f.w_out, f.H, l.partial, second);
    add_partial(ctx, b, f, l, r0, band);
  } else {
    second.y_chunk_rows = f.rows;
    matmul_from_hbm(ctx, b, l.hidden, band, f.F, f.w_out, f.H,
                    f.y + static_cast<uint64_t>(r0 * vlen), second);
  }
}

void emit_feed_forward(const TemplateContext& ctx, KernelBuilder& b, const FeedForward& f) {
  const int64_t vlen = ctx.hw.vlen;
  require_multiple(ctx, f.H, vlen, "the model size H");
  require_multiple(ctx, f.F, vlen, "the inner size F");
  const int64_t band = choose_band(ctx, f);
  const BandLayout l = band_layout(ctx, f, band);
  b.comment("feed-forward on " + std::to_string(f.rows) + " rows in " +
            std::to_string(f.rows / band) + " band(s) of " + std::to_string(band));
  for (int64_t r0 = 0; r0 < f.rows; r0 += band) {
    if (band < f.rows) b.comment("rows " + std::to_string(r0) + ".." + std::to_string(r0 + band - 1));
    emit_band(ctx, b, f, l, r0, band);
  }
}

// ---- Templates -------------------------------------------------------------------------------

// x is loaded straight into the output region: each band's x rows are consumed by its first
// projection before its second projection overwrites them with y.
FeedForward task_feed_forward(const TemplateContext& ctx, KernelBuilder& b, Gate gate) {
  const TensorPlacement& y = ctx.tensor("y");
  FeedForward f;
  f.gate = gate;
  f.rows = ctx.param("S");
  f.H = ctx.param("H");
  f.F = ctx.param("F");
  f.x = f.y = y.address;
  f.free = ctx.layout.setting("vsram_free_address");
  f.opt = matmul_options_from_knobs(ctx);
  set_scale_reg(ctx, b);
  load_chunked(ctx, b, "x", f.x, 0);
  return f;
}

void emit_ffn(const TemplateContext& ctx, KernelBuilder& b) {
  FeedForward f = task_feed_forward(ctx, b, Gate::Gelu);
  f.w_in = hbm_matrix(ctx.tensor("w1"));
  f.w_out = hbm_matrix(ctx.tensor("w2"));
  f.b_in = hbm_vector(ctx.tensor("b1"));
  f.b_out = hbm_vector(ctx.tensor("b2"));
  emit_feed_forward(ctx, b, f);
}

void emit_swiglu(const TemplateContext& ctx, KernelBuilder& b) {
  FeedForward f = task_feed_forward(ctx, b, Gate::SwiGlu);
  f.w_in = hbm_matrix(ctx.tensor("w_gate"));
  f.w_up = hbm_matrix(ctx.tensor("w_up"));
  f.w_out = hbm_matrix(ctx.tensor("w_down"));
  emit_feed_forward(ctx, b, f);
}

}  // namespace

// Shared with templates_decoder.cpp (declared there): the residual feed-forward of a decoder
// block, y[rows x H] += ffn(x[rows x H]), both chunked in Vector SRAM, no biases.
// `activation` is "relu" (y += relu(x w_in) w_out) or "swiglu" (y += (silu(x w_in) * (x w_up))
// w_out); `free` is the first Vector SRAM element the layer may use.
void emit_residual_feed_forward(const TemplateContext& ctx, KernelBuilder& b,
                                const std::string& activation, uint64_t x, uint64_t y,
                                int64_t rows, int64_t H, int64_t F, const HbmMatrix& w_in,
                                const HbmMatrix& w_up, const HbmMatrix& w_out, uint64_t free,
                                const MatmulOptions& opt) {
  FeedForward f;
  f.gate = gate_named(ctx, activation);
  f.x = x;
  f.y = y;
  f.rows = rows;
  f.H = H;
  f.F = F;
  f.w_in = w_in;
  f.w_up = w_up;
  f.w_out = w_out;
  f.residual = true;
  f.free = free;
  f.opt = opt;
  emit_feed_forward(ctx, b, f);
}

void add_mlp_templates(TemplateTable& table) {
  table.push_back({"ffn", emit_ffn, matmul_knob_specs()});
  table.push_back({"swiglu", emit_swiglu, matmul_knob_specs()});
}

}  // namespace kc::plena_baseline
