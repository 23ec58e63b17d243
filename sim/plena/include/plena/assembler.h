// Text assembly -> Program, with diagnostics an agent can act on.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "plena/hardware_config.h"
#include "plena/program.h"

namespace plena {

struct Diagnostic {
  enum class Severity { Error, Warning };
  Severity severity = Severity::Error;
  uint32_t line = 0;    // 1-based
  uint32_t column = 0;  // 1-based, points at the offending token
  std::string message;  // what is wrong and what was expected
  std::string hint;     // how to fix it; may be empty

  std::string to_string() const;  // "LINE:COL: error: message (hint: ...)"
};

struct AssemblyResult {
  Program program;
  std::vector<Diagnostic> diagnostics;
  bool ok() const;  // no Error diagnostics
  std::size_t error_count() const;
  std::size_t warning_count() const;
};

// Syntax, per instruction:   MNEMONIC op, op, ...   ; comment   (# also starts a comment)
// Mnemonics are case-insensitive. Loop structure is checked statically because PLENA has no
// branches: C_LOOP_START/C_LOOP_END pairs must nest, use distinct counter registers while
// open, stay within the preset's nesting depth and body-length limits.
AssemblyResult assemble(std::string_view source, const HardwareConfig& config);

// One instruction per line in canonical syntax (inverse of assemble for valid programs).
std::string disassemble(const Instruction& inst);
std::string disassemble(const Program& program);

}  // namespace plena
