// Agent-facing ISA documentation of a built-in platform: the Markdown pages in isa/<platform>/.
#pragma once

#include <string>
#include <vector>

#include "kernelcraft/core/platform.h"

namespace kc {

// Every *.md in `isa_dir` except README.md, sorted by file name; a section's title is its
// first "# " heading. A missing folder gives no sections.
std::vector<DocSection> load_isa_docs(const std::string& isa_dir);

}  // namespace kc
