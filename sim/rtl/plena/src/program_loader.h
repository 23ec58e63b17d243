// Program memory image: one 34-bit entry per instruction, {predecode tag, 32-bit word}.
#pragma once

#include <cstdint>

#include "plena/encoding.h"

namespace plena::rtl {

// Tag values understood by plena_decode.sv.
enum class PredecodeTag : uint8_t { None = 0, Illegal = 1, BadRegister = 2 };

// The word the loader writes for `inst`. A Program built in C++ can carry field values no
// 32-bit word can hold (no opcode, a gp index >= 16, an immediate beyond its field); such an
// instruction gets a predecode tag naming the trap sim/plena raises when it is reached, the
// way an instruction cache marks words it could not predecode. Everything else is checked by
// the RTL's own decoder from the word.
uint64_t program_entry(const Instruction& inst);

}  // namespace plena::rtl
