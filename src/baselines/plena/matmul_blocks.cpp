// Matrix building blocks for the PLENA baseline templates (see matmul_blocks.h).
#include "matmul_blocks.h"

#include <algorithm>
#include <string>

namespace kc::plena_baseline {
namespace {

int64_t tile_elems(const TemplateContext& ctx) {
  return static_cast<int64_t>(ctx.hw.mlen) * static_cast<int64_t>(ctx.hw.mlen);
}

uint64_t msram_capacity_tiles(const TemplateContext& ctx) {
  return ctx.hw.matrix_sram_elems / static_cast<uint64_t>(tile_elems(ctx));
}

// dst = src (a register copy costs one S_ADDI_INT).
void copy(KernelBuilder& b, const GpReg& dst, const GpReg& src) {
  b.line("S_ADDI_INT " + dst.name() + ", " + src.name() + ", 0");
}

std::string a_reg(int index) { return "a" + std::to_string(index); }

// Issues the prefetches of one group: tile t goes to slot + t * MLEN^2 and comes from HBM
// element offset `offset + t * tile_step`. `slot` and `offset` are left unchanged.
void prefetch_group(const TemplateContext& ctx, KernelBuilder& b, const TileStream& s,
                    const GpReg& slot, const GpReg& offset) {
  const std::string a = a_reg(s.a_index);
  if (s.group_tiles == 1) {
    b.line("H_PREFETCH_M " + slot.name() + ", " + offset.name() + ", " + a + ", 1, 0");
    return;
  }
  GpReg dst = b.gp(), src = b.gp();
  copy(b, dst, slot);
  copy(b, src, offset);
  for (uint64_t t = 0; t < s.group_tiles; ++t) {
    b.line("H_PREFETCH_M " + dst.name() + ", " + src.name() + ", " + a + ", 1, 0");
    if (t + 1 == s.group_tiles) break;
    b.add(dst, tile_elems(ctx));
    b.add(src, s.tile_step);
  }
}

}  // namespace

HbmMatrix hbm_matrix(const TensorPlacement& p) { return {p.address, 0, p.cols}; }
HbmVector hbm_vector(const TensorPlacement& p) { return {p.address, 0}; }

uint64_t largest_divisor_at_most(uint64_t tiles, uint64_t limit) {
  for (uint64_t d = std::min(tiles, std::max<uint64_t>(limit, 1)); d > 1; --d)
    if (tiles % d == 0) return d;
  return 1;
}

// ---------------------------------------------------------------------------------------------
// Tile stream.

uint64_t stream_tiles_needed(const TileStream& s) {
  return s.group_tiles * (s.double_buffer ? 2 : 1);
}

void stream_tile_groups(const TemplateContext& ctx, KernelBuilder& b, const TileStream& s,
                        const TileGroupConsumer& consume) {
  const int64_t tile = tile_elems(ctx);
  if (s.group_tiles == 0 || s.groups == 0 || s.outer_count == 0) return;
  if (s.msram_base % static_cast<uint64_t>(tile) != 0 ||
      s.msram_base + stream_tiles_needed(s) * static_cast<uint64_t>(tile) > ctx.hw.matrix_sram_elems)
    ctx.unsupported("the weight tile buffers (" + std::to_string(stream_tiles_needed(s)) +
                    " tiles from Matrix SRAM address " + std::to_string(s.msram_base) +
                    ") do not fit in Matrix SRAM");

  b.comment("stream " + std::to_string(s.outer_count) + " x " + std::to_string(s.groups) +
            " groups of " + std::to_string(s.group_tiles) + " tiles (" +
            (s.double_buffer ? "double" : "single") + " buffered)");
  b.set_stride_reg(static_cast<uint64_t>(s.pitch));
  GpReg slot = b.gp(), cursor = b.gp();  // current buffer; HBM offset of the current group
  b.set(slot, static_cast<int64_t>(s.msram_base));
  b.set(cursor, s.first_offset);
  // With two buffers, the other one is slot_sum - slot: toggling costs one S_SUB_INT.
  std::optional<GpReg> slot_sum;
  if (s.double_buffer) {
    slot_sum.emplace(b.gp());
    const int64_t buffer_elems = static_cast<int64_t>(s.group_tiles) * tile;
    b.set(*slot_sum, 2 * static_cast<int64_t>(s.msram_base) + buffer_elems);
    prefetch_group(ctx, b, s, slot, cursor);  // group 0 goes first; later ones run one ahead
  }

  // From the current group's offset to the next group's: within an outer step, or wrapping to
  // group 0 of the next outer step.
  auto delta_to_next = [&](GroupPosition pos) {
    return pos.last ? s.outer_step - static_cast<int64_t>(s.groups - 1) * s.group_step : s.group_step;
  };
  auto one_group = [&](GroupPosition pos, bool more_follow) {
    if (s.double_buffer) {
      if (more_follow) {
        b.add(cursor, delta_to_next(pos));
        GpReg other = b.gp();
        b.line("S_SUB_INT " + other.name() + ", " + slot_sum->name() + ", " + slot.name());
        prefetch_group(ctx, b, s, other, cursor);
      }
      consume(slot, pos);
      if (more_follow) b.line("S_SUB_INT " + slot.name() + ", " + slot_sum->name() + ", " + slot.name());
    } else {
      prefetch_group(ctx, b, s, slot, cursor);
      consume(slot, pos);
      if (more_follow) b.add(cursor, delta_to_next(pos));
    }
  };
  // The final outer step is peeled so that its last group prefetches nothing.
  auto outer_step = [&](bool final_step) {
    if (s.groups == 1) {
      one_group({true, true}, !final_step);
      return;
    }
    one_group({true, false}, true);
    b.loop(s.groups - 2, [&] { one_group({false, false}, true); });
    one_group({false, true}, !final_step);
  };
  b.loop(s.outer_count - 1, [&] { outer_step(false); });
  outer_step(true);
}

// ---------------------------------------------------------------------------------------------
// Matmul.

namespace {

// Everything the per-group code needs, resolved once.
struct MatmulPlan {
  int64_t M = 0;
  int64_t x_chunk_rows = 0, y_chunk_rows = 0;
  uint64_t x_vsram = 0;
  MatmulScratch scratch;
  int64_t group_tiles = 1;
  bool multi_pass = false;  // K needs more than one group: passes after the first are compensated
};

// After pass 0 of a column chunk: compensation = y - y = 0 for the `rows` rows at yrow/crow
// (y is a finite product here). Advances yrow and crow by `rows` rows.
void zero_compensation(const TemplateContext& ctx, KernelBuilder& b, int64_t rows,
                       const GpReg& yrow, const GpReg& crow) {
  const int64_t vlen = ctx.hw.vlen;
  for (int64_t r = 0; r < rows; ++r) {
    b.line("V_SUB_VV " + crow.name() + ", " + yrow.name() + ", " + yrow.name() + ", 0");
    b.add(yrow, vlen);
    b.add(crow, vlen);
  }
}

// Kahan step for one row: s (at yrow) += p (at prow), compensation c at crow. BF16 everywhere,
// but the rounding error of each addition is carried in c instead of being lost:
//   p' = p - c;  T = s + p';  c' = (T - s) - p';  s = T.
// On the final pass the correction is applied instead of kept: s = T - c'.
// Note V_SUB_VV rd, rs1, rs2 computes rs2 - rs1.
void compensated_add_row(KernelBuilder& b, const GpReg& yrow, const GpReg& prow, const GpReg& crow,
                         bool final_pass) {
  const std::string y = yrow.name(), p = prow.name(), c = crow.name();
  b.line("V_SUB_VV " + p + ", " + c + ", " + p + ", 0");  // p = p - c
  b.line("V_ADD_VV " + c + ", " + y + ", " + p + ", 0");  // c = T = s + p
  b.line("V_SUB_VV " + y + ", " + y + ", " + c + ", 0");  // y = T - s
  b.line("V_SUB_VV " + p + ", " + p + ", " + y + ", 0");  // p = (T - s) - p'  (new compensation)
  if (final_pass) {
    b.line("V_SUB_VV " + y + ", " + p + ", " + c + ", 0");  // s = T - compensation
  } else {
    b.line("V_ADD_VF " + y + ", " + c + ", f0, 0");  // s = T
    b.line("V_ADD_VF " + c + ", " + p + ", f0, 0");  // c = new compensation
  }
}

// Moves the row pointers from where a group's row loop leaves them (M rows further on) to where
// the next group starts: the next K chunks of the same rows, or the next output column chunk.
void advance_to_next_group(const TemplateContext& ctx, KernelBuilder& b, const MatmulPlan& p,
                           GroupPosition pos, const GpReg& xrow, const GpReg& yrow) {
  const int64_t vlen = ctx.hw.vlen;
  if (!pos.last) {
    b.add(xrow, (p.group_tiles * p.x_chunk_rows - p.M) * vlen);
    b.add(yrow, -p.M * vlen);
  } else {
    b.add(yrow, (p.y_chunk_rows - p.M) * vlen);
  }
}

// One K group with M_MM: for every BLEN-row block and every BLEN-column slice of the tile
// column, accumulate the group's K tiles in ACC (float32), then write out. The first group of an
// output column chunk writes Y directly; later groups write to scratch and add into Y.
void block_mm_group(const TemplateContext& ctx, KernelBuilder& b, const MatmulPlan& p,
                    const GpReg& slot, GroupPosition pos, const GpReg& xrow, const GpReg& yrow,
                    const GpReg* crow) {
  const int64_t vlen = ctx.hw.vlen, blen = ctx.hw.blen, mlen = ctx.hw.mlen;
  const int64_t tile = tile_elems(ctx), x_chunk = p.x_chunk_rows * vlen;
  const bool direct = pos.first;
  if (pos.first) b.set(xrow, static_cast<int64_t>(p.x_vsram));
  if (crow) b.set(*crow, static_cast<int64_t>(p.scratch.compensation));
  GpReg rm = b.gp(), rv = b.gp(), wo = b.gp();
  b.loop(static_cast<uint64_t>(p.M / blen), [&] {
    copy(b, rm, slot);
    if (direct) copy(b, wo, yrow);
    else b.set(wo, static_cast<int64_t>(p.scratch.partial));
    b.loop(static_cast<uint64_t>(mlen / blen), [&] {
      copy(b, rv, xrow);
      for (int64_t t = 0; t < p.group_tiles; ++t) {
        b.line("M_MM 0, " + rm.name() + ", " + rv.name());
        if (t + 1 == p.group_tiles) break;
        b.add(rm, tile);
        b.add(rv, x_chunk);
      }
      b.add(rm, blen - (p.group_tiles - 1) * tile);  // next column slice of tile 0
      b.line("M_MM_WO " + wo.name() + ", 0, 0");
      b.add(wo, blen);
    });
    if (direct && crow) {
      zero_compensation(ctx, b, blen, yrow, *crow);
    } else if (direct) {
      b.add(yrow, blen * vlen);
    } else {
      b.set(wo, static_cast<int64_t>(p.scratch.partial));
      for (int64_t r = 0; r < blen; ++r) {
        compensated_add_row(b, yrow, wo, *crow, pos.last);
        b.add(yrow, vlen);
        b.add(*crow, vlen);
        if (r + 1 < blen) b.add(wo, vlen);
      }
    }
    b.add(xrow, blen * vlen);
  });
  advance_to_next_group(ctx, b, p, pos, xrow, yrow);
}

// One K group with M_MV: every activation row times the group's tiles, accumulated in VACC
// (MLEN outputs, float32), then written out (directly for the first group, else via scratch).
void row_mv_group(const TemplateContext& ctx, KernelBuilder& b, const MatmulPlan& p,
                  const GpReg& slot, GroupPosition pos, const GpReg& xrow, const GpReg& yrow,
                  const GpReg* crow) {
  const int64_t vlen = ctx.hw.vlen;
  const int64_t tile = tile_elems(ctx), x_chunk = p.x_chunk_rows * vlen;
  const bool direct = pos.first;
  if (pos.first) b.set(xrow, static_cast<int64_t>(p.x_vsram));
  if (crow) b.set(*crow, static_cast<int64_t>(p.scratch.compensation));
  GpReg rm = b.gp(), rv = b.gp();
  std::optional<GpReg> partial;
  if (!direct) {
    partial.emplace(b.gp());
    b.set(*partial, static_cast<int64_t>(p.scratch.partial));
  }
  b.loop(static_cast<uint64_t>(p.M), [&] {
    copy(b, rm, slot);
    copy(b, rv, xrow);
    for (int64_t t = 0; t < p.group_tiles; ++t) {
      b.line("M_MV 0, " + rv.name() + ", " + rm.name());
      if (t + 1 == p.group_tiles) break;
      b.add(rm, tile);
      b.add(rv, x_chunk);
    }
    if (direct) {
      b.line("M_MV_WO " + yrow.name() + ", 0");
      if (crow) zero_compensation(ctx, b, 1, yrow, *crow);
      else b.add(yrow, vlen);
    } else {
      b.line("M_MV_WO " + partial->name() + ", 0");
      compensated_add_row(b, yrow, *partial, *crow, pos.last);
      b.add(yrow, vlen);
      b.add(*crow, vlen);
    }
    b.add(xrow, vlen);
  });
  advance_to_next_group(ctx, b, p, pos, xrow, yrow);
}

uint64_t weight_tiles_available(const TemplateContext& ctx, const MatmulOptions& opt) {
  const uint64_t capacity = msram_capacity_tiles(ctx);
  if (opt.msram_first_tile >= capacity) ctx.unsupported("no Matrix SRAM tiles left for the weight");
  const uint64_t tiles = opt.msram_tiles ? opt.msram_tiles : capacity - opt.msram_first_tile;
  if (opt.msram_first_tile + tiles > capacity)
    ctx.unsupported("the weight's Matrix SRAM range ends past the end of Matrix SRAM");
  return tiles;
}

}  // namespace

uint64_t matmul_group_tiles(const TemplateContext& ctx, int64_t K, const MatmulOptions& opt) {
  if (opt.weight_buffers != 1 && opt.weight_buffers != 2)
    ctx.unsupported("weight_buffers must be 1 or 2");
  const uint64_t per_buffer =
      weight_tiles_available(ctx, opt) / static_cast<uint64_t>(opt.weight_buffers);
  if (per_buffer == 0) ctx.unsupported("Matrix SRAM range too small for the weight buffers");
  const uint64_t limit = opt.max_group_tiles ? std::min(per_buffer, opt.max_group_tiles) : per_buffer;
  return largest_divisor_at_most(static_cast<uint64_t>(K / ctx.hw.mlen), limit);
}

uint64_t matmul_k_passes(const TemplateContext& ctx, int64_t K, const MatmulOptions& opt) {
  return static_cast<uint64_t>(K / ctx.hw.mlen) / matmul_group_tiles(ctx, K, opt);
}

MatmulScratch matmul_scratch_layout(const TemplateContext& ctx, int64_t M, int64_t K, int64_t N,
                                    const MatmulOptions& opt) {
  const uint64_t vlen = ctx.hw.vlen;
  MatmulScratch s;
  uint64_t cursor = opt.scratch_vsram;
  auto take = [&](uint64_t elems) {
    const uint64_t at = cursor;
    cursor += elems;
    return at;
  };
  s.partial = opt.partial_vsram ? *opt.partial_vsram : take(ctx.hw.blen * vlen);
  if (matmul_k_passes(ctx, K, opt) > 1)
    s.compensation = opt.compensation_vsram ? *opt.compensation_vsram : take(static_cast<uint64_t>(M) * vlen);
  if (opt.bias) s.bias = take(static_cast<uint64_t>(N));
  s.end = cursor;
  return s;
}

uint64_t matmul_scratch_elems(const TemplateContext& ctx, int64_t M, int64_t K, int64_t N,
                              const MatmulOptions& opt) {
  return matmul_scratch_layout(ctx, M, K, N, opt).end - opt.scratch_vsram;
}

void matmul_from_hbm(const TemplateContext& ctx, KernelBuilder& b, uint64_t x_vsram, int64_t M,
                     int64_t K, const HbmMatrix& w, int64_t N, uint64_t y_vsram,
                     const MatmulOptions& opt) {
  const int64_t mlen = ctx.hw.mlen, vlen = ctx.hw.vlen, blen = ctx.hw.blen;
  require_multiple(ctx, K, mlen, "the reduction length K");
  require_multiple(ctx, N, mlen, "the output width N");
  if (M <= 0) ctx.unsupported("empty matmul");
  // M_MM works on whole BLEN-row blocks; other row counts (e.g. one decode token) use M_MV.
  const MatmulInstr instr = M % blen == 0 ? opt.instr : MatmulInstr::RowMV;
  if (opt.scratch_vsram % static_cast<uint64_t>(vlen) != 0)
    ctx.unsupported("matmul scratch address is not VLEN aligned");

  MatmulPlan p;
  p.M = M;
  p.x_chunk_rows = opt.x_chunk_rows ? opt.x_chunk_rows : M;
  p.y_chunk_rows = opt.y_chunk_rows ? opt.y_chunk_rows : M;
  if (p.x_chunk_rows < M || p.y_chunk_rows < M) ctx.unsupported("chunk pitch smaller than M");
  p.x_vsram = x_vsram;
  p.scratch = matmul_scratch_layout(ctx, M, K, N, opt);
  const uint64_t k_tiles = static_cast<uint64_t>(K / mlen);
  const uint64_t group_tiles = matmul_group_tiles(ctx, K, opt);
  p.group_tiles = static_cast<int64_t>(group_tiles);
  p.multi_pass = k_tiles / group_tiles > 1;

  b.comment("Y[" + std::to_string(M) + " x " + std::to_string(N) + "] = X[" + std::to_string(M) +
            " x " + std::to_string(K) + "] . W (" +
            (instr == MatmulInstr::BlockMM ? "M_MM" : "M_MV") + ", " +
            std::to_string(k_tiles / group_tiles) + " K pass(es) of " + std::to_string(group_tiles) +
            " tiles)" + (opt.bias ? " + bias" : ""));
  if (opt.bias) load_bias_rows(ctx, b, *opt.bias, N, p.scratch.bias, opt.bias_a_index);
  b.set_addr_reg(opt.weight_a_index, w.address);

  TileStream s;
  s.a_index = opt.weight_a_index;
  s.pitch = w.pitch;
  s.first_offset = w.offset;
  s.tile_step = mlen * w.pitch;                                   // next K tile
  s.group_step = static_cast<int64_t>(group_tiles) * s.tile_step;  // next K pass
  s.outer_step = mlen;                                            // next output column chunk
  s.outer_count = static_cast<uint64_t>(N / mlen);
  s.groups = k_tiles / group_tiles;
  s.group_tiles = group_tiles;
  s.msram_base = opt.msram_first_tile * static_cast<uint64_t>(tile_elems(ctx));
  s.double_buffer = opt.weight_buffers == 2;
  {
    // X rows of the current K pass; Y rows being written; compensation rows (multi-pass only).
    GpReg xrow = b.gp(), yrow = b.gp();
    std::optional<GpReg> crow;
    if (p.multi_pass) crow.emplace(b.gp());
    const GpReg* comp = crow ? &*crow : nullptr;
    b.set(yrow, static_cast<int64_t>(y_vsram));
    stream_tile_groups(ctx, b, s, [&](const GpReg& slot, GroupPosition pos) {
      if (instr == MatmulInstr::BlockMM) block_mm_group(ctx, b, p, slot, pos, xrow, yrow, comp);
      else row_mv_group(ctx, b, p, slot, pos, xrow, yrow, comp);
    });
  }
  if (opt.bias) add_bias_rows(ctx, b, y_vsram, M, N, p.scratch.bias, p.y_chunk_rows);
}

// ---------------------------------------------------------------------------------------------
// Bias.

void load_bias_rows(const TemplateContext& ctx, KernelBuilder& b, const HbmVector& bias, int64_t N,
                    uint64_t bias_vsram, int a_index) {
  const int64_t vlen = ctx.hw.vlen;
  require_multiple(ctx, N, vlen, "the bias length");
  b.comment("prefetch bias[" + std::to_string(N) + "] into Vector SRAM " + std::to_string(bias_vsram));
  b.set_addr_reg(a_index, bias.address);
  GpReg dst = b.gp(), src = b.gp();
  b.set(dst, static_cast<int64_t>(bias_vsram));
  b.set(src, bias.offset);
  b.loop(static_cast<uint64_t>(N / vlen), [&] {
    b.line("H_PREFETCH_V " + dst.name() + ", " + src.name() + ", " + a_reg(a_index) + ", 0, 0");
    b.add(dst, vlen);
    b.add(src, vlen);
  });
}

void add_bias_rows(const TemplateContext& ctx, KernelBuilder& b, uint64_t y_vsram, int64_t M,
                   int64_t N, uint64_t bias_vsram, int64_t y_chunk_rows) {
  const int64_t vlen = ctx.hw.vlen;
  if (y_chunk_rows == 0) y_chunk_rows = M;
  const int64_t unroll = M % 4 == 0 ? 4 : (M % 2 == 0 ? 2 : 1);
  b.comment("y += bias, one V_ADD_VV per row and column chunk");
  GpReg yrow = b.gp(), brow = b.gp();
  b.set(yrow, static_cast<int64_t>(y_vsram));
  b.set(brow, static_cast<int64_t>(bias_vsram));
  b.loop(static_cast<uint64_t>(N / vlen), [&] {
    b.loop(static_cast<uint64_t>(M / unroll), [&] {
      for (int64_t u = 0; u < unroll; ++u) {
        b.line("V_ADD_VV " + yrow.name() + ", " + yrow.name() + ", " + brow.name() + ", 0");
        b.add(yrow, vlen);
      }
    });
    b.add(brow, vlen);
    b.add(yrow, (y_chunk_rows - M) * vlen);
  });
}

// ---------------------------------------------------------------------------------------------
// Knobs.

std::vector<KnobSpec> matmul_knob_specs() {
  return {
      {"instr", "mm", {"mm", "mv"},
       "matrix instruction: mm = M_MM on BLEN-row blocks, mv = M_MV per activation row"},
      {"weight_buffers", "2", {"2", "1"},
       "Matrix SRAM weight buffers: 2 prefetches the next K group while computing, 1 loads then computes"},
      {"group_tiles", "max", {"max", "1", "2", "4"},
       "most K tiles per weight group (max: as many as one buffer of Matrix SRAM holds)"},
  };
}

MatmulOptions matmul_options_from_knobs(const TemplateContext& ctx) {
  MatmulOptions opt;
  opt.instr = ctx.knob("instr") == "mv" ? MatmulInstr::RowMV : MatmulInstr::BlockMM;
  opt.weight_buffers = static_cast<int>(ctx.knob_int("weight_buffers"));
  const std::string& group = ctx.knob("group_tiles");
  opt.max_group_tiles = group == "max" ? 0 : static_cast<uint64_t>(std::stoull(group));
  return opt;
}

}  // namespace kc::plena_baseline
