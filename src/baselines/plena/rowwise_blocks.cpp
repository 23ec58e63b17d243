// Row-wise building blocks for the PLENA baseline templates (see rowwise_blocks.h).
#include "rowwise_blocks.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <vector>

namespace kc::plena_baseline {
namespace {

// Emits `step` `count` times: a hardware loop of count / unroll iterations of `unroll` steps,
// then the count % unroll remaining steps straight-line.
void repeat(KernelBuilder& b, uint64_t count, uint64_t unroll, const std::function<void()>& step) {
  if (unroll == 0) unroll = 1;
  b.loop(count / unroll, [&] {
    for (uint64_t u = 0; u < unroll; ++u) step();
  });
  for (uint64_t r = 0; r < count % unroll; ++r) step();
}

void copy(KernelBuilder& b, const GpReg& dst, const GpReg& src) {
  b.line("S_ADD_INT " + dst.name() + ", " + src.name() + ", gp0");
}

void advance(KernelBuilder& b, const GpReg& addr, const GpReg& stride) {
  b.line("S_ADD_INT " + addr.name() + ", " + addr.name() + ", " + stride.name());
}

void require_vlen_aligned(const TemplateContext& ctx, uint64_t address, const std::string& what) {
  require_multiple(ctx, static_cast<int64_t>(address), ctx.hw.vlen, what + " address");
}

// Geometry of a chunked matrix band, validated.
struct ChunkedShape {
  uint64_t chunks;        // VLEN chunks per row
  uint64_t chunk_stride;  // elements between chunk c and c + 1 of one row
};

ChunkedShape chunked_shape(const TemplateContext& ctx, uint64_t base, uint64_t rows,
                           uint64_t cols, uint64_t chunk_stride_rows, const std::string& what) {
  const uint64_t vlen = ctx.hw.vlen;
  require_vlen_aligned(ctx, base, what);
  require_multiple(ctx, static_cast<int64_t>(cols), static_cast<int64_t>(vlen), what + " columns");
  if (rows == 0 || cols == 0) ctx.unsupported(what + ": empty matrix");
  const uint64_t stride_rows = chunk_stride_rows ? chunk_stride_rows : rows;
  if (stride_rows < rows)
    ctx.unsupported(what + ": chunk_stride_rows " + std::to_string(stride_rows) + " < rows " +
                    std::to_string(rows));
  return {cols / vlen, stride_rows * vlen};
}

}  // namespace

void load_row_vector(const TemplateContext& ctx, KernelBuilder& b, const std::string& tensor,
                     uint64_t vsram_base, int a_index) {
  const TensorPlacement& p = ctx.tensor(tensor);
  const int64_t vlen = ctx.hw.vlen, per_prefetch = ctx.hw.v_prefetch_rows;
  if (p.rows != 1) ctx.unsupported(tensor + " is not a 1-D tensor");
  require_multiple(ctx, p.cols, vlen, "length of " + tensor);
  require_vlen_aligned(ctx, vsram_base, tensor);
  const uint64_t chunks = static_cast<uint64_t>(p.cols / vlen);
  b.comment("load " + tensor + " [" + std::to_string(p.cols) + "] into Vector SRAM " +
            std::to_string(vsram_base) + ", chunk c at +c*VLEN");
  // With STRIDE_REG = VLEN, one strided prefetch brings v_prefetch_rows consecutive chunks.
  b.set_addr_reg(a_index, p.address);
  b.set_stride_reg(static_cast<uint64_t>(vlen));
  GpReg dst = b.gp(), offset = b.gp();
  b.set(dst, static_cast<int64_t>(vsram_base));
  b.set(offset, 0);
  const std::string a = "a" + std::to_string(a_index);
  b.loop(chunks / static_cast<uint64_t>(per_prefetch), [&] {
    b.line("H_PREFETCH_V " + dst.name() + ", " + offset.name() + ", " + a + ", 1, 0");
    b.add(dst, per_prefetch * vlen);
    b.add(offset, per_prefetch * vlen);
  });
  b.loop(chunks % static_cast<uint64_t>(per_prefetch), [&] {
    b.line("H_PREFETCH_V " + dst.name() + ", " + offset.name() + ", " + a + ", 0, 0");
    b.add(dst, vlen);
    b.add(offset, vlen);
  });
}

// ---- Softmax ---------------------------------------------------------------------------------

void softmax_rows(const TemplateContext& ctx, KernelBuilder& b, uint64_t base, uint64_t rows,
                  uint64_t cols, uint64_t scratch, const SoftmaxOptions& options) {
  const ChunkedShape shape =
      chunked_shape(ctx, base, rows, cols, options.chunk_stride_rows, "softmax input");
  require_vlen_aligned(ctx, scratch, "softmax scratch");
  const bool scaled = options.scale_fp_slot >= 0;
  const uint64_t unroll = options.unroll ? options.unroll : 1;
  // Partial sums: chunk c adds into partial c % P (P = 4, or fewer for short rows). Each BF16
  // partial then takes only C / P roundings, and the P partials are combined as a tree; with a
  // single running row the long rounding chain dominated the softmax error.
  const uint64_t partials = shape.chunks >= 4 ? 4 : shape.chunks >= 2 ? 2 : 1;
  b.comment("softmax over " + std::to_string(rows) + " rows x " + std::to_string(cols) +
            " columns at V[" + std::to_string(base) + "], in place" +
            (scaled ? " (inputs scaled by FP[" + std::to_string(options.scale_fp_slot) + "])" : ""));

  GpReg row = b.gp(), addr = b.gp(), stride = b.gp();
  std::vector<GpReg> partial;
  for (uint64_t p = 0; p < partials; ++p) {
    partial.push_back(b.gp());
    b.set(partial.back(), static_cast<int64_t>(scratch + p * ctx.hw.vlen));
  }
  b.set(row, static_cast<int64_t>(base));
  b.set(stride, static_cast<int64_t>(shape.chunk_stride));
  if (scaled) b.load_fp(4, static_cast<uint64_t>(options.scale_fp_slot));
  const uint64_t neg_inf_slot = ctx.fp_slot("neg_inf");
  const std::string a = addr.name();

  // exp((x - max) [* scale]) in place, added into partial sum `p` (`first`: V_ADD_VF with f0
  // starts the partial without a zeroing pass).
  auto exp_chunk = [&](uint64_t p, bool first) {
    const std::string acc = partial[p].name();
    b.line("V_SUB_VF " + a + ", " + a + ", f1, 0, 0");
    if (scaled) b.line("V_MUL_VF " + a + ", " + a + ", f4, 0");
    b.line("V_EXP_V " + a + ", " + a + ", 0");
    if (first) b.line("V_ADD_VF " + acc + ", " + a + ", f0, 0");
    else b.line("V_ADD_VV " + acc + ", " + acc + ", " + a + ", 0");
    advance(b, addr, stride);
  };
  auto add_into = [&](uint64_t dst, uint64_t src) {
    b.line("V_ADD_VV " + partial[dst].name() + ", " + partial[dst].name() + ", " +
           partial[src].name() + ", 0");
  };

  b.loop(rows, [&] {
    b.comment("row max -> f1");
    copy(b, addr, row);
    b.load_fp(1, neg_inf_slot);
    repeat(b, shape.chunks, unroll, [&] {
      b.line("V_RED_MAX f1, " + a + ", 0");
      advance(b, addr, stride);
    });
    b.comment("e = exp(x - max) in place, summed elementwise into " + std::to_string(partials) +
              " partial rows");
    copy(b, addr, row);
    for (uint64_t p = 0; p < partials; ++p) exp_chunk(p, true);
    const uint64_t rest = shape.chunks - partials;
    repeat(b, rest / partials, std::max<uint64_t>(1, unroll / partials), [&] {
      for (uint64_t p = 0; p < partials; ++p) exp_chunk(p, false);
    });
    for (uint64_t p = 0; p < rest % partials; ++p) exp_chunk(p, false);
    for (uint64_t width = 1; width < partials; width *= 2)
      for (uint64_t p = 0; p + width < partials; p += 2 * width) add_into(p, p + width);
    b.comment("f2 = 1 / sum(e); y = e * f2");
    b.line("S_ADD_FP f2, f0, f0");
    b.line("V_RED_SUM f2, " + partial[0].name());
    b.line("S_RECI_FP f2, f2");
    copy(b, addr, row);
    repeat(b, shape.chunks, unroll, [&] {
      b.line("V_MUL_VF " + a + ", " + a + ", f2, 0");
      advance(b, addr, stride);
    });
    b.add(row, ctx.hw.vlen);
  });
}

// ---- LayerNorm / RMSNorm --------------------------------------------------------------------

namespace {

// Emits the per-row code of normalize_rows. Registers: `in` / `out` hold the row's chunk-0
// addresses; `in_walk` / `out_walk` walk the chunks (the same registers when in place).
class RowNormaliser {
 public:
  RowNormaliser(const TemplateContext& ctx, KernelBuilder& b, const NormOptions& options,
                uint64_t chunks, uint64_t scratch)
      : ctx_(ctx), b_(b), opt_(options), chunks_(chunks), scratch_(scratch) {}

  void emit(uint64_t base, uint64_t rows, uint64_t chunk_stride) {
    const int64_t vlen = ctx_.hw.vlen;
    const bool in_place = opt_.out == kNoVector || opt_.out == base;
    GpReg in = b_.gp(), in_walk = b_.gp(), stride = b_.gp(), acc = b_.gp(), tmp = b_.gp();
    std::optional<GpReg> out, out_walk, acc2, gamma, beta;
    if (!in_place) {
      out.emplace(b_.gp());
      out_walk.emplace(b_.gp());
    }
    if (one_pass()) acc2.emplace(b_.gp());
    if (opt_.gamma != kNoVector) gamma.emplace(b_.gp());
    if (layer() && opt_.beta != kNoVector) beta.emplace(b_.gp());
    r_ = Regs{&in, &in_walk, in_place ? &in : &*out, in_place ? &in_walk : &*out_walk,
              &stride, &acc, &tmp, acc2 ? &*acc2 : nullptr, gamma ? &*gamma : nullptr,
              beta ? &*beta : nullptr};

    b_.set(in, static_cast<int64_t>(base));
    if (!in_place) b_.set(*out, static_cast<int64_t>(opt_.out));
    b_.set(stride, static_cast<int64_t>(chunk_stride));
    b_.set(acc, static_cast<int64_t>(scratch_));
    b_.set(tmp, static_cast<int64_t>(scratch_ + static_cast<uint64_t>(vlen)));
    if (acc2) b_.set(*acc2, static_cast<int64_t>(scratch_ + 2 * static_cast<uint64_t>(vlen)));
    b_.load_fp(3, opt_.inv_cols_fp_slot);
    b_.load_fp(4, opt_.eps_fp_slot);

    b_.loop(rows, [&] {
      if (!layer()) {
        sum_of_squares_pass();
        rstd_from_mean_square();
      } else if (one_pass()) {
        sum_and_squares_pass();
        rstd_from_moments();
      } else {
        mean_pass();
        centre_and_square_pass();
        rstd_from_mean_square();
      }
      scale_pass();
      b_.add(in, vlen);
      if (!in_place) b_.add(*out, vlen);
    });
  }

 private:
  struct Regs {
    GpReg *in, *in_walk, *out, *out_walk, *stride, *acc, *tmp, *acc2, *gamma, *beta;
  };

  bool layer() const { return opt_.kind == NormKind::LayerNorm; }
  bool one_pass() const { return layer() && opt_.one_pass_variance; }
  bool in_place() const { return r_.in == r_.out; }
  std::string in() const { return r_.in_walk->name(); }
  std::string out() const { return r_.out_walk->name(); }
  std::string acc() const { return r_.acc->name(); }
  std::string tmp() const { return r_.tmp->name(); }

  void line(const std::string& text) { b_.line(text); }
  void step_in() { advance(b_, *r_.in_walk, *r_.stride); }
  void step_out() { advance(b_, *r_.out_walk, *r_.stride); }
  void step_both() {
    step_in();
    if (!in_place()) step_out();
  }
  // Runs `first` on chunk 0 and `rest` on the other chunks.
  void over_chunks(const std::function<void()>& first, const std::function<void()>& rest) {
    first();
    repeat(b_, chunks_ - 1, opt_.unroll, rest);
  }
  // f[fd] = sum of the scratch row `row`.
  void reduce(int fd, const std::string& row) {
    line("S_ADD_FP f" + std::to_string(fd) + ", f0, f0");
    line("V_RED_SUM f" + std::to_string(fd) + ", " + row);
  }

  // RMSNorm: acc = sum over chunks of x^2 (elementwise).
  void sum_of_squares_pass() {
    b_.comment("sum of squares of the row (elementwise over chunks) -> scratch");
    copy(b_, *r_.in_walk, *r_.in);
    over_chunks(
        [&] {
          line("V_MUL_VV " + acc() + ", " + in() + ", " + in() + ", 0");
          step_in();
        },
        [&] {
          line("V_MUL_VV " + tmp() + ", " + in() + ", " + in() + ", 0");
          line("V_ADD_VV " + acc() + ", " + acc() + ", " + tmp() + ", 0");
          step_in();
        });
  }

  // LayerNorm, two passes: f1 = mean.
  void mean_pass() {
    b_.comment("f1 = mean of the row");
    copy(b_, *r_.in_walk, *r_.in);
    over_chunks(
        [&] {
          line("V_ADD_VF " + acc() + ", " + in() + ", f0, 0");
          step_in();
        },
        [&] {
          line("V_ADD_VV " + acc() + ", " + acc() + ", " + in() + ", 0");
          step_in();
        });
    reduce(1, acc());
    line("S_MUL_FP f1, f1, f3");
  }

  // LayerNorm, two passes: out = x - mean; acc = sum over chunks of out^2.
  void centre_and_square_pass() {
    b_.comment("centre the row (x - mean -> output) and sum the squares -> scratch");
    copy(b_, *r_.in_walk, *r_.in);
    if (!in_place()) copy(b_, *r_.out_walk, *r_.out);
    const std::string centre = "V_SUB_VF " + out() + ", " + in() + ", f1, 0, 0";
    over_chunks(
        [&] {
          line(centre);
          line("V_MUL_VV " + acc() + ", " + out() + ", " + out() + ", 0");
          step_both();
        },
        [&] {
          line(centre);
          line("V_MUL_VV " + tmp() + ", " + out() + ", " + out() + ", 0");
          line("V_ADD_VV " + acc() + ", " + acc() + ", " + tmp() + ", 0");
          step_both();
        });
  }

  // LayerNorm, one pass: acc = sum of x, acc2 = sum of x^2 (elementwise over chunks).
  void sum_and_squares_pass() {
    b_.comment("sum and sum of squares of the row (elementwise over chunks) -> scratch");
    const std::string acc2 = r_.acc2->name();
    copy(b_, *r_.in_walk, *r_.in);
    over_chunks(
        [&] {
          line("V_ADD_VF " + acc() + ", " + in() + ", f0, 0");
          line("V_MUL_VV " + acc2 + ", " + in() + ", " + in() + ", 0");
          step_in();
        },
        [&] {
          line("V_ADD_VV " + acc() + ", " + acc() + ", " + in() + ", 0");
          line("V_MUL_VV " + tmp() + ", " + in() + ", " + in() + ", 0");
          line("V_ADD_VV " + acc2 + ", " + acc2 + ", " + tmp() + ", 0");
          step_in();
        });
  }

  // f2 = 1 / sqrt(sum(acc) / cols + eps).
  void rstd_from_mean_square() {
    b_.comment("f2 = 1 / sqrt(mean square + eps)");
    reduce(2, acc());
    line("S_MUL_FP f2, f2, f3");
    line("S_ADD_FP f2, f2, f4");
    line("S_SQRT_FP f2, f2");
    line("S_RECI_FP f2, f2");
  }

  // f1 = mean, f2 = 1 / sqrt(max(E[x^2] - mean^2, 0) + eps). f4 is borrowed for mean^2.
  void rstd_from_moments() {
    b_.comment("f1 = mean, f2 = 1 / sqrt(E[x^2] - mean^2 + eps)");
    reduce(1, acc());
    line("S_MUL_FP f1, f1, f3");
    reduce(2, r_.acc2->name());
    line("S_MUL_FP f2, f2, f3");
    line("S_MUL_FP f4, f1, f1");
    line("S_SUB_FP f2, f2, f4");
    line("S_MAX_FP f2, f2, f0");  // rounding can make the difference slightly negative
    b_.load_fp(4, opt_.eps_fp_slot);
    line("S_ADD_FP f2, f2, f4");
    line("S_SQRT_FP f2, f2");
    line("S_RECI_FP f2, f2");
  }

  // out = (x or centred x) * f2 [* gamma] [+ beta].
  void scale_pass() {
    const bool centred_in_out = layer() && !one_pass();  // centre_and_square_pass wrote out
    b_.comment("normalise: * rstd" + std::string(r_.gamma ? " * gamma" : "") +
               (r_.beta ? " + beta" : ""));
    if (!centred_in_out) copy(b_, *r_.in_walk, *r_.in);
    if (!in_place() || centred_in_out) copy(b_, *r_.out_walk, *r_.out);
    if (r_.gamma) b_.set(*r_.gamma, static_cast<int64_t>(opt_.gamma));
    if (r_.beta) b_.set(*r_.beta, static_cast<int64_t>(opt_.beta));
    const int64_t vlen = ctx_.hw.vlen;
    repeat(b_, chunks_, opt_.unroll, [&] {
      if (centred_in_out) {
        line("V_MUL_VF " + out() + ", " + out() + ", f2, 0");
      } else if (one_pass()) {
        line("V_SUB_VF " + out() + ", " + in() + ", f1, 0, 0");
        line("V_MUL_VF " + out() + ", " + out() + ", f2, 0");
      } else {
        line("V_MUL_VF " + out() + ", " + in() + ", f2, 0");
      }
      if (r_.gamma) {
        line("V_MUL_VV " + out() + ", " + out() + ", " + r_.gamma->name() + ", 0");
        b_.add(*r_.gamma, vlen);
      }
      if (r_.beta) {
        line("V_ADD_VV " + out() + ", " + out() + ", " + r_.beta->name() + ", 0");
        b_.add(*r_.beta, vlen);
      }
      if (centred_in_out) step_out();
      else step_both();
    });
  }

  const TemplateContext& ctx_;
  KernelBuilder& b_;
  const NormOptions& opt_;
  uint64_t chunks_;
  uint64_t scratch_;
  Regs r_{};
};

}  // namespace

void normalize_rows(const TemplateContext& ctx, KernelBuilder& b, uint64_t base, uint64_t rows,
                    uint64_t cols, uint64_t scratch, const NormOptions& options) {
  const ChunkedShape shape =
      chunked_shape(ctx, base, rows, cols, options.chunk_stride_rows, "norm input");
  require_vlen_aligned(ctx, scratch, "norm scratch");
  if (options.out != kNoVector) require_vlen_aligned(ctx, options.out, "norm output");
  if (options.gamma != kNoVector) require_vlen_aligned(ctx, options.gamma, "gamma");
  if (options.beta != kNoVector) require_vlen_aligned(ctx, options.beta, "beta");
  const bool layer = options.kind == NormKind::LayerNorm;
  b.comment(std::string(layer ? "LayerNorm" : "RMSNorm") + " of " + std::to_string(rows) +
            " rows x " + std::to_string(cols) + " columns at V[" + std::to_string(base) + "]" +
            (options.out == kNoVector ? " in place" : " -> V[" + std::to_string(options.out) + "]"));
  RowNormaliser(ctx, b, options, shape.chunks, scratch).emit(base, rows, shape.chunk_stride);
}

// ---- Activations -------------------------------------------------------------------------------

void activation_setup(const TemplateContext& ctx, KernelBuilder& b, Activation act) {
  b.load_fp(1, ctx.fp_slot("one"));
  if (act != Activation::Gelu) return;
  b.load_fp(2, ctx.fp_slot("sqrt_2_over_pi"));
  b.load_fp(3, ctx.fp_slot("gelu_coeff"));
  b.comment("gelu: f2 = k2 = -2 * sqrt(2/pi), f3 = k1 = k2 * 0.044715, -2u = x * (k1 x^2 + k2)");
  b.line("S_ADD_FP f2, f2, f2");
  b.line("S_SUB_FP f2, f0, f2");
  b.line("S_MUL_FP f3, f3, f2");
}

void activation_row(KernelBuilder& b, Activation act, const GpReg& row, const GpReg& scratch) {
  const std::string x = row.name(), t = scratch.name();
  switch (act) {
    case Activation::Silu:
      b.line("V_SUB_VF " + t + ", " + x + ", f0, 0, 1");  // -x (rorder 1: f0 - x)
      break;
    case Activation::Gelu:
      b.line("V_MUL_VV " + t + ", " + x + ", " + x + ", 0");  // x^2
      b.line("V_MUL_VF " + t + ", " + t + ", f3, 0");
      b.line("V_ADD_VF " + t + ", " + t + ", f2, 0");
      b.line("V_MUL_VV " + t + ", " + t + ", " + x + ", 0");  // -2u
      break;
  }
  b.line("V_EXP_V " + t + ", " + t + ", 0");
  b.line("V_ADD_VF " + t + ", " + t + ", f1, 0");
  b.line("V_RECI_V " + t + ", " + t + ", 0");  // sigmoid(x) or sigmoid(2u)
  b.line("V_MUL_VV " + x + ", " + x + ", " + t + ", 0");
}

void apply_activation(const TemplateContext& ctx, KernelBuilder& b, Activation act,
                      uint64_t base, uint64_t vlen_rows, uint64_t scratch, uint64_t unroll) {
  require_vlen_aligned(ctx, base, "activation input");
  require_vlen_aligned(ctx, scratch, "activation scratch");
  b.comment(std::string(act == Activation::Silu ? "x = silu(x) = x / (1 + exp(-x))"
                                                : "x = gelu(x) = x * sigmoid(2u), u = sqrt(2/pi) * (x + 0.044715 x^3)") +
            " on " + std::to_string(vlen_rows) + " rows at V[" + std::to_string(base) + "]");
  GpReg tmp = b.gp();
  b.set(tmp, static_cast<int64_t>(scratch));
  activation_setup(ctx, b, act);
  for_each_row(ctx, b, base, vlen_rows, unroll,
               [&](const GpReg& row) { activation_row(b, act, row, tmp); });
}

void apply_silu(const TemplateContext& ctx, KernelBuilder& b, uint64_t base, uint64_t vlen_rows,
                uint64_t scratch, uint64_t unroll) {
  apply_activation(ctx, b, Activation::Silu, base, vlen_rows, scratch, unroll);
}

void apply_gelu(const TemplateContext& ctx, KernelBuilder& b, uint64_t base, uint64_t vlen_rows,
                uint64_t scratch, uint64_t unroll) {
  apply_activation(ctx, b, Activation::Gelu, base, vlen_rows, scratch, unroll);
}

}  // namespace kc::plena_baseline
