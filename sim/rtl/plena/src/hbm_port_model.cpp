#include "hbm_port_model.h"

#include "Vplena_core.h"

namespace plena::rtl {

void HbmPortModel::serve(Vplena_core& core) {
  core.hbm_rsp_valid = 0;
  if (!core.hbm_req_valid) return;
  const uint64_t addr = core.hbm_req_addr;
  // The core checks every address first; a stray one must still not touch host memory.
  const bool inside = addr < hbm_.size();
  if (core.hbm_req_we) {
    if (inside) hbm_[addr] = core.hbm_req_wdata;
    return;
  }
  core.hbm_rsp_valid = 1;
  core.hbm_rsp_data = inside ? hbm_[addr] : 0;
}

}  // namespace plena::rtl
