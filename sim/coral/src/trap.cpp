#include "coral/trap.h"

namespace coral {

const char* trap_kind_name(TrapKind kind) {
  switch (kind) {
    case TrapKind::AddressOutOfRange: return "address_out_of_range";
    case TrapKind::MisalignedAddress: return "misaligned_address";
    case TrapKind::WriteProtected: return "write_protected";
    case TrapKind::IllegalInstruction: return "illegal_instruction";
    case TrapKind::InstructionLimit: return "instruction_limit";
    case TrapKind::CycleLimit: return "cycle_limit";
  }
  return "unknown";
}

}  // namespace coral
