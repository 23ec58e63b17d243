// What a PLENA baseline template sees: the bound task, the layout contract, the preset and the
// validated knobs, plus the table that maps task names to templates.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernel_builder.h"
#include "kernelcraft/baselines/baseline.h"
#include "kernelcraft/core/task.h"
#include "kernelcraft/core/workload_layout.h"
#include "plena/hardware_config.h"

namespace kc::plena_baseline {

struct TemplateContext {
  const TaskInstance& task;
  const WorkloadLayout& layout;
  const plena::HardwareConfig& hw;
  const BaselineKnobs& knobs;  // every knob of the template, defaults filled in

  int64_t param(const std::string& name) const;
  const std::string& knob(const std::string& name) const;
  int64_t knob_int(const std::string& name) const;
  uint64_t fp_slot(const std::string& constant) const;  // FP SRAM slot of a layout constant
  const TensorPlacement& tensor(const std::string& name) const { return layout.placement(name); }
  // Throws InputError: this template cannot handle the task/config/preset, and why.
  [[noreturn]] void unsupported(const std::string& why) const;
};

using TemplateFn = void (*)(const TemplateContext&, KernelBuilder&);

struct TemplateEntry {
  std::string task;
  TemplateFn emit;
  std::vector<KnobSpec> knobs;
};

using TemplateTable = std::vector<TemplateEntry>;

// One registration function per family file (templates_<family>.cpp).
void add_elementwise_templates(TemplateTable& table);
void add_rowwise_templates(TemplateTable& table);
void add_matmul_templates(TemplateTable& table);
void add_attention_templates(TemplateTable& table);
void add_mlp_templates(TemplateTable& table);
void add_decoder_templates(TemplateTable& table);

const TemplateTable& template_table();
const TemplateEntry* find_template(const std::string& task);

}  // namespace kc::plena_baseline
