#include "kernel_builder.h"

#include <stdexcept>

namespace kc::plena_baseline {
namespace {
constexpr int64_t kAddiMin = -131072, kAddiMax = 131071;
}

GpReg::~GpReg() {
  if (builder_) builder_->release(index_);
}

GpReg KernelBuilder::gp() {
  for (int i = 1; i < 16; ++i)
    if (!used_[static_cast<std::size_t>(i)]) {
      used_[static_cast<std::size_t>(i)] = true;
      return GpReg(*this, i);
    }
  // A template that needs more than 15 live registers is a bug in the template.
  throw std::logic_error("PLENA baseline: out of gp registers");
}

void KernelBuilder::release(int index) { used_[static_cast<std::size_t>(index)] = false; }

void KernelBuilder::comment(const std::string& text) {
  text_ += std::string(static_cast<std::size_t>(2 * depth_), ' ') + "; " + text + "\n";
}

void KernelBuilder::line(const std::string& instruction) {
  text_ += std::string(static_cast<std::size_t>(2 * depth_), ' ') + instruction + "\n";
}

void KernelBuilder::set(const GpReg& reg, int64_t value) {
  const uint32_t bits = static_cast<uint32_t>(value);
  const int32_t signed_value = static_cast<int32_t>(bits);
  if (signed_value >= kAddiMin && signed_value <= kAddiMax) {
    line("S_ADDI_INT " + reg.name() + ", gp0, " + std::to_string(signed_value));
    return;
  }
  // Split so that hi * 4096 + lo == value with lo in [0, 4096): both parts are in range.
  const uint32_t hi = bits >> 12, lo = bits & 0xfff;
  line("S_LUI_INT " + reg.name() + ", " + std::to_string(hi));
  if (lo) line("S_ADDI_INT " + reg.name() + ", " + reg.name() + ", " + std::to_string(lo));
}

void KernelBuilder::add(const GpReg& reg, int64_t delta) {
  if (delta == 0) return;
  if (delta >= kAddiMin && delta <= kAddiMax) {
    line("S_ADDI_INT " + reg.name() + ", " + reg.name() + ", " + std::to_string(delta));
    return;
  }
  GpReg tmp = gp();
  set(tmp, delta);
  line("S_ADD_INT " + reg.name() + ", " + reg.name() + ", " + tmp.name());
}

void KernelBuilder::set_addr_reg(int a_index, uint64_t value) {
  GpReg lo = gp();
  set(lo, static_cast<int64_t>(value & 0xffffffffULL));
  if (value >> 32) {
    GpReg hi = gp();
    set(hi, static_cast<int64_t>(value >> 32));
    line("C_SET_ADDR_REG a" + std::to_string(a_index) + ", " + hi.name() + ", " + lo.name());
  } else {
    line("C_SET_ADDR_REG a" + std::to_string(a_index) + ", gp0, " + lo.name());
  }
}

void KernelBuilder::set_scale_reg(uint64_t value) {
  GpReg r = gp();
  set(r, static_cast<int64_t>(value));
  line("C_SET_SCALE_REG " + r.name());
}

void KernelBuilder::set_stride_reg(uint64_t value) {
  GpReg r = gp();
  set(r, static_cast<int64_t>(value));
  line("C_SET_STRIDE_REG " + r.name());
}

void KernelBuilder::load_fp(int f_index, uint64_t fp_sram_slot) {
  line("S_LD_FP f" + std::to_string(f_index) + ", gp0, " + std::to_string(fp_sram_slot));
}

void KernelBuilder::loop(uint64_t count, const std::function<void()>& body) {
  if (count == 0) return;
  if (count == 1) {
    body();
    return;
  }
  GpReg counter = gp();
  line("C_LOOP_START " + counter.name() + ", " + std::to_string(count));
  ++depth_;
  body();
  --depth_;
  line("C_LOOP_END " + counter.name());
}

}  // namespace kc::plena_baseline
