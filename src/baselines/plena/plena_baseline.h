// The PLENA template compiler ("PLENA native compiler" baseline of KernelCraft).
#pragma once

#include <string>
#include <vector>

#include "kernelcraft/baselines/baseline.h"

namespace kc::plena_baseline {

bool knows_task(const std::string& task);
std::vector<KnobSpec> knobs(const std::string& task);
std::string compile(const BaselineRequest& request);

}  // namespace kc::plena_baseline
