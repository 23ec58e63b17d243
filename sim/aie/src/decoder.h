// The pre-decoded program's checks and the dispatch table, shared by assembler and simulator.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "aie/config.h"
#include "aie/program.h"
#include "exec_context.h"

namespace aie {

// The semantic function of an instruction group.
ExecFn exec_function(ExecGroup group);

// Registers an instruction writes (x registers as their two halves, post-modified pointers
// included).
std::vector<std::pair<RegFile, unsigned>> destinations(const Instruction& instr);

// Empty when the instruction's operands match its row and lie in range; otherwise a plain
// sentence. `program_size` bounds label targets.
std::string check_instruction(const Instruction& instr, const HardwareConfig& config,
                              std::size_t program_size);
// Slot capacity and duplicate destinations; empty when legal.
std::string check_bundle(const Bundle& bundle);

}  // namespace aie
