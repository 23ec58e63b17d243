// Second simulation backend for PLENA: the SystemVerilog core in sim/rtl/plena/rtl, compiled
// with Verilator, behind the same contract as plena::simulate (sim/plena/simulator.h).
//
// The RTL is verilated with fixed geometry and SRAM sizes (the `small` preset: MLEN 16,
// BLEN 4, VLEN 16, HLEN 8, Matrix/Vector/FP/INT SRAM 2048/65536/256/256 elements); timing,
// DMA shape, HBM formats and size, loop limits and run limits are run-time inputs. After a run
// `state` holds what plena::simulate leaves, bit for bit, and SimResult agrees field for field
// (trap messages are worded by the wrapper).
//
// NaNs: both backends store every NaN as the canonical BF16 quiet NaN 0x7FC0 (sign dropped),
// so states agree bit for bit even when NaNs of both signs meet.
//
// How it works: plena_core.sv is clocked by this wrapper; program words (with a predecode tag
// for Instructions no 32-bit word can carry), registers and SRAMs are written through a
// backdoor (verilator public arrays) while the core is in reset and read back after it
// finishes; the core's HBM request/response bus (one beat of up to hbm_bytes_per_cycle bytes
// per clock) is served every clock by a C++ memory model over state.hbm.
//
// Each call builds its own VerilatedContext and model, so calls may run one after another in
// one process and concurrently in different threads.
#pragma once

#include <string>

#include "plena/hardware_config.h"
#include "plena/machine_state.h"
#include "plena/program.h"
#include "plena/simulator.h"

namespace plena::rtl {

// Largest program, writable-range list and limits the RTL was built for.
constexpr std::size_t kProgramDepth = std::size_t{1} << 20;
constexpr std::size_t kMaxWritableRanges = 16;

// Empty when the RTL can run `config`; otherwise a sentence naming the field, the config's
// value and the RTL's value.
std::string supports(const HardwareConfig& config);

// Runs `program` on the RTL. Throws std::invalid_argument (with the supports() sentence) for
// an unsupported config, a program longer than kProgramDepth or more than kMaxWritableRanges
// writable HBM ranges; never for anything a program does. SRAM contents must be BF16-exact
// (as every loader in plena_sim guarantees): the RTL's SRAMs are 16 bits wide.
SimResult simulate(const Program& program, MachineState& state, const HardwareConfig& config,
                   const Limits& limits = {});

}  // namespace plena::rtl
