// Matrix templates (gemm, linear, batch_matmul, gemv) on the bf16 MAC array (mmac.bf16: a 4x8 A
// block times an 8x4 B block into a 4x4 fp32 accumulator).
//
// gemm / linear / batch_matmul are one matmul stage (aie_blocks.h): per batch and per panel of NB
// columns of B, B[:, j0:j0+NB] goes DDR -(shim1, reshaped into 4-column strips)-> memory tile
// -(tile1)-> data memory. Per block-row of 4 rows of A: DDR -(shim0)-> memory tile -(tile0,
// reshaped into 4x8 blocks)-> data memory; the core runs the K/8-long mmac chain for `unroll`
// column blocks at once (one A load feeds them all), converts to bf16 (vsrs) and the 4 x NB result
// goes data memory -(tile2, back to row-major)-> memory tile -(shim1)-> DDR. linear starts each
// accumulator from the bias (vups), the others from zero.
#include "aie_blocks.h"
#include "aie_templates.h"
#include "kernelcraft/core/errors.h"

namespace kc::aie_baseline {
namespace {

// gemv buffers as shares of the preset's memories (aie_ml: x at 0x38000 in the memory tile, y at
// 0x20000; in data memory the strips at 0, A at the upper half, x at 0xC000, y at 0xD000).
struct GemvMap {
  uint64_t x_mem, y_mem, x_dm, y_dm, strip_dm;
};
GemvMap gemv_map(const aie::HardwareConfig& hw) {
  const uint64_t dm = hw.dm_bytes, mt = hw.memtile_bytes;
  return {7 * mt / 16, mt / 4, 3 * dm / 4, 13 * dm / 16, 0};
}

// gemv: x spread by the core into column 0 of 8x4 blocks; one mmac chain per 4 rows of A.
void emit_gemv(const TemplateContext& c, KernelBuilder& b) {
  const BoundTensor& a = c.task.tensor("A");
  const int64_t n = a.rows, k = a.cols;
  if (n % 4 != 0 || k % 32 != 0)
    throw InputError("AIE baseline: gemv needs N % 4 == 0 and K % 32 == 0, got N=" + num(n) + " K=" + num(k));
  const GemvMap m = gemv_map(b.hw());
  const int64_t dm = b.hw().dm_bytes;
  // strips (8K bytes) below A (8K at DM/2, up to x), x (2K) below y (2N, up to the end)
  if (k * 8 > dm / 2 || k * 8 > static_cast<int64_t>(m.x_dm - matmul_a_dm(b.hw())) ||
      2 * k > static_cast<int64_t>(m.y_dm - m.x_dm) || 2 * n > dm - static_cast<int64_t>(m.y_dm))
    throw InputError("AIE baseline: gemv with K=" + num(k) + ", N=" + num(n) + " does not fit the " + num(dm) +
                     " bytes of data memory of preset " + b.hw().name);
  const ARowBds a_bds = a_row_bds(b, k, k);
  const int x_mem = b.bd("src=ddr:x_DDR dst=mem:" + hex(m.x_mem) + " size=" + num(k / 2) + " rel=ml0:1");
  const int x_dm = b.bd("src=mem:" + hex(m.x_mem) + " dst=dm:" + hex(m.x_dm) + " size=" + num(k / 2) + " acq=ml0:1");
  const int y_mem = b.bd("src=dm:" + hex(m.y_dm) + " dst=mem:" + hex(m.y_mem) + " size=" + num(n / 2) + " rel=ml2:1");
  const int y_ddr = b.bd("src=mem:" + hex(m.y_mem) + " dst=ddr:y_DDR size=" + num(n / 2) + " acq=ml2:1");
  b.dma_start("shim1", x_mem);
  b.dma_start("tile1", x_dm);
  b.dma_wait("tile1");
  // x as column 0 of 8x4 B blocks: element k at byte 8k of the strip (columns 1..3 are unused).
  b.movi("p0", m.x_dm);
  b.movi("p1", m.strip_dm);
  const std::string spread = b.unique_label("spread");
  b.loop(num(k), spread);
  b.ld16("r1", "p0", 2);
  b.st16("r1", "p1", 8);
  b.loop_end(spread);
  b.movi("r31", 0);
  b.vbcst("bf16", "x11", "r31");
  b.movi("r20", static_cast<int64_t>(c.address("A")));
  b.movi("p5", m.y_dm);
  b.movi("r0", n / 4);
  const std::string row = b.unique_label("row");
  b.label(row);
  fetch_a_row(b, a_bds, "r20");
  b.movi("p1", m.strip_dm);
  mac_group(b, num(k / 8), 1, false, matmul_a_dm(b.hw()));
  b.vsrs("x1", "cm0");
  for (int i = 0; i < 4; ++i) {
    b.vext("bf16", "r" + num(2 + i), "x1", 4 * i);
    b.st16("r" + num(2 + i), "p5", 2);
  }
  b.alui("add", "r20", "r20", 8 * k);
  b.alui("sub", "r0", "r0", 1);
  b.jnz("r0", row);
  b.dma_start("tile2", y_mem);
  b.dma_start("shim1", y_ddr);
  b.dma_wait("shim1");
  b.done();
}

}  // namespace

void emit_matmul(const TemplateContext& c, KernelBuilder& b) {
  const std::string task = c.task.task->name;
  if (task == "gemv") return emit_gemv(c, b);
  const bool linear = task == "linear";
  const bool batched = task == "batch_matmul";
  const std::string a_name = linear ? "x" : "A", b_name = linear ? "w" : (batched ? "b_mat" : "B"),
                    c_name = linear ? "y" : "C";
  const BoundTensor& at = c.task.tensor(a_name);
  const BoundTensor& bt = c.task.tensor(b_name);
  MatmulStage s;
  s.what = task;
  s.batches = batched ? c.param("B") : 1;
  s.m = at.rows / s.batches;
  s.k = at.cols;
  s.n = bt.cols;
  s.a = {static_cast<int64_t>(c.address(a_name)), s.k, 2 * s.m * s.k};
  s.b = {static_cast<int64_t>(c.address(b_name)), s.n, 2 * s.k * s.n};
  s.c = {static_cast<int64_t>(c.address(c_name)), s.n, 2 * s.m * s.n};
  if (linear) {
    s.has_bias = true;
    s.bias = {static_cast<int64_t>(c.address("b")), 0, 0};
  }
  s.unroll = c.knob_int("unroll");
  s.panel = c.knob_int("panel");
  matmul_stage(b, s);
  b.done();
}

}  // namespace kc::aie_baseline
