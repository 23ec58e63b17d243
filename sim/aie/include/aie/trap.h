// Why a run stopped early. Kinds have stable snake_case names used in JSON and tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "aie/machine.h"

namespace aie {

enum class TrapKind : uint8_t {
  Hazard,                 // a register read before the multi-cycle op writing it finished
  UninitializedRegister,  // a register (or accumulator) read before anything wrote it
  AddressOutOfRange,      // core or DMA access outside a memory
  MisalignedAddress,
  AccumulatorMisuse,      // accumulator read with the wrong type (e.g. fp32 as acc32)
  BadOperandValue,        // a register operand's value outside what the instruction allows
  LoopStructure,          // loop count < 1, branch out of a running loop, too deep
  LockOverflow,           // a release would take a lock above its maximum
  Deadlock,               // the core waits and no DMA channel can make progress
  DmaError,               // an invalid BD, a wrong route, a BD changed while in use
  WriteProtected,         // a DMA write to DDR outside the allowed output ranges
  PcOutOfRange,           // execution ran past the last bundle without `done`
  IllegalBundle,          // a program that breaks slot or operand rules (hand-built)
  InstructionLimit,
  CycleLimit,
};
constexpr int kTrapKindCount = 15;

const char* trap_kind_name(TrapKind kind);  // e.g. "address_out_of_range"

struct Trap {
  TrapKind kind = TrapKind::IllegalBundle;
  uint32_t pc = 0;           // bundle index
  uint32_t source_line = 0;  // 0 when unknown
  std::optional<MemoryKind> memory;
  uint64_t address = 0;      // offending address, when memory is set
  std::string message;       // plain sentence: what happened and what is allowed
};

}  // namespace aie
