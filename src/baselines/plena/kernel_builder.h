// Text assembly builder for PLENA baseline templates: register allocation, constants of any
// size, hardware loops. Templates describe *what* to emit; this class keeps the text valid.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace kc::plena_baseline {

class KernelBuilder;

// A gp register held for a scope; released (back to the pool) on destruction.
class GpReg {
 public:
  GpReg(KernelBuilder& builder, int index) : builder_(&builder), index_(index) {}
  GpReg(GpReg&& other) noexcept : builder_(other.builder_), index_(other.index_) { other.builder_ = nullptr; }
  GpReg(const GpReg&) = delete;
  GpReg& operator=(const GpReg&) = delete;
  GpReg& operator=(GpReg&&) = delete;
  ~GpReg();
  int index() const { return index_; }
  std::string name() const { return "gp" + std::to_string(index_); }

 private:
  KernelBuilder* builder_;
  int index_;
};

class KernelBuilder {
 public:
  // gp1..gp15 are allocatable; gp0 is the hard-wired zero.
  GpReg gp();
  void release(int index);

  void comment(const std::string& text);
  void line(const std::string& instruction);  // one instruction, indented by the loop depth

  // reg = value (any 32-bit value): S_ADDI_INT, or S_LUI_INT + S_ADDI_INT.
  void set(const GpReg& reg, int64_t value);
  // reg += delta (any 32-bit delta); uses a temporary register when delta is out of range.
  void add(const GpReg& reg, int64_t delta);
  // aN = value (an HBM byte address below 2^32).
  void set_addr_reg(int a_index, uint64_t value);
  void set_scale_reg(uint64_t value);
  void set_stride_reg(uint64_t value);
  void load_fp(int f_index, uint64_t fp_sram_slot);  // f[index] = FP_SRAM[slot]

  // Emits `body` inside C_LOOP_START/C_LOOP_END with a fresh counter; count 1 emits the body
  // once without a loop, count 0 emits nothing.
  void loop(uint64_t count, const std::function<void()>& body);

  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::vector<bool> used_ = std::vector<bool>(16, false);
  int depth_ = 0;
};

}  // namespace kc::plena_baseline
