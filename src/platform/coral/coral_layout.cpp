#include "kernelcraft/platform/coral_layout.h"

#include <cstring>
#include <iomanip>
#include <sstream>

#include "kernelcraft/core/errors.h"

namespace kc {
namespace {

constexpr uint64_t kTensorAlignment = 64;     // one 512-bit burst; any vector access aligned
constexpr uint64_t kScratchAlignment = 4096;
constexpr uint64_t kMinimumScratch = 1 << 20;  // room for the baseline's temporary buffers

uint64_t align_up(uint64_t value, uint64_t alignment) { return (value + alignment - 1) / alignment * alignment; }

std::string float_bits(double value) {
  const float f = static_cast<float>(value);
  uint32_t bits = 0;
  std::memcpy(&bits, &f, sizeof bits);
  return hex_address(bits);
}

std::string describe(const WorkloadLayout& layout, const TaskInstance& instance, const CoralMemoryMap& map) {
  std::ostringstream md;
  md << "## Memory layout (Coral NPU, preset " << map.preset << ")\n\n"
     << "| tensor | role | address | format | shape (rows x cols) | element (i, j) at |\n|---|---|---|---|---|---|\n";
  for (const TensorPlacement& p : layout.tensors)
    md << "| " << p.tensor << " | " << tensor_role_name(p.role) << " | " << hex_address(p.address)
       << " | float32 | " << p.rows << " x " << p.cols << " | address + 4 * (i * " << p.cols << " + j) |\n";
  const uint64_t scratch = layout.setting("scratch_address");
  md << "\nAll tensors are in external memory (EXT, slower than the TCMs). You may write the outputs and "
        "the scratch area ["
     << hex_address(scratch) << ", " << hex_address(scratch + layout.setting("scratch_bytes"))
     << "); any other external write traps. DTCM [" << hex_address(map.dtcm_base) << ", "
     << hex_address(map.dtcm_base + map.dtcm_bytes)
     << ") is yours: your .data/.rodata/.bss go to its start and sp starts at its top. Code lives in ITCM ("
     << map.itcm_bytes << " bytes).\n"
     << "Every tensor address above is fixed: load it with `li`. Execution starts at `_start` (or the first "
        "instruction) and ends with `ebreak`.\n";
  if (!instance.constants.empty()) {
    md << "\nConstants (not preloaded; build them with `li t0, BITS` + `fmv.w.x ft0, t0`):\n\n"
          "| name | value | float32 bits |\n|---|---|---|\n";
    for (const auto& [name, value] : instance.constants)
      md << "| " << name << " | " << std::setprecision(9) << value << " | " << float_bits(value) << " |\n";
  }
  return md.str();
}

}  // namespace

std::string hex_address(uint64_t address) {
  std::ostringstream s;
  s << "0x" << std::hex << std::setw(8) << std::setfill('0') << address;
  return s.str();
}

WorkloadLayout coral_workload_layout(const TaskInstance& instance, const CoralMemoryMap& map) {
  WorkloadLayout layout;
  uint64_t cursor = map.ext_base;
  for (const BoundTensor& t : instance.tensors) {  // task order: inputs, then outputs
    const TensorRole role = t.spec->role;
    layout.tensors.push_back({t.spec->name, role, "ext", cursor, "f32", 0, t.rows, t.cols, 0});
    const uint64_t bytes = 4 * static_cast<uint64_t>(t.elements);
    if (role == TensorRole::Input) layout.offchip_input_bytes += bytes;
    else layout.writable.push_back({"ext", cursor, cursor + bytes});
    cursor = align_up(cursor + bytes, kTensorAlignment);
  }
  const uint64_t scratch = align_up(cursor, kScratchAlignment);
  const uint64_t ext_end = map.ext_base + map.ext_bytes;
  if (scratch + kMinimumScratch > ext_end)
    throw InputError("task " + instance.task->name + " " + instance.config + " (" + instance.parameter_summary() +
                     ") cannot be laid out on Coral preset '" + map.preset + "': its tensors need " +
                     std::to_string(scratch - map.ext_base) + " bytes plus " + std::to_string(kMinimumScratch) +
                     " of scratch, external memory has " + std::to_string(map.ext_bytes));
  layout.writable.push_back({"ext", scratch, ext_end});
  layout.settings = {{"ext_base", map.ext_base},       {"scratch_address", scratch},
                     {"scratch_bytes", ext_end - scratch}, {"dtcm_base", map.dtcm_base},
                     {"dtcm_bytes", map.dtcm_bytes},   {"itcm_bytes", map.itcm_bytes}};
  layout.description = describe(layout, instance, map);
  return layout;
}

}  // namespace kc
