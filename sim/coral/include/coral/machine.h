// The Coral NPU machine: memories, the scalar RV32IMF core and the RVV vector engine, run with a
// timing-annotated functional model (instructions execute in program order; a scoreboard
// computes when each would issue and complete).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "coral/config.h"
#include "coral/elf.h"
#include "coral/trap.h"

namespace coral {

// An ELF segment that does not fit the memory map. The message names the segment.
class LoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A harness read/write outside the memories. The message names the range.
class AccessError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A half-open byte range [begin, end) of the address space.
struct AddressRange {
  uint32_t begin = 0;
  uint32_t end = 0;
};

struct RunOptions {
  uint64_t max_instructions = 100'000'000;
  uint64_t max_cycles = 1'000'000'000;
  // EXT bytes the kernel may store to; a store touching any other EXT byte traps with
  // write_protected. Empty: no EXT byte is writable.
  std::vector<AddressRange> writable_ext;
  std::optional<uint64_t> poison_seed;  // reset(): DTCM and EXT start poisoned, else zero
};

struct UnitCounters {
  uint64_t busy = 0;   // cycles the unit was occupied
  uint64_t stall = 0;  // cycles its instructions waited for operands, the unit or a queue slot
  uint64_t instructions = 0;
};

struct RunResult {
  uint64_t cycles = 0;        // when ebreak retired and everything in flight completed
  uint64_t instructions = 0;  // retired (the trapping one is not counted)
  bool halted = false;        // ended by ebreak
  std::optional<Trap> trap;
  std::map<std::string, UnitCounters> units;  // by unit name, e.g. "alu", "vmac"
  std::map<std::string, uint64_t> mix;        // by instruction class name, non-zero only

  bool ok() const { return halted && !trap; }
};

class Machine {
 public:
  explicit Machine(CoralConfig config);
  ~Machine();
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  const CoralConfig& config() const;

  // Memories to zero (or to the poison pattern), registers to their reset values.
  void reset(const RunOptions& options);
  // Copies the segments into ITCM (executable) or DTCM (data) and sets the entry point.
  // Throws LoadError naming the segment when one does not fit.
  void load(const ElfImage& image);
  // Harness access to any memory (ITCM, DTCM, EXT). Throws AccessError on a bad range.
  void write(uint32_t address, const std::vector<uint8_t>& bytes);
  std::vector<uint8_t> read(uint32_t address, uint32_t size) const;

  // Runs from the entry point until ebreak, a trap or a limit. Never throws on program input.
  RunResult run(const RunOptions& options);

  // Architectural state after a run, for tests and the view_output tool.
  uint32_t x(unsigned index) const;
  uint32_t f_bits(unsigned index) const;
  std::vector<uint8_t> v(unsigned index) const;  // VLEN/8 bytes
  uint32_t csr(uint32_t number) const;           // fcsr, vl, vtype, ...; 0 if unknown

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace coral
