#include "aie/trap.h"

namespace aie {

const char* trap_kind_name(TrapKind kind) {
  static const char* const names[kTrapKindCount] = {
      "hazard",           "uninitialized_register", "address_out_of_range",
      "misaligned_address", "accumulator_misuse",   "bad_operand_value",
      "loop_structure",   "lock_overflow",          "deadlock",
      "dma_error",        "write_protected",        "pc_out_of_range",
      "illegal_bundle",   "instruction_limit",      "cycle_limit"};
  const auto i = static_cast<std::size_t>(kind);
  return i < static_cast<std::size_t>(kTrapKindCount) ? names[i] : "unknown";
}

}  // namespace aie
