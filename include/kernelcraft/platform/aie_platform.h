// The built-in AMD NPU platform ("amd_npu"): the Platform contract over sim/aie (KernelCraft's
// model of one AIE-ML compute tile with its memory tile and shim DMA). Kernels are our AIE
// assembly (isa/aie/ is this platform's ISA folder: docs and presets); tensors are bf16 in DDR
// (docs/aie-layout.md).
#pragma once

#include <map>
#include <string>

#include "aie/config.h"
#include "kernelcraft/core/platform.h"
#include "kernelcraft/platform/aie_layout.h"

namespace kc {

class AiePlatform : public Platform {
 public:
  // Loads the presets in <data_dir>/isa/aie/presets/*.json and the docs beside them.
  explicit AiePlatform(std::string data_dir);

  std::string name() const override { return "amd_npu"; }
  std::string description() const override;
  std::vector<std::string> preset_names() const override;
  std::string default_preset() const override { return "aie_ml"; }
  std::string describe_preset(const std::string& preset) const override;
  AssembleResult assemble(const std::string& source, const std::string& preset) const override;
  SimReport run(const AssembledProgram& program, const std::string& preset, const MemoryImage& input,
                const std::vector<MemoryRegion>& dumps, const RunLimits& limits) const override;
  std::vector<DocSection> docs() const override;
  WorkloadLayout layout(const TaskInstance& instance, const std::string& preset) const override;
  std::vector<float> stored_values(const TensorPlacement& placement, const std::vector<float>& values) const override;
  PeakRates peak_rates(const std::string& preset) const override;
  std::string examples_directory() const override { return isa_dir_ + "/examples"; }

  const aie::HardwareConfig& config(const std::string& preset) const;
  static AieMemoryMap memory_map(const aie::HardwareConfig& config);

 private:
  std::string isa_dir_;
  std::map<std::string, aie::HardwareConfig> presets_;
};

}  // namespace kc
