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
// Compares registers and memories bit for bit; returns "" when equal. With
// `nan_sign_agnostic`, two NaNs that differ only in sign count as equal and are counted in
// *nan_sign_diffs: sim/plena does not define which NaN survives when NaNs of both signs meet
// (its compiler's operand order decides), see plena_rtl/rtl_simulator.h.
std::string diff_states(const MachineState& model, const MachineState& rtl,
                        bool nan_sign_agnostic = false, int* nan_sign_diffs = nullptr);

struct CosimOutcome {
  SimResult model, rtl;
  std::string result_diff, state_diff;
};

// Runs both backends on copies of `initial`.
CosimOutcome cosimulate(const Program& program, const MachineState& initial,
                        const HardwareConfig& config, const Limits& limits = {},
                        bool nan_sign_agnostic = false, int* nan_sign_diffs = nullptr);

#define EXPECT_COSIM_EQUAL(outcome)                                                   \
  do {                                                                                \
    const auto& o_ = (outcome);                                                       \
    EXPECT_EQ(o_.result_diff, "");                                                    \
    EXPECT_EQ(o_.state_diff, "");                                                     \
  } while (0)

}  // namespace plena::rtl::test
