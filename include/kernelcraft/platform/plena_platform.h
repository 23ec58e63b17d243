// The built-in PLENA platform: the Platform contract over sim/plena.
#pragma once

#include <map>
#include <string>

#include "kernelcraft/core/platform.h"
#include "plena/hardware_config.h"

namespace kc {

class PlenaPlatform : public Platform {
 public:
  // Loads the presets in <data_dir>/isa/plena/presets/*.json and the docs beside them.
  explicit PlenaPlatform(std::string data_dir);

  std::string name() const override { return "plena"; }
  std::string description() const override;
  std::vector<std::string> preset_names() const override;
  std::string default_preset() const override { return "default"; }
  std::string describe_preset(const std::string& preset) const override;
  AssembleResult assemble(const std::string& source, const std::string& preset) const override;
  SimReport run(const AssembledProgram& program, const std::string& preset,
                const MemoryImage& input, const std::vector<MemoryRegion>& dumps,
                const RunLimits& limits) const override;
  std::vector<DocSection> docs() const override;
  WorkloadLayout layout(const TaskInstance& instance, const std::string& preset) const override;
  std::vector<float> stored_values(const TensorPlacement& placement,
                                   const std::vector<float>& values) const override;
  PeakRates peak_rates(const std::string& preset) const override;

  const plena::HardwareConfig& config(const std::string& preset) const;

 private:
  std::string isa_dir_;
  std::map<std::string, plena::HardwareConfig> presets_;
};

}  // namespace kc
