// The register scoreboard: when each register's last write becomes readable, and who wrote it.
//
// Values are written into MachineState when an instruction issues; the scoreboard is what
// keeps that from leaking: a read before `ready` traps (hazard) naming the writer.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "aie/isa.h"

namespace aie {

enum class RegFile : uint8_t { R, P, M, W, Cm };

struct WriteRecord {
  uint64_t ready = 0;        // first cycle at which a read sees the value
  uint32_t writer_pc = 0;    // bundle of the writing instruction
  uint32_t writer_line = 0;
  uint16_t writer_def = 0;   // instruction_table() index of the writer
  bool mac_chain = false;    // written by mmul/mmac: a following mmac may accumulate onto it
};

class Scoreboard {
 public:
  WriteRecord& at(RegFile file, unsigned index);
  const WriteRecord& at(RegFile file, unsigned index) const;

 private:
  std::array<WriteRecord, kScalarRegs> r_{};
  std::array<WriteRecord, kPointerRegs> p_{};
  std::array<WriteRecord, kModifierRegs> m_{};
  std::array<WriteRecord, kVectorHalves> w_{};
  std::array<WriteRecord, kAccRegs> cm_{};
};

// "r3", "p1", "wl2", "wh2", "cm0".
std::string register_name(RegFile file, unsigned index);

}  // namespace aie
