// Co-simulation helpers: run one program on sim/plena and on the RTL from the same initial
// state and require identical results and final states.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "plena/hardware_config.h"
#include "plena/machine_state.h"
#include "plena/program.h"
#include "plena/simulator.h"
#include "plena_rtl/rtl_simulator.h"

namespace plena::rtl::test {

HardwareConfig small_preset();  // isa/plena/presets/small.json

// Compares every SimResult field except the trap message; returns "" when equal.
std::string diff_results(const SimResult& model, const SimResult& rtl);
// Compares registers and memories bit for bit, NaNs included (both backends round every NaN
// to the canonical BF16 NaN 0x7FC0); returns "" when equal.
std::string diff_states(const MachineState& model, const MachineState& rtl);

// True when a register or an SRAM holds a NaN.
bool has_nan(const MachineState& state);

struct CosimOutcome {
  SimResult model, rtl;
  std::string result_diff, state_diff;
  bool model_state_has_nan = false;
};

// Runs both backends on copies of `initial`.
CosimOutcome cosimulate(const Program& program, const MachineState& initial,
                        const HardwareConfig& config, const Limits& limits = {});

#define EXPECT_COSIM_EQUAL(outcome)                                                   \
  do {                                                                                \
    const auto& o_ = (outcome);                                                       \
    EXPECT_EQ(o_.result_diff, "");                                                    \
    EXPECT_EQ(o_.state_diff, "");                                                     \
  } while (0)

}  // namespace plena::rtl::test
