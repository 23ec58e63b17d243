#include "plena_baseline.h"

#include <algorithm>

#include "kernelcraft/core/errors.h"
#include "template_context.h"

namespace kc::plena_baseline {
namespace {

BaselineKnobs resolve_knobs(const TemplateEntry& entry, const BaselineKnobs& given) {
  BaselineKnobs resolved;
  for (const KnobSpec& spec : entry.knobs) resolved[spec.name] = spec.default_value;
  for (const auto& [name, value] : given) {
    auto spec = std::find_if(entry.knobs.begin(), entry.knobs.end(),
                             [&](const KnobSpec& k) { return k.name == name; });
    if (spec == entry.knobs.end()) {
      std::string known;
      for (const KnobSpec& k : entry.knobs) known += (known.empty() ? "" : ", ") + k.name;
      throw InputError("unknown knob '" + name + "' for the PLENA " + entry.task +
                       " baseline; knobs: " + (known.empty() ? "(none)" : known));
    }
    if (!spec->choices.empty() &&
        std::find(spec->choices.begin(), spec->choices.end(), value) == spec->choices.end()) {
      std::string allowed;
      for (const auto& c : spec->choices) allowed += (allowed.empty() ? "" : ", ") + c;
      throw InputError("knob " + name + "=" + value + ": expected one of " + allowed);
    }
    resolved[name] = value;
  }
  return resolved;
}

}  // namespace

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
  const BaselineKnobs knobs = resolve_knobs(*entry, request.knobs);
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
