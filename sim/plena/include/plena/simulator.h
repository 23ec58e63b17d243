// Cycle-level execution of a Program on a MachineState.
//
// Timing model (see docs/plena-model.md): one in-order issue loop; each instruction holds
// issue for its latency class's cycles. H_PREFETCH_* and H_STORE_V issue in
// `latency.hbm_issue` cycles and complete in the background through an HBM channel
// (latency + bytes / bandwidth); their destination ranges are pending until completion and
// the first instruction that touches a pending range stalls until the data lands.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "plena/hardware_config.h"
#include "plena/machine_state.h"
#include "plena/program.h"

namespace plena {

// A half-open byte range [begin, end) of HBM.
struct HbmRange {
  uint64_t begin = 0;
  uint64_t end = 0;
};

struct Limits {
  uint64_t max_instructions = 50'000'000;  // dynamic instruction count
  uint64_t max_cycles = 2'000'000'000;
  // HBM bytes a kernel may write (H_STORE_V). Empty: all of HBM. A store touching any byte
  // outside these ranges traps with write_protected, so a kernel cannot overwrite its inputs.
  std::vector<HbmRange> hbm_writable;
};

enum class TrapKind : uint8_t {
  AddressOutOfRange,
  MisalignedAddress,
  BadRegister,
  UninitializedAddressRegister,
  LoopStructure,
  AccumulatorMisuse,
  IllegalInstruction,
  InstructionLimit,
  CycleLimit,
  WriteProtected,
};
const char* trap_kind_name(TrapKind kind);  // snake_case, stable: used in JSON and tests

struct Trap {
  TrapKind kind;
  uint64_t pc = 0;           // index of the instruction in the program
  uint32_t source_line = 0;  // 0 when unknown
  std::optional<Memory> memory;
  uint64_t address = 0;      // offending address, when memory is set
  std::string message;       // plain sentence naming what happened and what was allowed
};

struct UnitCounters {
  uint64_t busy = 0;   // cycles this unit held issue
  uint64_t stall = 0;  // cycles its instructions waited on pending data or a full DMA queue
};

struct SimResult {
  uint64_t cycles = 0;             // until the last instruction retired and all DMA drained
  uint64_t instructions = 0;       // dynamic count
  std::array<UnitCounters, kUnitCount> units{};
  std::map<std::string, uint64_t> instruction_mix;  // mnemonic -> dynamic count
  uint64_t hbm_bytes_read = 0, hbm_bytes_written = 0;
  uint64_t macs = 0;               // multiply-accumulates done by the matrix unit
  bool stopped_by_break = false;   // C_BREAK ended the program early
  std::optional<Trap> trap;

  bool ok() const { return !trap.has_value(); }
};

// Runs `program` to completion, a trap, or a limit. Never throws on any program input; the
// state is left as it was when execution stopped.
SimResult simulate(const Program& program, MachineState& state, const HardwareConfig& config,
                   const Limits& limits = {});

}  // namespace plena
