// Knob values for one baseline template: the defaults, overridden by what the caller gave,
// each name and value checked against the template's KnobSpecs. Shared by every template
// compiler (PLENA, AMD NPU).
#pragma once

#include <string>
#include <vector>

#include "kernelcraft/baselines/baseline.h"

namespace kc {

// `owner` names the template in errors, e.g. "PLENA gemm": "unknown knob 'x' for the PLENA gemm
// baseline; knobs: ...". Unknown names and values outside the choices throw InputError.
BaselineKnobs resolve_knobs(const std::vector<KnobSpec>& specs, const BaselineKnobs& given, const std::string& owner);

}  // namespace kc
