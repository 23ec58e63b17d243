#include "kernelcraft/baselines/baseline.h"

#include "aie/aie_baseline.h"      // src/baselines/aie
#include "coral/coral_baseline.h"  // src/baselines/coral
#include "kernelcraft/core/errors.h"
#include "plena/plena_baseline.h"  // src/baselines/plena

namespace kc {
namespace {

// The Coral baseline compiles any task's reference; PLENA's templates know a fixed list.
bool is_coral(const std::string& platform) { return platform == "coral_npu"; }

void require_baseline(const std::string& platform, const std::string& task) {
  if (!has_baseline(platform, task))
    throw InputError("platform " + platform + " has no compiler baseline for task " + task);
}

}  // namespace

bool has_baseline(const std::string& platform, const std::string& task) {
  return is_coral(platform) || (platform == "plena" && plena_baseline::knows_task(task)) ||
         (platform == "amd_npu" && aie_baseline::knows_task(task));
}

std::vector<KnobSpec> baseline_knobs(const std::string& platform, const std::string& task) {
  require_baseline(platform, task);
  if (platform == "amd_npu") return aie_baseline::knobs(task);
  return is_coral(platform) ? std::vector<KnobSpec>{} : plena_baseline::knobs(task);
}

std::string compile_baseline(const std::string& platform, const BaselineRequest& request) {
  require_baseline(platform, request.instance->task->name);
  if (platform == "amd_npu") return aie_baseline::compile(request);
  return is_coral(platform) ? coral_baseline::compile(request) : plena_baseline::compile(request);
}

}  // namespace kc
