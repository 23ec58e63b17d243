// Matrix products: gemv, gemm, batch_matmul, linear. The activations are prefetched into Vector
// SRAM in VLEN chunks; the weights stream through Matrix SRAM (matmul_blocks.h).
#include "blocks.h"
#include "matmul_blocks.h"
#include "template_context.h"

namespace kc::plena_baseline {
namespace {

uint64_t align_up(uint64_t value, uint64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

// Fails (unsupported) when [begin, end) does not fit in Vector SRAM.
void require_vsram(const TemplateContext& ctx, uint64_t end, const std::string& what) {
  if (end > ctx.hw.vector_sram_elems)
    ctx.unsupported(what + " needs Vector SRAM up to element " + std::to_string(end) +
                    ", the preset has " + std::to_string(ctx.hw.vector_sram_elems));
}

// Loads activation tensor `name` ([rows x cols] in HBM) into free Vector SRAM (VLEN chunks,
// a-register 0) and returns its address; `next_free` receives the first free element after it.
uint64_t load_activation(const TemplateContext& ctx, KernelBuilder& b, const std::string& name,
                         uint64_t& next_free) {
  const uint64_t base = ctx.layout.setting("vsram_free_address");
  const TensorPlacement& t = ctx.tensor(name);
  next_free = align_up(base + static_cast<uint64_t>(t.elements()), ctx.hw.vlen);
  require_vsram(ctx, next_free, "activation " + name);
  load_chunked(ctx, b, name, base, 0);
  return base;
}

// Places the matmul scratch at `free` and checks that it fits.
void place_scratch(const TemplateContext& ctx, uint64_t free, int64_t M, int64_t K, int64_t N,
                   MatmulOptions& opt) {
  opt.scratch_vsram = free;
  require_vsram(ctx, free + matmul_scratch_elems(ctx, M, K, N, opt), "matmul scratch");
}

// ---------------------------------------------------------------------------------------------
// GEMV: y[N] = A[N x K] . x[K]. A's tiles hold A rows as tile rows, so M_TMV (the tile read
// transposed) gives MLEN outputs per instruction; VACC accumulates the whole K in float32.

const KnobSpec kGemvBuffersKnob{"weight_buffers", "2", {"2", "1"},
                                "Matrix SRAM buffers: 2 prefetches the next group of A tiles while "
                                "computing, 1 loads then computes"};
const KnobSpec kGemvGroupKnob{"group_tiles", "max", {"max", "1", "2", "4"},
                              "most A tiles per prefetch group (max: as many as one buffer holds)"};

void emit_gemv(const TemplateContext& ctx, KernelBuilder& b) {
  const int64_t N = ctx.param("N"), K = ctx.param("K");
  const int64_t mlen = ctx.hw.mlen, vlen = ctx.hw.vlen;
  const int64_t tile = mlen * mlen;
  require_multiple(ctx, K, mlen, "K");
  require_multiple(ctx, N, mlen, "N");
  const TensorPlacement& a = ctx.tensor("A");
  const TensorPlacement& y = ctx.tensor("y");

  set_scale_reg(ctx, b);
  uint64_t free = 0;
  const uint64_t x_vsram = load_activation(ctx, b, "x", free);

  const bool double_buffer = ctx.knob_int("weight_buffers") == 2;
  const uint64_t capacity = ctx.hw.matrix_sram_elems / static_cast<uint64_t>(tile);
  uint64_t limit = capacity / (double_buffer ? 2 : 1);
  if (ctx.knob("group_tiles") != "max")
    limit = std::min<uint64_t>(limit, static_cast<uint64_t>(ctx.knob_int("group_tiles")));
  const uint64_t k_tiles = static_cast<uint64_t>(K / mlen);
  const uint64_t group_tiles = largest_divisor_at_most(k_tiles, limit);

  b.comment("y = A . x: for each block of MLEN outputs, M_TMV over the K tiles of A, one write-out");
  b.set_addr_reg(1, a.address);
  TileStream s;
  s.a_index = 1;
  s.pitch = K;
  s.first_offset = 0;
  s.tile_step = mlen;                                           // next K tile of the same rows
  s.group_step = static_cast<int64_t>(group_tiles) * mlen;
  s.outer_step = mlen * K;                                      // next MLEN rows of A
  s.outer_count = static_cast<uint64_t>(N / mlen);
  s.groups = k_tiles / group_tiles;
  s.group_tiles = group_tiles;
  s.msram_base = 0;
  s.double_buffer = double_buffer;

  GpReg xv = b.gp(), yv = b.gp();  // x chunk being multiplied; y row being produced
  b.set(yv, static_cast<int64_t>(y.address));
  stream_tile_groups(ctx, b, s, [&](const GpReg& slot, GroupPosition pos) {
    if (pos.first) b.set(xv, static_cast<int64_t>(x_vsram));
    if (group_tiles == 1) {
      b.line("M_TMV 0, " + xv.name() + ", " + slot.name());
      b.add(xv, vlen);
    } else {
      GpReg rm = b.gp();
      b.line("S_ADDI_INT " + rm.name() + ", " + slot.name() + ", 0");
      for (uint64_t t = 0; t < group_tiles; ++t) {
        b.line("M_TMV 0, " + xv.name() + ", " + rm.name());
        b.add(xv, vlen);
        if (t + 1 < group_tiles) b.add(rm, tile);
      }
    }
    if (pos.last) {
      b.line("M_MV_WO " + yv.name() + ", 0");
      b.add(yv, vlen);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// GEMM and linear: C[M x N] = A[M x K] . B[K x N] (+ bias).

void emit_matmul_with_optional_bias(const TemplateContext& ctx, KernelBuilder& b,
                                    const std::string& x_name, const std::string& w_name,
                                    const std::string& bias_name, const std::string& y_name) {
  const int64_t M = ctx.param("M"), K = ctx.param("K"), N = ctx.param("N");
  set_scale_reg(ctx, b);
  uint64_t free = 0;
  const uint64_t x_vsram = load_activation(ctx, b, x_name, free);
  MatmulOptions opt = matmul_options_from_knobs(ctx);
  if (!bias_name.empty()) opt.bias = hbm_vector(ctx.tensor(bias_name));
  place_scratch(ctx, free, M, K, N, opt);
  matmul_from_hbm(ctx, b, x_vsram, M, K, hbm_matrix(ctx.tensor(w_name)), N,
                  ctx.tensor(y_name).address, opt);
}

void emit_gemm(const TemplateContext& ctx, KernelBuilder& b) {
  emit_matmul_with_optional_bias(ctx, b, "A", "B", "", "C");
}

void emit_linear(const TemplateContext& ctx, KernelBuilder& b) {
  emit_matmul_with_optional_bias(ctx, b, "x", "w", "b", "y");
}

// ---------------------------------------------------------------------------------------------
// batch_matmul: C[b] = A[b] . b_mat[b]. A and C are [(B*M) x .] chunked tensors, so batch b is
// the row slice [b*M, (b+1)*M) of each column chunk; one matmul per batch (unrolled: B is small).

void emit_batch_matmul(const TemplateContext& ctx, KernelBuilder& b) {
  const int64_t batches = ctx.param("B"), M = ctx.param("M"), K = ctx.param("K"), N = ctx.param("N");
  const int64_t vlen = ctx.hw.vlen;
  set_scale_reg(ctx, b);
  uint64_t free = 0;
  const uint64_t x_vsram = load_activation(ctx, b, "A", free);
  MatmulOptions opt = matmul_options_from_knobs(ctx);
  opt.x_chunk_rows = batches * M;
  opt.y_chunk_rows = batches * M;
  opt.scratch_vsram = free;
  const uint64_t c_vsram = ctx.tensor("C").address;
  const uint64_t batch_rows = static_cast<uint64_t>(M * vlen);  // one batch's rows of a chunk
  // When Vector SRAM has no room left after A and C (small preset), borrow memory that is idle
  // while a batch runs: chunks 0 and 1 of the last batch's C rows (not written yet) for the
  // earlier batches, and chunks 0 and 1 of batch 0's A rows (consumed) for the last batch.
  const bool borrow = free + matmul_scratch_elems(ctx, M, K, N, opt) > ctx.hw.vector_sram_elems;
  if (borrow) {
    if (N < 2 * vlen || K < 2 * vlen || M < static_cast<int64_t>(ctx.hw.blen) || batches < 2)
      ctx.unsupported("no Vector SRAM left for the matmul scratch");
    b.comment("scratch borrowed from idle rows of C (last batch) and A (batch 0)");
  }
  const TensorPlacement& w = ctx.tensor("b_mat");
  const uint64_t chunk = static_cast<uint64_t>(batches) * batch_rows;  // elements per column chunk
  for (int64_t batch = 0; batch < batches; ++batch) {
    b.comment("batch " + std::to_string(batch));
    const uint64_t row_offset = static_cast<uint64_t>(batch) * batch_rows;
    if (borrow) {
      const uint64_t idle = batch + 1 < batches ? c_vsram + (batches - 1) * batch_rows : x_vsram;
      opt.compensation_vsram = idle;     // chunk 0: M rows
      opt.partial_vsram = idle + chunk;  // chunk 1: M >= BLEN rows
    }
    matmul_from_hbm(ctx, b, x_vsram + row_offset, M, K, HbmMatrix{w.address, batch * K * N, N}, N,
                    c_vsram + row_offset, opt);
  }
}

}  // namespace

void add_matmul_templates(TemplateTable& table) {
  table.push_back({"gemv", emit_gemv, {kGemvBuffersKnob, kGemvGroupKnob}});
  table.push_back({"gemm", emit_gemm, matmul_knob_specs()});
  table.push_back({"batch_matmul", emit_batch_matmul, matmul_knob_specs()});
  table.push_back({"linear", emit_linear, matmul_knob_specs()});
}

}  // namespace kc::plena_baseline
