// Convolution templates (conv2d, conv_block, depthwise_conv), 3x3, stride 1, no padding, HWC.
//
// conv2d / conv_block: an im2col matmul stage. Output pixels are computed on "wide" rows: wide row
// n = i*W + j for j = 0..W-1 (the last two of each image row are garbage), so that the im2col row
// of n is x rows n + p*W + q: for each p the 4 x 3C block of a 4-pixel block-row is one 3-D DMA
// pattern out of the memory tile (x is loaded there once), written as 4x8 blocks. A = im2col
// [(H-2)W x 9C] times B = w viewed as [9C x F] (row-major already) goes to a wide result in the
// DDR scratch region; a strided copy drops the garbage pixels. conv_block then applies
// relu(y * scale + shift) per channel with a stream stage (scale/shift replicated to 32 lanes).
//
// depthwise_conv: bands of R output rows; the R+2 input rows go to data memory (shim0, tile0),
// the core computes wide rows 32 channels at a time: 9 taps of bf16 products summed in an fp32
// accumulator (the weight vectors replicated to 32 lanes when C = 16), and the tile DMA writes
// back only the W-2 valid pixels of each row (tile2, shim1).
#include <algorithm>

#include "aie_blocks.h"
#include "aie_templates.h"
#include "kernelcraft/core/errors.h"

namespace kc::aie_baseline {
namespace {


// y = relu(y * scale[c] + shift[c]) on [elements / F x F] (F channels, period lcm(32, F)).
void channel_affine_relu(KernelBuilder& b, int64_t elements, int64_t f, int64_t scale, int64_t shift, int64_t in,
                         int64_t out, int64_t tile) {
  if (f % 8 != 0 || (32 % f != 0 && f % 32 != 0) || f > 64)
    throw InputError("AIE baseline: conv_block needs F in {8, 16, 32, 64}, got " + num(f));
  const int64_t period = std::max<int64_t>(32, f), vecs = period / 32;
  const StreamMap map = stream_map(b.hw());
  const int64_t chunk = largest_divisor_at_most(elements, std::min(tile, map.chunk_bytes / 2), period);
  stream_stage(
      b, {{in, 2 * chunk}}, out, 2 * chunk, elements / chunk,
      [&] {
        load_vector(b, scale, map.gamma_dm, f, period / f);
        load_vector(b, shift, map.beta_dm, f, period / f);
        b.movi("p2", map.gamma_dm);
        b.movi("p3", map.beta_dm);
        for (int64_t v = 0; v < vecs; ++v) {
          b.vldx("x" + num(4 + v), "p2", 64);
          b.vldx("x" + num(6 + v), "p3", 64);
        }
        b.movi("r31", 0);
        b.vbcst("bf16", "x8", "r31");
      },
      [&] {
        b.movi("p0", map.in_dm[0]);
        b.movi("p1", map.out_dm);
        const std::string end = b.unique_label("aff");
        b.loop(num(chunk / period), end);
        for (int64_t v = 0; v < vecs; ++v) b.vldx("x" + num(v), "p0", 64);
        for (int64_t v = 0; v < vecs; ++v) {
          const std::string x = "x" + num(v);
          b.vbin("vmul", "bf16", x, x, "x" + num(4 + v));
          b.vbin("vadd", "bf16", x, x, "x" + num(6 + v));
          b.vbin("vmax", "bf16", x, x, "x8");
        }
        for (int64_t v = 0; v < vecs; ++v) {
          b.vst("wl" + num(v), "p1", 32);
          b.vst("wh" + num(v), "p1", 32);
        }
        b.loop_end(end);
      });
}

// The wide result [(H-2)W x F] of conv(x, w) at `wide`: an im2col matmul stage reading x from
// `x_at` in the memory tile.
void im2col_matmul(const TemplateContext& c, KernelBuilder& b, uint64_t x_at, int64_t wide) {
  const std::string task = c.task.task->name;
  const int64_t h = c.param("H"), w = c.param("W"), ch = c.param("C"), f = c.param("F");
  // The im2col BDs belong to the matmul stage: free for the stages after it.
  const StageScope scope(b, "the " + task + " matmul stage");
  MatmulStage s;
  s.what = task;
  s.m = (h - 2) * w;
  s.k = 9 * ch;
  s.n = f;
  s.b = {static_cast<int64_t>(c.address("w")), f, 0};
  s.c = {wide, f, 0};
  s.unroll = c.knob_int("unroll");
  s.panel = c.knob_int("panel");
  // im2col: for each p, words (w0 of 4, pixel i of 4, (q, channel block) of 3C/8) -> 4x8 blocks.
  int im2col[3];
  for (int p = 2; p >= 0; --p)
    im2col[p] = b.bd("src=mem:" + hex(x_at) + " dst=dm:" + hex(matmul_a_dm(b.hw()) + 24 * ch * p) + " size=4,4," +
                     num(3 * ch / 8) + " src_stride=1," + num(ch / 2) + ",4" +
                     (p < 2 ? " next=" + num(im2col[p + 1]) : ""));
  const int x_mem = b.bd("src=ddr:x_DDR dst=mem:" + hex(x_at) + " size=" + num(h * w * ch / 2));
  ARowSource src;
  src.base = static_cast<int64_t>(x_at);
  src.row_step = 8 * ch;  // 4 pixels
  src.setup = [&](KernelBuilder& k) {
    k.dma_start("shim0", x_mem);
    k.dma_wait("shim0");
  };
  src.fetch = [&](KernelBuilder& k, const std::string& reg) {
    k.bd_set(im2col[0], "src_addr", reg);
    k.alui("add", "r16", reg, 2 * w * ch);
    k.bd_set(im2col[1], "src_addr", "r16");
    k.alui("add", "r17", reg, 4 * w * ch);
    k.bd_set(im2col[2], "src_addr", "r17");
    k.dma_start("tile0", im2col[0]);
    k.dma_wait("tile0");
  };
  s.a_source = src;
  matmul_stage(b, s);
}

void emit_conv(const TemplateContext& c, KernelBuilder& b) {
  const std::string task = c.task.task->name;
  const int64_t h = c.param("H"), w = c.param("W"), ch = c.param("C"), f = c.param("F");
  const uint64_t x_at = b.hw().memtile_bytes / 2;  // x in the upper half of the memory tile
  if (w % 4 != 0 || ch % 8 != 0 || 2 * (h * w + 2 * w + 4) * ch > static_cast<int64_t>(x_at))
    throw InputError("AIE baseline: " + task + " needs W % 4 == 0, C % 8 == 0 and x within " + num(x_at) +
                     " bytes (half the memory tile of preset " + b.hw().name + "), got H=" + num(h) + " W=" + num(w) +
                     " C=" + num(ch));
  Scratch scratch(c);
  const int64_t wide = scratch.alloc(2 * (h - 2) * w * f);
  im2col_matmul(c, b, x_at, wide);
  // Drop the two garbage pixels of every wide row.
  const int64_t size[3] = {f / 2, w - 2, h - 2}, stride[3] = {1, f / 2, w * f / 2};
  const int64_t y = static_cast<int64_t>(c.address("y"));
  if (task == "conv2d") {
    strided_copy_stage(b, wide, size, stride, y);
  } else {
    const int64_t compact = scratch.alloc(2 * (h - 2) * (w - 2) * f);
    strided_copy_stage(b, wide, size, stride, compact);
    channel_affine_relu(b, (h - 2) * (w - 2) * f, f, static_cast<int64_t>(c.address("scale")),
                        static_cast<int64_t>(c.address("shift")), compact, y, 4096);
  }
  b.done();
}

void emit_depthwise(const TemplateContext& c, KernelBuilder& b) {
  const int64_t h = c.param("H"), w = c.param("W"), ch = c.param("C");
  if (ch % 16 != 0 || (ch < 32 && 32 % ch != 0))
    throw InputError("AIE baseline: depthwise_conv needs C = 16 or a multiple of 32, got " + num(ch));
  const int64_t period = std::max<int64_t>(32, ch), vecs = period / 32;  // weight vectors per tap
  const int64_t row_bytes = 2 * w * ch;
  // Data memory: input rows from 0, output rows after them, weights in the top 1/8; memory tile:
  // input at 0, output at 1/2, weights at 3/4.
  const uint64_t in_dm_at = 0x0000, w_dm_at = 7 * b.hw().dm_bytes / 8;
  const uint64_t out_mem_at = b.hw().memtile_bytes / 2, w_mem_at = 3 * b.hw().memtile_bytes / 4;
  int64_t band = 0;
  for (int64_t r = std::min<int64_t>(h - 2, c.knob_int("band")); r >= 1 && !band; --r)
    if ((h - 2) % r == 0 && (r + 2) * row_bytes + 4 * ch + 256 + r * row_bytes <= static_cast<int64_t>(w_dm_at)) band = r;
  if (!band) throw InputError("AIE baseline: depthwise_conv rows of " + num(row_bytes) + " bytes do not fit");
  const int64_t in_bytes = (band + 2) * row_bytes;
  const int64_t out_dm = (in_bytes + 4 * ch + 255) / 256 * 256;
  const int64_t out_bytes = band * (w - 2) * ch * 2;
  const int in_mem = b.bd("src=ddr:0 dst=mem:0x0 size=" + num(in_bytes / 4) + " rel=ml0:1");
  const int in_dm = b.bd("src=mem:0x0 dst=dm:" + hex(in_dm_at) + " size=" + num(in_bytes / 4) + " acq=ml0:1");
  const int out_mem = b.bd("src=dm:" + hex(out_dm) + " dst=mem:" + hex(out_mem_at) + " size=" + num((w - 2) * ch / 2) + "," +
                           num(band) + " src_stride=1," + num(w * ch / 2) + " rel=ml1:1");
  const int out_ddr = b.bd("src=mem:" + hex(out_mem_at) + " dst=ddr:0 size=" + num(out_bytes / 4) + " acq=ml1:1");
  // Weights: tap t at w_dm_at + 2 * t * period (replicated to 32 lanes when C = 16).
  const int w_mem = b.bd("src=ddr:w_DDR dst=mem:" + hex(w_mem_at) + " size=" + num(ch / 2) + "," + num(period / ch) + ",9" +
                         " src_stride=1,0," + num(ch / 2) + " rel=ml2:1");
  const int w_dm = b.bd("src=mem:" + hex(w_mem_at) + " dst=dm:" + hex(w_dm_at) + " size=" + num(9 * period / 2) + " acq=ml2:1");
  b.dma_start("shim0", w_mem);
  b.dma_start("tile1", w_dm);
  b.dma_wait("tile1");
  b.movi("r20", static_cast<int64_t>(c.address("x")));
  b.movi("r21", static_cast<int64_t>(c.address("y")));
  b.movi("r22", (h - 2) / band);
  const std::string top = b.unique_label("band");
  b.label(top);
  fetch_chunk(b, in_mem, in_dm, "r20");
  b.movi("p0", in_dm_at);
  b.movi("p1", in_dm_at + row_bytes);
  b.movi("p2", in_dm_at + 2 * row_bytes);
  b.movi("p3", w_dm_at);
  b.movi("p4", out_dm);
  const std::string end = b.unique_label("dw");
  b.loop(num(band * w * ch / period), end);
  const std::string rows[3] = {"p0", "p1", "p2"};
  for (int64_t v = 0; v < vecs; ++v) {
    for (int t = 0; t < 9; ++t) {
      const int p = t / 3, q = t % 3;
      const int64_t off = 2 * q * ch + 64 * v;
      const std::string xa = "x" + num(3 * (t % 3)), xw = "x" + num(3 * (t % 3) + 1), xp = "x" + num(3 * (t % 3) + 2);
      b.vld_at("wl" + xa.substr(1), rows[p], off);
      b.vld_at("wh" + xa.substr(1), rows[p], off + 32);
      b.vldx_at(xw, "p3", 2 * t * period + 64 * v);
      b.vbin("vmul", "bf16", xp, xa, xw);
      if (t == 0) {
        b.vups("cm0", xp);
      } else {
        const std::string cm = "cm" + num(1 + t % 4);
        b.vups(cm, xp);
        b.vaddacc("cm0", "cm0", cm);
      }
    }
    b.vsrs("x9", "cm0");
    b.vst("wl9", "p4", 32);
    b.vst("wh9", "p4", 32);
  }
  for (const std::string& p : rows) b.padd(p, 2 * period);
  b.loop_end(end);
  b.dma_wait("shim1");
  b.bd_set(out_ddr, "dst_addr", "r21");
  b.dma_start("tile2", out_mem);
  b.dma_start("shim1", out_ddr);
  b.alui("add", "r20", "r20", band * row_bytes);
  b.alui("add", "r21", "r21", out_bytes);
  b.alui("sub", "r22", "r22", 1);
  b.jnz("r22", top);
  b.dma_wait("shim1");
  b.done();
}

}  // namespace

void emit_conv_family(const TemplateContext& c, KernelBuilder& b) {
  if (c.task.task->name == "depthwise_conv") return emit_depthwise(c, b);
  emit_conv(c, b);
}

}  // namespace kc::aie_baseline
