#include "coral/coral_baseline.h"

#include "coral/coral_runtime.h"
#include "coral/mlir_to_riscv.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/text_file.h"
#include "kernelcraft/reference/golden_model.h"

namespace kc::coral_baseline {
namespace {

uint32_t address32(uint64_t address, const std::string& what) {
  if (address > UINT32_MAX) throw InputError("Coral baseline: " + what + " address does not fit 32 bits");
  return static_cast<uint32_t>(address);
}

// The compiled function takes the inputs, then one out-pointer per output (bare pointers): the
// task's tensor order, which the layout keeps.
EntryCall entry_call(const TaskInstance& instance, const WorkloadLayout& layout) {
  EntryCall call;
  call.function = instance.task->reference_function;
  for (const TensorPlacement& tensor : layout.tensors) call.arguments.push_back(address32(tensor.address, tensor.tensor));
  const uint64_t scratch = layout.setting("scratch_address");
  call.heap_begin = address32(scratch, "scratch");
  call.heap_end = address32(scratch + layout.setting("scratch_bytes"), "scratch end");
  return call;
}

}  // namespace

std::string compile(const BaselineRequest& request) {
  const TaskInstance& instance = *request.instance;
  if (!request.knobs.empty())
    throw InputError("the Coral baseline is a compiler (RVV -O2) and takes no knobs; got '" +
                     request.knobs.begin()->first + "'");
  const std::string source = instance.task->name + "/" + instance.config + " (reference.mlir)";
  const std::string bound =
      bind_reference_text(read_text_file(instance.task->reference_path), instance.task->reference_path, instance);
  const std::string compiled = compile_to_riscv_assembly(bound, source);
  return "# Coral NPU compiler baseline (RVV -O2): " + instance.task->name + " " + instance.config + " (" +
         instance.parameter_summary() + ")\n" + runtime_assembly(entry_call(instance, *request.layout)) + compiled;
}

}  // namespace kc::coral_baseline
