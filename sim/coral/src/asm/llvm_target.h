// The one LLVM target the Coral assembler uses, initialised exactly once per process.
#pragma once

#include <memory>

#include "llvm/MC/MCAsmInfo.h"
#include "llvm/MC/MCInstrInfo.h"
#include "llvm/MC/MCRegisterInfo.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/MCTargetOptions.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/TargetParser/Triple.h"

namespace coral::assembler {

inline constexpr const char* kTargetTriple = "riscv32-unknown-elf";
inline constexpr const char* kTargetCpu = "generic-rv32";
// The contract's features; Zicsr and Zifencei are part of base I in LLVM 16 and have no flag.
inline constexpr const char* kTargetFeatures = "+m,+f,+zve32f,+zvl128b,-relax,-c";
inline constexpr const char* kTargetAbi = "ilp32f";

// The per-call description objects every MC user needs; never shared between threads.
struct TargetDescription {
  const llvm::Target* target = nullptr;
  llvm::Triple triple;
  llvm::MCTargetOptions options;
  std::unique_ptr<llvm::MCRegisterInfo> registers;
  std::unique_ptr<llvm::MCAsmInfo> asm_info;
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget;
  std::unique_ptr<llvm::MCInstrInfo> instructions;
};

// Initialises the RISC-V target once (thread-safe) and builds fresh description objects.
TargetDescription describe_target();

}  // namespace coral::assembler
