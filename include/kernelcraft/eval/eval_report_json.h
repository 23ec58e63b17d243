// EvalReport as JSON: used by `kernelcraft eval --json`, agent tools and run records.
#pragma once

#include <nlohmann/json.hpp>

#include "kernelcraft/eval/evaluator.h"

namespace kc {

nlohmann::json to_json(const TrapInfo& trap);
nlohmann::json to_json(const std::vector<SourceDiagnostic>& diagnostics);
nlohmann::json units_json(const std::map<std::string, UnitActivity>& units);
nlohmann::json to_json(const TensorComparison& comparison);
nlohmann::json to_json(const SeedResult& seed);
nlohmann::json to_json(const EvalReport& report);

}  // namespace kc
