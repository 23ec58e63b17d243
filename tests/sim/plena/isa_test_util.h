// Operand values shared by the encoding and assembler tests.
#pragma once

#include <cstddef>
#include <cstdint>

#include "plena/isa.h"

namespace plena::test {

// A value every operand kind accepts, distinct per operand position and nonzero where the kind
// allows it; immediates use many set bits (and a negative value for the signed one).
inline int64_t sample_value(OperandKind kind, std::size_t index) {
  switch (kind) {
    case OperandKind::Gp:
    case OperandKind::GpOrZero:
      return static_cast<int64_t>(9 + index);
    case OperandKind::Fp:
    case OperandKind::Addr:
      return static_cast<int64_t>(3 + index);
    case OperandKind::Flag:
      return 1;
    case OperandKind::ImmU18:
      return 0x2A5C3;
    case OperandKind::ImmS18:
      return -0x1234;
    case OperandKind::ImmU20:
      return 0xABCDE;
    case OperandKind::ImmU22:
      return 0x2BCDEF;
    case OperandKind::Zero:
    case OperandKind::None:
      break;
  }
  return 0;
}

}  // namespace plena::test
