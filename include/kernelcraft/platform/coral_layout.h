// The Coral NPU memory-layout and calling contract for a task (docs/coral-layout.md). Shared by
// the prompt, the checker (eval) and the compiler baseline, so all three agree.
#pragma once

#include <cstdint>
#include <string>

#include "kernelcraft/core/task.h"
#include "kernelcraft/core/workload_layout.h"

namespace kc {

// The address map of one Coral preset (byte addresses).
struct CoralMemoryMap {
  std::string preset;
  uint64_t itcm_base = 0, itcm_bytes = 0;
  uint64_t dtcm_base = 0, dtcm_bytes = 0;
  uint64_t ext_base = 0, ext_bytes = 0;
};

// Every tensor in external memory ("ext"), float32 little-endian, row-major, in task order
// (inputs, then outputs), each at a 64-byte aligned byte address; then a scratch area
// (4096-aligned) that runs to the end of external memory. The kernel may write the outputs and
// the scratch area; any other external write traps. Task constants are not preloaded: the
// description lists their values and float32 bit patterns for `li` + `fmv.w.x`.
WorkloadLayout coral_workload_layout(const TaskInstance& instance, const CoralMemoryMap& map);

// "0x20000000"
std::string hex_address(uint64_t address);

}  // namespace kc
