// What the verilated core was built for, and how a HardwareConfig maps onto its inputs.
#pragma once

#include <string>

#include "plena/hardware_config.h"
#include "plena/simulator.h"

class Vplena_core;

namespace plena::rtl {

// SV parameter values of plena_core as verilated (its defaults).
struct RtlBuild {
  static constexpr uint32_t mlen = 16, blen = 4, vlen = 16, hlen = 8;
  static constexpr uint64_t matrix_sram_elems = 2048, vector_sram_elems = 65536;
  static constexpr uint32_t fp_sram_elems = 256, int_sram_elems = 256;
  static constexpr uint32_t max_queue_depth = 16, max_vector_rows = 8, max_loop_depth = 16;
};

// Drives the run-time configuration and limit inputs of the core.
void apply_config(Vplena_core& core, const HardwareConfig& config, const Limits& limits,
                  std::size_t program_size);

}  // namespace plena::rtl
