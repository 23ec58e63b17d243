// Text assembly -> Program, with diagnostics an agent can act on.
//
// Syntax (isa/aie/02-bundles-and-slots.md): one bundle per line, as a single instruction,
// instructions joined with `||`, or `{ a ; b ; c }` (braces may span lines, one instruction
// per line inside); `nop` or `{ }` is an empty bundle. `name:` defines a label, `//` starts a
// comment, `.equ NAME, expr` a constant, `.lock lN, value` an initial lock value and
// `.bd N key=value ...` a buffer descriptor. Mnemonics and register names are
// case-insensitive; immediates may carry an optional leading '#'.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "aie/config.h"
#include "aie/program.h"

namespace aie {

struct Diagnostic {
  uint32_t line = 0;    // 1-based
  uint32_t column = 0;  // 1-based, points at the offending token
  std::string message;  // what is wrong and what was expected
  std::string hint;     // how to fix it; may be empty

  std::string to_string() const;  // "LINE:COL: error: message (hint: ...)"
};

struct AssemblyResult {
  Program program;
  std::vector<Diagnostic> diagnostics;  // errors only; empty means success
  bool ok() const { return diagnostics.empty(); }
};

constexpr std::size_t kMaxSourceBytes = 1u << 20;
constexpr std::size_t kMaxDiagnostics = 50;

AssemblyResult assemble(std::string_view source, const HardwareConfig& config);

}  // namespace aie
