// The built-in Coral NPU platform: the Platform contract over sim/coral (the RV32IMF + RVV model)
// and its LLVM-based assembler. Kernels are RISC-V assembly; tensors are float32 in external
// memory (docs/coral-layout.md).
#pragma once

#include <map>
#include <string>

#include "coral/config.h"
#include "kernelcraft/core/platform.h"
#include "kernelcraft/platform/coral_layout.h"

namespace kc {

class CoralPlatform : public Platform {
 public:
  // Loads the presets in <data_dir>/isa/coral_npu/presets/*.json and the docs beside them.
  explicit CoralPlatform(std::string data_dir);

  std::string name() const override { return "coral_npu"; }
  std::string description() const override;
  std::vector<std::string> preset_names() const override;
  std::string default_preset() const override { return "coral"; }
  std::string describe_preset(const std::string& preset) const override;
  AssembleResult assemble(const std::string& source, const std::string& preset) const override;
  SimReport run(const AssembledProgram& program, const std::string& preset, const MemoryImage& input,
                const std::vector<MemoryRegion>& dumps, const RunLimits& limits) const override;
  std::vector<DocSection> docs() const override;
  WorkloadLayout layout(const TaskInstance& instance, const std::string& preset) const override;
  std::vector<float> stored_values(const TensorPlacement& placement, const std::vector<float>& values) const override;
  PeakRates peak_rates(const std::string& preset) const override;
  std::string examples_directory() const override { return isa_dir_ + "/examples"; }

  const coral::CoralConfig& config(const std::string& preset) const;
  static CoralMemoryMap memory_map(const coral::CoralConfig& config);

 private:
  std::string isa_dir_;
  std::map<std::string, coral::CoralConfig> presets_;
};

}  // namespace kc
