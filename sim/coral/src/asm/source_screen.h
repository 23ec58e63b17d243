// Screens untrusted assembly before LLVM sees it: directives that touch host files or stdout,
// unbounded expansion (.rept/.irp/.irpc/macros), huge fills and alignments, and directives
// that would change the target's features. The rules are documented in coral/asm/assembler.h.
#pragma once

#include <vector>

#include "coral/asm/assembler.h"

namespace coral::assembler {

struct ScreenResult {
  std::vector<Diagnostic> errors;
  // The source carries its own `.loc` / numbered `.file` directives, which LLVM refuses to
  // mix with generated line information.
  bool has_own_line_directives = false;
};

ScreenResult screen_source(const std::string& source, const AssembleOptions& options);

}  // namespace coral::assembler
