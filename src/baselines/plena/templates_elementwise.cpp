// Elementwise activations (ReLU, SiLU, GELU): load X into the output region, transform it in
// place row by row. SiLU and GELU use the activation blocks of rowwise_blocks.h.
#include <algorithm>

#include "blocks.h"
#include "rowwise_blocks.h"
#include "template_context.h"

namespace kc::plena_baseline {
namespace {

const KnobSpec kUnrollKnob{"unroll", "4", {"1", "2", "4", "8"},
                           "rows processed per hardware-loop iteration"};

uint64_t output_rows(const TemplateContext& ctx) {
  const TensorPlacement& y = ctx.tensor("y");
  return static_cast<uint64_t>(y.elements() / ctx.hw.vlen);
}

void emit_relu(const TemplateContext& ctx, KernelBuilder& b) {
  const TensorPlacement& y = ctx.tensor("y");
  set_scale_reg(ctx, b);
  load_chunked(ctx, b, "x", y.address, 0);
  b.comment("y = max(x, 0) in place; f0 reads 0.0");
  for_each_row(ctx, b, y.address, output_rows(ctx), static_cast<uint64_t>(ctx.knob_int("unroll")),
               [&](const GpReg& row) {
                 b.line("V_MAX_VF " + row.name() + ", " + row.name() + ", f0, 0");
               });
}

const KnobSpec kPrefetchKnob{
    "prefetch", "upfront", {"upfront", "pipelined"},
    "upfront: load all of x, then compute; pipelined: compute x group by group "
    "(v_prefetch_rows rows) while the same group of a later column chunk loads (then a group "
    "is the unroll and the unroll knob is not used)"};

// Scratch row of the activation blocks: the first free Vector SRAM row after the output.
uint64_t activation_scratch(const TemplateContext& ctx) {
  const uint64_t scratch = ctx.layout.setting("vsram_free_address");
  if (scratch + kActivationScratchRows * ctx.hw.vlen > ctx.hw.vector_sram_elems)
    ctx.unsupported("no free Vector SRAM row for the activation's scratch");
  return scratch;
}

// y = act(x) with the HBM load overlapped: x lands in y's chunked layout in the order
// (chunk, row), which is also Vector SRAM order, so the prefetch of chunk c+L's group g always
// targets the compute address + L * rows * VLEN. Each iteration issues one transfer and
// computes one group, so the DMA queue never fills. The lead L (in chunks) is the smallest
// whose compute time covers the HBM latency, so short chunks (few rows) still arrive in time.
void emit_pipelined_activation(const TemplateContext& ctx, KernelBuilder& b, Activation act) {
  const TensorPlacement& x = ctx.tensor("x");
  const TensorPlacement& y = ctx.tensor("y");
  const int64_t vlen = ctx.hw.vlen, group = ctx.hw.v_prefetch_rows;
  const int64_t rows = x.rows, cols = x.cols;
  require_multiple(ctx, cols, vlen, "columns of x");
  const uint64_t chunks = static_cast<uint64_t>(cols / vlen);
  const uint64_t groups = static_cast<uint64_t>(rows / group), tail = static_cast<uint64_t>(rows % group);
  const uint64_t scratch = activation_scratch(ctx);
  // A row costs at least 6 vector cycles (SiLU); cover the latency plus a tile's worth of slack.
  const uint64_t min_cycles_per_row = 6;
  const uint64_t lead = std::min<uint64_t>(
      chunks, std::max<uint64_t>(1, (ctx.hw.hbm_latency + 64 + rows * min_cycles_per_row - 1) /
                                        (static_cast<uint64_t>(rows) * min_cycles_per_row)));

  b.set_addr_reg(0, x.address);
  b.set_stride_reg(static_cast<uint64_t>(cols));
  GpReg dst = b.gp(), src = b.gp(), row = b.gp(), tmp = b.gp();
  b.set(dst, static_cast<int64_t>(y.address));
  b.set(src, 0);
  b.set(row, static_cast<int64_t>(y.address));
  b.set(tmp, static_cast<int64_t>(scratch));
  auto prefetch_group = [&] {
    b.line("H_PREFETCH_V " + dst.name() + ", " + src.name() + ", a0, 1, 0");
    b.add(dst, group * vlen);
    b.add(src, group * cols);
  };
  auto prefetch_row = [&] {
    b.line("H_PREFETCH_V " + dst.name() + ", " + src.name() + ", a0, 0, 0");
    b.add(dst, vlen);
    b.add(src, cols);
  };
  auto compute_rows = [&](int64_t count) {
    for (int64_t r = 0; r < count; ++r) {
      activation_row(b, act, row, tmp);
      b.add(row, vlen);
    }
  };
  auto next_chunk_source = [&] { b.add(src, vlen - rows * cols); };

  b.comment("prefetch the first " + std::to_string(lead) + " column chunk(s) of x");
  b.loop(lead, [&] {
    b.loop(groups, prefetch_group);
    b.loop(tail, prefetch_row);
    next_chunk_source();
  });
  activation_setup(ctx, b, act);
  b.comment("compute a group, prefetch the same group " + std::to_string(lead) + " chunk(s) ahead");
  b.loop(chunks - lead, [&] {
    b.loop(groups, [&] {
      prefetch_group();
      compute_rows(group);
    });
    b.loop(tail, [&] {
      prefetch_row();
      compute_rows(1);
    });
    next_chunk_source();
  });
  b.comment("last " + std::to_string(lead) + " chunk(s): compute only");
  b.loop(lead, [&] {
    b.loop(groups, [&] { compute_rows(group); });
    b.loop(tail, [&] { compute_rows(1); });
  });
}

// SiLU / GELU: like relu (or pipelined, see above); the per-row op needs a scratch row.
void emit_activation(const TemplateContext& ctx, KernelBuilder& b, Activation act) {
  set_scale_reg(ctx, b);
  if (ctx.knob("prefetch") == "pipelined") {
    emit_pipelined_activation(ctx, b, act);
    return;
  }
  const TensorPlacement& y = ctx.tensor("y");
  const uint64_t scratch = activation_scratch(ctx);
  load_chunked(ctx, b, "x", y.address, 0);
  apply_activation(ctx, b, act, y.address, output_rows(ctx), scratch,
                   static_cast<uint64_t>(ctx.knob_int("unroll")));
}

void emit_silu(const TemplateContext& ctx, KernelBuilder& b) { emit_activation(ctx, b, Activation::Silu); }
void emit_gelu(const TemplateContext& ctx, KernelBuilder& b) { emit_activation(ctx, b, Activation::Gelu); }

}  // namespace

void add_elementwise_templates(TemplateTable& table) {
  table.push_back({"relu", emit_relu, {kUnrollKnob}});
  table.push_back({"silu", emit_silu, {kUnrollKnob, kPrefetchKnob}});
  table.push_back({"gelu", emit_gelu, {kUnrollKnob, kPrefetchKnob}});
}

}  // namespace kc::plena_baseline
