// Cycle-level execution of a Program on a MachineState (timing: isa/aie/08-timing).
//
// One bundle issues per cycle. Results become readable `latency` cycles after issue, and
// reading earlier traps (hazard): the pipeline is exposed and there are no interlocks, but
// the model never hands out a stale value. Stalls come only from data-memory bank
// conflicts, lock acquires, DMA queue/wait instructions and taken branches.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aie/config.h"
#include "aie/machine.h"
#include "aie/program.h"
#include "aie/trap.h"

namespace aie {

// A half-open byte range [begin, end) of DDR.
struct DdrRange {
  uint64_t begin = 0;
  uint64_t end = 0;
};

struct Limits {
  uint64_t max_bundles = 20'000'000;  // dynamic bundles executed
  uint64_t max_cycles = 200'000'000;
  // DDR bytes DMA may write. Empty: all of DDR. A write outside traps (write_protected),
  // so a kernel cannot overwrite its inputs or the harness's guard areas.
  std::vector<DdrRange> ddr_writable;
};

struct StallCounters {
  uint64_t bank_conflict = 0;  // extra cycles of bundles whose accesses shared a DM bank
  uint64_t lock_wait = 0;      // cycles the core waited in `acq`
  uint64_t dma = 0;            // cycles waited in dma.wait or on a full channel queue
  uint64_t branch = 0;         // taken-branch penalty cycles
  uint64_t drain = 0;          // cycles after `done` until DMA traffic stopped
};

struct SimResult {
  uint64_t cycles = 0;
  uint64_t bundles = 0;  // dynamic bundles executed
  uint64_t empty_bundles = 0;
  std::array<uint64_t, kSlotCount> slot_use{};  // instructions issued per slot kind
  StallCounters stalls;
  std::map<std::string, uint64_t> instruction_mix;  // mnemonic -> dynamic count
  uint64_t macs = 0;          // multiply-accumulates by mmul/mmac
  uint64_t dma_bytes = 0;     // bytes moved by all channels
  uint64_t ddr_bytes_read = 0;
  uint64_t ddr_bytes_written = 0;
  bool stopped = false;       // `done` was reached
  std::optional<Trap> trap;

  bool ok() const { return !trap.has_value(); }
};

// Applies the program's .bd/.lock setup to `state`, then runs to `done`, a trap or a limit,
// and lets DMA traffic drain. Never throws on any program; the state is left as it was when
// execution stopped.
SimResult simulate(const Program& program, MachineState& state, const HardwareConfig& config,
                   const Limits& limits = {});

}  // namespace aie
