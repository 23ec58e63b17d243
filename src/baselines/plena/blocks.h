// Building blocks shared by the PLENA baseline templates.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "kernel_builder.h"
#include "template_context.h"

namespace kc::plena_baseline {

// SCALE_REG = the layout's shared data-to-scale distance. Every template starts with this.
void set_scale_reg(const TemplateContext& ctx, KernelBuilder& b);

// Prefetches input `tensor` (HBM, row-major [rows x cols], cols a multiple of VLEN) into Vector
// SRAM at `vsram_base` in the VLEN-chunked arrangement of the output contract:
// element (i, j) at vsram_base + ((j / VLEN) * rows + i) * VLEN + j % VLEN.
// Uses a-register `a_index` and sets STRIDE_REG to cols.
void load_chunked(const TemplateContext& ctx, KernelBuilder& b, const std::string& tensor,
                  uint64_t vsram_base, int a_index);

// Runs `op(addr)` on `rows` consecutive VLEN-element rows starting at `vsram_base`, `unroll`
// rows per loop iteration; addr holds the row's address.
void for_each_row(const TemplateContext& ctx, KernelBuilder& b, uint64_t vsram_base, uint64_t rows,
                  uint64_t unroll, const std::function<void(const GpReg& addr)>& op);

// Requires `value % multiple == 0`, otherwise the template is unsupported for this shape.
void require_multiple(const TemplateContext& ctx, int64_t value, int64_t multiple,
                      const std::string& what);

}  // namespace kc::plena_baseline
