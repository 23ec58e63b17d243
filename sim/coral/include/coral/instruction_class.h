// Instruction classes: a pure function of the 32-bit word, used for the dynamic instruction
// mix and for the static count of get_instruction_size.
#pragma once

#include <cstdint>
#include <string>

namespace coral {

enum class InstructionClass : uint8_t {
  ScalarAlu,
  BranchJump,
  MulDiv,
  Load,
  Store,
  Float,
  FloatDivSqrt,
  CsrSystem,
  VectorConfig,
  VectorLoad,
  VectorStore,
  VectorInt,
  VectorMac,
  VectorFloat,
  VectorReduction,
  VectorPermute,
  VectorMask,
  Unknown,
};
inline constexpr int kInstructionClassCount = 18;

const char* instruction_class_name(InstructionClass cls);  // snake_case, e.g. "vector_mac"
InstructionClass instruction_class(uint32_t word);          // Unknown for unsupported words
std::string instruction_name(uint32_t word);                // mnemonic, or "unknown"

}  // namespace coral
