#include "hbm_port_model.h"

#include "Vplena_core.h"

namespace plena::rtl {

void HbmPortModel::serve(Vplena_core& core) {
  if (!core.hbm_req_valid) {
    if (rsp_valid_) core.hbm_rsp_valid = 0;
    rsp_valid_ = false;
    return;
  }
  const uint64_t addr = core.hbm_req_addr;
  const uint64_t len = core.hbm_req_len;
  // The core checks every address first; a stray one must still not touch host memory.
  const uint64_t size = hbm_.size();
  const bool inside = addr <= size && len <= size - addr;
  if (core.hbm_req_we) {
    if (inside)
      for (uint64_t m = 0; m < len; ++m)
        hbm_[addr + m] = static_cast<uint8_t>(core.hbm_req_wdata[m / 4] >> (8 * (m % 4)));
    if (rsp_valid_) core.hbm_rsp_valid = 0;
    rsp_valid_ = false;
    return;
  }
  auto& data = core.hbm_rsp_data;
  for (uint64_t w = 0; w < (len + 3) / 4; ++w) {
    uint32_t word = 0;
    for (uint64_t b = 0; b < 4 && 4 * w + b < len; ++b)
      word |= uint32_t{inside ? hbm_[addr + 4 * w + b] : uint8_t{0}} << (8 * b);
    data[w] = word;
  }
  core.hbm_rsp_valid = 1;
  rsp_valid_ = true;
}

}  // namespace plena::rtl
