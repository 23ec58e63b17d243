// EvalReport as JSON: used by `kernelcraft eval --json`, agent tools and run records.
#pragma once

#include <nlohmann/json.hpp>

#include "kernelcraft/eval/evaluator.h"

namespace kc {

nlohmann::json to_json(const TensorComparison& comparison);
nlohmann::json to_json(const SeedResult& seed);
nlohmann::json to_json(const EvalReport& report);

}  // namespace kc
