// Attention building blocks for the PLENA baseline templates: rotary embedding on chunked rows,
// and one scaled-dot-product attention head (scores, softmax, P.V) with an online-softmax
// variant that streams the keys through Matrix SRAM in blocks.
//
// Conventions shared by every block here:
// - Activations live in Vector SRAM in the chunked arrangement of the layout contract: a matrix
//   with `pitch_rows` rows stores element (i, j) at base + ((j / VLEN) * pitch_rows + i) * VLEN
//   + j % VLEN. A VsramMatrix names a column window of such a matrix (e.g. one head).
// - K and V come from HBM (MXFP8, row-major) as Matrix SRAM tiles (H_PREFETCH_M). They are
//   named by HbmMatrix (matmul_blocks.h): element (r, c) at element offset offset + r*pitch + c;
//   for one head of a wider tensor, offset is the head's first column.
// - A block owns the scratch it is given for its duration (Vector SRAM taken from a VsramArena,
//   FP/INT SRAM slots, the whole Matrix SRAM for attention) and clobbers f1..f6, V_MASK,
//   STRIDE_REG and the a-registers it is told to use. It never writes outside its outputs and
//   its scratch. SCALE_REG must already be set (set_scale_reg).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "blocks.h"
#include "matmul_blocks.h"  // HbmMatrix

namespace kc::plena_baseline {

// Column window [col0, col0 + width) of a chunked Vector SRAM matrix with `pitch_rows` rows
// stored at `base` (see above); width is implied by the user (e.g. the head dimension).
struct VsramMatrix {
  uint64_t base = 0;
  int64_t pitch_rows = 0;
  int64_t col0 = 0;
};

// First free address of a bump allocation in Vector SRAM; `take` fails the template (clear
// "unsupported" message) when the preset's Vector SRAM is exhausted.
class VsramArena {
 public:
  VsramArena(const TemplateContext& ctx, uint64_t start);
  uint64_t take(uint64_t elements, const std::string& what);  // VLEN-aligned
  uint64_t next() const { return next_; }

 private:
  const TemplateContext& ctx_;
  uint64_t next_;
};

// Spills a chunked Vector SRAM matrix X [rows x cols] (chunk pitch rows, cols a multiple of
// VLEN, rows a multiple of v_prefetch_rows) to HBM as two row-major MXFP8 tensors at byte
// address + element offsets 0 and lo_offset: hi = mxfp8(X) and lo = mxfp8(X - hi), so that
// hi + lo is within ~0.4% of X. hi is stored, read back in batches into `staging` (8 *
// v_prefetch_rows rows), subtracted from X in place (X becomes X - hi) and the result stored.
void spill_split_to_hbm(const TemplateContext& ctx, KernelBuilder& b, uint64_t vsram_base,
                        int64_t rows, int64_t cols, uint64_t address, int64_t lo_offset,
                        uint64_t staging, int a_index);

// Stores the chunked Vector SRAM matrix [rows x cols] at `vsram_base` (chunk pitch `rows`, cols a
// multiple of VLEN) to HBM byte `address` as a row-major MXFP8 [rows x cols] tensor (element
// (i, j) at element offset i * cols + j), e.g. K and V computed on chip that must come back as
// Matrix SRAM tiles. Uses a-register `a_index`, sets STRIDE_REG. Asynchronous: a later prefetch
// of these bytes waits for the stores.
void store_chunked_to_hbm(const TemplateContext& ctx, KernelBuilder& b, uint64_t vsram_base,
                          int64_t rows, int64_t cols, uint64_t address, int a_index);

// ---------------------------------------------------------------------------------------------
// Rotary position embedding (rotate-half): per head of D columns,
//   y = x * cos + concat(-x[D/2:], x[:D/2]) * sin,  cos/sin [rows x D] shared by every head.
// ---------------------------------------------------------------------------------------------

// cos and sin in Vector SRAM, prepared for rope_in_place: each [rows x width] chunked with
// width = max(D, VLEN) (when VLEN > D a row holds VLEN/D copies of the D values, one per head
// position in the chunk), and the sin table has the first half of every head negated so that
// rotate_half needs no negation per row.
struct RopeTables {
  uint64_t cos_base = 0, sin_base = 0;
  int64_t rows = 0, d = 0, width = 0;
};

// Loads cos/sin ([rows x D] row-major HBM inputs named `cos_tensor`, `sin_tensor`) into
// RopeTables taken from `arena` (uses a-register `a_index`). Needs D % VLEN == 0 with
// (D/2) % VLEN == 0, or VLEN % D == 0 with (D/2) % HLEN == 0.
RopeTables load_rope_tables(const TemplateContext& ctx, KernelBuilder& b, VsramArena& arena,
                            const std::string& cos_tensor, const std::string& sin_tensor,
                            int a_index);

// Applies RoPE in place to `rows` rows of `heads` consecutive heads of D columns of the chunked
// matrix `x` (x.col0 must be a multiple of max(D, VLEN)). Row r uses table row r. When VLEN > D
// and heads * D is not a multiple of VLEN, the rest of the last chunk (e.g. padding columns of
// a K projection widened to MLEN) is rotated too, so it must hold finite values. Takes two
// scratch rows from `arena`.
void rope_in_place(const TemplateContext& ctx, KernelBuilder& b, VsramArena& arena,
                   const VsramMatrix& x, int64_t rows, int64_t heads, const RopeTables& tables);

// ---------------------------------------------------------------------------------------------
// One attention head: o = softmax(q k^T * scale) v, softmax over the keys.
//
// Scores are kept as an unevaluated BF16 pair s = s_hi + s_lo: s_hi is an approximation (the
// rounded M_TMV write-out, or cheaper M_BTMM partial sums) and s_lo = s - s_hi is computed in
// float32 by M_TMV (one query row against a key tile) plus s_hi * (-I) with M_MV in the same
// accumulator before its write-out. softmax then uses exp((s_hi - max) + s_lo). This costs
// extra matrix work per score row, but a single BF16 rounding of scores of magnitude ~8 already
// moves the dominant probabilities by ~1.5%, which exceeds the attention tasks' tolerance
// (atol is relative to the output RMS). The last Matrix SRAM tile holds -I.
// ---------------------------------------------------------------------------------------------

// Where s_hi comes from (s_lo = s - s_hi is always exact, so s_hi may be approximate).
enum class ScoreInstr {
  Tmv,   // M_TMV write-out: one query row against a key tile
  Btmm,  // M_BTMM: BLEN query rows against a key tile per instruction, per-HLEN partial dot
         // products summed with V_ADD_VV (about 3x fewer matrix cycles than M_TMV for s_hi)
};

enum class ValueInstr {
  Mv,   // M_MV: one probability row times a V tile (MLEN output columns per instruction)
  Bmm,  // M_BMM: probabilities replicated per HLEN head, so one instruction covers BLEN rows x
        // MLEN output columns
  Mm,   // M_MM: BLEN x BLEN output blocks (the plain GEMM form, slowest)
};

struct AttentionHead {
  int64_t sq = 0, sk = 0, d = 0;  // queries, keys, head dimension
  VsramMatrix q;                  // [sq x d] window, read only
  HbmMatrix k, v;                 // [sk x d] windows in HBM (row 0 at offset)
  int k_a_reg = 1, v_a_reg = 2;   // a-registers the block sets to k.address / v.address
  // Optional low parts: K = K_hi + K_lo with K_lo at element offset k.offset + k_lo_delta from
  // the same address and pitch (same for V). For K/V computed on chip and spilled to MXFP8 HBM
  // as value and rounding residual (spill_split_to_hbm): one MXFP8 round trip moves elements
  // by up to ~6%, which the multi-head tasks' tolerance cannot absorb; the pair is ~0.4%.
  // Each part costs one more matrix instruction per tile. 0: no low part.
  int64_t k_lo_delta = 0, v_lo_delta = 0;
  VsramMatrix o;                  // [sq x d] window, written (may not overlap q)
  std::optional<uint64_t> scale_slot;  // FP SRAM slot of the score scale; none = no scaling
};

struct AttentionOptions {
  ValueInstr pv = ValueInstr::Bmm;
  // Scores as the s_hi + s_lo pair described above (needs the -I tile). Without it scores are
  // rounded to BF16 once: about 4x the error, acceptable for tolerance 0.1 but not 0.05.
  bool residual_scores = true;
  ScoreInstr qk = ScoreInstr::Btmm;  // s_hi source (only with residual scores)
  int64_t q_block = 0;  // query rows per block (0: auto = 64); rounded to a multiple of BLEN
                        // dividing sq
  // Keys per block (0: the largest that fits). When all keys fit in Matrix SRAM next to each
  // other, K and V stay resident and the softmax is the plain one; otherwise K/V blocks stream
  // through Matrix SRAM (prefetched one block ahead) and an online softmax (running max and
  // sum per row, output rescaled) combines the blocks; the output and the row sums are then
  // accumulated as compensated (hi, lo) BF16 pairs (Fast2Sum), since hundreds of plain BF16
  // updates drift by several percent. When even one key tile of K and one of V do not fit side
  // by side (small preset), K and V take turns in the same tiles.
  int64_t k_block = 0;
};

// Scratch: Vector SRAM from `arena`, FP SRAM slots [fp_scratch, fp_scratch + 4 * q_block),
// INT SRAM slots [int_scratch, int_scratch + 2), the whole Matrix SRAM, and (with residual
// scores, unless the -I tile is already loaded) MLEN*MLEN elements of writable HBM at byte
// `hbm_scratch` through a-register `hbm_a_reg`.
struct AttentionScratch {
  VsramArena* arena = nullptr;
  uint64_t fp_scratch = 0;
  uint64_t int_scratch = 0;
  uint64_t hbm_scratch = 0;
  int hbm_a_reg = 3;
  bool neg_identity_loaded = false;  // load_neg_identity_tile() already ran
};

// Puts -I (MLEN x MLEN) into the last Matrix SRAM tile: the rows are built in Vector SRAM
// (from `arena`), stored to HBM at byte `hbm_scratch` (MXFP8 represents -1 and 0 exactly) and
// prefetched back. Several heads can share one call (set neg_identity_loaded).
void load_neg_identity_tile(const TemplateContext& ctx, KernelBuilder& b, VsramArena& arena,
                            uint64_t hbm_scratch, int a_reg);

// Emits one attention head. Fails with ctx.unsupported() when the shape cannot be mapped
// (e.g. D neither a multiple nor a divisor of VLEN, or scratch too small).
void emit_attention_head(const TemplateContext& ctx, KernelBuilder& b, const AttentionHead& head,
                         const AttentionOptions& options, const AttentionScratch& scratch);

// The first FP SRAM slot after the layout's constants.
uint64_t first_free_fp_slot(const TemplateContext& ctx);

// ---------------------------------------------------------------------------------------------
// Multi-head attention on projections computed on chip (MHA / GQA / MQA, decoder blocks).
//
// K and V ([rows x NKV*D], chunked in Vector SRAM) are spilled to the HBM scratch area as
// MXFP8 hi/lo pairs (spill_split_to_hbm) so the heads can read them as Matrix SRAM tiles.
// Their rows are `width` = NKV*D rounded up to MLEN wide (a projection can be widened to that
// by reading weight tiles past their row ends; the extra columns are ignored).
// ---------------------------------------------------------------------------------------------

// HBM scratch layout from byte `address`: K hi, K lo, V hi, V lo, each [rows x width] row-major
// MXFP8 in its own part of `part_bytes` (4096-aligned), then room for the -I tile.
struct KvSpill {
  uint64_t address = 0;
  int64_t rows = 0, width = 0;
  uint64_t part_bytes = 0, tile_bytes = 0;
  uint64_t k_address() const { return address; }
  uint64_t v_address() const { return address + 2 * part_bytes; }
  uint64_t neg_identity_address() const { return address + 4 * part_bytes; }
  uint64_t bytes() const { return 4 * part_bytes + tile_bytes; }
};

// The layout for K/V of `kv_cols` (= NKV*D) columns; fails (unsupported) when it does not fit
// the layout's HBM scratch area from `address` on.
KvSpill plan_kv_spill(const TemplateContext& ctx, uint64_t address, int64_t rows, int64_t kv_cols);

// Spills K (`values` false) or V (true), chunked [rows x width] at `vsram_base`, which is
// overwritten (it holds X - hi afterwards). `staging`: 8 * v_prefetch_rows free rows.
void spill_kv(const TemplateContext& ctx, KernelBuilder& b, const KvSpill& kv, bool values,
              uint64_t vsram_base, uint64_t staging, int a_index);

// Runs NH attention heads of D columns: query head h (columns h*D of q) attends to key/value
// head h / (NH / NKV) of the spill and writes columns h*D of o. q and o are chunked with
// kv.rows rows. Scratch per head from a copy of `arena` (reused by every head), FP/INT slots as
// AttentionScratch; with residual scores the -I tile is built once, for all heads.
void emit_attention_heads(const TemplateContext& ctx, KernelBuilder& b, uint64_t q, uint64_t o,
                          int64_t nh, int64_t nkv, int64_t d, const KvSpill& kv,
                          std::optional<uint64_t> scale_slot, const AttentionOptions& options,
                          const VsramArena& arena, uint64_t fp_scratch, uint64_t int_scratch);

}  // namespace kc::plena_baseline
