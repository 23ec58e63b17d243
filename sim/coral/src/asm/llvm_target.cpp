#include "llvm_target.h"

#include <mutex>
#include <stdexcept>
#include <string>

extern "C" {
void LLVMInitializeRISCVTargetInfo();
void LLVMInitializeRISCVTargetMC();
void LLVMInitializeRISCVAsmParser();
void LLVMInitializeRISCVDisassembler();
}

namespace coral::assembler {
namespace {

const llvm::Target& riscv_target() {
  static std::once_flag once;
  static const llvm::Target* target = nullptr;
  static std::string error;
  std::call_once(once, [] {
    LLVMInitializeRISCVTargetInfo();
    LLVMInitializeRISCVTargetMC();
    LLVMInitializeRISCVAsmParser();
    LLVMInitializeRISCVDisassembler();
    target = llvm::TargetRegistry::lookupTarget(kTargetTriple, error);
  });
  if (target == nullptr) throw std::runtime_error("LLVM has no RISC-V target: " + error);
  return *target;
}

}  // namespace

TargetDescription describe_target() {
  TargetDescription description;
  description.target = &riscv_target();
  description.triple = llvm::Triple(kTargetTriple);
  description.options.ABIName = kTargetAbi;
  const llvm::Target& target = *description.target;
  description.registers.reset(target.createMCRegInfo(kTargetTriple));
  description.asm_info.reset(target.createMCAsmInfo(*description.registers, kTargetTriple, description.options));
  description.subtarget.reset(target.createMCSubtargetInfo(kTargetTriple, kTargetCpu, kTargetFeatures));
  description.instructions.reset(target.createMCInstrInfo());
  return description;
}

}  // namespace coral::assembler
