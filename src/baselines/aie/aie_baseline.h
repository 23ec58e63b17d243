// The AMD NPU template compiler (the "Peano"-like compiler baseline of KernelCraft for the
// AIE-ML tile model): vectorised kernels in our AIE assembly (isa/aie/), with a few tunable
// knobs per task family (docs/baselines.md).
#pragma once

#include <string>
#include <vector>

#include "kernelcraft/baselines/baseline.h"

namespace kc::aie_baseline {

bool knows_task(const std::string& task);
std::vector<KnobSpec> knobs(const std::string& task);
std::string compile(const BaselineRequest& request);

}  // namespace kc::aie_baseline
