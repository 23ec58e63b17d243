// Hardware parameters of the modelled AIE-ML tile, loaded from isa/aie/presets/*.json.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "aie/isa.h"

namespace aie {

struct HardwareConfig {
  std::string name = "aie_ml";
  std::string description;

  // Memories (bytes). Data memory is split into dm_banks banks interleaved every
  // bank_bytes bytes: address a lives in bank (a / bank_bytes) % dm_banks.
  uint32_t dm_bytes = 64 * 1024;
  uint32_t dm_banks = 8;
  uint32_t bank_bytes = 16;
  uint32_t memtile_bytes = 512 * 1024;
  uint64_t ddr_bytes = 16ull << 20;
  uint32_t program_bytes = 16 * 1024;  // program memory; every bundle takes bundle_bytes
  uint32_t bundle_bytes = 16;

  // Locks: tile locks l0.. are the only ones the core may acquire/release; memory-tile
  // locks ml0.. are used by BDs only. Values are unsigned and at most lock_max.
  uint32_t tile_locks = 16;
  uint32_t memtile_locks = 64;
  uint32_t lock_max = 63;

  // DMA: one pool of buffer descriptors; shim channels move DDR <-> memory tile, tile
  // channels move memory tile <-> data memory, each at dma_bytes_per_cycle.
  uint32_t bd_count = 32;
  uint32_t shim_channels = 2;
  uint32_t tile_channels = 4;
  uint32_t dma_bytes_per_cycle = 4;
  uint32_t bd_setup_cycles = 8;
  uint32_t dma_queue_depth = 4;

  // Timing.
  std::array<uint32_t, kLatencyClassCount> latency{};  // cycles until a result is readable
  uint32_t branch_penalty = 5;                         // extra cycles of a taken branch
  uint32_t max_loop_depth = 1;                         // zero-overhead loop nesting

  uint32_t latency_of(LatencyClass cls) const { return latency[static_cast<std::size_t>(cls)]; }
  uint32_t max_bundles() const { return program_bytes / bundle_bytes; }
  uint32_t channel_count() const { return shim_channels + tile_channels; }
  uint32_t lock_count() const { return tile_locks + memtile_locks; }

  // The built-in default; identical to isa/aie/presets/aie_ml.json.
  static HardwareConfig aie_ml();
};

// Parses preset JSON text. Missing fields keep the aie_ml() defaults; unknown fields and
// out-of-range values are errors: "<source>: field 'memory.dm_bytes': reason".
bool parse_hardware_config(const std::string& json_text, const std::string& source_name,
                           HardwareConfig& out, std::string& error);
bool load_hardware_config(const std::string& path, HardwareConfig& out, std::string& error);
// Cross-field constraints; empty when valid.
std::string validate(const HardwareConfig& config);
// The preset as JSON text (round-trips through parse_hardware_config).
std::string to_json(const HardwareConfig& config);

}  // namespace aie
