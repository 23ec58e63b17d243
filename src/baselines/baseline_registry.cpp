#include "kernelcraft/baselines/baseline.h"

#include "kernelcraft/core/errors.h"
#include "plena/plena_baseline.h"  // src/baselines/plena

namespace kc {

bool has_baseline(const std::string& platform, const std::string& task) {
  return platform == "plena" && plena_baseline::knows_task(task);
}

std::vector<KnobSpec> baseline_knobs(const std::string& platform, const std::string& task) {
  if (!has_baseline(platform, task))
    throw InputError("platform " + platform + " has no compiler baseline for task " + task);
  return plena_baseline::knobs(task);
}

std::string compile_baseline(const std::string& platform, const BaselineRequest& request) {
  const std::string& task = request.instance->task->name;
  if (!has_baseline(platform, task))
    throw InputError("platform " + platform + " has no compiler baseline for task " + task);
  return plena_baseline::compile(request);
}

}  // namespace kc
