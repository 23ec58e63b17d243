// Emits AIE assembly (isa/aie/) for the AMD NPU baseline. Templates write straight-line
// instructions in program order; the builder packs them into VLIW bundles (slot capacities,
// in-order) and inserts `nop` bundles so no register is read before its latency has passed
// (the model traps on hazards instead of stalling). Labels, branches and loop ends drain every
// pending result, so a loop body is safe on every iteration; bf16 mmac chains are exempt at a
// loop end (the accumulator feedback path lets mmac follow mmac directly).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "aie/config.h"
#include "aie_bd_pool.h"

namespace kc::aie_baseline {

class KernelBuilder {
 public:
  explicit KernelBuilder(const aie::HardwareConfig& hw) : hw_(hw), bds_(hw) {}
  const aie::HardwareConfig& hw() const { return hw_; }

  // Lines before the code (.equ, .lock, .bd, comments), in order.
  void header(const std::string& line) { header_.push_back(line); }
  void comment(const std::string& text) { header_.push_back("// " + text); }
  // A buffer descriptor for `spec` (a `.bd` spec without the number): a number already holding it,
  // a new `.bd` line, or a number freed by an ended stage reprogrammed here with `bd.set`
  // (aie_bd_pool.h). `ddr:0` marks an address the caller sets with bd_set before every start.
  // Throws InputError when the spec leaves the preset's memories or no number is left.
  int bd(const std::string& spec);
  // A stage's BDs are free for later stages once it ends (it must end with every channel idle and
  // take its BDs before its first loop, where a reprogramming bd.set runs once). Nested stages
  // belong to the outermost one; `name` appears in errors.
  void begin_stage(const std::string& name) { bds_.begin_stage(name); }
  void end_stage() { bds_.end_stage(); }
  void name_kernel(const std::string& name) { bds_.name_kernel(name); }
  // A BD of shared code (see call): `role` gets one number for the whole kernel, reprogrammed to
  // `spec` where this call site needs it.
  int shared_bd(const std::string& role, const std::string& spec);

  // Scalar unit.
  void movi(const std::string& d, int64_t value);
  void mov(const std::string& d, const std::string& s);
  void alu(const std::string& op, const std::string& d, const std::string& a, const std::string& b);  // add/sub/...
  // An immediate outside the 20-bit ALU range goes through r19 (reserved for the builder).
  void alui(const std::string& op, const std::string& d, const std::string& a, int64_t imm);
  void mul(const std::string& d, const std::string& a, int64_t imm);
  // Loads/stores (pointer p, post-increment `inc` bytes; inc 0 = plain [p]).
  void vld(const std::string& half, const std::string& p, int64_t inc);   // half: wlN / whN
  void vldx(const std::string& x, const std::string& p, int64_t inc);
  void vst(const std::string& half, const std::string& p, int64_t inc);
  // Offset forms [p, off] (pointer unchanged).
  void vld_at(const std::string& half, const std::string& p, int64_t off);
  void vldx_at(const std::string& x, const std::string& p, int64_t off);
  void ld16(const std::string& d, const std::string& p, int64_t inc);     // ld.u16
  void st16(const std::string& s, const std::string& p, int64_t inc);
  void padd(const std::string& p, int64_t imm);
  void padd(const std::string& p, const std::string& m);  // by a modifier register
  // Vector unit; `t` is the element type suffix (bf16, i16, ...).
  void vbin(const std::string& op, const std::string& t, const std::string& d, const std::string& a,
            const std::string& b);  // vadd/vsub/vmul/vmax/vmin
  void vun(const std::string& op, const std::string& d, const std::string& s);  // vexp2/vinv/vrsqrt .bf16
  void vshift(const std::string& d, const std::string& a, const std::string& b, int64_t bytes);
  void vbcst(const std::string& t, const std::string& d, const std::string& r);
  void vext(const std::string& t, const std::string& d, const std::string& x, int lane);
  void mmul(const std::string& cm, const std::string& a, const std::string& b);  // bf16
  void mmac(const std::string& cm, const std::string& a, const std::string& b);  // bf16
  void vups(const std::string& cm, const std::string& x);                         // bf16 -> fp32
  void vaddacc(const std::string& d, const std::string& a, const std::string& b);
  void vsubacc(const std::string& d, const std::string& a, const std::string& b);
  void vsrs(const std::string& x, const std::string& cm);                          // fp32 -> bf16
  // Synchronisation and DMA (barriers: after every earlier memory access, before every later one).
  void acq(int lock, int value);
  void rel(int lock, int value);
  void dma_start(const std::string& channel, int bd);
  void dma_wait(const std::string& channel);
  void bd_set(int bd, const std::string& field, const std::string& reg_or_imm);
  // Control flow.
  void label(const std::string& name);
  void jnz(const std::string& r, const std::string& target);
  void jz(const std::string& r, const std::string& target);
  void jump(const std::string& target);
  // `loop COUNT, END` ... loop_end(END). COUNT: a register or an immediate.
  void loop(const std::string& count, const std::string& end);
  void loop_end(const std::string& end);
  // `done`, then the bodies of shared code.
  void done();

  // Shared code: when a kernel would not fit program memory unrolled, a stage may emit its body
  // once (after `done`) and enter it from every call site: `call` jumps there with the site's
  // number in m7 (reserved for this), and the body returns through a chain of jz on it (in r19).
  // `body` runs once, at `done`, and must emit the same code for every site (per-site quantities
  // in registers); `name` identifies the body.
  void call(const std::string& name, const std::function<void()>& body);
  void share_code(bool on) { share_code_ = on; }
  void recycle_bds_first(bool on) { bds_.recycle_first(on); }
  bool sharing_code() const { return share_code_; }

  std::string unique_label(const std::string& stem) { return ".L" + stem + std::to_string(labels_++); }
  std::string text() const;
  std::size_t bundles() const { return bundles_.size(); }

 private:
  enum Slot { Load, Store, Scalar, Vector, Move };
  struct Bundle {
    std::vector<std::string> instrs;
    int used[5] = {0, 0, 0, 0, 0};
  };
  struct Op {
    Op(Slot s, int n, std::string t, std::vector<std::string> d, std::vector<std::string> u, uint32_t l)
        : slot(s), slots(n), text(std::move(t)), defs(std::move(d)), uses(std::move(u)), latency(l) {}
    Slot slot;
    int slots = 1;
    std::string text;
    std::vector<std::string> defs, uses;
    uint32_t latency = 1;
    bool load = false, store = false, barrier = false, branch = false, chain = false;
    std::string chain_acc;  // mmac: the accumulator it may chain on
  };

  void emit(Op op);
  void emit_bd_set(int bd, const std::string& field, const std::string& value);
  void drain(bool exempt_chains);
  static std::vector<std::string> regs(const std::string& r);  // x3 -> wl3, wh3

  const aie::HardwareConfig& hw_;
  std::vector<std::string> header_;
  std::vector<Bundle> bundles_;
  std::map<std::size_t, std::vector<std::string>> labels_at_;
  std::map<std::string, std::size_t> ready_, last_read_, chain_ready_;
  std::map<std::string, bool> chain_written_;
  std::size_t floor_ = 0, last_placed_ = 0, last_load_ = 0, last_store_ = 0;
  bool any_load_ = false, any_store_ = false;
  int labels_ = 0;
  BdPool bds_;
  std::map<std::string, int> shared_bds_;
  struct Shared {
    std::string name;
    std::function<void()> body;
    std::vector<std::string> returns;  // the label after each call site
  };
  std::vector<Shared> shared_;
  bool share_code_ = false;
};

// begin_stage / end_stage for one scope.
class StageScope {
 public:
  StageScope(KernelBuilder& b, const std::string& name) : b_(b) { b_.begin_stage(name); }
  ~StageScope() { b_.end_stage(); }
  StageScope(const StageScope&) = delete;
  StageScope& operator=(const StageScope&) = delete;

 private:
  KernelBuilder& b_;
};

}  // namespace kc::aie_baseline
