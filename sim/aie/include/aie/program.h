// An assembled program: bundles of pre-decoded instructions plus the static DMA/lock setup.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "aie/isa.h"
#include "aie/machine.h"

namespace aie {

enum class MemMode : uint8_t { Offset, PostImm, PostMod };  // [p, imm] | [p], imm | [p], mK

// Which register file a ScalarReg operand names.
enum class ScalarFile : uint8_t { R, P, M };

struct Operand {
  OperandKind kind = OperandKind::None;
  bool is_imm = false;  // ROrImm / MOrImm: the immediate form
  ScalarFile file = ScalarFile::R;
  int32_t reg = -1;     // register / half / accumulator / lock / bd / channel / field index
  int64_t imm = 0;      // immediate, label target (bundle index), round mode
  // Mem operands
  MemMode mode = MemMode::Offset;
  int32_t mod = -1;     // modifier index for PostMod
};

struct Instruction {
  uint16_t def = 0;  // index into instruction_table()
  std::array<Operand, kMaxOperands> ops{};
  uint32_t column = 0;
};

struct Bundle {
  std::vector<Instruction> instrs;
  uint32_t line = 0;  // source line of the bundle's first instruction
};

struct LockInit {
  uint32_t lock = 0;  // global lock index
  uint32_t value = 0;
};

struct Program {
  std::vector<Bundle> bundles;
  std::vector<std::pair<uint32_t, BufferDescriptor>> bds;  // .bd directives: (index, BD)
  std::vector<LockInit> locks;                             // .lock directives
  std::map<std::string, uint32_t> labels;                  // label -> bundle index

  std::size_t size() const { return bundles.size(); }
};

}  // namespace aie
