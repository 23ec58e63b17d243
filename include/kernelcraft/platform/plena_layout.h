// PLENA's memory-layout contract for a task (docs/plena-layout.md). Shared by the prompt, the
// checker (eval) and the compiler baseline, so all three place tensors identically.
#pragma once

#include "kernelcraft/core/task.h"
#include "kernelcraft/core/workload_layout.h"
#include "plena/hardware_config.h"

namespace kc {

// Names of the FP SRAM slots every PLENA task gets before its own constants (slots 0, 1, 2).
extern const char* const kPlenaFixedConstants[3];  // "zero", "one", "neg_inf"

// Inputs: HBM, MXFP8 (activation class), row-major, each at a 4096-byte aligned base, in task
// order; one shared data-to-scale distance ("scale_reg"). A scratch area follows the inputs.
// Outputs: Vector SRAM from address 0, BF16, VLEN-column chunks (element (i, j) at
// base + ((j / VLEN) * rows + i) * VLEN + j % VLEN).
// FP SRAM: zero, one, -inf, then the task's constants in order.
WorkloadLayout plena_workload_layout(const TaskInstance& instance, const plena::HardwareConfig& hw);

}  // namespace kc
