#include "plena_baseline.h"

#include <algorithm>

#include "kernelcraft/core/errors.h"
#include "knob_resolution.h"  // src/baselines
#include "template_context.h"

namespace kc::plena_baseline {

bool knows_task(const std::string& task) { return find_template(task) != nullptr; }

std::vector<KnobSpec> knobs(const std::string& task) {
  const TemplateEntry* entry = find_template(task);
  return entry ? entry->knobs : std::vector<KnobSpec>{};
}

std::string compile(const BaselineRequest& request) {
  const TaskInstance& task = *request.instance;
  const TemplateEntry* entry = find_template(task.task->name);
  if (!entry) throw InputError("the PLENA baseline has no template for task " + task.task->name);
  plena::HardwareConfig hw;
  std::string error;
  if (!plena::parse_hardware_config(request.preset_json, "preset", hw, error)) throw InputError(error);
  const BaselineKnobs knobs = resolve_knobs(entry->knobs, request.knobs, "PLENA " + entry->task);
  const TemplateContext context{task, *request.layout, hw, knobs};
  KernelBuilder builder;
  std::string knob_text;
  for (const auto& [name, value] : knobs) knob_text += " " + name + "=" + value;
  builder.comment("PLENA baseline (template compiler): " + task.task->name + " " + task.config +
                  " (" + task.parameter_summary() + "), preset " + hw.name);
  if (!knob_text.empty()) builder.comment("knobs:" + knob_text);
  entry->emit(context, builder);
  return builder.text();
}

}  // namespace kc::plena_baseline
