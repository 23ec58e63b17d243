// Golden outputs for ML tasks, computed by MLIR on the host.
//
// A task's semantics is one MLIR function in `reference.mlir` (func / linalg / arith / math /
// tensor / memref dialects, static shapes, f32 data). Two calling conventions are accepted; both
// end up as the same lowered form, "inputs first, then one out-buffer per output":
//
//   1. Tensor style (preferred for new tasks):
//        func.func @f(%x: tensor<4x8xf32>, ...) -> (tensor<4x8xf32>, ...)
//      Inputs are the arguments, outputs are the results. One-shot bufferization turns results
//      into out-params (buffer-results-to-out-params), so the harness allocates them.
//   2. Memref destination-passing style:
//        func.func @f(%x: memref<4x8xf32>, %out: memref<4x8xf32> {kc.output})
//      Arguments marked with the unit attribute `kc.output` are outputs, the rest are inputs.
//      If no argument is marked and the function returns nothing, the last argument is the
//      single output. Memref arguments must have the identity layout.
//
// All buffers are dense, row-major float32 and owned by the harness; the JIT code receives
// ranked memref descriptors through ExecutionEngine::invokePacked, so no `llvm.emit_c_interface`
// is needed. Lowering (see kReferencePipeline) and JIT compilation happen once per reference,
// on the first run(), and are cached.
//
// Errors in the MLIR text, unknown functions, unsupported signatures and wrong inputs throw
// kc::InputError with "<source>:<line>:<col>: <MLIR message>" where MLIR gives a location.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kc {

// The MLIR pass pipeline (mlir-opt --pass-pipeline syntax, MLIR 16 names) used before JIT.
extern const char* const kReferencePipeline;

struct TensorSignature {
  std::vector<int64_t> shape;  // -1 for a dynamic dimension (not runnable)
  std::string element_type;    // MLIR spelling, e.g. "f32"

  int64_t num_elements() const;  // -1 when any dimension is dynamic
};

// Floating-point operations of a function, split by the kind of unit that would execute them.
struct FlopCount {
  uint64_t matrix = 0;  // linalg contractions (matmul, matvec, batch_matmul, ...) and convolutions
  uint64_t vector = 0;  // every other linalg op: elementwise maps and reductions
  uint64_t total() const { return matrix + vector; }
};

class MlirReference {
 public:
  // Parses and verifies `mlir_text`; `source_name` is used in locations and error messages.
  static MlirReference load(const std::string& mlir_text, const std::string& source_name);

  MlirReference(MlirReference&&) noexcept;
  MlirReference& operator=(MlirReference&&) noexcept;
  ~MlirReference();

  std::vector<TensorSignature> inputs(const std::string& function) const;
  std::vector<TensorSignature> outputs(const std::string& function) const;

  // Runs `function` on row-major f32 inputs; returns one row-major f32 vector per output.
  std::vector<std::vector<float>> run(const std::string& function,
                                      const std::vector<std::vector<float>>& inputs) const;

  // Best-effort floating-point operation count: for every linalg op in the function,
  // (product of its static loop ranges) x (number of arith/math ops in its body, constants
  // excluded). linalg.matmul M,N,K gives 2*M*N*K; linalg.fill and copies give 0.
  // Ops with dynamic loop ranges and ops outside linalg bodies are not counted.
  uint64_t flops(const std::string& function) const;
  // The same count, split into matrix and vector work.
  FlopCount flop_count(const std::string& function) const;

 private:
  struct Impl;
  explicit MlirReference(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kc
