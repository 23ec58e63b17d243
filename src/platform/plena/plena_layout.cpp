#include "kernelcraft/platform/plena_layout.h"

#include <cmath>
#include <limits>
#include <sstream>

#include "kernelcraft/core/errors.h"

namespace kc {
namespace {

constexpr uint64_t kHbmAlignment = 4096;

uint64_t align_up(uint64_t value, uint64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

[[noreturn]] void does_not_fit(const TaskInstance& inst, const plena::HardwareConfig& hw,
                               const std::string& why) {
  throw InputError("task " + inst.task->name + " " + inst.config + " (" + inst.parameter_summary() +
                   ") cannot be laid out on PLENA preset '" + hw.name + "': " + why);
}

std::string describe(const WorkloadLayout& layout, const plena::HardwareConfig& hw) {
  std::ostringstream md;
  md << "## Memory layout (PLENA, preset " << hw.name << ")\n\n"
     << "| tensor | role | memory | address | format | shape (rows x cols) | arrangement |\n"
     << "|---|---|---|---|---|---|---|\n";
  for (const auto& p : layout.tensors) {
    md << "| " << p.tensor << " | " << tensor_role_name(p.role) << " | " << p.memory << " | "
       << p.address;
    if (p.encoding == "mxfp8") md << " (scales at " << p.scale_address << ")";
    md << " | " << (p.encoding == "native" ? "bf16" : p.encoding) << " | " << p.rows << " x "
       << p.cols << " | ";
    if (p.chunk > 0)
      md << "VLEN-column chunks: (i, j) at address + ((j / " << p.chunk << ") * " << p.rows
         << " + i) * " << p.chunk << " + j % " << p.chunk;
    else
      md << "row-major: (i, j) at element offset i * " << p.cols << " + j";
    md << " |\n";
  }
  md << "\nHBM addresses are bytes; SRAM addresses are elements. Every HBM tensor uses the same "
        "data-to-scale distance: set SCALE_REG to "
     << layout.setting("scale_reg") << " (C_SET_SCALE_REG).\n"
     << "Scratch HBM you may write with H_STORE_V: bytes [" << layout.setting("scratch_hbm_address")
     << ", " << layout.setting("scratch_hbm_address") + layout.setting("scratch_hbm_bytes")
     << ") (its scales live SCALE_REG bytes higher). Any other HBM write traps.\n"
     << "Vector SRAM from element " << layout.setting("vsram_free_address")
     << " up is free for your intermediates; the outputs are read from the regions above after "
        "the run.\n\nFP SRAM preloaded constants (BF16):\n\n| slot | name | value |\n|---|---|---|\n";
  for (const auto& c : layout.constants) md << "| " << c.address << " | " << c.name << " | " << c.value << " |\n";
  return md.str();
}

}  // namespace

const char* const kPlenaFixedConstants[3] = {"zero", "one", "neg_inf"};

WorkloadLayout plena_workload_layout(const TaskInstance& inst, const plena::HardwareConfig& hw) {
  WorkloadLayout layout;
  uint64_t hbm_cursor = 0;
  uint64_t input_elements = 0;
  for (const BoundTensor* t : inst.inputs()) {
    if (t->cols % 8 != 0)
      does_not_fit(inst, hw, "input '" + t->spec->name + "' has " + std::to_string(t->cols) +
                                 " columns; MXFP8 rows need a multiple of 8");
    TensorPlacement p{t->spec->name, TensorRole::Input, "hbm", hbm_cursor, "mxfp8", 0,
                      t->rows, t->cols, 0};
    layout.tensors.push_back(p);
    hbm_cursor = align_up(hbm_cursor + static_cast<uint64_t>(t->elements), kHbmAlignment);
    input_elements += static_cast<uint64_t>(t->elements);
    layout.offchip_input_bytes += static_cast<uint64_t>(t->elements) + static_cast<uint64_t>(t->elements + 7) / 8;
  }
  // Scratch for spills (e.g. K/V written back to be re-read as matrix tiles): twice the inputs.
  const uint64_t scratch_address = hbm_cursor;
  const uint64_t scratch_bytes = align_up(std::max<uint64_t>(2 * input_elements, 65536), kHbmAlignment);
  const uint64_t data_end = scratch_address + scratch_bytes;
  const uint64_t scale_distance = align_up(data_end, 1 << 16);
  // The highest scale bytes are the scratch area's: [scratch + SCALE, scratch + SCALE + bytes/8).
  const uint64_t hbm_needed = scale_distance + scratch_address + scratch_bytes / 8;
  if (hbm_needed > hw.hbm_bytes)
    does_not_fit(inst, hw, "needs " + std::to_string(hbm_needed) + " bytes of HBM, the preset has " +
                               std::to_string(hw.hbm_bytes));
  for (auto& p : layout.tensors) p.scale_address = p.address + scale_distance;

  uint64_t vsram_cursor = 0;
  for (const BoundTensor* t : inst.outputs()) {
    if (t->cols % hw.vlen != 0)
      does_not_fit(inst, hw, "output '" + t->spec->name + "' has " + std::to_string(t->cols) +
                                 " columns, not a multiple of VLEN " + std::to_string(hw.vlen));
    layout.tensors.push_back({t->spec->name, TensorRole::Output, "vsram", vsram_cursor, "native", 0,
                              t->rows, t->cols, static_cast<int64_t>(hw.vlen)});
    vsram_cursor += static_cast<uint64_t>(t->elements);
  }
  if (vsram_cursor >= hw.vector_sram_elems)
    does_not_fit(inst, hw, "outputs need " + std::to_string(vsram_cursor) +
                               " Vector SRAM elements, the preset has " +
                               std::to_string(hw.vector_sram_elems));

  const double fixed_values[3] = {0.0, 1.0, -std::numeric_limits<double>::infinity()};
  for (uint64_t slot = 0; slot < 3; ++slot)
    layout.constants.push_back({kPlenaFixedConstants[slot], "fpsram", slot, fixed_values[slot]});
  for (const auto& [name, value] : inst.constants)
    layout.constants.push_back({name, "fpsram", layout.constants.size(), value});
  if (layout.constants.size() > hw.fp_sram_elems)
    does_not_fit(inst, hw, "too many FP SRAM constants");

  layout.settings = {{"scale_reg", scale_distance},
                     {"scratch_hbm_address", scratch_address},
                     {"scratch_hbm_bytes", scratch_bytes},
                     {"vsram_free_address", align_up(vsram_cursor, hw.vlen)}};
  layout.writable = {{"hbm", scratch_address, scratch_address + scratch_bytes},
                     {"hbm", scratch_address + scale_distance,
                      scratch_address + scale_distance + scratch_bytes / 8}};
  layout.description = describe(layout, hw);
  return layout;
}

}  // namespace kc
