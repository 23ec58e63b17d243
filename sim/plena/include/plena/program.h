// An assembled PLENA program: the decoded instruction stream plus its machine words.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "plena/encoding.h"

namespace plena {

struct Program {
  std::vector<Instruction> instructions;
  std::vector<uint32_t> words;  // encode(instructions[i]) == words[i]

  std::size_t size() const { return instructions.size(); }
};

// `.mem` text format: one 8-digit hex word per line ("0x" prefix optional, '#'/';' comments).
std::string to_mem_text(const Program& program);
// Parses `.mem` text; on failure returns false with "line N: reason" in `error`.
bool from_mem_text(const std::string& text, Program& program, std::string& error);

}  // namespace plena
