#include "aie_blocks.h"

#include <algorithm>
#include <cstdio>

#include "aie_templates.h"
#include "kernelcraft/core/errors.h"

namespace kc::aie_baseline {
namespace {

constexpr double kLog2e = 1.4426950408889634;
// Memory tile: matmul operands, stream chunks, per-row vectors.
constexpr uint64_t kBMem = 0x00000, kAMem = 0x10000, kCMem = 0x20000, kBiasMem = 0x30000;
constexpr uint64_t kStreamInMem[3] = {0x00000, 0x40000, 0x50000};
constexpr uint64_t kStreamOutMem = 0x10000, kVectorMem = 0x20000;
// Data memory of the matmul: B panel (32 KiB), A block-row (kMatADm), C block-row, bias blocks.
constexpr uint64_t kBDm = 0x0000, kCDm = 0xA000, kBiasDm = 0xB000;

}  // namespace

std::string hex(uint64_t v) {
  char text[32];
  std::snprintf(text, sizeof text, "0x%llX", static_cast<unsigned long long>(v));
  return text;
}
std::string num(int64_t v) { return std::to_string(v); }

int64_t largest_divisor_at_most(int64_t n, int64_t limit, int64_t multiple) {
  for (int64_t d = std::min(n, limit); d >= multiple; --d)
    if (n % d == 0 && d % multiple == 0) return d;
  throw InputError("AIE baseline: no chunk of at most " + num(limit) + " (a multiple of " + num(multiple) +
                   ") divides " + num(n));
}

void broadcast_constant(KernelBuilder& b, const std::string& x, double value) {
  b.movi("r31", bf16_bits(value));
  b.vbcst("bf16", x, "r31");
}

void fold_lanes(KernelBuilder& b, const std::string& op, const std::string& x, const std::string& tmp,
                const std::string& dst) {
  for (int bytes : {32, 16, 8, 4, 2}) {
    b.vshift(tmp, x, x, bytes);
    b.vbin(op, "bf16", x, x, tmp);
  }
  b.vext("bf16", "r30", x, 0);
  b.vbcst("bf16", dst, "r30");
}

Scratch::Scratch(const TemplateContext& c)
    : next_(static_cast<int64_t>(c.layout.setting("scratch_address"))),
      end_(next_ + static_cast<int64_t>(c.layout.setting("scratch_bytes"))) {}

int64_t Scratch::alloc(int64_t bytes) {
  const int64_t at = next_;
  next_ += (bytes + 255) / 256 * 256;
  if (next_ > end_) throw InputError("AIE baseline: intermediate tensors exceed the DDR scratch region");
  return at;
}

// ---------------------------------------------------------------------------------------------
// Matrix multiply

ARowBds a_row_bds(KernelBuilder& b, int64_t k, int64_t lda) {
  ARowBds bds;
  bds.ddr = b.bd("src=ddr:0 dst=mem:" + hex(kAMem) + " size=" + num(k / 2) + ",4 src_stride=1," + num(lda / 2) +
                 " rel=ml1:1");
  bds.dm = b.bd("src=mem:" + hex(kAMem) + " dst=dm:" + hex(kMatADm) + " size=4,4," + num(k / 8) + " src_stride=1," +
                num(k / 2) + ",4 acq=ml1:1");
  return bds;
}

void fetch_a_row(KernelBuilder& b, const ARowBds& bds, const std::string& reg) {
  b.dma_wait("shim0");
  b.bd_set(bds.ddr, "src_addr", reg);
  b.dma_start("shim0", bds.ddr);
  b.dma_start("tile0", bds.dm);
  b.dma_wait("tile0");
}

void mac_group(KernelBuilder& b, int64_t k, int64_t unroll, bool bias) {
  b.movi("p0", kMatADm);
  for (int64_t u = 0; u < unroll; ++u) {
    const std::string cm = "cm" + num(u);
    if (bias) {
      b.vldx("x" + num(5 + u), "p6", 64);
      b.vups(cm, "x" + num(5 + u));
    } else {
      b.vups(cm, "x11");
    }
  }
  const std::string end = b.unique_label("k");
  b.loop(num(k / 8), end);
  b.vldx("x0", "p0", 64);
  for (int64_t u = 0; u < unroll; ++u) b.vldx("x" + num(1 + u), "p" + num(1 + u), 64);
  for (int64_t u = 0; u < unroll; ++u) b.mmac("cm" + num(u), "x0", "x" + num(1 + u));
  b.loop_end(end);
}

void matmul_stage(KernelBuilder& b, const MatmulStage& s) {
  const int64_t m = s.m, k = s.k, n = s.n;
  int64_t unroll = s.unroll;
  while (unroll > 1 && n % (4 * unroll) != 0) unroll /= 2;
  int64_t panel = std::min<int64_t>(s.panel, n);
  while (panel > 4 * unroll && (k * panel * 2 > 0x8000 || n % panel != 0)) panel /= 2;
  if (m % 4 != 0 || k % 8 != 0 || n % (4 * unroll) != 0 || panel % (4 * unroll) != 0 || n % panel != 0 ||
      k * panel * 2 > 0x8000 || 8 * k > 0x2000 || s.batches < 1 || s.b_group < 1 || s.batches % s.b_group != 0)
    throw InputError("AIE baseline: " + s.what + " with M=" + num(m) + " K=" + num(k) + " N=" + num(n) +
                     " does not fit its tiling (M % 4, K % 8, N % (4 unroll), K*panel*2 <= 32 KiB, 8*K <= 8 KiB)");
  const int64_t panels = n / panel;
  ARowBds a_bds;
  if (!s.a_source) a_bds = a_row_bds(b, k, s.a.ld);
  // B panel: word (i0, k, strip) of the K x panel block into 4-column strips (8x4 blocks).
  const int b_ddr = b.bd("src=ddr:0 dst=mem:" + hex(kBMem) + " size=2," + num(k) + "," + num(panel / 4) +
                         " src_stride=1," + num(s.b.ld / 2) + ",2 rel=ml0:1");
  const int b_dm = b.bd("src=mem:" + hex(kBMem) + " dst=dm:" + hex(kBDm) + " size=" + num(k * panel / 2) + " acq=ml0:1");
  // C: panel/4 blocks of 4x4 in data memory -> a 4 x panel row-major block -> DDR rows.
  const int c_dm = b.bd("src=dm:" + hex(kCDm) + " dst=mem:" + hex(kCMem) + " size=2,4," + num(panel / 4) +
                        " dst_stride=1," + num(panel / 2) + ",2 rel=ml2:1");
  const int c_ddr = b.bd("src=mem:" + hex(kCMem) + " dst=ddr:0 size=" + num(panel / 2) + ",4 dst_stride=1," +
                         num(s.c.ld / 2) + " acq=ml2:1");
  int bias_ddr = 0, bias_dm = 0;
  if (s.has_bias) {  // bias blocks: 4 copies of 4 values, one block per 64 bytes of data memory
    bias_ddr = b.bd("src=ddr:0 dst=mem:" + hex(kBiasMem) + " size=2,4," + num(panel / 4) + " src_stride=1,0,2 rel=ml3:1");
    bias_dm = b.bd("src=mem:" + hex(kBiasMem) + " dst=dm:" + hex(kBiasDm) + " size=8," + num(panel / 4) +
                   " dst_stride=1,16 acq=ml3:1");
  }
  if (s.a_source && s.a_source->setup) s.a_source->setup(b);
  const int64_t a_row_step = s.a_source ? s.a_source->row_step : 8 * s.a.ld;
  b.movi("r31", 0);
  b.vbcst("bf16", "x11", "r31");
  b.movi("r24", s.a_source ? s.a_source->base : s.a.addr);  // batch bases
  b.movi("r25", s.b.addr);
  b.movi("r26", s.c.addr);
  if (s.has_bias) b.movi("r30", s.bias.addr);
  b.movi("r27", s.batches);
  if (s.b_group > 1) b.movi("r18", s.b_group);
  const std::string batch = b.unique_label("batch");
  b.label(batch);
  b.mov("r21", "r25");  // B panel address
  b.mov("r22", "r26");  // C panel address
  b.movi("r23", panels);
  if (s.has_bias) b.mov("r28", "r30");
  const std::string pan = b.unique_label("panel");
  b.label(pan);
  b.dma_wait("shim1");
  b.bd_set(b_ddr, "src_addr", "r21");
  b.dma_start("shim1", b_ddr);
  b.dma_start("tile1", b_dm);
  if (s.has_bias) {
    b.bd_set(bias_ddr, "src_addr", "r28");
    b.dma_start("shim0", bias_ddr);
    b.dma_start("tile3", bias_dm);
    b.dma_wait("tile3");
  }
  b.dma_wait("tile1");
  b.mov("r20", "r24");  // A block-row address
  b.mov("r29", "r22");  // C block-row address
  b.movi("r0", m / 4);
  const std::string row = b.unique_label("row");
  b.label(row);
  if (s.a_source) s.a_source->fetch(b, "r20");
  else fetch_a_row(b, a_bds, "r20");
  b.dma_wait("shim1");  // the previous C block-row has left data memory and the memory tile
  for (int64_t u = 0; u < unroll; ++u) b.movi("p" + num(1 + u), kBDm + u * k * 8);
  b.movi("p5", kCDm);
  if (s.has_bias) b.movi("p6", kBiasDm);
  b.movi("r1", panel / (4 * unroll));
  const std::string group = b.unique_label("group");
  b.label(group);
  mac_group(b, k, unroll, s.has_bias);
  for (int64_t u = 0; u < unroll; ++u) {
    b.vsrs("x" + num(1 + u), "cm" + num(u));
    b.vst("wl" + num(1 + u), "p5", 32);
  }
  if (unroll > 1)
    for (int64_t u = 0; u < unroll; ++u) b.padd("p" + num(1 + u), (unroll - 1) * k * 8);
  b.alui("sub", "r1", "r1", 1);
  b.jnz("r1", group);
  b.bd_set(c_ddr, "dst_addr", "r29");
  b.dma_start("tile2", c_dm);
  b.dma_start("shim1", c_ddr);
  b.alui("add", "r20", "r20", a_row_step);
  b.alui("add", "r29", "r29", 8 * s.c.ld);
  b.alui("sub", "r0", "r0", 1);
  b.jnz("r0", row);
  b.alui("add", "r21", "r21", 2 * panel);
  b.alui("add", "r22", "r22", 2 * panel);
  if (s.has_bias) b.alui("add", "r28", "r28", 2 * panel);
  b.alui("sub", "r23", "r23", 1);
  b.jnz("r23", pan);
  if (s.batches > 1) {
    if (s.a.batch_stride) b.alui("add", "r24", "r24", s.a.batch_stride);
    if (s.c.batch_stride) b.alui("add", "r26", "r26", s.c.batch_stride);
    if (s.has_bias && s.bias.batch_stride) b.alui("add", "r30", "r30", s.bias.batch_stride);
    if (s.b_group > 1) {  // B advances every b_group batches
      const std::string same = b.unique_label("sameb");
      b.alui("sub", "r18", "r18", 1);
      b.jnz("r18", same);
      if (s.b.batch_stride) b.alui("add", "r25", "r25", s.b.batch_stride);
      b.movi("r18", s.b_group);
      b.label(same);
    } else if (s.b.batch_stride) {
      b.alui("add", "r25", "r25", s.b.batch_stride);
    }
    b.alui("sub", "r27", "r27", 1);
    b.jnz("r27", batch);
  }
  b.dma_wait("shim1");
}

// ---------------------------------------------------------------------------------------------
// Streams

void stream_stage(KernelBuilder& b, const std::vector<StreamIn>& ins, int64_t out_addr, int64_t out_chunk_bytes,
                  int64_t chunks, const std::function<void()>& prologue, const std::function<void()>& body) {
  static const char* const tiles[3] = {"tile0", "tile1", "tile3"};
  static const char* const regs[3] = {"r20", "r23", "r24"};
  const int64_t limits[3] = {0x4000, ins.size() > 2 ? 0x2000 : 0x4000, 0x2000};
  if (ins.empty() || ins.size() > 3 || out_chunk_bytes > 0x4000)
    throw InputError("AIE baseline: a stream stage takes 1..3 inputs and chunks of at most 16 KiB");
  std::vector<int> in_ddr, in_dm;
  for (std::size_t i = 0; i < ins.size(); ++i) {
    if (ins[i].chunk_bytes > limits[i] || ins[i].chunk_bytes % 4 != 0)
      throw InputError("AIE baseline: stream input chunk of " + num(ins[i].chunk_bytes) + " bytes is too large");
    const std::string words = num(ins[i].chunk_bytes / 4);
    const std::string lock = "ml" + num(i == 0 ? 0 : 3 + static_cast<int64_t>(i));
    in_ddr.push_back(b.bd("src=ddr:0 dst=mem:" + hex(kStreamInMem[i]) + " size=" + words + " rel=" + lock + ":1"));
    in_dm.push_back(b.bd("src=mem:" + hex(kStreamInMem[i]) + " dst=dm:" + hex(kStreamInDm[i]) + " size=" + words +
                         " acq=" + lock + ":1"));
  }
  const std::string out_words = num(out_chunk_bytes / 4);
  const int out_dm = b.bd("src=dm:" + hex(kStreamOutDm) + " dst=mem:" + hex(kStreamOutMem) + " size=" + out_words +
                          " rel=ml1:1");
  const int out_ddr = b.bd("src=mem:" + hex(kStreamOutMem) + " dst=ddr:0 size=" + out_words + " acq=ml1:1");
  prologue();
  for (std::size_t i = 0; i < ins.size(); ++i) b.movi(regs[i], ins[i].addr);
  b.movi("r21", out_addr);
  b.movi("r22", chunks);
  const std::string top = b.unique_label("chunk");
  b.label(top);
  b.dma_wait("shim0");
  for (std::size_t i = 0; i < ins.size(); ++i) b.bd_set(in_ddr[i], "src_addr", regs[i]);
  for (std::size_t i = 0; i < ins.size(); ++i) {
    b.dma_start("shim0", in_ddr[i]);
    b.dma_start(tiles[i], in_dm[i]);
  }
  for (std::size_t i = 0; i < ins.size(); ++i) b.dma_wait(tiles[i]);
  b.dma_wait("tile2");  // the previous chunk's result has left data memory
  body();
  b.dma_wait("shim1");  // ... and the memory tile
  b.bd_set(out_ddr, "dst_addr", "r21");
  b.dma_start("tile2", out_dm);
  b.dma_start("shim1", out_ddr);
  for (std::size_t i = 0; i < ins.size(); ++i) b.alui("add", regs[i], regs[i], ins[i].chunk_bytes);
  b.alui("add", "r21", "r21", out_chunk_bytes);
  b.alui("sub", "r22", "r22", 1);
  b.jnz("r22", top);
  b.dma_wait("shim1");
}

void load_vector(KernelBuilder& b, int64_t addr, uint64_t dm, int64_t elements, int64_t repeat) {
  const std::string words = num(elements / 2);
  const std::string pattern = repeat > 1 ? words + "," + num(repeat) + " src_stride=1,0" : words;
  const int to_mem = b.bd("src=ddr:0 dst=mem:" + hex(kVectorMem) + " size=" + pattern + " rel=ml2:1");
  const int to_dm = b.bd("src=mem:" + hex(kVectorMem) + " dst=dm:" + hex(dm) + " size=" + num(repeat * elements / 2) +
                         " acq=ml2:1");
  b.movi("r31", addr);
  b.bd_set(to_mem, "src_addr", "r31");
  b.dma_start("shim0", to_mem);
  b.dma_start("tile1", to_dm);
  b.dma_wait("tile1");
}

namespace {

// y = f(x) on 32 lanes (x2 = the second operand of binary ops): result in `y`, temporary `t`;
// constants x8 = 0, x9 = 1, x10, x11.
void elementwise_op(const std::string& op, KernelBuilder& b, const std::string& x, const std::string& x2,
                    const std::string& y, const std::string& t) {
  if (op == "relu") {
    b.vbin("vmax", "bf16", y, x, "x8");

  } else if (op == "add") {
    b.vbin("vadd", "bf16", y, x, x2);
  } else if (op == "silu" || op == "silu_mul") {
    b.vbin("vmul", "bf16", t, x, "x10");  // -log2(e) * x
    b.vun("vexp2", t, t);
    b.vbin("vadd", "bf16", t, t, "x9");   // 1 + e^-x
    b.vun("vinv", t, t);
    b.vbin("vmul", "bf16", y, x, t);
    if (op == "silu_mul") b.vbin("vmul", "bf16", y, y, x2);
  } else {  // gelu (tanh form) = x * sigmoid(2a), a = c0 (x + c1 x^3)
    b.vbin("vmul", "bf16", t, x, x);
    b.vbin("vmul", "bf16", t, t, x);
    b.vbin("vmul", "bf16", t, t, "x11");  // c1 x^3
    b.vbin("vadd", "bf16", t, t, x);
    b.vbin("vmul", "bf16", t, t, "x10");  // -2 c0 log2(e) (x + c1 x^3)
    b.vun("vexp2", t, t);
    b.vbin("vadd", "bf16", t, t, "x9");
    b.vun("vinv", t, t);
    b.vbin("vmul", "bf16", y, x, t);
  }
}

}  // namespace

void elementwise_stage(KernelBuilder& b, const ElementwiseStage& s) {
  const bool binary = s.in2 >= 0;
  const int64_t unroll = binary ? std::min<int64_t>(s.unroll, 2) : s.unroll;  // x0..x7 hold the operands
  const int64_t chunk = largest_divisor_at_most(s.elements, s.tile, 32 * unroll);
  std::vector<StreamIn> ins{{s.in, 2 * chunk}};
  if (binary) ins.push_back({s.in2, 2 * chunk});
  stream_stage(
      b, ins, s.out, 2 * chunk, s.elements / chunk,
      [&] {
        b.movi("r31", 0);
        b.vbcst("bf16", "x8", "r31");
        broadcast_constant(b, "x9", 1.0);
        if (s.op == "silu" || s.op == "silu_mul") broadcast_constant(b, "x10", -kLog2e);
        if (s.op == "gelu") {
          broadcast_constant(b, "x10", -2.0 * s.sqrt_2_over_pi * kLog2e);
          broadcast_constant(b, "x11", s.gelu_coeff);
        }
      },
      [&] {
        b.movi("p0", kStreamInDm[0]);
        b.movi("p1", kStreamOutDm);
        b.movi("p2", kStreamInDm[1]);
        const std::string end = b.unique_label("vec");
        b.loop(num(chunk / (32 * unroll)), end);
        // unary: x(2u) in, x(2u+1) out; binary: x(4u) in, x(4u+2) second operand, x(4u+1) out, x(4u+3) temp
        const int64_t stride = binary ? 4 : 2;
        for (int64_t u = 0; u < unroll; ++u) {
          b.vldx("x" + num(stride * u), "p0", 64);
          if (binary) b.vldx("x" + num(stride * u + 2), "p2", 64);
        }
        for (int64_t u = 0; u < unroll; ++u) {
          const std::string y = "x" + num(stride * u + 1);
          elementwise_op(s.op, b, "x" + num(stride * u), binary ? "x" + num(stride * u + 2) : "",
                         y, binary ? "x" + num(stride * u + 3) : y);
        }
        for (int64_t u = 0; u < unroll; ++u) {
          b.vst("wl" + num(stride * u + 1), "p1", 32);
          b.vst("wh" + num(stride * u + 1), "p1", 32);
        }
        b.loop_end(end);
      });
}

void rowwise_stage(KernelBuilder& b, const RowwiseStage& s) {
  const std::string& op = s.op;
  const int64_t rows = s.rows, d = s.d;
  const bool half = op == "softmax" && d == 16;
  if (d % 32 != 0 && !half)
    throw InputError("AIE baseline: " + op + " needs rows of a multiple of 32 (softmax: or 16), got " + num(d));
  const int64_t row_bytes = 2 * d;
  const int64_t rows_per_chunk = largest_divisor_at_most(rows, std::max<int64_t>(1, s.tile / d), 1);
  if (rows_per_chunk * row_bytes > 0x4000)
    throw InputError("AIE baseline: " + op + " rows of " + num(d) + " elements exceed a 16 KiB chunk");
  const int64_t vecs = half ? 1 : d / 32;
  stream_stage(
      b, {{s.in, rows_per_chunk * row_bytes}}, s.out, rows_per_chunk * row_bytes, rows / rows_per_chunk,
      [&] {
        b.movi("r31", 0);
        b.vbcst("bf16", "x8", "r31");
        if (op == "softmax") broadcast_constant(b, "x9", s.prescale_log2);
        if (half) {
          b.movi("r31", 0xFF80);  // -inf
          b.vbcst("bf16", "x5", "r31");
        }
        if (op != "softmax") {
          broadcast_constant(b, "x9", s.inv_d);
          broadcast_constant(b, "x10", s.eps);
          load_vector(b, s.gamma, kGammaDm, d);
          if (op == "layer_norm") load_vector(b, s.beta, kBetaDm, d);
        }
      },
      [&] {
        b.movi("p4", kStreamInDm[0]);  // row start in the input chunk
        b.movi("p5", kStreamOutDm);    // row start in the output chunk
        b.movi("r0", rows_per_chunk);
        const std::string row = b.unique_label("row");
        b.label(row);
        if (op == "softmax") {
          // Rows of 16 (half) live in wl5 with wh5 = -inf, which no pass changes.
          auto load = [&](const std::string& x, const std::string& p) {
            if (!half) return b.vldx(x, p, 64);
            b.vld("wl5", p, 32);
            b.vbin("vmax", "bf16", x, "x5", "x5");
          };
          auto store = [&](const std::string& p) {
            b.vst("wl0", p, 32);
            if (!half) b.vst("wh0", p, 32);
          };
          // max
          b.mov("p0", "p4");
          load("x1", "p0");
          if (vecs > 1) {
            const std::string e1 = b.unique_label("max");
            b.loop(num(vecs - 1), e1);
            b.vldx("x0", "p0", 64);
            b.vbin("vmax", "bf16", "x1", "x1", "x0");
            b.loop_end(e1);
          }
          fold_lanes(b, "vmax", "x1", "x0", "x2");  // x2 = row max
          // e = exp2((x - max) * prescale), stored to the output, summed in fp32
          b.mov("p0", "p4");
          b.mov("p1", "p5");
          b.vups("cm0", "x8");
          const std::string e2 = b.unique_label("exp");
          b.loop(num(vecs), e2);
          load("x0", "p0");
          b.vbin("vsub", "bf16", "x0", "x0", "x2");
          b.vbin("vmul", "bf16", "x0", "x0", "x9");
          b.vun("vexp2", "x0", "x0");
          store("p1");
          b.vups("cm1", "x0");
          b.vaddacc("cm0", "cm0", "cm1");
          b.loop_end(e2);
          b.vsrs("x1", "cm0");
          fold_lanes(b, "vadd", "x1", "x0", "x3");
          b.vun("vinv", "x3", "x3");
          b.mov("p1", "p5");
          b.mov("p2", "p5");
          const std::string e3 = b.unique_label("scale");
          b.loop(num(vecs), e3);
          load("x0", "p1");
          b.vbin("vmul", "bf16", "x0", "x0", "x3");
          store("p2");
          b.loop_end(e3);
        } else {
          const bool layer = op == "layer_norm";
          if (layer) {  // mean
            b.mov("p0", "p4");
            b.vups("cm0", "x8");
            const std::string e1 = b.unique_label("sum");
            b.loop(num(vecs), e1);
            b.vldx("x0", "p0", 64);
            b.vups("cm1", "x0");
            b.vaddacc("cm0", "cm0", "cm1");
            b.loop_end(e1);
            b.vsrs("x1", "cm0");
            fold_lanes(b, "vadd", "x1", "x0", "x2");
            b.vbin("vmul", "bf16", "x2", "x2", "x9");  // x2 = mean
          }
          // sum of squares (of x - mean for layer_norm)
          b.mov("p0", "p4");
          b.vups("cm0", "x8");
          const std::string e2 = b.unique_label("sq");
          b.loop(num(vecs), e2);
          b.vldx("x0", "p0", 64);
          if (layer) b.vbin("vsub", "bf16", "x0", "x0", "x2");
          b.vbin("vmul", "bf16", "x0", "x0", "x0");
          b.vups("cm1", "x0");
          b.vaddacc("cm0", "cm0", "cm1");
          b.loop_end(e2);
          b.vsrs("x1", "cm0");
          fold_lanes(b, "vadd", "x1", "x0", "x3");
          b.vbin("vmul", "bf16", "x3", "x3", "x9");
          b.vbin("vadd", "bf16", "x3", "x3", "x10");
          b.vun("vrsqrt", "x3", "x3");  // x3 = 1 / sqrt(var + eps)
          b.mov("p0", "p4");
          b.mov("p1", "p5");
          b.movi("p2", kGammaDm);
          b.movi("p3", kBetaDm);
          const std::string e3 = b.unique_label("norm");
          b.loop(num(vecs), e3);
          b.vldx("x0", "p0", 64);
          b.vldx("x4", "p2", 64);
          if (layer) {
            b.vldx("x5", "p3", 64);
            b.vbin("vsub", "bf16", "x0", "x0", "x2");
          }
          b.vbin("vmul", "bf16", "x0", "x0", "x3");
          b.vbin("vmul", "bf16", "x0", "x0", "x4");
          if (layer) b.vbin("vadd", "bf16", "x0", "x0", "x5");
          b.vst("wl0", "p1", 32);
          b.vst("wh0", "p1", 32);
          b.loop_end(e3);
        }
        b.padd("p4", row_bytes);
        b.padd("p5", row_bytes);
        b.alui("sub", "r0", "r0", 1);
        b.jnz("r0", row);
      });
}

void rope_stage(KernelBuilder& b, int64_t rows, int64_t nh, int64_t d, int64_t x, int64_t cos, int64_t sin,
                int64_t out, int64_t tile) {
  if (d != 64) throw InputError("AIE baseline: rope supports head dimension 64, got " + num(d));
  const int64_t row_bytes = 2 * nh * d;
  const int64_t r = largest_divisor_at_most(rows, std::max<int64_t>(1, std::min(tile / (nh * d), 0x2000 / (2 * d))), 1);
  if (r * row_bytes > 0x4000) throw InputError("AIE baseline: rope rows of " + num(nh * d) + " do not fit a chunk");
  stream_stage(
      b, {{x, r * row_bytes}, {cos, r * 2 * d}, {sin, r * 2 * d}}, out, r * row_bytes, rows / r, [] {},
      [&] {
        b.movi("p0", kStreamInDm[0]);
        b.movi("p1", kStreamInDm[1]);
        b.movi("p2", kStreamInDm[2]);
        b.movi("p3", kStreamOutDm);
        b.movi("r0", r);
        const std::string row = b.unique_label("rrow");
        b.label(row);
        b.vldx("x4", "p1", 64);  // cos lo, hi
        b.vldx("x5", "p1", 64);
        b.vldx("x6", "p2", 64);  // sin lo, hi
        b.vldx("x7", "p2", 64);
        const std::string end = b.unique_label("rhead");
        b.loop(num(nh), end);
        b.vldx("x0", "p0", 64);
        b.vldx("x1", "p0", 64);
        b.vbin("vmul", "bf16", "x2", "x0", "x4");  // lo cos - hi sin
        b.vbin("vmul", "bf16", "x3", "x1", "x6");
        b.vbin("vsub", "bf16", "x2", "x2", "x3");
        b.vbin("vmul", "bf16", "x8", "x1", "x5");  // hi cos + lo sin
        b.vbin("vmul", "bf16", "x9", "x0", "x7");
        b.vbin("vadd", "bf16", "x8", "x8", "x9");
        b.vst("wl2", "p3", 32);
        b.vst("wh2", "p3", 32);
        b.vst("wl8", "p3", 32);
        b.vst("wh8", "p3", 32);
        b.loop_end(end);
        b.alui("sub", "r0", "r0", 1);
        b.jnz("r0", row);
      });
}

// ---------------------------------------------------------------------------------------------
// Data movement

void transpose_stage(KernelBuilder& b, int64_t rows, int64_t cols, int64_t in, int64_t in_ld, int64_t out,
                     int64_t out_ld) {
  constexpr int64_t kUnroll = 8;
  if (cols % kUnroll != 0 || rows % 2 != 0)
    throw InputError("AIE baseline: transpose needs cols % 8 == 0 and even rows, got " + num(rows) + " x " + num(cols));
  const int64_t r = largest_divisor_at_most(rows, std::max<int64_t>(2, 0x4000 / (2 * cols)), 2);
  if (r * cols * 2 > 0x4000) throw InputError("AIE baseline: transpose rows of " + num(cols) + " do not fit");
  constexpr uint64_t kInDm = 0x0000, kOutDm = 0x4000;
  const int in_mem = b.bd("src=ddr:0 dst=mem:" + hex(kStreamInMem[0]) + " size=" + num(cols / 2) + "," + num(r) +
                          " src_stride=1," + num(in_ld / 2) + " rel=ml0:1");
  const int in_dm = b.bd("src=mem:" + hex(kStreamInMem[0]) + " dst=dm:" + hex(kInDm) + " size=" + num(r * cols / 2) +
                         " acq=ml0:1");
  const int out_mem = b.bd("src=dm:" + hex(kOutDm) + " dst=mem:" + hex(kStreamOutMem) + " size=" + num(r * cols / 2) +
                           " rel=ml1:1");
  const int out_ddr = b.bd("src=mem:" + hex(kStreamOutMem) + " dst=ddr:0 size=" + num(r / 2) + "," + num(cols) +
                           " dst_stride=1," + num(out_ld / 2) + " acq=ml1:1");
  b.movi("r20", in);
  b.movi("r21", out);
  b.movi("r22", rows / r);
  const std::string top = b.unique_label("tchunk");
  b.label(top);
  b.dma_wait("shim0");
  b.bd_set(in_mem, "src_addr", "r20");
  b.dma_start("shim0", in_mem);
  b.dma_start("tile0", in_dm);
  b.dma_wait("tile0");
  b.dma_wait("tile2");
  b.movi("p0", kInDm);
  b.movi("r10", kOutDm);
  b.movi("r0", r);
  const std::string row = b.unique_label("trow");
  b.label(row);
  b.mov("p1", "r10");
  const std::string end = b.unique_label("tcol");
  b.loop(num(cols / kUnroll), end);
  for (int64_t u = 0; u < kUnroll; ++u) b.ld16("r" + num(1 + u), "p0", 2);
  for (int64_t u = 0; u < kUnroll; ++u) b.st16("r" + num(1 + u), "p1", 2 * r);
  b.loop_end(end);
  b.alui("add", "r10", "r10", 2);
  b.alui("sub", "r0", "r0", 1);
  b.jnz("r0", row);
  b.dma_wait("shim1");
  b.bd_set(out_ddr, "dst_addr", "r21");
  b.dma_start("tile2", out_mem);
  b.dma_start("shim1", out_ddr);
  b.alui("add", "r20", "r20", r * in_ld * 2);
  b.alui("add", "r21", "r21", 2 * r);
  b.alui("sub", "r22", "r22", 1);
  b.jnz("r22", top);
  b.dma_wait("shim1");
}

void strided_copy_stage(KernelBuilder& b, int64_t src, const int64_t size[3], const int64_t src_stride[3],
                        int64_t dst) {
  const int64_t plane = size[0] * size[1] * 4;  // bytes per step of dimension 2
  const int64_t per = largest_divisor_at_most(size[2], std::max<int64_t>(1, 0x40000 / plane), 1);
  const int to_mem = b.bd("src=ddr:0 dst=mem:0x0 size=" + num(size[0]) + "," + num(size[1]) + "," + num(per) +
                          " src_stride=" + num(src_stride[0]) + "," + num(src_stride[1]) + "," + num(src_stride[2]) +
                          " rel=ml0:1");
  const int to_ddr = b.bd("src=mem:0x0 dst=ddr:0 size=" + num(per * plane / 4) + " acq=ml0:1");
  b.movi("r20", src);
  b.movi("r21", dst);
  b.movi("r22", size[2] / per);
  const std::string top = b.unique_label("copy");
  b.label(top);
  b.dma_wait("shim1");
  b.bd_set(to_mem, "src_addr", "r20");
  b.bd_set(to_ddr, "dst_addr", "r21");
  b.dma_start("shim0", to_mem);
  b.dma_start("shim1", to_ddr);
  b.alui("add", "r20", "r20", 4 * per * src_stride[2]);
  b.alui("add", "r21", "r21", per * plane);
  b.alui("sub", "r22", "r22", 1);
  b.jnz("r22", top);
  b.dma_wait("shim1");
}

}  // namespace kc::aie_baseline
