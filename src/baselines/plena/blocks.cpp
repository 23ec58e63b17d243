#include "blocks.h"

namespace kc::plena_baseline {

void set_scale_reg(const TemplateContext& ctx, KernelBuilder& b) {
  b.set_scale_reg(ctx.layout.setting("scale_reg"));
}

void require_multiple(const TemplateContext& ctx, int64_t value, int64_t multiple,
                      const std::string& what) {
  if (multiple <= 0 || value % multiple != 0)
    ctx.unsupported(what + " = " + std::to_string(value) + " is not a multiple of " +
                    std::to_string(multiple));
}

void load_chunked(const TemplateContext& ctx, KernelBuilder& b, const std::string& tensor,
                  uint64_t vsram_base, int a_index) {
  const TensorPlacement& p = ctx.tensor(tensor);
  const int64_t vlen = ctx.hw.vlen, rows = p.rows, cols = p.cols;
  const int64_t per_prefetch = ctx.hw.v_prefetch_rows;
  require_multiple(ctx, cols, vlen, "columns of " + tensor);
  b.comment("load " + tensor + " [" + std::to_string(rows) + " x " + std::to_string(cols) +
            "] from HBM into Vector SRAM " + std::to_string(vsram_base) + " (VLEN chunks)");
  b.set_addr_reg(a_index, p.address);
  b.set_stride_reg(static_cast<uint64_t>(cols));
  GpReg dst = b.gp(), offset = b.gp();
  b.set(dst, static_cast<int64_t>(vsram_base));
  b.set(offset, 0);
  const std::string a = "a" + std::to_string(a_index);
  b.loop(static_cast<uint64_t>(cols / vlen), [&] {
    b.loop(static_cast<uint64_t>(rows / per_prefetch), [&] {
      b.line("H_PREFETCH_V " + dst.name() + ", " + offset.name() + ", " + a + ", 1, 0");
      b.add(dst, per_prefetch * vlen);
      b.add(offset, per_prefetch * cols);
    });
    b.loop(static_cast<uint64_t>(rows % per_prefetch), [&] {
      b.line("H_PREFETCH_V " + dst.name() + ", " + offset.name() + ", " + a + ", 0, 0");
      b.add(dst, vlen);
      b.add(offset, cols);
    });
    b.add(offset, vlen - rows * cols);  // back to row 0, next column chunk
  });
}

void for_each_row(const TemplateContext& ctx, KernelBuilder& b, uint64_t vsram_base, uint64_t rows,
                  uint64_t unroll, const std::function<void(const GpReg& addr)>& op) {
  const int64_t vlen = ctx.hw.vlen;
  if (unroll == 0) unroll = 1;
  GpReg addr = b.gp();
  b.set(addr, static_cast<int64_t>(vsram_base));
  auto one_row = [&] {
    op(addr);
    b.add(addr, vlen);
  };
  b.loop(rows / unroll, [&] {
    for (uint64_t u = 0; u < unroll; ++u) one_row();
  });
  for (uint64_t r = 0; r < rows % unroll; ++r) one_row();
}

}  // namespace kc::plena_baseline
