// Where two JSON documents first differ, for errors that must name the field ("resolved.agents[0].model").
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace kc::run {

// The path of the first difference below `path`, or nothing when equal. Object keys are
// visited in sorted order, so the answer is stable.
std::optional<std::string> first_json_difference(const nlohmann::json& a, const nlohmann::json& b,
                                                 const std::string& path);

}  // namespace kc::run
