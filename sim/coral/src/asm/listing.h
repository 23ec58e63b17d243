// The listing of linked code: each 32-bit word with LLVM's disassembly and its source line.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "coral/asm/assembler.h"

namespace coral::assembler {

std::vector<ListingLine> make_listing(const std::vector<uint8_t>& text, uint32_t base_address,
                                      const std::function<uint32_t(uint32_t address)>& line_of);

}  // namespace coral::assembler
