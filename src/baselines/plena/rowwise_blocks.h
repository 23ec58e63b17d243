// Row-wise building blocks for the PLENA baseline templates: softmax over rows, LayerNorm /
// RMSNorm of rows, and the SiLU / GELU activations, all on activations already in Vector SRAM.
//
// Conventions shared by every block in this file:
// - A *chunked* matrix [rows x cols] (cols a multiple of VLEN) keeps column chunk c of row i, a
//   VLEN-element row, at `base + (c * chunk_stride_rows + i) * VLEN`. With
//   chunk_stride_rows = rows this is the output contract's layout and what load_chunked() makes.
//   A caller may process a band of rows of a taller matrix by passing the taller matrix's row
//   count as chunk_stride_rows.
// - Addresses are Vector SRAM element addresses fixed at compile time (multiples of VLEN). A
//   block emits its own hardware loops (at most 2 levels) and takes its gp registers from the
//   builder, so it may be emitted inside a caller's loop if its addresses do not change there.
// - f-registers: every block here may overwrite f1..f4. f5..f7 are never touched, so a caller
//   can keep its own constants there across block calls.
// - `scratch` is the address of free Vector SRAM rows the block may overwrite; each block
//   states how many rows it needs (k*ScratchRows constants below).
// - `unroll` is the number of chunk (or row) steps per hardware-loop iteration; any value >= 1
//   is valid (the remainder is emitted straight-line).
// - gp registers in use at once, loop counters included: softmax_rows <= 9, normalize_rows
//   <= 12, apply_activation 3, activation_row 0 (it uses the caller's two registers).
#pragma once

#include <cstdint>
#include <string>

#include "blocks.h"

namespace kc::plena_baseline {

// ---- Loading ---------------------------------------------------------------------------------

// Prefetches a 1-D HBM input `tensor` of D elements (D a multiple of VLEN, e.g. gamma or a bias)
// into Vector SRAM so that chunk c (elements [c*VLEN, (c+1)*VLEN)) is the row at
// vsram_base + c * VLEN. Uses a-register `a_index` and sets STRIDE_REG (to VLEN: one strided
// prefetch brings v_prefetch_rows chunks). Occupies D elements.
void load_row_vector(const TemplateContext& ctx, KernelBuilder& b, const std::string& tensor,
                     uint64_t vsram_base, int a_index);

// ---- Softmax ---------------------------------------------------------------------------------

constexpr uint64_t kSoftmaxScratchRows = 4;

struct SoftmaxOptions {
  // >= 0: computes softmax(x * FP[scale_fp_slot]) as exp((x - max) * scale) / sum, for a
  // positive scale (e.g. 1/sqrt(d) in attention). < 0: no scaling.
  int64_t scale_fp_slot = -1;
  uint64_t chunk_stride_rows = 0;  // 0: the matrix is exactly `rows` rows tall
  uint64_t unroll = 1;             // chunks per loop iteration
};

// In place: each of `rows` rows of the chunked matrix at `base` (cols columns, a multiple of
// VLEN) becomes softmax(row). Per row: max with V_RED_MAX over the chunks, exp(x - max) in
// place while the chunks are summed elementwise into up to 4 partial-sum rows (chunk c into
// partial c % 4, combined as a tree: fewer BF16 roundings than one running row), one V_RED_SUM,
// one scalar reciprocal, and a V_MUL_VF pass. Scratch: kSoftmaxScratchRows rows.
// Clobbers f1, f2 (and f4 when scaling). Accuracy on the softmax task (C5: 2048 columns): the
// largest error is about half of the 2% tolerance.
void softmax_rows(const TemplateContext& ctx, KernelBuilder& b, uint64_t base, uint64_t rows,
                  uint64_t cols, uint64_t scratch, const SoftmaxOptions& options = {});

// ---- LayerNorm / RMSNorm --------------------------------------------------------------------

constexpr uint64_t kNormScratchRows = 3;
constexpr uint64_t kNoVector = UINT64_MAX;  // "no gamma" / "no beta" / "in place"

enum class NormKind {
  LayerNorm,  // y = (x - mean) / sqrt(var + eps) * gamma + beta
  RmsNorm,    // y = x / sqrt(mean(x^2) + eps) * gamma
};

struct NormOptions {
  NormKind kind = NormKind::RmsNorm;
  // Vector SRAM addresses of gamma / beta as made by load_row_vector (chunk c at +c*VLEN), or
  // kNoVector to skip that step. beta is used by LayerNorm only.
  uint64_t gamma = kNoVector;
  uint64_t beta = kNoVector;
  uint64_t eps_fp_slot = 0;       // FP SRAM slot of eps
  uint64_t inv_cols_fp_slot = 0;  // FP SRAM slot of 1/cols (turns sums into means)
  // Where the result goes: kNoVector = in place; otherwise a chunked matrix with the same
  // chunk_stride_rows as the input (the input is then left unchanged).
  uint64_t out = kNoVector;
  // LayerNorm only. false: two passes (mean, then the sum of squared centred values), as the
  // reference does. true: sum and sum of squares in one pass, var = E[x^2] - mean^2 (one pass
  // over the row fewer; less robust when |mean| >> std).
  bool one_pass_variance = false;
  uint64_t chunk_stride_rows = 0;  // 0: the matrix is exactly `rows` rows tall
  uint64_t unroll = 1;             // chunks per loop iteration
};

// Normalises each of `rows` rows of the chunked matrix at `base` over its `cols` columns.
// Chunks are reduced elementwise into a scratch row first, then with one V_RED_SUM per
// statistic; the reciprocal standard deviation is a scalar (S_SQRT_FP, S_RECI_FP) applied with
// V_MUL_VF. Scratch: kNormScratchRows rows. Clobbers f1..f4. The per-element chain
// (centre, * rstd, * gamma, + beta) rounds to BF16 four times, which dominates the error.
void normalize_rows(const TemplateContext& ctx, KernelBuilder& b, uint64_t base, uint64_t rows,
                    uint64_t cols, uint64_t scratch, const NormOptions& options);

// ---- Activations -------------------------------------------------------------------------------

constexpr uint64_t kActivationScratchRows = 1;

enum class Activation {
  // silu(x) = x * 1 / (1 + exp(-x)). 6 vector cycles per row. Clobbers f1 (1.0).
  Silu,
  // gelu(x), tanh approximation. Uses 0.5 * (1 + tanh(u)) = sigmoid(2u), so
  // gelu(x) = x / (1 + exp(-2u)) with -2u = x * (k1 * x^2 + k2), k2 = -2 * sqrt(2/pi),
  // k1 = k2 * 0.044715, computed once on the scalar unit from the FP SRAM constants named
  // "sqrt_2_over_pi" and "gelu_coeff" (the task must provide them). 9 vector cycles per row.
  // Clobbers f1..f3.
  Gelu,
};

// Loads the f-register constants of `act`. Emit once before any activation_row() of `act`
// (nothing between may overwrite f1..f3).
void activation_setup(const TemplateContext& ctx, KernelBuilder& b, Activation act);

// Applies `act` in place to the one VLEN-element row at g(row), using the scratch row at
// g(scratch). No loops, no register changes: for callers that interleave the activation with
// their own work (e.g. right after a matmul write-out).
void activation_row(KernelBuilder& b, Activation act, const GpReg& row, const GpReg& scratch);

// In place on `vlen_rows` consecutive VLEN-element rows at `base` (any layout: the op is
// elementwise): setup, then a loop of activation_row, `unroll` rows per iteration.
// Scratch: kActivationScratchRows row.
void apply_activation(const TemplateContext& ctx, KernelBuilder& b, Activation act,
                      uint64_t base, uint64_t vlen_rows, uint64_t scratch, uint64_t unroll = 1);

// Shorthands for apply_activation with Activation::Silu / Activation::Gelu.
void apply_silu(const TemplateContext& ctx, KernelBuilder& b, uint64_t base, uint64_t vlen_rows,
                uint64_t scratch, uint64_t unroll = 1);
void apply_gelu(const TemplateContext& ctx, KernelBuilder& b, uint64_t base, uint64_t vlen_rows,
                uint64_t scratch, uint64_t unroll = 1);

}  // namespace kc::plena_baseline
