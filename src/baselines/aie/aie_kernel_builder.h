// Emits AIE assembly (isa/aie/) for the AMD NPU baseline. Templates write straight-line
// instructions in program order; the builder packs them into VLIW bundles (slot capacities,
// in-order) and inserts `nop` bundles so no register is read before its latency has passed
// (the model traps on hazards instead of stalling). Labels, branches and loop ends drain every
// pending result, so a loop body is safe on every iteration; bf16 mmac chains are exempt at a
// loop end (the accumulator feedback path lets mmac follow mmac directly).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "aie/config.h"

namespace kc::aie_baseline {

class KernelBuilder {
 public:
  explicit KernelBuilder(const aie::HardwareConfig& hw) : hw_(hw) {}

  // Lines before the code (.equ, .lock, .bd, comments), in order.
  void header(const std::string& line) { header_.push_back(line); }
  void comment(const std::string& text) { header_.push_back("// " + text); }
  // A buffer descriptor `.bd N spec` (spec without the number); an identical spec reuses its
  // number, so stages of one shape share BDs. Throws InputError past the preset's bd_count.
  int bd(const std::string& spec);

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
  // `loop COUNT, END` ... loop_end(END). COUNT: a register or an immediate.
  void loop(const std::string& count, const std::string& end);
  void loop_end(const std::string& end);
  void done();

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
  std::map<std::string, int> bds_;
};

}  // namespace kc::aie_baseline
