// Elementwise activations: load X into the output region, transform it in place row by row.
#include "blocks.h"
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

}  // namespace

void add_elementwise_templates(TemplateTable& table) {
  table.push_back({"relu", emit_relu, {kUnrollKnob}});
}

}  // namespace kc::plena_baseline
