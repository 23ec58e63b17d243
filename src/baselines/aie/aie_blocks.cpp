#include "aie_blocks.h"

#include <algorithm>
#include <cstdio>

#include "aie_templates.h"
#include "kernelcraft/core/errors.h"

namespace kc::aie_baseline {
namespace {

constexpr double kLog2e = 1.4426950408889634;

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

StreamMap stream_map(const aie::HardwareConfig& hw) {
  const uint64_t dm = hw.dm_bytes, mt = hw.memtile_bytes;
  StreamMap m;
  m.in_dm[0] = 0;
  m.in_dm[1] = dm / 2;
  m.in_dm[2] = 5 * dm / 8;
  m.out_dm = dm / 4;
  m.gamma_dm = 3 * dm / 4;
  m.beta_dm = 13 * dm / 16;
  m.in_mem[0] = 0;
  m.in_mem[1] = mt / 2;
  m.in_mem[2] = 5 * mt / 8;
  m.out_mem = mt / 8;
  m.vector_mem = mt / 4;
  m.chunk_bytes = static_cast<int64_t>(std::min(dm / 4, mt / 8));
  return m;
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
// Streams

void stream_stage(KernelBuilder& b, const std::vector<StreamIn>& ins, int64_t out_addr, int64_t out_chunk_bytes,
                  int64_t chunks, const std::function<void()>& prologue, const std::function<void()>& body) {
  const StageScope scope(b, "a stream stage");
  static const char* const tiles[3] = {"tile0", "tile1", "tile3"};
  static const char* const regs[3] = {"r20", "r23", "r24"};
  const StreamMap map = stream_map(b.hw());
  const int64_t chunk = map.chunk_bytes;
  const int64_t limits[3] = {chunk, ins.size() > 2 ? chunk / 2 : chunk, chunk / 2};
  if (ins.empty() || ins.size() > 3 || out_chunk_bytes > chunk)
    throw InputError("AIE baseline: a stream stage takes 1..3 inputs and chunks of at most " + num(chunk) +
                     " bytes on preset " + b.hw().name);
  std::vector<int> in_ddr, in_dm;
  for (std::size_t i = 0; i < ins.size(); ++i) {
    if (ins[i].chunk_bytes > limits[i] || ins[i].chunk_bytes % 4 != 0)
      throw InputError("AIE baseline: stream input chunk of " + num(ins[i].chunk_bytes) + " bytes is too large (at most " +
                       num(limits[i]) + " on preset " + b.hw().name + ")");
    const std::string words = num(ins[i].chunk_bytes / 4);
    const std::string lock = "ml" + num(i == 0 ? 0 : 3 + static_cast<int64_t>(i));
    in_ddr.push_back(b.bd("src=ddr:0 dst=mem:" + hex(map.in_mem[i]) + " size=" + words + " rel=" + lock + ":1"));
    in_dm.push_back(b.bd("src=mem:" + hex(map.in_mem[i]) + " dst=dm:" + hex(map.in_dm[i]) + " size=" + words +
                         " acq=" + lock + ":1"));
  }
  const std::string out_words = num(out_chunk_bytes / 4);
  const int out_dm = b.bd("src=dm:" + hex(map.out_dm) + " dst=mem:" + hex(map.out_mem) + " size=" + out_words +
                          " rel=ml1:1");
  const int out_ddr = b.bd("src=mem:" + hex(map.out_mem) + " dst=ddr:0 size=" + out_words + " acq=ml1:1");
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
  const uint64_t at = stream_map(b.hw()).vector_mem;
  const int to_mem = b.bd("src=ddr:0 dst=mem:" + hex(at) + " size=" + pattern + " rel=ml2:1");
  const int to_dm = b.bd("src=mem:" + hex(at) + " dst=dm:" + hex(dm) + " size=" + num(repeat * elements / 2) +
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
  const StageScope scope(b, "the " + s.op + " stage");
  const bool binary = s.in2 >= 0;
  const int64_t unroll = binary ? std::min<int64_t>(s.unroll, 2) : s.unroll;  // x0..x7 hold the operands
  const StreamMap map = stream_map(b.hw());
  const int64_t chunk = largest_divisor_at_most(s.elements, std::min(s.tile, map.chunk_bytes / 2), 32 * unroll);
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
        b.movi("p0", map.in_dm[0]);
        b.movi("p1", map.out_dm);
        b.movi("p2", map.in_dm[1]);
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
  const StageScope scope(b, "the " + s.op + " stage");
  const std::string& op = s.op;
  const int64_t rows = s.rows, d = s.d;
  const bool half = op == "softmax" && d == 16;
  if (d % 32 != 0 && !half)
    throw InputError("AIE baseline: " + op + " needs rows of a multiple of 32 (softmax: or 16), got " + num(d));
  const int64_t row_bytes = 2 * d;
  const StreamMap map = stream_map(b.hw());
  const int64_t tile = std::min(s.tile, map.chunk_bytes / 2);
  const int64_t rows_per_chunk = largest_divisor_at_most(rows, std::max<int64_t>(1, tile / d), 1);
  if (rows_per_chunk * row_bytes > map.chunk_bytes)
    throw InputError("AIE baseline: " + op + " rows of " + num(d) + " elements exceed a chunk of " +
                     num(map.chunk_bytes) + " bytes on preset " + b.hw().name);
  if (op != "softmax" && (row_bytes > static_cast<int64_t>(map.beta_dm - map.gamma_dm) ||
                          row_bytes > static_cast<int64_t>(b.hw().dm_bytes - map.beta_dm)))
    throw InputError("AIE baseline: " + op + " gamma/beta of " + num(d) + " elements do not fit their " +
                     num(static_cast<int64_t>(map.beta_dm - map.gamma_dm)) + " bytes of data memory on preset " +
                     b.hw().name);
  const int64_t vecs = half ? 1 : d / 32;
  const bool residual = op == "softmax" && s.lo >= 0;
  std::vector<StreamIn> ins{{s.in, rows_per_chunk * row_bytes}};
  if (residual) ins.push_back({s.lo, rows_per_chunk * row_bytes});
  stream_stage(
      b, ins, s.out, rows_per_chunk * row_bytes, rows / rows_per_chunk,
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
          load_vector(b, s.gamma, map.gamma_dm, d);
          if (op == "layer_norm") load_vector(b, s.beta, map.beta_dm, d);
        }
      },
      [&] {
        b.movi("p4", map.in_dm[0]);  // row start in the input chunk
        b.movi("p5", map.out_dm);    // row start in the output chunk
        if (residual) b.movi("p6", map.in_dm[1]);
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
          // e = exp2((x - max) * prescale), stored to the output, summed in fp32. With the residual,
          // x - max = (hi - max) + lo: the dominant keys' exponents keep about 16 bits.
          b.mov("p0", "p4");
          b.mov("p1", "p5");
          if (residual) b.mov("p3", "p6");
          b.vups("cm0", "x8");
          const std::string e2 = b.unique_label("exp");
          b.loop(num(vecs), e2);
          load("x0", "p0");
          if (residual) load("x4", "p3");
          b.vbin("vsub", "bf16", "x0", "x0", "x2");
          if (residual) b.vbin("vadd", "bf16", "x0", "x0", "x4");
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
          b.movi("p2", map.gamma_dm);
          b.movi("p3", map.beta_dm);
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
        if (residual) b.padd("p6", row_bytes);
        b.alui("sub", "r0", "r0", 1);
        b.jnz("r0", row);
      });
}

void rope_stage(KernelBuilder& b, int64_t rows, int64_t nh, int64_t d, int64_t x, int64_t cos, int64_t sin,
                int64_t out, int64_t tile) {
  const StageScope scope(b, "the rope stage");
  if (d != 64) throw InputError("AIE baseline: rope supports head dimension 64, got " + num(d));
  const int64_t row_bytes = 2 * nh * d;
  const StreamMap map = stream_map(b.hw());
  const int64_t half = map.chunk_bytes / 2;  // cos and sin chunks beside x
  const int64_t r =
      largest_divisor_at_most(rows, std::max<int64_t>(1, std::min(std::min(tile, half) / (nh * d), half / (2 * d))), 1);
  if (r * row_bytes > map.chunk_bytes)
    throw InputError("AIE baseline: rope rows of " + num(nh * d) + " do not fit a chunk of " + num(map.chunk_bytes) +
                     " bytes on preset " + b.hw().name);
  stream_stage(
      b, {{x, r * row_bytes}, {cos, r * 2 * d}, {sin, r * 2 * d}}, out, r * row_bytes, rows / r, [] {},
      [&] {
        b.movi("p0", map.in_dm[0]);
        b.movi("p1", map.in_dm[1]);
        b.movi("p2", map.in_dm[2]);
        b.movi("p3", map.out_dm);
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

void fetch_chunk(KernelBuilder& b, int ddr_to_mem, int mem_to_dm, const std::string& src_reg) {
  b.dma_wait("shim0");
  b.bd_set(ddr_to_mem, "src_addr", src_reg);
  b.dma_start("shim0", ddr_to_mem);
  b.dma_start("tile0", mem_to_dm);
  b.dma_wait("tile0");
  b.dma_wait("tile2");
}

void transpose_stage(KernelBuilder& b, int64_t rows, int64_t cols, int64_t in, int64_t in_ld, int64_t out,
                     int64_t out_ld) {
  const StageScope scope(b, "the transpose stage");
  constexpr int64_t kUnroll = 8;
  if (cols % kUnroll != 0 || rows % 2 != 0)
    throw InputError("AIE baseline: transpose needs cols % 8 == 0 and even rows, got " + num(rows) + " x " + num(cols));
  const StreamMap map = stream_map(b.hw());  // input and output chunks where streams keep input 0 and the output
  const int64_t r = largest_divisor_at_most(rows, std::max<int64_t>(2, map.chunk_bytes / (2 * cols)), 2);
  if (r * cols * 2 > map.chunk_bytes)
    throw InputError("AIE baseline: transpose rows of " + num(cols) + " do not fit a chunk of " +
                     num(map.chunk_bytes) + " bytes on preset " + b.hw().name);
  const uint64_t kInDm = map.in_dm[0], kOutDm = map.out_dm;
  const int in_mem = b.bd("src=ddr:0 dst=mem:" + hex(map.in_mem[0]) + " size=" + num(cols / 2) + "," + num(r) +
                          " src_stride=1," + num(in_ld / 2) + " rel=ml0:1");
  const int in_dm = b.bd("src=mem:" + hex(map.in_mem[0]) + " dst=dm:" + hex(kInDm) + " size=" + num(r * cols / 2) +
                         " acq=ml0:1");
  const int out_mem = b.bd("src=dm:" + hex(kOutDm) + " dst=mem:" + hex(map.out_mem) + " size=" + num(r * cols / 2) +
                           " rel=ml1:1");
  const int out_ddr = b.bd("src=mem:" + hex(map.out_mem) + " dst=ddr:0 size=" + num(r / 2) + "," + num(cols) +
                           " dst_stride=1," + num(out_ld / 2) + " acq=ml1:1");
  b.movi("r20", in);
  b.movi("r21", out);
  b.movi("r22", rows / r);
  const std::string top = b.unique_label("tchunk");
  b.label(top);
  fetch_chunk(b, in_mem, in_dm, "r20");
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
  const StageScope scope(b, "the strided copy stage");
  const int64_t plane = size[0] * size[1] * 4;  // bytes per step of dimension 2
  const int64_t budget = b.hw().memtile_bytes / 2;  // bytes staged in the memory tile at a time
  const int64_t per = largest_divisor_at_most(size[2], std::max<int64_t>(1, budget / plane), 1);
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
