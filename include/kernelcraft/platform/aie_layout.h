// The AMD NPU (AIE-ML tile model) memory-layout and calling contract for a task
// (docs/aie-layout.md). Shared by the prompt, the checker (eval) and the compiler baseline.
#pragma once

#include <cstdint>
#include <iomanip>
#include <sstream>
#include <string>

#include "kernelcraft/core/task.h"
#include "kernelcraft/core/workload_layout.h"

namespace kc {

// The memories of one AIE-ML preset (bytes).
struct AieMemoryMap {
  std::string preset;
  uint64_t ddr_bytes = 0;
  uint64_t memtile_bytes = 0;
  uint64_t dm_bytes = 0;
};

// Every tensor in DDR ("ddr"), bf16 little-endian, row-major, in task order (inputs, then
// outputs), each at a 256-byte aligned byte address; then a scratch region (4096-aligned, at
// least 64 KiB) that runs to the end of DDR. Writable DDR = the outputs + the scratch region;
// the memory tile and data memory are free for the kernel. Task constants are not preloaded:
// the description lists their values and bf16 bit patterns. Settings: "scratch_address",
// "scratch_bytes", "ddr_bytes", "memtile_bytes", "dm_bytes".
WorkloadLayout aie_workload_layout(const TaskInstance& instance, const AieMemoryMap& map);

// The `.equ NAME_DDR, 0x...` lines for every tensor and the scratch region (the description
// carries the same block; kernels paste it). Inline because the compiler baseline renders the
// same contract and must not link the platform library (baselines and platforms are peers).
inline std::string aie_layout_equates(const WorkloadLayout& layout) {
  const auto hex = [](uint64_t value) {
    std::ostringstream s;
    s << "0x" << std::hex << std::uppercase << std::setw(8) << std::setfill('0') << value;
    return s.str();
  };
  std::string equates;
  for (const TensorPlacement& p : layout.tensors) equates += ".equ " + p.tensor + "_DDR, " + hex(p.address) + "\n";
  equates += ".equ SCRATCH_DDR, " + hex(layout.setting("scratch_address")) + "\n";
  equates += ".equ SCRATCH_BYTES, " + std::to_string(layout.setting("scratch_bytes")) + "\n";
  return equates;
}

}  // namespace kc
