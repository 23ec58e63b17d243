#include "rtl_config.h"

#include "Vplena_core.h"

namespace plena::rtl {
namespace {

void set_u64(VlWide<32>& wide, std::size_t index, uint64_t value) {
  wide[2 * index] = static_cast<uint32_t>(value);
  wide[2 * index + 1] = static_cast<uint32_t>(value >> 32);
}

}  // namespace

void apply_config(Vplena_core& core, const HardwareConfig& config, const Limits& limits,
                  std::size_t program_size) {
  core.prog_size = static_cast<uint32_t>(program_size);
  for (std::size_t i = 0; i < kLatencyClassCount; ++i) core.latency[i] = config.latency[i];
  core.systolic_overhead = config.systolic_overhead;
  core.hbm_latency = config.hbm_latency;
  core.hbm_bytes_per_cycle = config.hbm_bytes_per_cycle;
  core.dma_queue_depth = config.dma_queue_depth;
  core.v_prefetch_rows = config.v_prefetch_rows;
  core.v_writeback_rows = config.v_writeback_rows;
  core.weight_bf16 = config.weight_format == HbmFormat::Bf16;
  core.kv_bf16 = config.kv_format == HbmFormat::Bf16;
  core.activation_bf16 = config.activation_format == HbmFormat::Bf16;
  core.max_loop_depth = config.max_loop_depth;
  core.max_loop_body = config.max_loop_body;
  core.hbm_bytes = config.hbm_bytes;
  core.max_instructions = limits.max_instructions;
  core.max_cycles = limits.max_cycles;
  core.writable_count = static_cast<uint32_t>(limits.hbm_writable.size());
  for (std::size_t i = 0; i < limits.hbm_writable.size(); ++i) {
    set_u64(core.writable_begin, i, limits.hbm_writable[i].begin);
    set_u64(core.writable_end, i, limits.hbm_writable[i].end);
  }
}

}  // namespace plena::rtl
