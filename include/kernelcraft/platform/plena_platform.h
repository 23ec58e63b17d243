// The built-in PLENA platform: the Platform contract over sim/plena.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "kernelcraft/core/platform.h"
#include "plena/hardware_config.h"
#include "plena/simulator.h"

namespace kc {

// Which simulator runs PLENA programs, behind one contract: the C++ model (sim/plena) or the
// Verilated SystemVerilog core (sim/rtl/plena), bit- and cycle-identical to it on the presets
// it was built for (plena::rtl::supports).
enum class PlenaBackend { Model, Rtl };

class PlenaPlatform : public Platform {
 public:
  // Loads the presets in <data_dir>/isa/plena/presets/*.json and the docs beside them.
  explicit PlenaPlatform(std::string data_dir, PlenaBackend backend = PlenaBackend::Model);

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
  std::string examples_directory() const override { return isa_dir_ + "/examples"; }

  const plena::HardwareConfig& config(const std::string& preset) const;
  PlenaBackend backend() const { return backend_; }
  // What run() hands the simulator: the machine state it starts from (poisoned with the seed if
  // given, then the input image written) and its limits. Public so bench/ can time the two
  // backends' simulation alone, from one prepared state.
  plena::MachineState initial_state(const MemoryImage& input, const std::string& preset,
                                    std::optional<uint64_t> poison_seed) const;
  static plena::Limits simulator_limits(const RunLimits& limits);

 private:
  plena::SimResult simulate(const plena::Program& program, plena::MachineState& state,
                            const plena::HardwareConfig& hw, const plena::Limits& limits,
                            const std::string& preset) const;

  std::string isa_dir_;
  PlenaBackend backend_;
  std::map<std::string, plena::HardwareConfig> presets_;
};

}  // namespace kc
