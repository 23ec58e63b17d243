// Compiles a task's bound reference MLIR for the Coral NPU the way a C compiler at -O2 would:
// MLIR's own lowering to LLVM IR (math functions replaced by MLIR's polynomial approximations,
// since a bare-metal kernel has no libm), then LLVM's -O2 pipeline for riscv32 with the
// Coral features (its loop vectorizer emits RVV), then LLVM's RISC-V assembly printer.
#pragma once

#include <string>

namespace kc::coral_baseline {

struct RiscvTarget {
  std::string triple = "riscv32-unknown-elf";
  std::string cpu = "generic-rv32";
  std::string features = "+m,+f,+zve32f,+zvl128b,-relax,-c";
  std::string abi = "ilp32f";
};

// The function keeps its name; every memref argument becomes one pointer (bare-pointer calling
// convention; inputs first, then one pointer per output). Temporary buffers are requested
// through `_mlir_memref_to_llvm_alloc(size)` / `_mlir_memref_to_llvm_free(ptr)`, which the
// caller's runtime provides. Throws InputError naming `source` on MLIR or LLVM failures.
std::string compile_to_riscv_assembly(const std::string& bound_mlir, const std::string& source,
                                      const RiscvTarget& target = {});

}  // namespace kc::coral_baseline
