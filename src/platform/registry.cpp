#include "kernelcraft/platform/registry.h"

#include <algorithm>
#include <cstdlib>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/platform/aie_platform.h"
#include "kernelcraft/platform/coral_platform.h"
#include "kernelcraft/platform/external_platform.h"
#include "kernelcraft/platform/plena_platform.h"

namespace kc {

std::string data_root() {
  if (const char* home = std::getenv("KERNELCRAFT_HOME"); home && *home) return home;
  return KC_SOURCE_DIR;
}

std::vector<std::string> builtin_platform_names() { return {"plena", "coral_npu", "amd_npu"}; }

namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& n : names) text += (text.empty() ? "" : ", ") + n;
  return text;
}

}  // namespace

std::vector<std::string> sim_backends(const std::string& platform) {
  if (platform == "plena") return {"model", "rtl"};
  return {"model"};
}

std::unique_ptr<Platform> make_platform(const std::string& name, const std::string& data_dir,
                                        const std::string& sim) {
  // A name ending in ".json" or holding a '/' is an external platform's declaration
  // (docs/external-platforms.md); its commands are its only simulation backend.
  if (is_platform_declaration_path(name)) {
    if (sim != kDefaultSimBackend)
      throw InputError("platform '" + name + "' is declared by a file; it has no '" + sim +
                       "' simulation backend; available: " + kDefaultSimBackend);
    return load_external_platform(find_platform_declaration(name, data_dir), ExternalPlatformOptions{data_dir, ""});
  }
  const auto names = builtin_platform_names();
  if (std::find(names.begin(), names.end(), name) == names.end())
    throw InputError("unknown platform '" + name + "'; available: " + joined(names));
  const auto backends = sim_backends(name);
  if (std::find(backends.begin(), backends.end(), sim) == backends.end())
    throw InputError("platform '" + name + "' has no '" + sim + "' simulation backend; available: " +
                     joined(backends));
  if (name == "plena")
    return std::make_unique<PlenaPlatform>(data_dir, sim == "rtl" ? PlenaBackend::Rtl : PlenaBackend::Model);
  if (name == "amd_npu") return std::make_unique<AiePlatform>(data_dir);  // isa/aie/
  return std::make_unique<CoralPlatform>(data_dir);
}

}  // namespace kc
