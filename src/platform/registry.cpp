#include "kernelcraft/platform/registry.h"

#include <cstdlib>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/platform/coral_platform.h"
#include "kernelcraft/platform/plena_platform.h"

namespace kc {

std::string data_root() {
  if (const char* home = std::getenv("KERNELCRAFT_HOME"); home && *home) return home;
  return KC_SOURCE_DIR;
}

std::vector<std::string> builtin_platform_names() { return {"plena", "coral_npu"}; }

std::unique_ptr<Platform> make_platform(const std::string& name, const std::string& data_dir) {
  if (name == "plena") return std::make_unique<PlenaPlatform>(data_dir);
  if (name == "coral_npu") return std::make_unique<CoralPlatform>(data_dir);
  std::string known;
  for (const std::string& n : builtin_platform_names()) known += (known.empty() ? "" : ", ") + n;
  throw InputError("unknown platform '" + name + "'; available: " + known);
}

}  // namespace kc
