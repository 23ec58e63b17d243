// Why a run stopped early. Kinds have stable snake_case names used in JSON and tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace coral {

enum class TrapKind : uint8_t {
  AddressOutOfRange,
  MisalignedAddress,
  WriteProtected,
  IllegalInstruction,
  InstructionLimit,
  CycleLimit,
};
inline constexpr int kTrapKindCount = 6;

const char* trap_kind_name(TrapKind kind);  // e.g. "address_out_of_range"

struct Trap {
  TrapKind kind = TrapKind::IllegalInstruction;
  uint32_t pc = 0;                  // address of the instruction that trapped
  std::optional<uint32_t> address;  // the offending data/fetch address, when relevant
  std::string message;              // a plain sentence: what happened and what is allowed
};

}  // namespace coral
