// Compiler baselines: per platform, a template compiler that emits a kernel for a task
// configuration (the "PLENA native compiler", "RVV -O2", "Peano" of KernelCraft). Baselines
// see only what an agent sees (the bound task, the layout contract, the preset) plus their knobs.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "kernelcraft/core/task.h"
#include "kernelcraft/core/workload_layout.h"

namespace kc {

using BaselineKnobs = std::map<std::string, std::string>;

struct KnobSpec {
  std::string name;
  std::string default_value;
  std::vector<std::string> choices;  // allowed values
  std::string description;
};

struct BaselineRequest {
  const TaskInstance* instance = nullptr;
  const WorkloadLayout* layout = nullptr;
  std::string preset_json;  // Platform::describe_preset(preset)
  BaselineKnobs knobs;      // unset knobs take their defaults
};

// True when `platform` has a baseline compiler that knows `task`.
bool has_baseline(const std::string& platform, const std::string& task);
// The knobs a baseline accepts for `task` (empty when it has none).
std::vector<KnobSpec> baseline_knobs(const std::string& platform, const std::string& task);
// Kernel source for the request. Unknown knobs/values and unsupported shapes throw InputError.
std::string compile_baseline(const std::string& platform, const BaselineRequest& request);

}  // namespace kc
