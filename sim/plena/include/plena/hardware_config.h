// Hardware parameters of one PLENA instance, loaded from isa/plena/presets/*.json.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "plena/isa.h"

namespace plena {

// HBM element formats selectable per transfer by the `precision` operand.
enum class HbmFormat : uint8_t { Mxfp8, Bf16 };

struct HardwareConfig {
  std::string name = "default";
  std::string description;

  // Array geometry. Constraints: MLEN % BLEN == 0, MLEN >= HLEN >= BLEN, MLEN % HLEN == 0,
  // VLEN == MLEN (rows of matrix tiles and activation rows share one pitch).
  uint32_t mlen = 64, blen = 4, vlen = 64, hlen = 16;

  // Memory capacities, in elements (HBM in bytes: one MXFP8 element is one byte).
  uint64_t matrix_sram_elems = 16 * 64 * 64;
  uint64_t vector_sram_elems = 1u << 20;
  uint32_t fp_sram_elems = 1024;
  uint32_t int_sram_elems = 1024;
  uint64_t hbm_bytes = 64ull << 20;

  // DMA shapes.
  uint32_t v_prefetch_rows = 4;   // HBM_V_Prefetch_Amount (rows of VLEN per strided H_PREFETCH_V)
  uint32_t v_writeback_rows = 4;  // HBM_V_Writeback_Amount
  HbmFormat weight_format = HbmFormat::Mxfp8;  // H_PREFETCH_M precision 0
  HbmFormat kv_format = HbmFormat::Mxfp8;      // precision 1 of every H_* instruction
  HbmFormat activation_format = HbmFormat::Mxfp8;  // H_PREFETCH_V / H_STORE_V precision 0

  // Timing.
  std::array<uint32_t, kLatencyClassCount> latency{};  // cycles per latency class
  uint32_t systolic_overhead = 0;     // added to MatMul
  uint32_t hbm_latency = 100;         // cycles from a transfer's start to its first data
  uint32_t hbm_bytes_per_cycle = 64;  // HBM_WIDTH 512 bits
  uint32_t dma_queue_depth = 16;      // outstanding HBM transfers before issue stalls

  // Control limits.
  uint32_t max_loop_depth = 8;
  uint32_t max_loop_body = 10000;  // MAX_LOOP_INSTRUCTIONS
  uint32_t max_program_instructions = 1u << 20;

  uint32_t latency_of(LatencyClass cls) const { return latency[static_cast<std::size_t>(cls)]; }
  uint32_t heads() const { return mlen / hlen; }

  // The preset KernelCraft uses: MLEN 64, BLEN 4, VLEN 64, HLEN 16, dc_lib_en latencies.
  static HardwareConfig kernelcraft_default();
};

// Parses preset JSON text. On error returns false with "<source>: field 'x': reason" in error.
bool parse_hardware_config(const std::string& json_text, const std::string& source_name,
                           HardwareConfig& out, std::string& error);
bool load_hardware_config(const std::string& path, HardwareConfig& out, std::string& error);
// Checks the geometry and limits constraints; empty string when valid.
std::string validate(const HardwareConfig& config);
// The preset as JSON text (round-trips through parse_hardware_config).
std::string to_json(const HardwareConfig& config);

}  // namespace plena
