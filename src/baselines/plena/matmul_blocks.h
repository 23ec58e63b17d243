// Matrix building blocks for the PLENA baseline templates: stream weight tiles from HBM into
// Matrix SRAM (double buffered), multiply Vector SRAM activations by them, add a bias.
//
// Activation arrangement used throughout ("VLEN-chunked", the output contract of every task):
// element (i, j) of X[rows x cols] lives at base + ((j / VLEN) * chunk_rows + i) * VLEN + j % VLEN,
// where chunk_rows is normally `rows`; a larger chunk_rows lets a call work on a row slice of a
// taller matrix (e.g. one batch of a [B*M x N] tensor).
//
// Every function here expects SCALE_REG to be set already (set_scale_reg in blocks.h).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "blocks.h"

namespace kc::plena_baseline {

// ---------------------------------------------------------------------------------------------
// Operands in HBM.

// A row-major MXFP8 matrix in HBM: element (r, c) at element offset `offset + r * pitch + c`
// from HBM byte address `address`. A column block [K x n] of a wider weight W[K x N] is
// {address, first column, N}; a row block starting at row k0 adds k0 * pitch to offset.
struct HbmMatrix {
  uint64_t address = 0;
  int64_t offset = 0;
  int64_t pitch = 0;
};

// A contiguous MXFP8 vector in HBM: element n at element offset `offset + n` from `address`.
struct HbmVector {
  uint64_t address = 0;
  int64_t offset = 0;
};

HbmMatrix hbm_matrix(const TensorPlacement& p);  // the whole tensor: offset 0, pitch = cols
HbmVector hbm_vector(const TensorPlacement& p);  // the whole tensor from element 0

// ---------------------------------------------------------------------------------------------
// Tile streaming: the engine behind matmul_from_hbm and GEMV, usable by any template that
// consumes a regular sequence of MLEN x MLEN tiles.
//
// The tiles form `outer_count` outer steps, each made of `groups` groups of `group_tiles` tiles.
// Tile t of group g of outer step o is read from HBM element offset
//   first_offset + o * outer_step + g * group_step + t * tile_step   (row pitch `pitch`)
// into Matrix SRAM slot t of the group's buffer. With double buffering the next group is
// prefetched into the other buffer while the current one is consumed; the very last group
// prefetches nothing (no reads past the tensor, no transfer left draining at the end).

struct TileStream {
  int a_index = 1;            // a-register that already holds the tensor's HBM base
  int64_t pitch = 0;          // STRIDE_REG value for the tile rows (set by the stream)
  int64_t first_offset = 0;
  int64_t tile_step = 0, group_step = 0, outer_step = 0;
  uint64_t outer_count = 1, groups = 1, group_tiles = 1;
  uint64_t msram_base = 0;    // Matrix SRAM address of buffer 0 (tile aligned)
  bool double_buffer = true;  // buffer 1 follows buffer 0 directly
};

struct GroupPosition {
  bool first = true;  // group 0 of its outer step
  bool last = true;   // last group of its outer step
};

// Called once per group, in order, with a register holding the Matrix SRAM address of the
// group's tile 0 (tile t is at slot + t * MLEN * MLEN). Must not modify `slot`.
using TileGroupConsumer = std::function<void(const GpReg& slot, GroupPosition position)>;

// Matrix SRAM tiles a stream occupies.
uint64_t stream_tiles_needed(const TileStream& s);
void stream_tile_groups(const TemplateContext& ctx, KernelBuilder& b, const TileStream& s,
                        const TileGroupConsumer& consume);

// Largest divisor of `tiles` that is at most `limit` (>= 1).
uint64_t largest_divisor_at_most(uint64_t tiles, uint64_t limit);

// ---------------------------------------------------------------------------------------------
// Y[M x N] = X[M x K] . W[K x N] (+ bias[N]).

enum class MatmulInstr {
  BlockMM,  // M_MM: BLEN-row activation block x BLEN-column slice of a tile per instruction
  RowMV,    // M_MV: one activation row x a whole tile per instruction (MLEN outputs at once)
};

struct MatmulOptions {
  MatmulInstr instr = MatmulInstr::BlockMM;
  // 2: prefetch the next weight group while computing the current one; 1: load, then compute.
  int weight_buffers = 2;
  // Upper bound on the K tiles accumulated per pass (0: as many as Matrix SRAM holds). When K
  // needs several passes, pass 0 writes Y and each later pass is written to scratch and added
  // into Y with compensated (Kahan) summation, so the BF16 running sum does not drift.
  uint64_t max_group_tiles = 0;
  // Matrix SRAM tiles the call may use: [msram_first_tile, msram_first_tile + msram_tiles);
  // msram_tiles = 0 means "up to the end of Matrix SRAM".
  uint64_t msram_first_tile = 0;
  uint64_t msram_tiles = 0;
  // Rows between column chunks of X and of Y (0: M). See the arrangement note at the top.
  int64_t x_chunk_rows = 0;
  int64_t y_chunk_rows = 0;
  int weight_a_index = 1;  // a-register set to the weight's base
  int bias_a_index = 2;    // a-register set to the bias's base (only with a bias)
  std::optional<HbmVector> bias;  // y[i][n] += bias[n] after the product
  // Vector SRAM scratch, VLEN aligned, matmul_scratch_elems() elements, disjoint from X and Y.
  // Packed as matmul_scratch_layout() describes; the overrides below place parts elsewhere.
  uint64_t scratch_vsram = 0;
  std::optional<uint64_t> partial_vsram;       // BLEN rows: one pass's product block
  std::optional<uint64_t> compensation_vsram;  // M rows: Kahan compensation (multi-pass K only)
};

// Where the scratch parts of one call live.
struct MatmulScratch {
  uint64_t partial = 0;       // BLEN rows
  uint64_t compensation = 0;  // M rows, used when K needs more than one pass
  uint64_t bias = 0;          // N / VLEN rows, used with a bias
  uint64_t end = 0;           // first element after the packed parts
};

// K tiles per pass that matmul_from_hbm will use, and the number of passes (K / MLEN / that).
uint64_t matmul_group_tiles(const TemplateContext& ctx, int64_t K, const MatmulOptions& opt);
uint64_t matmul_k_passes(const TemplateContext& ctx, int64_t K, const MatmulOptions& opt);
// Packed scratch layout from opt.scratch_vsram (honouring the overrides), and its size.
MatmulScratch matmul_scratch_layout(const TemplateContext& ctx, int64_t M, int64_t K, int64_t N,
                                    const MatmulOptions& opt);
uint64_t matmul_scratch_elems(const TemplateContext& ctx, int64_t M, int64_t K, int64_t N,
                              const MatmulOptions& opt);

// Emits Y = X . W (+ bias). X and Y are VLEN-chunked in Vector SRAM at x_vsram / y_vsram, W is
// in HBM. Requirements (otherwise ctx.unsupported): K and N multiples of MLEN; the Matrix SRAM
// range holds at least weight_buffers tiles. BlockMM falls back to RowMV when M is not a
// multiple of BLEN. Y may not overlap X or the scratch. Sets STRIDE_REG and the a-registers
// named in the options. No HBM transfer is left in flight into Matrix SRAM when it returns
// (the bias prefetch, if any, has been consumed too).
void matmul_from_hbm(const TemplateContext& ctx, KernelBuilder& b, uint64_t x_vsram, int64_t M,
                     int64_t K, const HbmMatrix& w, int64_t N, uint64_t y_vsram,
                     const MatmulOptions& opt);

// Bias helpers, usable on their own. load_bias_rows prefetches bias[N] (N a multiple of VLEN)
// into N / VLEN consecutive Vector SRAM rows at bias_vsram (async; readers stall until it lands).
void load_bias_rows(const TemplateContext& ctx, KernelBuilder& b, const HbmVector& bias, int64_t N,
                    uint64_t bias_vsram, int a_index);
// Y[i][n] += bias[n] for a VLEN-chunked Y[M x N] (chunk pitch y_chunk_rows, 0: M), bias rows
// as load_bias_rows leaves them.
void add_bias_rows(const TemplateContext& ctx, KernelBuilder& b, uint64_t y_vsram, int64_t M,
                   int64_t N, uint64_t bias_vsram, int64_t y_chunk_rows = 0);

// ---------------------------------------------------------------------------------------------
// Knobs shared by the matmul-based templates: "instr" (mm | mv), "weight_buffers" (2 | 1),
// "group_tiles" (max | 1 | 2 | 4).
std::vector<KnobSpec> matmul_knob_specs();
// The options those knobs select (other fields default).
MatmulOptions matmul_options_from_knobs(const TemplateContext& ctx);

}  // namespace kc::plena_baseline
