// The testbench's HBM: serves the core's byte-wide request/response port from
// MachineState::hbm. A read request seen after a rising edge is answered before the next one.
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
};

}  // namespace plena::rtl
