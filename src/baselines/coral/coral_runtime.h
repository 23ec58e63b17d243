// The bare-metal pieces a compiled Coral baseline needs around the compiled function: an entry
// point that passes each tensor's address and ends with `ebreak` (the Coral kernel contract),
// and the few runtime functions LLVM and MLIR's lowering call (memcpy, memset, and a bump
// allocator over the layout's scratch memory for temporary buffers).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kc::coral_baseline {

struct EntryCall {
  std::string function;             // the compiled function's symbol
  std::vector<uint32_t> arguments;  // tensor addresses, in the function's argument order
  uint32_t heap_begin = 0;          // scratch memory the allocator hands out
  uint32_t heap_end = 0;            // exclusive
};

// Assembly (GNU syntax) of `_start` and the runtime, to be assembled with the compiled code.
// More than eight arguments do not fit the integer argument registers: InputError.
std::string runtime_assembly(const EntryCall& call);

}  // namespace kc::coral_baseline
