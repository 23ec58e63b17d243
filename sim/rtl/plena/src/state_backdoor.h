// Backdoor access to the core's architectural state (registers, SRAMs, program memory):
// written while the core is held in reset, read after it finishes.
#pragma once

#include "plena/machine_state.h"
#include "plena/program.h"

class Vplena_core;

namespace plena::rtl {

void load_program(Vplena_core& core, const Program& program);
void load_state(Vplena_core& core, const MachineState& state);
void read_back_state(const Vplena_core& core, MachineState& state);

}  // namespace plena::rtl
