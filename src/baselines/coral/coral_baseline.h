// Coral NPU's compiler baseline, KernelCraft's "RVV -O2": the task's reference MLIR compiled by
// MLIR + LLVM at -O2 for the Coral target (auto-vectorized for RVV), wrapped in the Coral kernel
// contract (tensor addresses in, `ebreak` out). It is a compiler, not templates: it knows every
// task and has no knobs.
#pragma once

#include <string>

#include "kernelcraft/baselines/baseline.h"

namespace kc::coral_baseline {

// Kernel source (RISC-V assembly) for the request; the layout must be a Coral layout (its
// tensors in "ext" memory, settings scratch_address and scratch_bytes).
std::string compile(const BaselineRequest& request);

}  // namespace kc::coral_baseline
