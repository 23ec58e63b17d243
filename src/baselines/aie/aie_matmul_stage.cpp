// The matmul stage (aie_blocks.h): C[M x N] = A[M x K] B[K x N] (+ bias row), bf16 operands, fp32
// accumulation. Per batch and panel of B columns, the B panel goes DDR -(shim1, reshaped into
// 4-column strips of 8x4 blocks)-> memory tile -(tile1)-> data memory; per block-row of 4 rows of
// A: DDR -(shim0)-> memory tile -(tile0, into 4x8 blocks)-> data memory; K/8-long mmac chains for
// `unroll` column blocks per A load; the 4 x panel result goes back row-major (tile2, shim1).
//
// Data memory: B panel in the lower half, then the A block-row (8K bytes), the C block-row
// (<= 1 KiB), its residual, the bias blocks. Memory tile: B at 0, A at 1/8, C at 1/4 (residual
// 4 KiB above), bias at 3/8 of its size.
//
// Inline or shared: a stage is normally emitted where it runs, with its quantities as immediates.
// When the kernel would not fit program memory (KernelBuilder::sharing_code), the loops are emitted
// once per variant (unroll, bias, residual) after `done` and every stage becomes a call site that
// reprograms the variant's BDs and loads its quantities into registers.
#include <algorithm>

#include "aie_blocks.h"
#include "kernelcraft/core/errors.h"

namespace kc::aie_baseline {
namespace {

// A quantity of one stage: an immediate inline, a register in shared code.
struct Param {
  int64_t value = 0;
  std::string reg;
  std::string text() const { return reg.empty() ? num(value) : reg; }
};

void set(KernelBuilder& b, const std::string& d, const Param& p) {
  if (p.reg.empty()) b.movi(d, p.value);
  else b.mov(d, p.reg);
}

// d = a + p.
void add(KernelBuilder& b, const std::string& d, const std::string& a, const Param& p) {
  if (p.reg.empty()) b.alui("add", d, a, p.value);
  else b.alu("add", d, a, p.reg);
}
void add(KernelBuilder& b, const std::string& d, const Param& p) { add(b, d, d, p); }

struct Map {
  uint64_t b_dm, a_dm, c_dm, lo_dm, bias_dm, end_dm;
  uint64_t b_mem, a_mem, c_mem, lo_mem, bias_mem;
};

// Shared code cannot move its buffers per call, so it reserves room for the largest A (DM/4).
Map matmul_map(const aie::HardwareConfig& hw, int64_t k, int64_t panel, bool shared) {
  const uint64_t dm = hw.dm_bytes, mt = hw.memtile_bytes;
  const uint64_t a_room = shared ? dm / 4 : std::max<uint64_t>(dm / 8, (8 * k + 0x3FF) / 0x400 * 0x400);
  Map m;
  m.b_dm = 0;
  m.a_dm = dm / 2;
  m.c_dm = m.a_dm + a_room;
  m.lo_dm = m.c_dm + 0x800;
  m.bias_dm = m.c_dm + 0x1000;
  m.end_dm = m.bias_dm + 16 * panel;
  m.b_mem = 0;
  m.a_mem = mt / 8;
  m.c_mem = mt / 4;
  m.lo_mem = m.c_mem + 0x1000;
  m.bias_mem = 3 * mt / 8;
  return m;
}

// Everything the loops need: the shape, the buffers, the BD numbers, the per-stage quantities.
struct Plan {
  int64_t unroll = 1, panel = 0, k = 0;
  bool bias = false, residual = false, shared = false, batched = false, grouped = false;
  Map map{};
  ARowBds a;
  int b_ddr = 0, b_dm = 0, c_dm = 0, c_ddr = 0, lo_dm = 0, lo_ddr = 0, bias_ddr = 0, bias_dm = 0;
  Param rows, panels, groups, k8, a_step, c_step, panel_bytes, a_batch, b_batch, c_batch, bias_batch, b_group,
      lo_offset, strip_skip;
  std::vector<Param> strip;  // offset of column block u's strip in the B panel
};

// The variant's name: what shared code cannot take from registers.
std::string variant(const Plan& p) {
  return "matmul_u" + num(p.unroll) + (p.bias ? "_bias" : "") + (p.residual ? "_lo" : "");
}

void choose_shape(const aie::HardwareConfig& hw, const MatmulStage& s, bool shared, Plan& p) {
  const int64_t m = s.m, k = s.k, n = s.n;
  const int64_t budget = hw.dm_bytes / 2;  // the B panel
  p.unroll = s.unroll;
  while (p.unroll > 1 && n % (4 * p.unroll) != 0) p.unroll /= 2;
  p.panel = std::min<int64_t>(s.panel, n);
  while (p.panel > 4 * p.unroll && (k * p.panel * 2 > budget || n % p.panel != 0)) p.panel /= 2;
  if (m % 4 != 0 || k % 8 != 0 || n % (4 * p.unroll) != 0 || p.panel % (4 * p.unroll) != 0 || n % p.panel != 0 ||
      s.batches < 1 || s.b_group < 1 || s.batches % s.b_group != 0)
    throw InputError("AIE baseline: " + s.what + " with M=" + num(m) + " K=" + num(k) + " N=" + num(n) +
                     " does not fit its tiling (M % 4, K % 8, N % (4 unroll), N % panel)");
  p.k = k;
  p.map = matmul_map(hw, k, p.panel, shared);
  if (k * p.panel * 2 > budget || 8 * k > static_cast<int64_t>(p.map.c_dm - p.map.a_dm) || p.map.end_dm > hw.dm_bytes)
    throw InputError("AIE baseline: " + s.what + " with K=" + num(k) + " needs a B panel of " +
                     num(k * p.panel * 2) + " bytes (at most " + num(budget) + ") and an A block-row of " +
                     num(8 * k) + " bytes (at most " + num(static_cast<int64_t>(p.map.c_dm - p.map.a_dm)) +
                     "); preset " + hw.name + " has " + num(hw.dm_bytes) + " bytes of data memory");
}

// Immediates inline; the registers r3..r15, m0..m4 in shared code (the caller loads them).
void choose_params(const MatmulStage& s, Plan& p) {
  const int64_t k = s.k;
  auto q = [&](int64_t value, const char* reg) { return Param{value, p.shared ? reg : ""}; };
  p.rows = q(s.m / 4, "r3");
  p.panels = q(s.n / p.panel, "r4");
  p.groups = q(p.panel / (4 * p.unroll), "r5");
  p.k8 = q(k / 8, "r6");
  p.a_step = q(s.a_source ? s.a_source->row_step : 8 * s.a.ld, "r7");
  p.c_step = q(8 * s.c.ld, "r8");
  p.panel_bytes = q(2 * p.panel, "r9");
  p.a_batch = q(s.a.batch_stride, "r10");
  p.b_batch = q(s.b.batch_stride, "r11");
  p.c_batch = q(s.c.batch_stride, "r12");
  p.bias_batch = q(s.bias.batch_stride, "r13");
  p.b_group = q(s.b_group, "r14");
  p.lo_offset = q(s.c_lo - s.c.addr, "r15");
  p.strip_skip = q((p.unroll - 1) * k * 8, "m0");
  p.strip.push_back({static_cast<int64_t>(p.map.b_dm), ""});  // block 0's strip starts the panel
  for (int64_t u = 1; u < p.unroll; ++u) {
    const std::string reg = "m" + num(u);
    p.strip.push_back(q(static_cast<int64_t>(p.map.b_dm) + u * k * 8, reg.c_str()));
  }
}

void load_params(KernelBuilder& b, const Plan& p) {
  for (const Param* q : {&p.rows, &p.panels, &p.groups, &p.k8, &p.a_step, &p.c_step, &p.panel_bytes, &p.a_batch,
                         &p.b_batch, &p.c_batch, &p.bias_batch, &p.b_group, &p.lo_offset, &p.strip_skip})
    b.movi(q->reg, q->value);
  for (std::size_t u = 1; u < p.strip.size(); ++u) b.movi(p.strip[u].reg, p.strip[u].value);
}

// The stage's BDs; shared code keeps one number per role for all its call sites.
void take_bds(KernelBuilder& b, const MatmulStage& s, Plan& p) {
  const Map& m = p.map;
  const int64_t k = s.k, panel = p.panel;
  const std::string prefix = variant(p) + ":";
  auto bd = [&](const std::string& role, const std::string& spec) {
    return p.shared ? b.shared_bd(prefix + role, spec) : b.bd(spec);
  };
  if (!s.a_source) {
    p.a.ddr = bd("a_ddr", "src=ddr:0 dst=mem:" + hex(m.a_mem) + " size=" + num(k / 2) + ",4 src_stride=1," +
                              num(s.a.ld / 2) + " rel=ml1:1");
    p.a.dm = bd("a_dm", "src=mem:" + hex(m.a_mem) + " dst=dm:" + hex(m.a_dm) + " size=4,4," + num(k / 8) +
                            " src_stride=1," + num(k / 2) + ",4 acq=ml1:1");
  }
  // B panel: word (i0, k, strip) of the K x panel block into 4-column strips (8x4 blocks).
  p.b_ddr = bd("b_ddr", "src=ddr:0 dst=mem:" + hex(m.b_mem) + " size=2," + num(k) + "," + num(panel / 4) +
                            " src_stride=1," + num(s.b.ld / 2) + ",2 rel=ml0:1");
  p.b_dm = bd("b_dm", "src=mem:" + hex(m.b_mem) + " dst=dm:" + hex(m.b_dm) + " size=" + num(k * panel / 2) +
                          " acq=ml0:1");
  // C: panel/4 blocks of 4x4 in data memory -> a 4 x panel row-major block -> DDR rows.
  p.c_dm = bd("c_dm", "src=dm:" + hex(m.c_dm) + " dst=mem:" + hex(m.c_mem) + " size=2,4," + num(panel / 4) +
                          " dst_stride=1," + num(panel / 2) + ",2 rel=ml2:1");
  p.c_ddr = bd("c_ddr", "src=mem:" + hex(m.c_mem) + " dst=ddr:0 size=" + num(panel / 2) + ",4 dst_stride=1," +
                            num(s.c.ld / 2) + " acq=ml2:1");
  if (p.residual) {  // the same pattern from its own buffers, on the same channels after C
    p.lo_dm = bd("lo_dm", "src=dm:" + hex(m.lo_dm) + " dst=mem:" + hex(m.lo_mem) + " size=2,4," + num(panel / 4) +
                              " dst_stride=1," + num(panel / 2) + ",2 rel=ml6:1");
    p.lo_ddr = bd("lo_ddr", "src=mem:" + hex(m.lo_mem) + " dst=ddr:0 size=" + num(panel / 2) + ",4 dst_stride=1," +
                                num(s.c.ld / 2) + " acq=ml6:1");
  }
  if (p.bias) {  // bias blocks: 4 copies of 4 values, one block per 64 bytes of data memory
    p.bias_ddr = bd("bias_ddr", "src=ddr:0 dst=mem:" + hex(m.bias_mem) + " size=2,4," + num(panel / 4) +
                                    " src_stride=1,0,2 rel=ml3:1");
    p.bias_dm = bd("bias_dm", "src=mem:" + hex(m.bias_mem) + " dst=dm:" + hex(m.bias_dm) + " size=8," +
                                  num(panel / 4) + " dst_stride=1,16 acq=ml3:1");
  }
}

void zero_x11(KernelBuilder& b) {
  b.movi("r31", 0);
  b.vbcst("bf16", "x11", "r31");
}

// The batch bases: A r24, B r25, C r26, bias r30; batches r27.
void load_bases(KernelBuilder& b, const MatmulStage& s, const Plan& p) {
  b.movi("r24", s.a_source ? s.a_source->base : s.a.addr);
  b.movi("r25", s.b.addr);
  b.movi("r26", s.c.addr);
  if (p.bias) b.movi("r30", s.bias.addr);
  b.movi("r27", s.batches);
}

void block_row(KernelBuilder& b, const Plan& p, const std::optional<ARowSource>& src) {
  const Map& m = p.map;
  if (src) src->fetch(b, "r20");
  else fetch_a_row(b, p.a, "r20");
  b.dma_wait("shim1");  // the previous C block-row has left data memory and the memory tile
  for (int64_t u = 0; u < p.unroll; ++u) set(b, "p" + num(1 + u), p.strip[static_cast<std::size_t>(u)]);
  b.movi("p5", m.c_dm);
  if (p.residual) b.movi("p7", m.lo_dm);
  if (p.bias) b.movi("p6", m.bias_dm);
  set(b, "r1", p.groups);
  const std::string group = b.unique_label("group");
  b.label(group);
  mac_group(b, p.k8.text(), p.unroll, p.bias, m.a_dm);
  for (int64_t u = 0; u < p.unroll; ++u) {
    b.vsrs("x" + num(1 + u), "cm" + num(u));
    b.vst("wl" + num(1 + u), "p5", 32);
  }
  for (int64_t u = 0; p.residual && u < p.unroll; ++u) {  // lo = bf16(acc - bf16(acc))
    const std::string cm = "cm" + num(u), t = "cm" + num(4 + u), x = "x" + num(9 + u % 2);
    b.vups(t, "x" + num(1 + u));
    b.vsubacc(t, cm, t);
    b.vsrs(x, t);
    b.vst("wl" + num(9 + u % 2), "p7", 32);
  }
  if (p.unroll > 1)
    for (int64_t u = 0; u < p.unroll; ++u) {
      if (p.strip_skip.reg.empty()) b.padd("p" + num(1 + u), p.strip_skip.value);
      else b.padd("p" + num(1 + u), p.strip_skip.reg);
    }
  b.alui("sub", "r1", "r1", 1);
  b.jnz("r1", group);
  b.bd_set(p.c_ddr, "dst_addr", "r29");
  b.dma_start("tile2", p.c_dm);
  b.dma_start("shim1", p.c_ddr);
  if (p.residual) {
    add(b, "r2", "r29", p.lo_offset);
    b.bd_set(p.lo_ddr, "dst_addr", "r2");
    b.dma_start("tile2", p.lo_dm);
    b.dma_start("shim1", p.lo_ddr);
  }
}

// After the panels of one batch: the next batch's bases (B every b_group batches, counted in r18).
void next_batch(KernelBuilder& b, const Plan& p) {
  auto step = [&](const std::string& reg, const Param& q) {
    if (p.shared || q.value) add(b, reg, q);
  };
  step("r24", p.a_batch);
  step("r26", p.c_batch);
  if (p.bias) step("r30", p.bias_batch);
  if (p.grouped) {
    const std::string same = b.unique_label("sameb");
    b.alui("sub", "r18", "r18", 1);
    b.jnz("r18", same);
    step("r25", p.b_batch);
    set(b, "r18", p.b_group);
    b.label(same);
  } else {
    step("r25", p.b_batch);
  }
}

// From the batch loop to the final wait: registers r0, r1, r2, r18, r20..r30 and p0..p7.
void loops(KernelBuilder& b, const Plan& p, const std::optional<ARowSource>& src) {
  const std::string batch = b.unique_label("batch");
  b.label(batch);
  b.mov("r21", "r25");  // B panel address
  b.mov("r22", "r26");  // C panel address
  set(b, "r23", p.panels);
  if (p.bias) b.mov("r28", "r30");
  const std::string pan = b.unique_label("panel");
  b.label(pan);
  b.dma_wait("shim1");
  b.bd_set(p.b_ddr, "src_addr", "r21");
  b.dma_start("shim1", p.b_ddr);
  b.dma_start("tile1", p.b_dm);
  if (p.bias) {
    b.bd_set(p.bias_ddr, "src_addr", "r28");
    b.dma_start("shim0", p.bias_ddr);
    b.dma_start("tile3", p.bias_dm);
    b.dma_wait("tile3");
  }
  b.dma_wait("tile1");
  b.mov("r20", "r24");  // A block-row address
  b.mov("r29", "r22");  // C block-row address
  set(b, "r0", p.rows);
  const std::string row = b.unique_label("row");
  b.label(row);
  block_row(b, p, src);
  add(b, "r20", p.a_step);
  add(b, "r29", p.c_step);
  b.alui("sub", "r0", "r0", 1);
  b.jnz("r0", row);
  add(b, "r21", p.panel_bytes);
  add(b, "r22", p.panel_bytes);
  if (p.bias) add(b, "r28", p.panel_bytes);
  b.alui("sub", "r23", "r23", 1);
  b.jnz("r23", pan);
  if (p.batched) {
    next_batch(b, p);
    b.alui("sub", "r27", "r27", 1);
    b.jnz("r27", batch);
  }
  b.dma_wait("shim1");
}

}  // namespace

ARowBds a_row_bds(KernelBuilder& b, int64_t k, int64_t lda) {
  const Map m = matmul_map(b.hw(), k, 0, false);
  ARowBds bds;
  bds.ddr = b.bd("src=ddr:0 dst=mem:" + hex(m.a_mem) + " size=" + num(k / 2) + ",4 src_stride=1," + num(lda / 2) +
                 " rel=ml1:1");
  bds.dm = b.bd("src=mem:" + hex(m.a_mem) + " dst=dm:" + hex(m.a_dm) + " size=4,4," + num(k / 8) + " src_stride=1," +
                num(k / 2) + ",4 acq=ml1:1");
  return bds;
}

uint64_t matmul_a_dm(const aie::HardwareConfig& hw) { return hw.dm_bytes / 2; }

void fetch_a_row(KernelBuilder& b, const ARowBds& bds, const std::string& reg) {
  b.dma_wait("shim0");
  b.bd_set(bds.ddr, "src_addr", reg);
  b.dma_start("shim0", bds.ddr);
  b.dma_start("tile0", bds.dm);
  b.dma_wait("tile0");
}

void mac_group(KernelBuilder& b, const std::string& k8, int64_t unroll, bool bias, uint64_t a_dm) {
  b.movi("p0", static_cast<int64_t>(a_dm));
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
  b.loop(k8, end);
  b.vldx("x0", "p0", 64);
  for (int64_t u = 0; u < unroll; ++u) b.vldx("x" + num(1 + u), "p" + num(1 + u), 64);
  for (int64_t u = 0; u < unroll; ++u) b.mmac("cm" + num(u), "x0", "x" + num(1 + u));
  b.loop_end(end);
}

void matmul_stage(KernelBuilder& b, const MatmulStage& s) {
  const StageScope scope(b, "the " + s.what + " matmul stage");
  Plan p;
  p.shared = b.sharing_code() && !s.a_source;  // an A source's fetch differs per stage
  p.bias = s.has_bias;
  p.residual = s.c_lo >= 0;
  choose_shape(b.hw(), s, p.shared, p);
  p.batched = p.shared || s.batches > 1;
  p.grouped = p.shared || s.b_group > 1;
  choose_params(s, p);
  take_bds(b, s, p);
  if (!p.shared) {
    if (s.a_source && s.a_source->setup) s.a_source->setup(b);
    zero_x11(b);
    load_bases(b, s, p);
    if (p.grouped) b.movi("r18", s.b_group);
    loops(b, p, s.a_source);
    return;
  }
  load_params(b, p);
  load_bases(b, s, p);
  b.call(variant(p), [&b, p] {
    zero_x11(b);
    b.mov("r18", "r14");
    loops(b, p, std::nullopt);
  });
}

}  // namespace kc::aie_baseline
