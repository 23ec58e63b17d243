// Attention building blocks for the PLENA baseline templates (see attention_blocks.h).
#include "attention_blocks.h"

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <type_traits>

namespace kc::plena_baseline {
namespace {

// ---- Instruction text ------------------------------------------------------------------------

std::string arg(const GpReg& r) { return r.name(); }
std::string arg(const std::string& s) { return s; }
std::string arg(const char* s) { return s; }
template <typename T, typename = std::enable_if_t<std::is_integral_v<T>>>
std::string arg(T value) {
  return std::to_string(value);
}

// op(b, "V_ADD_VV", rd, rs1, rs2, 0) emits "V_ADD_VV gp3, gp1, gp2, 0".
template <typename... A>
void op(KernelBuilder& b, const char* mnemonic, const A&... args) {
  std::string text = mnemonic;
  const char* sep = " ";
  ((text += sep, text += arg(args), sep = ", "), ...);
  b.line(text);
}

std::string a_reg(int index) { return "a" + std::to_string(index); }

// dst = src + delta (any 32-bit delta).
void set_sum(KernelBuilder& b, const GpReg& dst, const GpReg& src, int64_t delta) {
  if (delta >= -131072 && delta <= 131071) {
    op(b, "S_ADDI_INT", dst, src, delta);
    return;
  }
  b.set(dst, delta);
  op(b, "S_ADD_INT", dst, dst, src);
}

uint64_t align_up(uint64_t value, uint64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

// ---- V_MASK ----------------------------------------------------------------------------------

// Head bits (HLEN lanes each) covering the lanes [lo, hi) of a VLEN row (multiples of HLEN).
uint32_t lane_mask(const TemplateContext& ctx, int64_t lo, int64_t hi) {
  const int64_t hlen = ctx.hw.hlen;
  uint32_t mask = 0;
  for (int64_t h = 0; h < static_cast<int64_t>(ctx.hw.heads()); ++h)
    if (h * hlen >= lo && (h + 1) * hlen <= hi) mask |= 1u << h;
  return mask;
}

uint32_t all_heads(const TemplateContext& ctx) { return (1u << ctx.hw.heads()) - 1u; }

void set_mask(KernelBuilder& b, uint32_t mask) {
  GpReg r = b.gp();
  b.set(r, mask);
  op(b, "C_SET_V_MASK_REG", r);
}

// row = 0 whatever it held (a shift by VLEN fills every lane with zero; 0 * x would keep NaN
// and turn inf into NaN). `vlen_reg` holds VLEN.
void zero_row(KernelBuilder& b, const GpReg& row, const GpReg& vlen_reg) {
  op(b, "V_SHFT_V", row, row, vlen_reg);
}

// ---- RoPE helpers ----------------------------------------------------------------------------

void check_rope_geometry(const TemplateContext& ctx, int64_t d) {
  const int64_t vlen = ctx.hw.vlen, hlen = ctx.hw.hlen;
  const bool halves_are_chunks = d % 2 == 0 && (d / 2) % vlen == 0;
  const bool heads_in_chunk = d % 2 == 0 && vlen % d == 0 && (d / 2) % hlen == 0;
  if (!halves_are_chunks && !heads_in_chunk)
    ctx.unsupported("RoPE needs D/2 to be a multiple of VLEN, or VLEN a multiple of D with D/2 a "
                    "multiple of HLEN (D = " + std::to_string(d) + ")");
}

// Loads a [rows x d] HBM table with d < VLEN so that Vector SRAM row r holds VLEN/d copies of
// table row r. One strided prefetch reads overlapping HBM rows (row r = table rows r, r+1, ...);
// copies g >= 1 are then filled from a shifted copy 0 through V_MASK.
void load_replicated_table(const TemplateContext& ctx, KernelBuilder& b, const std::string& tensor,
                           uint64_t base, uint64_t tmp_row, int a_index) {
  const TensorPlacement& p = ctx.tensor(tensor);
  const int64_t vlen = ctx.hw.vlen, d = p.cols, rows = p.rows;
  const int64_t per_prefetch = ctx.hw.v_prefetch_rows;
  b.comment("load " + tensor + " [" + std::to_string(rows) + " x " + std::to_string(d) + "] with " +
            std::to_string(vlen / d) + " copies per Vector SRAM row");
  b.set_addr_reg(a_index, p.address);
  b.set_stride_reg(static_cast<uint64_t>(d));
  {
    GpReg dst = b.gp(), offset = b.gp();
    b.set(dst, static_cast<int64_t>(base));
    b.set(offset, 0);
    b.loop(static_cast<uint64_t>(rows / per_prefetch), [&] {
      op(b, "H_PREFETCH_V", dst, offset, a_reg(a_index), 1, 0);
      b.add(dst, per_prefetch * vlen);
      b.add(offset, per_prefetch * d);
    });
    b.loop(static_cast<uint64_t>(rows % per_prefetch), [&] {
      op(b, "H_PREFETCH_V", dst, offset, a_reg(a_index), 0, 0);
      b.add(dst, vlen);
      b.add(offset, d);
    });
  }
  GpReg row = b.gp(), tmp = b.gp(), shift = b.gp();
  b.set(tmp, static_cast<int64_t>(tmp_row));
  for (int64_t g = 1; g < vlen / d; ++g) {
    set_mask(b, lane_mask(ctx, g * d, (g + 1) * d));
    b.set(shift, -g * d);
    b.set(row, static_cast<int64_t>(base));
    b.loop(static_cast<uint64_t>(rows), [&] {
      op(b, "V_SHFT_V", tmp, row, shift);    // tmp lanes [g*d, (g+1)*d) = copy 0
      op(b, "V_ADD_VF", row, tmp, "f0", 1);  // masked copy into copy g
      b.add(row, vlen);
    });
  }
}

// sin -> "signed sin": lanes in the first half of a head are negated, so that
// rotate_half(x) * sin = swap_halves(x) * signed_sin.
void negate_first_halves(const TemplateContext& ctx, KernelBuilder& b, const RopeTables& t) {
  const int64_t vlen = ctx.hw.vlen, hlen = ctx.hw.hlen;
  b.comment("negate the first half of every head of the sin table");
  for (int64_t c = 0; c < t.width / vlen; ++c) {
    uint32_t mask = 0;
    for (int64_t h = 0; h < static_cast<int64_t>(ctx.hw.heads()); ++h)
      if ((c * vlen + h * hlen) % t.d < t.d / 2) mask |= 1u << h;
    if (mask == 0) continue;
    const int rmask = mask == all_heads(ctx) ? 0 : 1;
    if (rmask) set_mask(b, mask);
    for_each_row(ctx, b, t.sin_base + static_cast<uint64_t>(c * t.rows * vlen),
                 static_cast<uint64_t>(t.rows), 1, [&](const GpReg& row) {
                   op(b, "V_SUB_VF", row, row, "f0", rmask, 1);  // 0 - x
                 });
  }
}

// RoPE when every VLEN chunk holds whole heads (VLEN a multiple of D): per row, the two halves
// of each head are swapped with two V_SHFT_V and a masked merge, then
// y = x * cos + swapped * signed_sin.
void rope_within_chunks(const TemplateContext& ctx, KernelBuilder& b, uint64_t x0, int64_t pitch,
                        int64_t rows, int64_t chunks, const RopeTables& t, uint64_t tmp1,
                        uint64_t tmp2) {
  const int64_t vlen = ctx.hw.vlen, hlen = ctx.hw.hlen, d = t.d;
  const int64_t chunk_step = pitch * vlen;
  uint32_t second_half = 0;
  for (int64_t h = 0; h < static_cast<int64_t>(ctx.hw.heads()); ++h)
    if ((h * hlen) % d >= d / 2) second_half |= 1u << h;
  set_mask(b, second_half);
  GpReg up = b.gp(), down = b.gp(), t1 = b.gp(), t2 = b.gp();
  GpReg cos_row = b.gp(), sin_row = b.gp(), x = b.gp();
  b.set(up, d / 2);
  b.set(down, -d / 2);
  b.set(t1, static_cast<int64_t>(tmp1));
  b.set(t2, static_cast<int64_t>(tmp2));
  b.set(cos_row, static_cast<int64_t>(t.cos_base));
  b.set(sin_row, static_cast<int64_t>(t.sin_base));
  b.set(x, static_cast<int64_t>(x0));
  b.loop(static_cast<uint64_t>(rows), [&] {
    b.loop(static_cast<uint64_t>(chunks), [&] {
      op(b, "V_SHFT_V", t1, x, up);          // first-half lanes: x[i + D/2]
      op(b, "V_SHFT_V", t2, x, down);        // second-half lanes: x[i - D/2]
      op(b, "V_ADD_VF", t1, t2, "f0", 1);    // merge: t1 = swap_halves(x)
      op(b, "V_MUL_VV", t1, t1, sin_row, 0);
      op(b, "V_MUL_VV", x, x, cos_row, 0);
      op(b, "V_ADD_VV", x, x, t1, 0);
      b.add(x, chunk_step);
    });
    b.add(x, vlen - chunks * chunk_step);
    b.add(cos_row, vlen);
    b.add(sin_row, vlen);
  });
}

// RoPE when the halves of a head are whole chunks (D/2 a multiple of VLEN): chunk q and chunk
// q + D/(2 VLEN) of a head are each other's rotation partners and are updated together.
void rope_chunk_pairs(const TemplateContext& ctx, KernelBuilder& b, uint64_t x0, int64_t pitch,
                      int64_t rows, int64_t heads, const RopeTables& t, uint64_t tmp1,
                      uint64_t tmp2) {
  const int64_t vlen = ctx.hw.vlen, d = t.d;
  const int64_t chunk_step = pitch * vlen, head_chunks = d / vlen, half = head_chunks / 2;
  const int64_t head_step = head_chunks * chunk_step, table_chunk = t.rows * vlen;
  for (int64_t q = 0; q < half; ++q) {
    GpReg a = b.gp(), c = b.gp(), cos_a = b.gp(), cos_c = b.gp(), sin_a = b.gp(), sin_c = b.gp();
    GpReg t1 = b.gp(), t2 = b.gp();
    b.set(a, static_cast<int64_t>(x0) + q * chunk_step);
    b.set(c, static_cast<int64_t>(x0) + (q + half) * chunk_step);
    b.set(cos_a, static_cast<int64_t>(t.cos_base) + q * table_chunk);
    b.set(cos_c, static_cast<int64_t>(t.cos_base) + (q + half) * table_chunk);
    b.set(sin_a, static_cast<int64_t>(t.sin_base) + q * table_chunk);
    b.set(sin_c, static_cast<int64_t>(t.sin_base) + (q + half) * table_chunk);
    b.set(t1, static_cast<int64_t>(tmp1));
    b.set(t2, static_cast<int64_t>(tmp2));
    b.loop(static_cast<uint64_t>(rows), [&] {
      b.loop(static_cast<uint64_t>(heads), [&] {
        op(b, "V_MUL_VV", t1, a, cos_a, 0);  // a * cos_a
        op(b, "V_MUL_VV", t2, a, sin_c, 0);  // a * sin_c        (partner term of c)
        op(b, "V_MUL_VV", a, c, sin_a, 0);   // c * (-sin_a)
        op(b, "V_ADD_VV", a, a, t1, 0);
        op(b, "V_MUL_VV", c, c, cos_c, 0);
        op(b, "V_ADD_VV", c, c, t2, 0);
        b.add(a, head_step);
        b.add(c, head_step);
      });
      b.add(a, vlen - heads * head_step);
      b.add(c, vlen - heads * head_step);
      b.add(cos_a, vlen);
      b.add(cos_c, vlen);
      b.add(sin_a, vlen);
      b.add(sin_c, vlen);
    });
  }
}

}  // namespace

// ---- Arena -----------------------------------------------------------------------------------

VsramArena::VsramArena(const TemplateContext& ctx, uint64_t start)
    : ctx_(ctx), next_(align_up(start, ctx.hw.vlen)) {}

uint64_t VsramArena::take(uint64_t elements, const std::string& what) {
  const uint64_t base = next_;
  next_ = align_up(next_ + elements, ctx_.hw.vlen);
  if (next_ > ctx_.hw.vector_sram_elems)
    ctx_.unsupported("Vector SRAM (" + std::to_string(ctx_.hw.vector_sram_elems) +
                     " elements) is too small for " + what + " (needs up to element " +
                     std::to_string(next_) + ")");
  return base;
}

void store_chunked_to_hbm(const TemplateContext& ctx, KernelBuilder& b, uint64_t vsram_base,
                          int64_t rows, int64_t cols, uint64_t address, int a_index) {
  const int64_t vlen = ctx.hw.vlen, per_store = ctx.hw.v_writeback_rows;
  require_multiple(ctx, cols, vlen, "columns stored to HBM");
  require_multiple(ctx, cols, 8, "HBM row length (MX blocks)");
  b.comment("store [" + std::to_string(rows) + " x " + std::to_string(cols) + "] from Vector SRAM " +
            std::to_string(vsram_base) + " to HBM " + std::to_string(address));
  b.set_addr_reg(a_index, address);
  b.set_stride_reg(static_cast<uint64_t>(cols));
  GpReg src = b.gp(), offset = b.gp();
  b.set(src, static_cast<int64_t>(vsram_base));
  b.set(offset, 0);
  const std::string a = a_reg(a_index);
  b.loop(static_cast<uint64_t>(cols / vlen), [&] {
    b.loop(static_cast<uint64_t>(rows / per_store), [&] {
      op(b, "H_STORE_V", src, offset, a, 1, 0);
      b.add(src, per_store * vlen);
      b.add(offset, per_store * cols);
    });
    b.loop(static_cast<uint64_t>(rows % per_store), [&] {
      op(b, "H_STORE_V", src, offset, a, 0, 0);
      b.add(src, vlen);
      b.add(offset, cols);
    });
    b.add(offset, vlen - rows * cols);  // row 0 of the next column chunk
  });
}

void spill_split_to_hbm(const TemplateContext& ctx, KernelBuilder& b, uint64_t vsram_base,
                        int64_t rows, int64_t cols, uint64_t address, int64_t lo_offset,
                        uint64_t staging, int a_index) {
  const int64_t vlen = ctx.hw.vlen, group = ctx.hw.v_prefetch_rows;
  require_multiple(ctx, rows, group, "rows spilled as a hi/lo pair");
  if (static_cast<int64_t>(ctx.hw.v_writeback_rows) != group)
    ctx.unsupported("hi/lo spill needs v_prefetch_rows == v_writeback_rows");
  store_chunked_to_hbm(ctx, b, vsram_base, rows, cols, address, a_index);  // hi (sets a, stride)
  b.comment("read hi back, X -= hi, store lo = X - hi");
  const int64_t groups = rows / group;
  int64_t batch = 1;
  for (int64_t g = 1; g <= 8; ++g)
    if (groups % g == 0) batch = g;
  const std::string a = a_reg(a_index);
  GpReg x = b.gp(), offset = b.gp(), stage = b.gp(), t = b.gp(), lo = b.gp();
  b.set(x, static_cast<int64_t>(vsram_base));
  b.set(offset, 0);
  b.loop(static_cast<uint64_t>(cols / vlen), [&] {
    b.loop(static_cast<uint64_t>(groups / batch), [&] {
      b.set(stage, static_cast<int64_t>(staging));
      op(b, "S_ADDI_INT", t, offset, 0);
      b.loop(static_cast<uint64_t>(batch), [&] {
        op(b, "H_PREFETCH_V", stage, t, a, 1, 0);  // waits for the hi store of these bytes
        b.add(stage, group * vlen);
        b.add(t, group * cols);
      });
      b.set(stage, static_cast<int64_t>(staging));
      set_sum(b, lo, offset, lo_offset);
      b.loop(static_cast<uint64_t>(batch), [&] {
        op(b, "S_ADDI_INT", t, x, 0);
        for (int64_t r = 0; r < group; ++r) {
          op(b, "V_SUB_VV", x, stage, x, 0);  // x - hi
          b.add(x, vlen);
          b.add(stage, vlen);
        }
        op(b, "H_STORE_V", t, lo, a, 1, 0);
        b.add(lo, group * cols);
      });
      b.add(offset, batch * group * cols);
    });
    b.add(offset, vlen - rows * cols);  // row 0 of the next column chunk
  });
}

uint64_t first_free_fp_slot(const TemplateContext& ctx) {
  uint64_t next = 0;
  for (const auto& c : ctx.layout.constants) next = std::max(next, c.address + 1);
  return next;
}

// ---- RoPE ------------------------------------------------------------------------------------

RopeTables load_rope_tables(const TemplateContext& ctx, KernelBuilder& b, VsramArena& arena,
                            const std::string& cos_tensor, const std::string& sin_tensor,
                            int a_index) {
  const TensorPlacement& c = ctx.tensor(cos_tensor);
  const int64_t vlen = ctx.hw.vlen;
  RopeTables t;
  t.rows = c.rows;
  t.d = c.cols;
  t.width = std::max(t.d, vlen);
  check_rope_geometry(ctx, t.d);
  const uint64_t table = static_cast<uint64_t>(t.rows * t.width);
  t.cos_base = arena.take(table, "the RoPE cos table");
  t.sin_base = arena.take(table, "the RoPE sin table");
  if (t.d >= vlen) {
    load_chunked(ctx, b, cos_tensor, t.cos_base, a_index);
    load_chunked(ctx, b, sin_tensor, t.sin_base, a_index);
  } else {
    const uint64_t tmp = arena.take(static_cast<uint64_t>(vlen), "a RoPE table row");
    load_replicated_table(ctx, b, cos_tensor, t.cos_base, tmp, a_index);
    load_replicated_table(ctx, b, sin_tensor, t.sin_base, tmp, a_index);
  }
  negate_first_halves(ctx, b, t);
  return t;
}

void rope_in_place(const TemplateContext& ctx, KernelBuilder& b, VsramArena& arena,
                   const VsramMatrix& x, int64_t rows, int64_t heads, const RopeTables& tables) {
  const int64_t vlen = ctx.hw.vlen, d = tables.d;
  check_rope_geometry(ctx, d);
  if (rows > tables.rows)
    ctx.unsupported("RoPE on " + std::to_string(rows) + " rows with a table of " +
                    std::to_string(tables.rows) + " rows");
  require_multiple(ctx, x.col0, std::max(d, vlen), "RoPE first column");
  const uint64_t tmp1 = arena.take(static_cast<uint64_t>(vlen), "RoPE scratch");
  const uint64_t tmp2 = arena.take(static_cast<uint64_t>(vlen), "RoPE scratch");
  const uint64_t x0 = x.base + static_cast<uint64_t>((x.col0 / vlen) * x.pitch_rows * vlen);
  b.comment("RoPE (rotate-half) on " + std::to_string(rows) + " rows x " + std::to_string(heads) +
            " heads of " + std::to_string(d));
  if ((d / 2) % vlen == 0) {
    rope_chunk_pairs(ctx, b, x0, x.pitch_rows, rows, heads, tables, tmp1, tmp2);
  } else {
    // Whole chunks: lanes past the last head (padding columns) are rotated too.
    rope_within_chunks(ctx, b, x0, x.pitch_rows, rows, (heads * d + vlen - 1) / vlen, tables, tmp1,
                       tmp2);
  }
}

// ---- -I tile ---------------------------------------------------------------------------------

namespace {
uint64_t last_tile_address(const TemplateContext& ctx) {
  const uint64_t tile = static_cast<uint64_t>(ctx.hw.mlen) * ctx.hw.mlen;
  return (ctx.hw.matrix_sram_elems / tile - 1) * tile;
}
}  // namespace

void load_neg_identity_tile(const TemplateContext& ctx, KernelBuilder& b, VsramArena& arena,
                            uint64_t hbm_scratch, int a_index) {
  const int64_t L = ctx.hw.mlen, per_store = ctx.hw.v_writeback_rows;
  if (ctx.hw.vlen != ctx.hw.mlen) ctx.unsupported("attention needs MLEN == VLEN");
  require_multiple(ctx, L, per_store, "MLEN (rows of the -I tile per store)");
  const uint64_t rows = arena.take(static_cast<uint64_t>(L * L), "the -I tile rows");
  b.comment("-I tile: rows built in Vector SRAM, stored to HBM scratch, prefetched to the last tile");
  {
    GpReg row = b.gp(), src = b.gp(), shift = b.gp();
    b.set(src, static_cast<int64_t>(rows));
    b.load_fp(1, ctx.fp_slot("one"));
    b.set(shift, L);
    zero_row(b, src, shift);
    op(b, "V_SUB_VF", src, src, "f1", 0, 0);  // -1 in every lane
    b.set(shift, L - 1);
    op(b, "V_SHFT_V", src, src, shift);  // row 0: -1 in lane 0 only
    set_sum(b, row, src, L);
    b.set(shift, -1);
    b.loop(static_cast<uint64_t>(L - 1), [&] {
      op(b, "V_SHFT_V", row, src, shift);  // row r: -1 in lane r
      b.add(row, L);
      b.add(shift, -1);
    });
  }
  b.set_addr_reg(a_index, hbm_scratch);
  b.set_stride_reg(static_cast<uint64_t>(L));
  GpReg row = b.gp(), offset = b.gp();
  b.set(row, static_cast<int64_t>(rows));
  b.set(offset, 0);
  b.loop(static_cast<uint64_t>(L / per_store), [&] {
    op(b, "H_STORE_V", row, offset, a_reg(a_index), 1, 0);
    b.add(row, per_store * L);
    b.add(offset, per_store * L);
  });
  b.set(row, static_cast<int64_t>(last_tile_address(ctx)));
  op(b, "H_PREFETCH_M", row, "gp0", a_reg(a_index), 1, 0);  // waits for the stores in HBM
}

// ---- One attention head ----------------------------------------------------------------------

namespace {

// Emits one attention head; see emit_attention_head. Names: L = VLEN = MLEN, B = BLEN,
// H = MLEN / HLEN heads of the batched instructions. A query block is Bq rows (nsub BLEN-row
// sub-blocks); a key block is Bk keys = ktpb key tiles of L keys, each key tile being dch
// Matrix SRAM tiles along D (dch = D / L, or 1 when D < L).
//
// Vector SRAM per query block: Qs (scaled queries, chunked with pitch Bq), S = s_hi and
// probabilities [Bq x Bk] (chunk kt of row i at s + (kt * Bq + i) * L), s_lo right after S,
// and for M_BMM the probabilities replicated per HLEN head. FP SRAM: running max and sum per
// query row. INT SRAM: HBM offsets of the next K and V blocks.
class AttentionEmitter {
 public:
  AttentionEmitter(const TemplateContext& ctx, KernelBuilder& b, const AttentionHead& head,
                   const AttentionOptions& opt, const AttentionScratch& scratch)
      : ctx_(ctx), b_(b), head_(head), opt_(opt), scratch_(scratch) {
    plan_geometry();
    plan_blocks();
    plan_scratch();
  }

  void emit();

 private:
  void plan_geometry();
  void plan_blocks();
  void plan_scratch();

  void stage_queries(const GpReg& q_block);
  void key_block(bool first, bool last, const GpReg& o_block);
  void scores();
  void approximate_scores_btmm();
  void mask_padding_keys();
  void softmax(bool first, const GpReg& o_block);
  void values_mv(bool first, const GpReg& o_block);
  void values_bmm(bool first, const GpReg& o_block);
  void values_mm(bool first, const GpReg& o_block);
  void add_partial_output(bool first, const GpReg& o_block);
  void finalize(const GpReg& o_block);
  // Calls use(tile) for the V tile at `part0` (part 0) and, with a low part, the tile of the same
  // key and D chunk in part 1.
  void for_each_value_part(const GpReg& part0, const std::function<void(const GpReg&)>& use);
  void prefetch_block(bool keys);
  void rewind(bool keys);
  void zero_rows(uint64_t base, int64_t rows);

  int64_t tile_elems() const { return L_ * L_; }
  // Matrix SRAM tiles of one key tile of K (V): parts x D tiles; tile (kt, part, dc) of a block
  // at slot + ((kt * parts + part) * dch + dc) * MLEN^2.
  int64_t k_tiles() const { return kparts_ * dch_; }
  int64_t v_tiles() const { return vparts_ * dch_; }
  bool online() const { return nkb_ > 1; }
  // The first key block's P.V lands in O itself unless the head shares its chunks (M_MV and
  // M_BMM write whole rows); later blocks always go through otmp.
  bool writes_output_directly(bool first) const {
    return first && (opt_.pv == ValueInstr::Mm || w_ == L_);
  }
  uint32_t o_mask() const { return lane_mask(ctx_, ooff_, ooff_ + w_); }
  int o_rmask() const { return o_mask() == all_heads(ctx_) ? 0 : 1; }

  const TemplateContext& ctx_;
  KernelBuilder& b_;
  const AttentionHead& head_;
  const AttentionOptions& opt_;
  const AttentionScratch& scratch_;

  int64_t L_ = 0, B_ = 0, H_ = 0, hlen_ = 0, tiles_ = 0;
  int64_t dch_ = 1, w_ = 0;                            // D tiles per key tile; head lanes
  int64_t kparts_ = 1, vparts_ = 1;                    // 2 with a low part
  int64_t qoff_ = 0, koff_ = 0, voff_ = 0, ooff_ = 0;  // head lane offsets when D < VLEN
  int64_t Bq_ = 0, Bk_ = 0, nqb_ = 0, nkb_ = 0, ktpb_ = 0, nsub_ = 0;
  bool shared_ = false;     // K and V blocks take turns in the same Matrix SRAM tiles
  bool streaming_ = false;  // K/V blocks are (re)loaded inside the query-block loop
  int64_t sk_pad_ = 0, valid_last_ = 0;  // keys padded to whole tiles; valid keys in the last
  uint64_t key_bias_ = 0;  // 0 in the valid lanes of the last key tile, -inf in the padding
  uint64_t kslot_ = 0, vslot_ = 0, neg_identity_ = 0;  // Matrix SRAM addresses
  uint64_t qs_ = 0, s_ = 0, erep_ = 0, sumrow_ = 0, otmp_ = 0, shtmp_ = 0, part_ = 0;
  bool btmm_hi_ = false;  // s_hi from M_BTMM partial sums (residual scores only)
  uint64_t olo_ = 0, srow_ = 0, zrow_ = 0;  // compensated output accumulation (online only)
  int64_t lo_delta_ = 0;  // s_lo = s_hi address + lo_delta_
  uint64_t m_slot_ = 0, l_slot_ = 0, k_int_ = 0, v_int_ = 0;
  uint64_t q0_ = 0, o0_ = 0;           // chunk of the view's first column, row 0
  int64_t k_first_ = 0, v_first_ = 0;  // HBM element offset of tile column 0, key 0
};

void AttentionEmitter::plan_geometry() {
  const auto& hw = ctx_.hw;
  L_ = hw.vlen;
  B_ = hw.blen;
  hlen_ = hw.hlen;
  H_ = hw.heads();
  tiles_ = static_cast<int64_t>(hw.matrix_sram_elems / (static_cast<uint64_t>(hw.mlen) * hw.mlen));
  if (hw.mlen != hw.vlen) ctx_.unsupported("attention needs MLEN == VLEN");
  const int64_t d = head_.d;
  const int64_t cols[] = {head_.q.col0, head_.o.col0, head_.k.offset, head_.v.offset};
  if (d % L_ == 0) {
    dch_ = d / L_;
    w_ = L_;
    for (const int64_t col : cols) require_multiple(ctx_, col, L_, "attention head column");
  } else if (L_ % d == 0) {
    dch_ = 1;
    w_ = d;
    require_multiple(ctx_, d, hlen_, "head dimension (V_MASK granularity)");
    for (const int64_t col : cols) require_multiple(ctx_, col, d, "attention head column");
    qoff_ = head_.q.col0 % L_;
    ooff_ = head_.o.col0 % L_;
    koff_ = head_.k.offset % L_;
    voff_ = head_.v.offset % L_;
  } else {
    ctx_.unsupported("head dimension " + std::to_string(d) +
                     " is neither a multiple nor a divisor of VLEN");
  }
  btmm_hi_ = opt_.residual_scores && opt_.qk == ScoreInstr::Btmm;
  if (btmm_hi_) require_multiple(ctx_, w_, hlen_, "head lanes per chunk (M_BTMM)");
  kparts_ = head_.k_lo_delta != 0 ? 2 : 1;
  vparts_ = head_.v_lo_delta != 0 ? 2 : 1;
  k_first_ = head_.k.offset - koff_;
  v_first_ = head_.v.offset - voff_;
  q0_ = head_.q.base + static_cast<uint64_t>((head_.q.col0 / L_) * head_.q.pitch_rows * L_);
  o0_ = head_.o.base + static_cast<uint64_t>((head_.o.col0 / L_) * head_.o.pitch_rows * L_);
}

void AttentionEmitter::plan_blocks() {
  require_multiple(ctx_, head_.sq, B_, "queries");
  // Keys are padded to whole tiles; the padding keys get a -inf score bias (see key_bias_).
  sk_pad_ = (head_.sk + L_ - 1) / L_ * L_;
  valid_last_ = head_.sk % L_;
  // Query block: the largest multiple of BLEN dividing sq, at most the requested size and at
  // most what FP SRAM holds (4 values per row).
  const int64_t fp_rows =
      (static_cast<int64_t>(ctx_.hw.fp_sram_elems) - static_cast<int64_t>(scratch_.fp_scratch)) / 4;
  const int64_t q_target =
      std::max<int64_t>(std::min<int64_t>(opt_.q_block > 0 ? opt_.q_block : 64, fp_rows), B_);
  Bq_ = B_;
  for (int64_t r = B_; r <= std::min(q_target, head_.sq); r += B_)
    if (head_.sq % r == 0) Bq_ = r;
  // Key block: key tiles of K and V next to each other, or taking turns when not even one of
  // each fits; with residual scores the last tile holds -I.
  const int64_t free_tiles = tiles_ - (opt_.residual_scores ? 1 : 0);
  shared_ = free_tiles < k_tiles() + v_tiles();
  const int64_t max_key_tiles =
      shared_ ? free_tiles / std::max(k_tiles(), v_tiles()) : free_tiles / (k_tiles() + v_tiles());
  if (max_key_tiles < 1)
    ctx_.unsupported("Matrix SRAM (" + std::to_string(tiles_) + " tiles) cannot hold one key tile " +
                     "of K or V (" + std::to_string(std::max(k_tiles(), v_tiles())) + " tiles)" +
                     (opt_.residual_scores ? " next to the -I tile" : ""));
  const int64_t k_target = std::max(opt_.k_block > 0 ? opt_.k_block : head_.sk, L_);
  ktpb_ = 1;
  for (int64_t t = 1; t <= max_key_tiles && t * L_ <= k_target; ++t)
    if (sk_pad_ % (t * L_) == 0) ktpb_ = t;
  Bk_ = ktpb_ * L_;
  nqb_ = head_.sq / Bq_;
  nkb_ = sk_pad_ / Bk_;
  nsub_ = Bq_ / B_;
  streaming_ = shared_ || nkb_ > 1;
  kslot_ = 0;
  vslot_ = shared_ ? 0 : static_cast<uint64_t>(ktpb_ * k_tiles() * tile_elems());
  neg_identity_ = last_tile_address(ctx_);
}

void AttentionEmitter::plan_scratch() {
  VsramArena& arena = *scratch_.arena;
  const uint64_t L = static_cast<uint64_t>(L_);
  qs_ = arena.take(static_cast<uint64_t>(Bq_ * dch_) * L, "staged queries");
  lo_delta_ = Bq_ * Bk_;
  s_ = arena.take(static_cast<uint64_t>((opt_.residual_scores ? 2 : 1) * Bq_ * Bk_),
                  "the score block");
  if (opt_.pv == ValueInstr::Bmm)
    erep_ = arena.take(static_cast<uint64_t>(Bq_ * Bk_ * H_), "replicated probabilities");
  if (btmm_hi_) part_ = arena.take(static_cast<uint64_t>(H_ * B_) * L, "partial scores");
  sumrow_ = arena.take(L, "the row-sum row");
  otmp_ = arena.take(static_cast<uint64_t>(Bq_ * dch_) * L, "the partial output block");
  shtmp_ = arena.take(L, "a shift row");
  if (valid_last_) key_bias_ = arena.take(L, "the key padding bias row");
  if (online()) {
    olo_ = arena.take(static_cast<uint64_t>(Bq_ * dch_) * L, "the output compensation block");
    srow_ = arena.take(L, "a sum row");
    zrow_ = arena.take(L, "an error row");
  }
  // FP SRAM per query row: running max, l_hi, l_lo, alpha.
  m_slot_ = scratch_.fp_scratch;
  l_slot_ = scratch_.fp_scratch + static_cast<uint64_t>(Bq_);
  if (m_slot_ + 4 * static_cast<uint64_t>(Bq_) > ctx_.hw.fp_sram_elems)
    ctx_.unsupported("FP SRAM too small for the running max/sum of " + std::to_string(Bq_) +
                     " query rows");
  k_int_ = scratch_.int_scratch;
  v_int_ = scratch_.int_scratch + 1;
  if (v_int_ >= ctx_.hw.int_sram_elems) ctx_.unsupported("INT SRAM too small");
}

void AttentionEmitter::zero_rows(uint64_t base, int64_t rows) {
  GpReg vlen = b_.gp();
  b_.set(vlen, L_);
  for_each_row(ctx_, b_, base, static_cast<uint64_t>(rows), 1,
               [&](const GpReg& row) { zero_row(b_, row, vlen); });
}

const char* value_name(ValueInstr v) {
  switch (v) {
    case ValueInstr::Mv: return "M_MV";
    case ValueInstr::Bmm: return "M_BMM";
    case ValueInstr::Mm: return "M_MM";
  }
  return "?";
}

void AttentionEmitter::emit() {
  const auto& h = head_;
  b_.comment("attention head: " + std::to_string(h.sq) + " queries x " + std::to_string(h.sk) +
             " keys, D = " + std::to_string(h.d) + "; query blocks of " + std::to_string(Bq_) +
             ", key blocks of " + std::to_string(Bk_) +
             (!streaming_ ? " (K/V resident)"
                          : shared_ ? " (K and V take turns in Matrix SRAM, online softmax)"
                                    : " (streamed, online softmax)") +
             (opt_.residual_scores ? "; scores M_TMV + residual" : "; scores M_TMV") +
             (kparts_ > 1 ? " (K hi + lo)" : "") + ", P.V " + value_name(opt_.pv) +
             (vparts_ > 1 ? " (V hi + lo)" : ""));
  if (opt_.residual_scores && !scratch_.neg_identity_loaded)
    load_neg_identity_tile(ctx_, b_, *scratch_.arena, scratch_.hbm_scratch, scratch_.hbm_a_reg);
  b_.set_addr_reg(h.k_a_reg, h.k.address);
  b_.set_addr_reg(h.v_a_reg, h.v.address);
  if (h.scale_slot) b_.load_fp(5, *h.scale_slot);
  if (w_ < L_) zero_rows(qs_, Bq_ * dch_);  // staged queries keep zeros outside the head lanes
  if (valid_last_) {
    GpReg bias = b_.gp(), shift = b_.gp();
    b_.set(bias, static_cast<int64_t>(key_bias_));
    b_.load_fp(1, ctx_.fp_slot("neg_inf"));
    b_.set(shift, L_);
    zero_row(b_, bias, shift);
    op(b_, "V_ADD_VF", bias, bias, "f1", 0);  // -inf
    b_.set(shift, -valid_last_);
    op(b_, "V_SHFT_V", bias, bias, shift);    // lanes below valid_last become 0
  }
  {
    GpReg r = b_.gp();
    b_.set(r, k_first_);
    op(b_, "S_ST_INT", r, "gp0", k_int_);
    b_.set(r, v_first_);
    op(b_, "S_ST_INT", r, "gp0", v_int_);
  }
  prefetch_block(true);
  if (!shared_) prefetch_block(false);
  GpReg q_block = b_.gp(), o_block = b_.gp();
  b_.set(q_block, static_cast<int64_t>(q0_));
  b_.set(o_block, static_cast<int64_t>(o0_));
  b_.loop(static_cast<uint64_t>(nqb_), [&] {
    stage_queries(q_block);
    if (nkb_ == 1) {
      key_block(true, true, o_block);
    } else {
      key_block(true, false, o_block);
      b_.loop(static_cast<uint64_t>(nkb_ - 2), [&] { key_block(false, false, o_block); });
      key_block(false, true, o_block);
    }
    finalize(o_block);
    b_.add(q_block, Bq_ * L_);
    b_.add(o_block, Bq_ * L_);
  });
}

// Qs (Bq rows x dch chunks, pitch Bq) = scale * Q block. When D < VLEN the head is moved to the
// lanes it has in the K tiles and the other lanes stay zero, so M_TMV sums over the head only.
void AttentionEmitter::stage_queries(const GpReg& q_block) {
  const bool masked = w_ < L_;
  const int64_t shift = qoff_ - koff_;
  const std::string scalar = head_.scale_slot ? "f5" : "f0";
  const char* mnemonic = head_.scale_slot ? "V_MUL_VF" : "V_ADD_VF";
  if (masked) set_mask(b_, lane_mask(ctx_, koff_, koff_ + w_));
  GpReg src = b_.gp(), dst = b_.gp();
  std::optional<GpReg> shift_reg, tmp;
  if (masked && shift != 0) {
    shift_reg.emplace(b_.gp());
    tmp.emplace(b_.gp());
    b_.set(*shift_reg, shift);
    b_.set(*tmp, static_cast<int64_t>(shtmp_));
  }
  for (int64_t dc = 0; dc < dch_; ++dc) {
    set_sum(b_, src, q_block, dc * head_.q.pitch_rows * L_);
    b_.set(dst, static_cast<int64_t>(qs_) + dc * Bq_ * L_);
    b_.loop(static_cast<uint64_t>(Bq_), [&] {
      if (tmp) {
        op(b_, "V_SHFT_V", *tmp, src, *shift_reg);
        op(b_, mnemonic, dst, *tmp, scalar, 1);
      } else {
        op(b_, mnemonic, dst, src, scalar, masked ? 1 : 0);
      }
      b_.add(src, L_);
      b_.add(dst, L_);
    });
  }
}

// Separate K/V tiles: the next K block loads during softmax and P.V, the next V block during
// the next scores. Shared tiles: V of this block loads after the scores, the next K block after
// P.V. At the end of a query block the stream wraps to key block 0 of the next query block.
void AttentionEmitter::key_block(bool first, bool last, const GpReg& o_block) {
  if (first && online()) zero_rows(olo_, Bq_ * dch_);
  if (streaming_ && last) {
    rewind(true);
    if (!shared_) rewind(false);
  }
  scores();
  if (last && valid_last_) mask_padding_keys();
  if (shared_)
    prefetch_block(false);
  else if (streaming_)
    prefetch_block(true);
  softmax(first, o_block);
  switch (opt_.pv) {
    case ValueInstr::Mv: values_mv(first, o_block); break;
    case ValueInstr::Bmm: values_bmm(first, o_block); break;
    case ValueInstr::Mm: values_mm(first, o_block); break;
  }
  if (!writes_output_directly(first)) add_partial_output(first, o_block);
  if (shared_)
    prefetch_block(true);
  else if (streaming_)
    prefetch_block(false);
  if (shared_ && last) rewind(false);
}

// s_hi for BLEN query rows and a key tile at a time with M_BTMM: BACC holds, per HLEN group of
// lanes, the partial dot products over those lanes (accumulated over the D tiles and K parts);
// the head's groups are summed with V_ADD_VV. Only an approximation of the scores (BF16
// partial sums), which is all s_hi needs to be: s_lo = s - s_hi is computed exactly next.
void AttentionEmitter::approximate_scores_btmm() {
  b_.comment("s_hi ~ Qs . K^T (M_BTMM partial products, summed over the HLEN groups)");
  const int64_t groups = w_ / hlen_, first_group = koff_ / hlen_;
  GpReg q = b_.gp(), s = b_.gp(), k = b_.gp(), row = b_.gp(), pa = b_.gp(), pb = b_.gp();
  b_.set(q, static_cast<int64_t>(qs_));
  b_.set(s, static_cast<int64_t>(s_));
  b_.loop(static_cast<uint64_t>(nsub_), [&] {
    b_.set(k, static_cast<int64_t>(kslot_));
    b_.loop(static_cast<uint64_t>(ktpb_), [&] {
      for (int64_t part = 0; part < kparts_; ++part) {
        for (int64_t dc = 0; dc < dch_; ++dc) {
          if (part == 0 && dc == 0) {
            op(b_, "M_BTMM", "gp0", k, q);
          } else {
            set_sum(b_, pa, q, dc * Bq_ * L_);
            set_sum(b_, pb, k, (part * dch_ + dc) * tile_elems());
            op(b_, "M_BTMM", "gp0", pb, pa);
          }
        }
      }
      b_.set(pa, static_cast<int64_t>(part_));
      op(b_, "M_BMM_WO", pa, 0);  // group g, row i -> part_ row g * B + i
      b_.add(pa, first_group * B_ * L_);
      op(b_, "S_ADDI_INT", row, s, 0);
      for (int64_t i = 0; i < B_; ++i) {  // row i = sum of its groups' partial rows
        if (groups == 1) {
          op(b_, "V_ADD_VF", row, pa, "f0", 0);
        } else {
          set_sum(b_, pb, pa, B_ * L_);
          op(b_, "V_ADD_VV", row, pa, pb, 0);
          for (int64_t g = 2; g < groups; ++g) {
            b_.add(pb, B_ * L_);
            op(b_, "V_ADD_VV", row, row, pb, 0);
          }
        }
        b_.add(pa, L_);
        b_.add(row, L_);
      }
      b_.add(k, k_tiles() * tile_elems());
      b_.add(s, Bq_ * L_);
    });
    b_.add(q, B_ * L_);
    b_.add(s, B_ * L_ - ktpb_ * Bq_ * L_);
  });
}

// Per query row and key tile: VACC = q . K^T (M_TMV over the D tiles and K parts) -> s_hi
// (unless M_BTMM already gave an approximate s_hi); with residual scores, again q . K^T +
// s_hi . (-I) -> s_lo = s - s_hi.
void AttentionEmitter::scores() {
  if (btmm_hi_) approximate_scores_btmm();
  b_.comment(opt_.residual_scores
                 ? "scores: s_hi = Qs . K^T (M_TMV), s_lo = Qs . K^T - s_hi (M_TMV + M_MV by -I)"
                 : "scores: s = Qs . K^T (M_TMV)");
  GpReg q = b_.gp(), hi = b_.gp(), k = b_.gp(), hi_t = b_.gp();
  std::optional<GpReg> neg_i, tq, tk;
  if (opt_.residual_scores) {
    neg_i.emplace(b_.gp());
    b_.set(*neg_i, static_cast<int64_t>(neg_identity_));
  }
  if (dch_ > 1) tq.emplace(b_.gp());
  if (k_tiles() > 1) tk.emplace(b_.gp());
  b_.set(q, static_cast<int64_t>(qs_));
  b_.set(hi, static_cast<int64_t>(s_));
  auto dot_products = [&] {
    for (int64_t part = 0; part < kparts_; ++part) {
      for (int64_t dc = 0; dc < dch_; ++dc) {
        const GpReg* rq = &q;
        const GpReg* rk = &k;
        if (dc > 0) {
          set_sum(b_, *tq, q, dc * Bq_ * L_);
          rq = &*tq;
        }
        if (part > 0 || dc > 0) {
          set_sum(b_, *tk, k, (part * dch_ + dc) * tile_elems());
          rk = &*tk;
        }
        op(b_, "M_TMV", 0, *rq, *rk);
      }
    }
  };
  b_.loop(static_cast<uint64_t>(Bq_), [&] {
    b_.set(k, static_cast<int64_t>(kslot_));
    op(b_, "S_ADDI_INT", hi_t, hi, 0);
    b_.loop(static_cast<uint64_t>(ktpb_), [&] {
      if (!btmm_hi_) {
        dot_products();
        op(b_, "M_MV_WO", hi_t, 0);
      }
      if (opt_.residual_scores) {
        dot_products();
        op(b_, "M_MV", 0, hi_t, *neg_i);
        op(b_, "M_MV_WO", hi_t, lo_delta_);
      }
      b_.add(k, k_tiles() * tile_elems());
      b_.add(hi_t, Bq_ * L_);
    });
    b_.add(q, L_);
    b_.add(hi, L_);
  });
}

// Padding keys of the last key tile: score += -inf, so they get probability 0.
void AttentionEmitter::mask_padding_keys() {
  GpReg row = b_.gp(), bias = b_.gp();
  b_.set(row, static_cast<int64_t>(s_) + (ktpb_ - 1) * Bq_ * L_);
  b_.set(bias, static_cast<int64_t>(key_bias_));
  b_.loop(static_cast<uint64_t>(Bq_), [&] {
    op(b_, "V_ADD_VV", row, row, bias, 0);
    b_.add(row, L_);
  });
}

// Per query row: m = max over the block (running max when not first), e = exp((s_hi - m) +
// s_lo) in place (and replicated per HLEN head for M_BMM), l = row sum. When not first:
// alpha = exp(m_old - m) is stored for add_partial_output and l = l * alpha + sum is kept as
// a compensated pair (l_hi, l_lo) because hundreds of BF16 updates would drift by several %.
void AttentionEmitter::softmax(bool first, const GpReg& o_block) {
  (void)o_block;
  b_.comment(first ? "softmax of the first key block" : "online softmax update");
  const bool bmm = opt_.pv == ValueInstr::Bmm;
  const uint64_t neg_inf = ctx_.fp_slot("neg_inf");
  GpReg row = b_.gp(), slot = b_.gp(), t = b_.gp();
  std::optional<GpReg> lo, erow, e, sum;
  if (opt_.residual_scores) lo.emplace(b_.gp());
  b_.set(row, static_cast<int64_t>(s_));
  b_.set(slot, static_cast<int64_t>(m_slot_));
  if (bmm) {
    erow.emplace(b_.gp());
    e.emplace(b_.gp());
    b_.set(*erow, static_cast<int64_t>(erep_));
  }
  if (ktpb_ > 1) {
    sum.emplace(b_.gp());
    b_.set(*sum, static_cast<int64_t>(sumrow_));
  }
  const int64_t chunk_step = Bq_ * L_;
  b_.loop(static_cast<uint64_t>(nsub_), [&] {
    b_.loop(static_cast<uint64_t>(B_), [&] {
      if (first) {
        b_.load_fp(1, neg_inf);
      } else {
        op(b_, "S_LD_FP", "f1", slot, 0);
        op(b_, "S_ADD_FP", "f3", "f1", "f0");
      }
      op(b_, "S_ADDI_INT", t, row, 0);
      b_.loop(static_cast<uint64_t>(ktpb_), [&] {
        op(b_, "V_RED_MAX", "f1", t, 0);
        b_.add(t, chunk_step);
      });
      if (!first) {
        op(b_, "S_SUB_FP", "f3", "f3", "f1");
        op(b_, "S_EXP_FP", "f3", "f3");  // alpha = exp(m_old - m_new)
      }
      op(b_, "S_ADDI_INT", t, row, 0);
      if (lo) set_sum(b_, *lo, row, lo_delta_);
      if (e) op(b_, "S_ADDI_INT", *e, *erow, 0);
      auto exponentials = [&](bool first_chunk) {
        op(b_, "V_SUB_VF", t, t, "f1", 0, 0);      // s_hi - m: exact near the max
        if (lo) op(b_, "V_ADD_VV", t, t, *lo, 0);  // + s_lo
        op(b_, "V_EXP_V", t, t, 0);
        if (sum && first_chunk) op(b_, "V_ADD_VF", *sum, t, "f0", 0);
        if (sum && !first_chunk) op(b_, "V_ADD_VV", *sum, *sum, t, 0);
        if (e) {
          for (int64_t h = 0; h < H_; ++h) {
            op(b_, "V_ADD_VF", *e, t, "f0", 0);
            b_.add(*e, B_ * L_);
          }
        }
        b_.add(t, chunk_step);
        if (lo) b_.add(*lo, chunk_step);
      };
      exponentials(true);
      b_.loop(static_cast<uint64_t>(ktpb_ - 1), [&] { exponentials(false); });
      op(b_, "S_ADD_FP", "f2", "f0", "f0");
      op(b_, "V_RED_SUM", "f2", sum ? *sum : row);
      op(b_, "S_ST_FP", "f1", slot, 0);
      if (first) {
        op(b_, "S_ST_FP", "f2", slot, Bq_);
        if (online()) op(b_, "S_ST_FP", "f0", slot, 2 * Bq_);  // l_lo = 0
      } else {
        op(b_, "S_ST_FP", "f3", slot, 3 * Bq_);  // alpha, for the output update
        op(b_, "S_LD_FP", "f4", slot, Bq_);
        op(b_, "S_LD_FP", "f6", slot, 2 * Bq_);
        op(b_, "S_MUL_FP", "f4", "f4", "f3");
        op(b_, "S_MUL_FP", "f6", "f6", "f3");
        op(b_, "S_ADD_FP", "f1", "f4", "f2");  // l_hi' = l_hi * alpha + sum (rounded)
        op(b_, "S_SUB_FP", "f3", "f1", "f4");
        op(b_, "S_SUB_FP", "f3", "f2", "f3");  // its rounding error (Fast2Sum)
        op(b_, "S_ADD_FP", "f6", "f6", "f3");
        op(b_, "S_ST_FP", "f1", slot, Bq_);
        op(b_, "S_ST_FP", "f6", slot, 2 * Bq_);
      }
      b_.add(row, L_);
      b_.add(slot, 1);
      if (erow) b_.add(*erow, L_);
    });
    if (erow) b_.add(*erow, (ktpb_ * H_ * B_ - B_) * L_);
  });
}

// O row (+)= e . V with M_MV: one probability row times the V tiles of the block, MLEN output
// columns per instruction, accumulated over the key tiles in VACC.
void AttentionEmitter::values_mv(bool first, const GpReg& o_block) {
  b_.comment("O += P . V (M_MV)");
  const bool direct = writes_output_directly(first);
  const int64_t o_pitch = direct ? head_.o.pitch_rows : Bq_;
  GpReg e = b_.gp(), dst = b_.gp(), v = b_.gp(), te = b_.gp();
  std::optional<GpReg> tdst;
  if (dch_ > 1) tdst.emplace(b_.gp());
  b_.set(e, static_cast<int64_t>(s_));
  if (direct)
    op(b_, "S_ADDI_INT", dst, o_block, 0);
  else
    b_.set(dst, static_cast<int64_t>(otmp_));
  b_.loop(static_cast<uint64_t>(Bq_), [&] {
    for (int64_t dc = 0; dc < dch_; ++dc) {
      b_.set(v, static_cast<int64_t>(vslot_) + dc * tile_elems());
      op(b_, "S_ADDI_INT", te, e, 0);
      b_.loop(static_cast<uint64_t>(ktpb_), [&] {
        for_each_value_part(v, [&](const GpReg& tile) { op(b_, "M_MV", 0, te, tile); });
        b_.add(v, v_tiles() * tile_elems());
        b_.add(te, Bq_ * L_);
      });
      if (dc == 0) {
        op(b_, "M_MV_WO", dst, 0);
      } else {
        set_sum(b_, *tdst, dst, dc * o_pitch * L_);
        op(b_, "M_MV_WO", *tdst, 0);
      }
    }
    b_.add(e, L_);
    b_.add(dst, L_);
  });
}

// O block (+)= E . V with M_BMM on the replicated probabilities: every HLEN head of BACC
// computes the same rows, so one instruction covers BLEN rows x MLEN value columns.
void AttentionEmitter::values_bmm(bool first, const GpReg& o_block) {
  b_.comment("O += P . V (M_BMM, probabilities replicated per HLEN head)");
  const bool direct = writes_output_directly(first);
  const int64_t o_pitch = direct ? head_.o.pitch_rows : Bq_;
  GpReg erow = b_.gp(), dst_block = b_.gp(), v = b_.gp(), e = b_.gp(), dst = b_.gp();
  b_.set(erow, static_cast<int64_t>(erep_));
  if (direct)
    op(b_, "S_ADDI_INT", dst_block, o_block, 0);
  else
    b_.set(dst_block, static_cast<int64_t>(otmp_));
  b_.loop(static_cast<uint64_t>(nsub_), [&] {
    for (int64_t dc = 0; dc < dch_; ++dc) {
      b_.set(v, static_cast<int64_t>(vslot_) + dc * tile_elems());
      op(b_, "S_ADDI_INT", e, erow, 0);
      b_.loop(static_cast<uint64_t>(ktpb_), [&] {
        for_each_value_part(v, [&](const GpReg& tile) { op(b_, "M_BMM", "gp0", tile, e); });
        b_.add(v, v_tiles() * tile_elems());
        b_.add(e, H_ * B_ * L_);
      });
      set_sum(b_, dst, dst_block, dc * o_pitch * L_);
      op(b_, "M_BMM_WO", dst, 0);
    }
    b_.add(erow, ktpb_ * H_ * B_ * L_);
    b_.add(dst_block, B_ * L_);
  });
}

// O block (+)= E . V with M_MM: one BLEN x BLEN output block per instruction, accumulated over
// the block's key tiles in ACC; M_MM_WO puts the block in the head's lanes directly.
void AttentionEmitter::values_mm(bool first, const GpReg& o_block) {
  b_.comment("O += P . V (M_MM)");
  const int64_t o_pitch = first ? head_.o.pitch_rows : Bq_;
  GpReg e = b_.gp(), dst_block = b_.gp(), v = b_.gp(), dst = b_.gp();
  b_.set(e, static_cast<int64_t>(s_));
  if (first)
    op(b_, "S_ADDI_INT", dst_block, o_block, 0);
  else
    b_.set(dst_block, static_cast<int64_t>(otmp_));
  b_.loop(static_cast<uint64_t>(nsub_), [&] {
    for (int64_t dc = 0; dc < dch_; ++dc) {
      b_.set(v, static_cast<int64_t>(vslot_) + dc * tile_elems() + voff_);
      set_sum(b_, dst, dst_block, dc * o_pitch * L_);
      b_.loop(static_cast<uint64_t>(w_ / B_), [&] {
        if (ktpb_ == 1) {
          for_each_value_part(v, [&](const GpReg& tile) { op(b_, "M_MM", 0, tile, e); });
        } else {
          GpReg tv = b_.gp(), te = b_.gp();
          op(b_, "S_ADDI_INT", tv, v, 0);
          op(b_, "S_ADDI_INT", te, e, 0);
          b_.loop(static_cast<uint64_t>(ktpb_), [&] {
            for_each_value_part(tv, [&](const GpReg& tile) { op(b_, "M_MM", 0, tile, te); });
            b_.add(tv, v_tiles() * tile_elems());
            b_.add(te, Bq_ * L_);
          });
        }
        op(b_, "M_MM_WO", dst, 0, ooff_);
        b_.add(v, B_);
        b_.add(dst, B_);
      });
    }
    b_.add(e, B_ * L_);
    b_.add(dst_block, B_ * L_);
  });
}

// First block: O rows (head lanes) = otmp rows. Later blocks: O = O * alpha + otmp, with O kept
// as a compensated pair (O, O_lo): Fast2Sum puts each addition's rounding error into O_lo.
// M_MV/M_BMM leave the head in the V tile's lanes, which are moved to O's lanes when they
// differ (D < VLEN); M_MM already wrote O's lanes.
void AttentionEmitter::add_partial_output(bool first, const GpReg& o_block) {
  const int64_t shift = opt_.pv == ValueInstr::Mm ? 0 : voff_ - ooff_;
  const int rm = o_rmask();
  if (rm) set_mask(b_, o_mask());
  GpReg src = b_.gp(), dst = b_.gp();
  std::optional<GpReg> shift_reg, tmp, olo, slot, srow, zrow;
  if (shift != 0) {
    shift_reg.emplace(b_.gp());
    tmp.emplace(b_.gp());
    b_.set(*shift_reg, shift);
    b_.set(*tmp, static_cast<int64_t>(shtmp_));
  }
  if (!first) {
    olo.emplace(b_.gp());
    slot.emplace(b_.gp());
    srow.emplace(b_.gp());
    zrow.emplace(b_.gp());
    b_.set(*srow, static_cast<int64_t>(srow_));
    b_.set(*zrow, static_cast<int64_t>(zrow_));
  }
  for (int64_t dc = 0; dc < dch_; ++dc) {
    b_.set(src, static_cast<int64_t>(otmp_) + dc * Bq_ * L_);
    set_sum(b_, dst, o_block, dc * head_.o.pitch_rows * L_);
    if (!first) {
      b_.set(*olo, static_cast<int64_t>(olo_) + dc * Bq_ * L_);
      b_.set(*slot, static_cast<int64_t>(m_slot_ + 3 * static_cast<uint64_t>(Bq_)));
    }
    b_.loop(static_cast<uint64_t>(Bq_), [&] {
      const GpReg& from = tmp ? *tmp : src;
      if (tmp) op(b_, "V_SHFT_V", *tmp, src, *shift_reg);
      if (first) {
        op(b_, "V_ADD_VF", dst, from, "f0", rm);
      } else {
        op(b_, "S_LD_FP", "f3", *slot, 0);
        op(b_, "V_MUL_VF", dst, dst, "f3", rm);       // a = O * alpha
        op(b_, "V_MUL_VF", *olo, *olo, "f3", rm);
        op(b_, "V_ADD_VV", *srow, dst, from, rm);     // s = a + b
        op(b_, "V_SUB_VV", *zrow, dst, *srow, rm);    // z = s - a
        op(b_, "V_SUB_VV", *zrow, *zrow, from, rm);   // e = b - z
        op(b_, "V_ADD_VV", *olo, *olo, *zrow, rm);
        op(b_, "V_ADD_VF", dst, *srow, "f0", rm);     // O = s
        b_.add(*olo, L_);
        b_.add(*slot, 1);
      }
      b_.add(src, L_);
      b_.add(dst, L_);
    });
  }
}

void AttentionEmitter::for_each_value_part(const GpReg& part0,
                                           const std::function<void(const GpReg&)>& use) {
  use(part0);
  if (vparts_ > 1) {
    GpReg t = b_.gp();
    set_sum(b_, t, part0, dch_ * tile_elems());
    use(t);
  }
}

// O row = (O + O_lo) / (l_hi + l_lo).
void AttentionEmitter::finalize(const GpReg& o_block) {
  b_.comment("O = O / row sum");
  const int rm = o_rmask();
  if (rm) set_mask(b_, o_mask());
  GpReg row = b_.gp(), slot = b_.gp();
  std::optional<GpReg> t, olo;
  if (dch_ > 1) t.emplace(b_.gp());
  if (online()) {
    olo.emplace(b_.gp());
    b_.set(*olo, static_cast<int64_t>(olo_));
  }
  op(b_, "S_ADDI_INT", row, o_block, 0);
  b_.set(slot, static_cast<int64_t>(l_slot_));
  b_.loop(static_cast<uint64_t>(Bq_), [&] {
    op(b_, "S_LD_FP", "f4", slot, 0);
    if (online()) {
      op(b_, "S_LD_FP", "f6", slot, Bq_);
      op(b_, "S_ADD_FP", "f4", "f4", "f6");
    }
    op(b_, "S_RECI_FP", "f4", "f4");
    for (int64_t dc = 0; dc < dch_; ++dc) {
      const GpReg* r = &row;
      if (dc > 0) {
        set_sum(b_, *t, row, dc * head_.o.pitch_rows * L_);
        r = &*t;
      }
      if (olo) {
        if (dc == 0) {
          op(b_, "V_ADD_VV", *r, *r, *olo, rm);
        } else {
          GpReg lo = b_.gp();
          set_sum(b_, lo, *olo, dc * Bq_ * L_);
          op(b_, "V_ADD_VV", *r, *r, lo, rm);
        }
      }
      op(b_, "V_MUL_VF", *r, *r, "f4", rm);
    }
    b_.add(row, L_);
    b_.add(slot, 1);
    if (olo) b_.add(*olo, L_);
  });
}

// Prefetches a K (or V) block into its Matrix SRAM tiles; the block's HBM offset lives in INT
// SRAM between calls and advances by one block.
void AttentionEmitter::prefetch_block(bool keys) {
  const HbmMatrix& m = keys ? head_.k : head_.v;
  const int a = keys ? head_.k_a_reg : head_.v_a_reg;
  const uint64_t slot_int = keys ? k_int_ : v_int_;
  const int64_t parts = keys ? kparts_ : vparts_;
  const int64_t lo_delta = keys ? head_.k_lo_delta : head_.v_lo_delta;
  b_.set_stride_reg(static_cast<uint64_t>(m.pitch));
  GpReg offset = b_.gp(), dst = b_.gp();
  std::optional<GpReg> t;
  if (dch_ > 1 || parts > 1) t.emplace(b_.gp());
  op(b_, "S_LD_INT", offset, "gp0", slot_int);
  b_.set(dst, static_cast<int64_t>(keys ? kslot_ : vslot_));
  b_.loop(static_cast<uint64_t>(ktpb_), [&] {
    for (int64_t part = 0; part < parts; ++part) {
      for (int64_t dc = 0; dc < dch_; ++dc) {
        const int64_t delta = part * lo_delta + dc * L_;
        if (delta == 0) {
          op(b_, "H_PREFETCH_M", dst, offset, a_reg(a), 1, 0);
        } else {
          set_sum(b_, *t, offset, delta);
          op(b_, "H_PREFETCH_M", dst, *t, a_reg(a), 1, 0);
        }
        b_.add(dst, tile_elems());
      }
    }
    b_.add(offset, L_ * m.pitch);
  });
  op(b_, "S_ST_INT", offset, "gp0", slot_int);
}

// Back to key block 0.
void AttentionEmitter::rewind(bool keys) {
  GpReg r = b_.gp();
  const uint64_t slot_int = keys ? k_int_ : v_int_;
  op(b_, "S_LD_INT", r, "gp0", slot_int);
  b_.add(r, -sk_pad_ * (keys ? head_.k.pitch : head_.v.pitch));
  op(b_, "S_ST_INT", r, "gp0", slot_int);
}

}  // namespace

void emit_attention_head(const TemplateContext& ctx, KernelBuilder& b, const AttentionHead& head,
                         const AttentionOptions& options, const AttentionScratch& scratch) {
  if (!scratch.arena) throw std::logic_error("emit_attention_head needs a Vector SRAM arena");
  AttentionEmitter(ctx, b, head, options, scratch).emit();
}

// ---- Multi-head attention ----------------------------------------------------------------------

KvSpill plan_kv_spill(const TemplateContext& ctx, uint64_t address, int64_t rows, int64_t kv_cols) {
  KvSpill kv;
  kv.address = address;
  kv.rows = rows;
  kv.width = (kv_cols + ctx.hw.mlen - 1) / ctx.hw.mlen * ctx.hw.mlen;
  kv.part_bytes = align_up(static_cast<uint64_t>(rows * kv.width), 4096);
  kv.tile_bytes = align_up(static_cast<uint64_t>(ctx.hw.mlen) * ctx.hw.mlen, 4096);
  const uint64_t scratch = ctx.layout.setting("scratch_hbm_address");
  const uint64_t scratch_end = scratch + ctx.layout.setting("scratch_hbm_bytes");
  if (address < scratch || address + kv.bytes() > scratch_end)
    ctx.unsupported("the HBM scratch area is too small for K and V (" + std::to_string(kv.bytes()) +
                    " bytes)");
  return kv;
}

void spill_kv(const TemplateContext& ctx, KernelBuilder& b, const KvSpill& kv, bool values,
              uint64_t vsram_base, uint64_t staging, int a_index) {
  spill_split_to_hbm(ctx, b, vsram_base, kv.rows, kv.width, values ? kv.v_address() : kv.k_address(),
                     static_cast<int64_t>(kv.part_bytes), staging, a_index);
}

void emit_attention_heads(const TemplateContext& ctx, KernelBuilder& b, uint64_t q, uint64_t o,
                          int64_t nh, int64_t nkv, int64_t d, const KvSpill& kv,
                          std::optional<uint64_t> scale_slot, const AttentionOptions& options,
                          const VsramArena& arena, uint64_t fp_scratch, uint64_t int_scratch) {
  if (nkv <= 0 || nh % nkv != 0) ctx.unsupported("NKV must divide NH");
  if (nkv * d > kv.width) ctx.unsupported("the K/V spill is narrower than NKV * D");
  bool neg_identity_loaded = false;
  for (int64_t h = 0; h < nh; ++h) {
    const int64_t g = h / (nh / nkv);
    b.comment("head " + std::to_string(h) + " (key/value head " + std::to_string(g) + ")");
    AttentionHead head;
    head.sq = kv.rows;
    head.sk = kv.rows;
    head.d = d;
    head.q = VsramMatrix{q, kv.rows, h * d};
    head.o = VsramMatrix{o, kv.rows, h * d};
    head.k = HbmMatrix{kv.k_address(), g * d, kv.width};
    head.v = HbmMatrix{kv.v_address(), g * d, kv.width};
    head.k_lo_delta = static_cast<int64_t>(kv.part_bytes);
    head.v_lo_delta = static_cast<int64_t>(kv.part_bytes);
    head.k_a_reg = 1;
    head.v_a_reg = 2;
    head.scale_slot = scale_slot;
    VsramArena head_arena(arena);
    // The -I tile (residual scores) goes after the spill; every head reuses it.
    const AttentionScratch scratch{&head_arena, fp_scratch, int_scratch, kv.neg_identity_address(),
                                   3, neg_identity_loaded};
    emit_attention_head(ctx, b, head, options, scratch);
    neg_identity_loaded = options.residual_scores;
  }
}

}  // namespace kc::plena_baseline
