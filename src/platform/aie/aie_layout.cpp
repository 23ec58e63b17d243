#include "kernelcraft/platform/aie_layout.h"

#include <cmath>
#include <cstring>
#include <iomanip>
#include <sstream>

#include "aie/bf16.h"
#include "kernelcraft/core/errors.h"

namespace kc {
namespace {

constexpr uint64_t kTensorAlignment = 256;      // any DMA pattern, any DM vector access
constexpr uint64_t kScratchAlignment = 4096;
constexpr uint64_t kMinimumScratch = 64 * 1024;  // room for a kernel's intermediate tensors

uint64_t align_up(uint64_t value, uint64_t alignment) { return (value + alignment - 1) / alignment * alignment; }

std::string hex(uint64_t value, int width = 8) {
  std::ostringstream s;
  s << "0x" << std::hex << std::uppercase << std::setw(width) << std::setfill('0') << value;
  return s.str();
}

uint16_t bf16_bits(double value) { return aie::float_to_bf16(static_cast<float>(value)); }

std::string describe(const WorkloadLayout& layout, const TaskInstance& instance, const AieMemoryMap& map) {
  std::ostringstream md;
  md << "## Memory layout (AMD NPU / AIE-ML tile, preset " << map.preset << ")\n\n"
     << "| tensor | role | DDR address | format | shape (rows x cols) | element (i, j) at |\n"
        "|---|---|---|---|---|---|\n";
  for (const TensorPlacement& p : layout.tensors)
    md << "| " << p.tensor << " | " << tensor_role_name(p.role) << " | " << hex(p.address) << " | bf16 | " << p.rows
       << " x " << p.cols << " | address + 2 * (i * " << p.cols << " + j) |\n";
  const uint64_t scratch = layout.setting("scratch_address");
  const uint64_t scratch_end = scratch + layout.setting("scratch_bytes");
  md << "\nEvery tensor is bf16 (2 bytes, little-endian), row-major, in **DDR** (" << map.ddr_bytes
     << " bytes) at the fixed byte address above (256-byte aligned); a tensor of more than two dimensions is "
        "viewed as [rows x cols] with cols its last dimension. Inputs were rounded to bf16 when stored. "
        "The core cannot address DDR: move data with DMA (DDR -> memory tile on shim0/shim1, memory tile -> "
        "data memory on tile0..tile3, and back).\n\n"
     << "Writable DDR: the output tensors and the scratch region [" << hex(scratch) << ", " << hex(scratch_end)
     << ") (for intermediate tensors). A DMA write to any other DDR byte (the inputs included) traps with "
        "`write_protected`. The memory tile (" << map.memtile_bytes << " bytes) and data memory ("
     << map.dm_bytes
     << " bytes) are yours; every memory starts filled with seed-dependent poison, so write every output byte. "
        "End with `done`.\n\n"
     << "Paste these constants at the top of your kernel (the addresses are fixed for this task configuration):\n\n"
        "```\n"
     << aie_layout_equates(layout);
  for (const auto& [name, value] : instance.parameters)
    md << ".equ " << name << ", " << static_cast<int64_t>(value) << "\n";
  md << "```\n";
  if (!instance.constants.empty()) {
    md << "\nConstants (not preloaded; build them with `movi rN, BITS` + `vbcst.bf16`):\n\n"
          "| name | value | bf16 bits |\n|---|---|---|\n";
    for (const auto& [name, value] : instance.constants)
      md << "| " << name << " | " << std::setprecision(9) << value << " | " << hex(bf16_bits(value), 4)
         << " |\n";
  }
  return md.str();
}

}  // namespace

WorkloadLayout aie_workload_layout(const TaskInstance& instance, const AieMemoryMap& map) {
  WorkloadLayout layout;
  uint64_t cursor = 0;
  for (const BoundTensor& t : instance.tensors) {  // task order: inputs, then outputs
    const TensorRole role = t.spec->role;
    layout.tensors.push_back({t.spec->name, role, "ddr", cursor, "bf16", 0, t.rows, t.cols, 0});
    const uint64_t bytes = 2 * static_cast<uint64_t>(t.elements);
    if (role == TensorRole::Input) layout.offchip_input_bytes += bytes;
    else layout.writable.push_back({"ddr", cursor, cursor + bytes});
    cursor = align_up(cursor + bytes, kTensorAlignment);
  }
  const uint64_t scratch = align_up(cursor, kScratchAlignment);
  if (scratch + kMinimumScratch > map.ddr_bytes)
    throw InputError("task " + instance.task->name + " " + instance.config + " (" + instance.parameter_summary() +
                     ") cannot be laid out on AIE preset '" + map.preset + "': its tensors need " +
                     std::to_string(scratch) + " bytes of DDR plus " + std::to_string(kMinimumScratch) +
                     " of scratch, DDR has " + std::to_string(map.ddr_bytes));
  layout.writable.push_back({"ddr", scratch, map.ddr_bytes});
  layout.settings = {{"scratch_address", scratch}, {"scratch_bytes", map.ddr_bytes - scratch},
                     {"ddr_bytes", map.ddr_bytes},  {"memtile_bytes", map.memtile_bytes},
                     {"dm_bytes", map.dm_bytes}};
  layout.description = describe(layout, instance, map);
  return layout;
}

}  // namespace kc
