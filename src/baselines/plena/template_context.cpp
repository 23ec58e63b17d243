#include "template_context.h"

#include <cmath>

#include "kernelcraft/core/errors.h"

namespace kc::plena_baseline {

int64_t TemplateContext::param(const std::string& name) const {
  auto it = task.parameters.find(name);
  if (it == task.parameters.end()) unsupported("the task has no parameter " + name);
  return static_cast<int64_t>(it->second);
}

const std::string& TemplateContext::knob(const std::string& name) const {
  auto it = knobs.find(name);
  if (it == knobs.end()) throw std::logic_error("PLENA baseline template reads undeclared knob " + name);
  return it->second;
}

int64_t TemplateContext::knob_int(const std::string& name) const { return std::stoll(knob(name)); }

uint64_t TemplateContext::fp_slot(const std::string& constant) const {
  for (const auto& c : layout.constants)
    if (c.name == constant) return c.address;
  unsupported("the layout has no FP SRAM constant '" + constant + "'");
}

void TemplateContext::unsupported(const std::string& why) const {
  throw InputError("PLENA baseline for " + task.task->name + " " + task.config + " (" +
                   task.parameter_summary() + ") on preset '" + hw.name + "': " + why);
}

const TemplateTable& template_table() {
  static const TemplateTable table = [] {
    TemplateTable t;
    add_elementwise_templates(t);
    add_rowwise_templates(t);
    add_matmul_templates(t);
    add_attention_templates(t);
    add_mlp_templates(t);
    add_decoder_templates(t);
    return t;
  }();
  return table;
}

const TemplateEntry* find_template(const std::string& task) {
  for (const auto& entry : template_table())
    if (entry.task == task) return &entry;
  return nullptr;
}

}  // namespace kc::plena_baseline
