// Shared MLIR set-up for everything that compiles task MLIR: the golden-output JIT
// (mlir_reference) and compiler baselines that lower the same reference for a target.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

namespace kc {

// Process-wide LLVM/MLIR set-up, once: native JIT target, every LLVM target (for cross
// compilation) and the textual pass registry.
void initialize_mlir_once();

// A context with every upstream dialect and LLVM IR translation registered and loaded,
// single-threaded (modules are small; no thread pool per compilation).
std::unique_ptr<mlir::MLIRContext> make_mlir_context();

// Collects MLIR error diagnostics instead of letting MLIR print them, as "file:line:col: msg".
class MlirDiagnostics {
 public:
  explicit MlirDiagnostics(mlir::MLIRContext& context);
  bool empty() const { return messages_.empty(); }
  std::string text() const;

 private:
  void record(mlir::Diagnostic& diagnostic);
  std::vector<std::string> messages_;
  mlir::ScopedDiagnosticHandler handler_;
};

}  // namespace kc
