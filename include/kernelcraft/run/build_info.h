// What produced a run: tool and library versions, compiler, and git revisions, for run.json.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace kc::run {

// {"kernelcraft", "compiler", "llvm_mlir", "libcurl", "nlohmann_json", "spdlog",
//  "build_git_revision", "data_git_revision"}; revisions are "unknown" outside a git checkout.
nlohmann::json build_info(const std::string& data_dir);

}  // namespace kc::run
