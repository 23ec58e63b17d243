#include "kernelcraft/run/build_info.h"

#include <curl/curl.h>
#include <spdlog/version.h>

#include <array>
#include <cstdio>

#include "llvm/Config/llvm-config.h"

#ifndef KC_BUILD_GIT_REVISION
#define KC_BUILD_GIT_REVISION "unknown"
#endif

namespace kc::run {
namespace {

// The revision of the data folder (tasks, prompts, ISA docs) as the run sees it, which may be
// newer than the binary's.
std::string git_revision(const std::string& directory) {
  std::string quoted = "'";
  for (char c : directory) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  quoted += "'";
  const std::string command = "git -C " + quoted + " rev-parse HEAD 2>/dev/null";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return "unknown";
  std::array<char, 128> buffer{};
  std::string out;
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) out += buffer.data();
  const int status = ::pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return status == 0 && out.size() == 40 ? out : "unknown";
}

}  // namespace

nlohmann::json build_info(const std::string& data_dir) {
  return {{"kernelcraft", "0.1.0"},
          {"compiler", std::string("gcc-compatible ") + __VERSION__},
          {"llvm_mlir", LLVM_VERSION_STRING},
          {"libcurl", curl_version_info(CURLVERSION_NOW)->version},
          {"nlohmann_json", std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                                std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                                std::to_string(NLOHMANN_JSON_VERSION_PATCH)},
          {"spdlog", std::to_string(SPDLOG_VER_MAJOR) + "." + std::to_string(SPDLOG_VER_MINOR) + "." +
                         std::to_string(SPDLOG_VER_PATCH)},
          {"build_git_revision", KC_BUILD_GIT_REVISION},
          {"data_git_revision", git_revision(data_dir)}};
}

}  // namespace kc::run
