// Shared building blocks of the AMD NPU templates. Every *stage* runs DDR -> DDR on its own: it
// takes its operands at DDR addresses (inputs or the scratch region), leaves its result in DDR and
// ends with every DMA channel idle and every lock it used back at its initial value, so stages
// compose freely (the level-2/3 templates are sequences of stages through the scratch region).
// Within a stage, registers r0..r18, r20..r31, p0..p7, m0..m6, x0..x11 and cm0..cm7 are free; r19
// and m7 belong to the builder. Data memory and memory tile are reused by every stage.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "aie_kernel_builder.h"

namespace kc::aie_baseline {

struct TemplateContext;

std::string hex(uint64_t v);
std::string num(int64_t v);
// The largest d <= limit with n % d == 0 and d % multiple == 0 (InputError if none).
int64_t largest_divisor_at_most(int64_t n, int64_t limit, int64_t multiple);
// movi r31 + vbcst.bf16: every lane of `x` = bf16(value).
void broadcast_constant(KernelBuilder& b, const std::string& x, double value);
// Folds the 32 bf16 lanes of `x` with `op` (vmax / vadd) and broadcasts the result to `dst`.
void fold_lanes(KernelBuilder& b, const std::string& op, const std::string& x, const std::string& tmp,
                const std::string& dst);

// Bump allocator over the layout's DDR scratch region (256-byte aligned pieces).
class Scratch {
 public:
  explicit Scratch(const TemplateContext& c);
  int64_t alloc(int64_t bytes);

 private:
  int64_t next_, end_;
};

// ---- matrix multiply: C[M x N] = A[M x K] B[K x N] (+ bias row), bf16, fp32 accumulation ----

// Data memory of the current A block-row as 4x8 blocks (8*K bytes): the upper half of data memory.
uint64_t matmul_a_dm(const aie::HardwareConfig& hw);

struct MatOperand {
  int64_t addr = 0;          // DDR byte address of batch 0
  int64_t ld = 0;            // row stride in elements
  int64_t batch_stride = 0;  // bytes between batches
};

// Where A block-rows come from when not from a row-major DDR matrix (e.g. im2col out of the memory
// tile). The row register starts at `base` (+ the batch stride of `a`) and advances `row_step` per
// block-row; `fetch` must leave the block-row at matmul_a_dm as 4x8 blocks (and wait for it).
struct ARowSource {
  int64_t base = 0, row_step = 0;
  std::function<void(KernelBuilder&)> setup;                          // once, before the batches
  std::function<void(KernelBuilder&, const std::string& reg)> fetch;  // may use r16..r18
};

struct MatmulStage {
  std::string what;  // for error messages
  int64_t m = 0, k = 0, n = 0, batches = 1;
  int64_t b_group = 1;  // batches sharing one B (B advances by its batch stride every b_group batches)
  MatOperand a, b, c;
  bool has_bias = false;
  MatOperand bias;  // addr and batch_stride of a [N] bias row added to every row
  // DDR address of a second output with C's strides holding the fp32 residual acc - bf16(acc) in
  // bf16 (C + residual carries about 16 significant bits); -1 = none.
  int64_t c_lo = -1;
  int64_t unroll = 2, panel = 64;
  std::optional<ARowSource> a_source;
};

// Inline, or a call of shared code when the builder shares code (aie_matmul_stage.cpp).
void matmul_stage(KernelBuilder& b, const MatmulStage& s);

// The A block-row BDs for a row-major A (DDR -> memory tile -> 4x8 blocks at matmul_a_dm), and the
// fetch of the block-row whose DDR address is in `reg`.
struct ARowBds {
  int ddr = 0, dm = 0;
};
ARowBds a_row_bds(KernelBuilder& b, int64_t k, int64_t lda);
void fetch_a_row(KernelBuilder& b, const ARowBds& bds, const std::string& reg);
// The K/8-long mmac chains (`k8`: an immediate or a register) of `unroll` column blocks: A from
// `a_dm`, B strips from p1.., accumulators cm0.. from x11 (zeros) or from bias blocks at p6.
void mac_group(KernelBuilder& b, const std::string& k8, int64_t unroll, bool bias, uint64_t a_dm);

// ---- streams: chunks of up to three inputs -> one output ----

// Where stream stages keep their chunks: fixed shares of the preset's memories, so a smaller preset
// gets smaller chunks (aie_ml: 16 KiB). Data memory: input 0 at 0 and the output at 1/4 (a chunk,
// 1/4, each), input 1 at 1/2 (1/4 with two inputs, 1/8 with three), input 2 at 5/8 (1/8), per-row
// vectors loaded once at 3/4 (gamma, 1/16) and 13/16 (beta). Memory tile: input 0 at 0, the output
// at 1/8, per-row vectors at 1/4, input 1 at 1/2, input 2 at 5/8.
struct StreamMap {
  uint64_t in_dm[3], out_dm, gamma_dm, beta_dm;
  uint64_t in_mem[3], out_mem, vector_mem;
  int64_t chunk_bytes;  // the largest chunk of input 0, of input 1 beside it, and of the output
};
StreamMap stream_map(const aie::HardwareConfig& hw);

struct StreamIn {
  int64_t addr = 0, chunk_bytes = 0;
};
// `chunks` chunks: DDR -(shim0)-> memory tile -(tile0/1/3)-> data memory, `body` computes the
// output chunk, data memory -(tile2)-> memory tile -(shim1)-> DDR (overlapping the next chunk's
// input). The body may use r0..r18, p0..p7, x0..x11, cm*.
void stream_stage(KernelBuilder& b, const std::vector<StreamIn>& ins, int64_t out_addr, int64_t out_chunk_bytes,
                  int64_t chunks, const std::function<void()>& prologue, const std::function<void()>& body);
// The head of a chunk loop whose input goes DDR -(shim0, BD ddr_to_mem, source address in
// `src_reg`)-> memory tile -(tile0, BD mem_to_dm)-> data memory: waits for the previous shim
// transfer, moves this chunk in, and waits until it has landed and the previous chunk's result
// has left data memory (tile2).
void fetch_chunk(KernelBuilder& b, int ddr_to_mem, int mem_to_dm, const std::string& src_reg);
// Loads `elements` bf16 values at DDR `addr` into data memory `dm` once (shim0, tile1), `repeat`
// copies back to back.
void load_vector(KernelBuilder& b, int64_t addr, uint64_t dm, int64_t elements, int64_t repeat = 1);

// Elementwise: unary relu / gelu / silu of `in`, or binary add (in + in2) / silu_mul (silu(in) * in2).
struct ElementwiseStage {
  std::string op;
  int64_t elements = 0, in = 0, in2 = -1, out = 0;
  int64_t tile = 4096, unroll = 2;
  double sqrt_2_over_pi = 0, gelu_coeff = 0;  // gelu only
};
void elementwise_stage(KernelBuilder& b, const ElementwiseStage& s);

// Row-wise over [rows x d]: softmax (exp of (x - max) * prescale_log2 in base 2, so prescale_log2
// = scale * log2 e), layer_norm (gamma, beta), rms_norm (gamma).
struct RowwiseStage {
  std::string op;
  int64_t rows = 0, d = 0, in = 0, out = 0, gamma = -1, beta = -1;
  int64_t lo = -1;  // softmax: the bf16 residual of `in` (MatmulStage::c_lo), added to x - max
  double inv_d = 0, eps = 0, prescale_log2 = 0;
  int64_t tile = 4096;
};
void rowwise_stage(KernelBuilder& b, const RowwiseStage& s);

// RoPE (rotate-half) on [rows x nh*64]: every 64-column head v of a row becomes
// v * cos[row] + rotate_half(v) * sin[row]; cos, sin are [rows x 64]. `tile`: elements per chunk.
void rope_stage(KernelBuilder& b, int64_t rows, int64_t nh, int64_t d, int64_t x, int64_t cos, int64_t sin,
                int64_t out, int64_t tile);

// ---- data movement ----

// out[cols x rows] (row stride out_ld) = in[rows x cols]^T (row stride in_ld), by the core.
void transpose_stage(KernelBuilder& b, int64_t rows, int64_t cols, int64_t in, int64_t in_ld, int64_t out,
                     int64_t out_ld);
// DDR -> DDR through the memory tile: words (i0, i1, i2) of `size` at src + 4*(i . src_stride) are
// written contiguously from dst. Chunked along dimension 2.
void strided_copy_stage(KernelBuilder& b, int64_t src, const int64_t size[3], const int64_t src_stride[3],
                        int64_t dst);

}  // namespace kc::aie_baseline
