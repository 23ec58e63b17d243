#include "aie_baseline.h"

#include <algorithm>
#include <functional>

#include "aie_templates.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/platform/aie_layout.h"
#include "knob_resolution.h"  // src/baselines

namespace kc::aie_baseline {
namespace {

struct TemplateEntry {
  std::string task;
  std::vector<KnobSpec> knobs;
  std::function<void(const TemplateContext&, KernelBuilder&)> emit;
};

const std::vector<TemplateEntry>& templates() {
  static const std::vector<TemplateEntry> table = [] {
    const KnobSpec elementwise_tile{"tile", "4096", {"1024", "2048", "4096", "8192"},
                                    "elements per DMA chunk (bf16; the chunk is staged in the memory tile and in "
                                    "data memory)"};
    const KnobSpec elementwise_unroll{"unroll", "2", {"1", "2", "4"},
                                      "32-lane vectors computed per loop iteration (independent registers hide "
                                      "latency)"};
    const KnobSpec rowwise_tile{"tile", "4096", {"1024", "2048", "4096", "8192"},
                                "elements per DMA chunk: whole rows, at least one"};
    const KnobSpec matmul_unroll{"unroll", "2", {"1", "2", "4"},
                                 "4-column output blocks computed per A block load (into cm0..cm3)"};
    const KnobSpec matmul_panel{"panel", "64", {"16", "32", "64", "128"},
                                "columns of B held in data memory at a time"};
    std::vector<TemplateEntry> t;
    for (const char* name : {"relu", "gelu", "silu"}) t.push_back({name, {elementwise_tile, elementwise_unroll}, emit_elementwise});
    for (const char* name : {"softmax", "layer_norm", "rms_norm"}) t.push_back({name, {rowwise_tile}, emit_rowwise});
    for (const char* name : {"gemm", "linear", "batch_matmul"})
      t.push_back({name, {matmul_panel, matmul_unroll}, emit_matmul});
    t.push_back({"gemv", {}, emit_matmul});
    for (const char* name : {"conv2d", "conv_block"}) t.push_back({name, {matmul_panel, matmul_unroll}, emit_conv_family});
    for (const char* name : {"swiglu", "ffn"}) t.push_back({name, {matmul_panel, matmul_unroll}, emit_mlp});
    t.push_back({"rope", {rowwise_tile}, emit_mlp});
    for (const char* name : {"attention", "mha", "mqa", "gqa"})
      t.push_back({name, {matmul_panel, matmul_unroll}, emit_attention});
    for (const char* name : {"decoder_block_llama", "decoder_block_t5"})
      t.push_back({name, {matmul_panel, matmul_unroll}, emit_decoder});
    t.push_back({"depthwise_conv",
                 {{"band", "8", {"1", "2", "4", "8"}, "output rows per data-memory band (shrunk until the band fits)"}},
                 emit_conv_family});
    return t;
  }();
  return table;
}

const TemplateEntry* find_template(const std::string& task) {
  for (const TemplateEntry& e : templates())
    if (e.task == task) return &e;
  return nullptr;
}


}  // namespace

int64_t TemplateContext::param(const std::string& name) const {
  auto it = task.parameters.find(name);
  if (it == task.parameters.end()) throw InputError("AIE baseline: task has no parameter " + name);
  return static_cast<int64_t>(it->second);
}

int64_t TemplateContext::knob_int(const std::string& name) const { return std::stoll(knobs.at(name)); }

bool knows_task(const std::string& task) { return find_template(task) != nullptr; }

std::vector<KnobSpec> knobs(const std::string& task) {
  const TemplateEntry* entry = find_template(task);
  return entry ? entry->knobs : std::vector<KnobSpec>{};
}

namespace {

// How a kernel is built: every stage inline or matmul stages calling one shared body per variant;
// new BD numbers before recycled ones or the other way round.
struct Way {
  bool share, recycle_first;
};

KernelBuilder build(const TemplateEntry& entry, const TemplateContext& context, Way way) {
  const TaskInstance& task = context.task;
  KernelBuilder builder(context.hw);
  builder.share_code(way.share);
  builder.recycle_bds_first(way.recycle_first);
  builder.name_kernel("the " + task.task->name + " " + task.config + " kernel");
  std::string knob_text;
  for (const auto& [name, value] : context.knobs) knob_text += " " + name + "=" + value;
  builder.comment("AMD NPU baseline (template compiler): " + task.task->name + " " + task.config + " (" +
                  task.parameter_summary() + "), preset " + context.hw.name);
  if (!knob_text.empty()) builder.comment("knobs:" + knob_text);
  if (way.share) builder.comment("matmul stages share their code (the unrolled kernel exceeds program memory)");
  std::string equates = aie_layout_equates(context.layout);
  for (std::size_t start = 0; start < equates.size();) {
    const std::size_t end = equates.find('\n', start);
    builder.header(equates.substr(start, end - start));
    start = end + 1;
  }
  entry.emit(context, builder);
  return builder;
}

struct Attempt {
  std::string kernel, error;  // one of them
};

Attempt attempt(const TemplateEntry& entry, const TemplateContext& context, Way way) {
  try {
    const KernelBuilder builder = build(entry, context, way);
    const aie::HardwareConfig& hw = context.hw;
    if (builder.bundles() <= hw.max_bundles()) return {builder.text(), ""};
    return {"", "AIE baseline: the " + context.task.task->name + " " + context.task.config + " kernel needs " +
                    std::to_string(builder.bundles()) + " bundles, but preset " + hw.name +
                    " has program memory for " + std::to_string(hw.max_bundles())};
  } catch (const InputError& e) {
    return {"", e.what()};
  }
}

}  // namespace

std::string compile(const BaselineRequest& request) {
  const TaskInstance& task = *request.instance;
  const TemplateEntry* entry = find_template(task.task->name);
  if (!entry) throw InputError("the AMD NPU baseline has no template for task " + task.task->name);
  aie::HardwareConfig hw;
  std::string error;
  if (!aie::parse_hardware_config(request.preset_json, "preset", hw, error)) throw InputError(error);
  const BaselineKnobs knobs = resolve_knobs(entry->knobs, request.knobs, "AMD NPU " + entry->task);
  const TemplateContext context{task, *request.layout, hw, knobs};
  // The cheapest way that fits: unrolled before shared matmul code (program memory), new BD numbers
  // before recycled ones (a preset with few BDs). Errors name the unrolled kernel's problem and, when
  // it differs, the shared one's.
  std::string errors[2];
  for (bool share : {false, true})
    for (bool recycle_first : {false, true}) {
      const Attempt a = attempt(*entry, context, {share, recycle_first});
      if (a.error.empty()) return a.kernel;
      errors[share] = a.error;  // recycling first gets furthest
    }
  const std::string prefix = "AIE baseline: ";
  const std::string again = errors[1].rfind(prefix, 0) == 0 ? errors[1].substr(prefix.size()) : errors[1];
  throw InputError(errors[0] + (errors[1] == errors[0] ? "" : "; with shared matmul code, " + again));
}

}  // namespace kc::aie_baseline
