// A task's reference.mlir bound to one configuration, compiled once and run on any inputs.
//
// Binding replaces every `${EXPR}` in the MLIR text: an expression over the configuration's
// parameters that is a whole number becomes an integer literal (`${NH*D}`, `${D/2}`); one that
// uses a task constant becomes a float literal (`${eps}`). The function signature is then
// checked against the task's tensors (order, rank, shape), so a task file and its MLIR cannot
// drift apart silently.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kernelcraft/core/task.h"
#include "kernelcraft/reference/mlir_reference.h"

namespace kc {

// `${EXPR}` substitution; a bad expression or an unterminated placeholder throws InputError naming the
// file, line and placeholder.
std::string bind_reference_text(const std::string& mlir_template, const std::string& source,
                                const TaskInstance& instance);

class GoldenModel {
 public:
  // Reads, binds, parses and checks the reference; JIT compilation happens on the first run().
  static std::shared_ptr<const GoldenModel> load(const TaskInstance& instance);

  // Inputs and outputs in task tensor order, row-major float32.
  std::vector<std::vector<float>> run(const std::vector<std::vector<float>>& inputs) const;
  FlopCount flops() const { return flops_; }

 private:
  GoldenModel(MlirReference reference, std::string function, FlopCount flops);
  MlirReference reference_;
  std::string function_;
  FlopCount flops_;
};

}  // namespace kc
