// Plain-sentence trap messages for traps the RTL reports as codes.
#pragma once

#include <optional>
#include <string>

#include "plena/program.h"
#include "plena/simulator.h"

namespace plena::rtl {

std::string trap_message(const Trap& trap, const Program& program, const Limits& limits,
                         uint64_t cycles);

}  // namespace plena::rtl
