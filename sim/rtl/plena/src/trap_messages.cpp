#include "trap_messages.h"

namespace plena::rtl {
namespace {

std::string mnemonic_at(const Program& program, uint64_t pc) {
  if (pc < program.instructions.size() && program.instructions[pc].def)
    return program.instructions[pc].def->mnemonic;
  return "instruction " + std::to_string(pc);
}

std::string where(const Trap& trap) {
  if (!trap.memory) return "";
  return std::string(" (") + memory_name(*trap.memory) + " address " + std::to_string(trap.address) + ")";
}

}  // namespace

std::string trap_message(const Trap& trap, const Program& program, const Limits& limits,
                         uint64_t cycles) {
  const std::string who = mnemonic_at(program, trap.pc);
  switch (trap.kind) {
    case TrapKind::AddressOutOfRange:
      return who + " accesses memory outside its capacity" + where(trap);
    case TrapKind::MisalignedAddress:
      return who + " uses an address that is not aligned as the instruction requires" + where(trap);
    case TrapKind::BadRegister:
      return who + " names a register that does not exist";
    case TrapKind::UninitializedAddressRegister:
      return who + " uses an a-register that was never set; load it with C_SET_ADDR_REG first";
    case TrapKind::LoopStructure:
      return who + " breaks the hardware loop rules (nesting, counter register, count or body length)";
    case TrapKind::AccumulatorMisuse:
      return who + " uses an accumulator that is empty or holds another instruction family's sums";
    case TrapKind::IllegalInstruction:
      return who + " is not a valid instruction (opcode, flag, placeholder or immediate out of range)";
    case TrapKind::InstructionLimit:
      return "the program executed max_instructions = " + std::to_string(limits.max_instructions) +
             " instructions without finishing";
    case TrapKind::CycleLimit:
      return "the program passed max_cycles = " + std::to_string(limits.max_cycles) +
             " cycles (at cycle " + std::to_string(cycles) + ")";
    case TrapKind::WriteProtected:
      return who + " writes HBM outside the writable regions this run allows" + where(trap);
  }
  return who + " trapped";
}

}  // namespace plena::rtl
