// The testbench's HBM: a C++ memory model that serves the core's HBM request/response bus
// from MachineState::hbm every clock. A beat is up to hbm_bytes_per_cycle consecutive bytes;
// a read request seen after a rising edge is answered (rsp_valid, rsp_data) before the next.
#pragma once

#include "plena/hbm_bytes.h"

class Vplena_core;

namespace plena::rtl {

class HbmPortModel {
 public:
  explicit HbmPortModel(HbmBytes& hbm) : hbm_(hbm) {}
  // Call between a rising edge and the next: performs the request the core presents and
  // drives the response inputs.
  void serve(Vplena_core& core);

 private:
  HbmBytes& hbm_;
  bool rsp_valid_ = false;
};

}  // namespace plena::rtl
