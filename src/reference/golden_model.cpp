#include "kernelcraft/reference/golden_model.h"

#include <cmath>
#include <cstdio>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/text_file.h"

namespace kc {
namespace {

std::string float_literal(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.9e", value);  // always has '.' and 'e': an MLIR float
  return text;
}


std::string shape_text(const std::vector<int64_t>& shape) {
  std::string out;
  for (int64_t d : shape) out += (out.empty() ? "" : "x") + std::to_string(d);
  return out;
}

void check_signature(const std::vector<TensorSignature>& actual,
                     const std::vector<const BoundTensor*>& expected, const std::string& what,
                     const std::string& source, const std::string& function) {
  if (actual.size() != expected.size())
    throw InputError(source + ": @" + function + " has " + std::to_string(actual.size()) + " " +
                     what + "s; the task declares " + std::to_string(expected.size()));
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const BoundTensor& t = *expected[i];
    if (actual[i].shape != t.shape || actual[i].element_type != "f32")
      throw InputError(source + ": @" + function + " " + what + " " + std::to_string(i) + " is " +
                       shape_text(actual[i].shape) + "x" + actual[i].element_type +
                       "; task tensor '" + t.spec->name + "' needs " + shape_text(t.shape) + "xf32");
  }
}

// An expression over parameters only that is a whole number becomes an integer literal (shapes,
// offsets); anything involving a task constant becomes a float literal.
std::string placeholder_value(const std::string& expression, const TaskInstance& instance,
                              const std::string& where) {
  try {
    const double value = evaluate_expression(expression, instance.parameters);
    if (value == std::floor(value) && std::fabs(value) < 9e15)
      return std::to_string(static_cast<int64_t>(value));
    return float_literal(value);
  } catch (const InputError&) {
    // Not a parameter-only expression: try again with the constants bound too.
  }
  ExpressionBindings names = instance.parameters;
  for (const auto& [constant, value] : instance.constants) names[constant] = value;
  try {
    return float_literal(evaluate_expression(expression, names));
  } catch (const InputError& e) {
    throw InputError(where + ": ${" + expression + "}: " + e.what());
  }
}

}  // namespace

std::string bind_reference_text(const std::string& mlir_template, const std::string& source,
                                const TaskInstance& instance) {
  std::string out;
  out.reserve(mlir_template.size());
  std::size_t line = 1;
  for (std::size_t i = 0; i < mlir_template.size(); ++i) {
    const char c = mlir_template[i];
    if (c == '\n') ++line;
    if (c != '$' || i + 1 >= mlir_template.size() || mlir_template[i + 1] != '{') {
      out += c;
      continue;
    }
    const std::size_t close = mlir_template.find('}', i + 2);
    const std::size_t newline = mlir_template.find('\n', i);
    if (close == std::string::npos || close > newline)
      throw InputError(source + ":" + std::to_string(line) + ": unterminated ${ placeholder");
    const std::string expression = mlir_template.substr(i + 2, close - i - 2);
    out += placeholder_value(expression, instance, source + ":" + std::to_string(line));
    i = close;
  }
  return out;
}

GoldenModel::GoldenModel(MlirReference reference, std::string function, FlopCount flops)
    : reference_(std::move(reference)), function_(std::move(function)), flops_(flops) {}

std::shared_ptr<const GoldenModel> GoldenModel::load(const TaskInstance& instance) {
  const TaskSpec& task = *instance.task;
  const std::string source = task.reference_path + " [" + instance.config + "]";
  const std::string text = bind_reference_text(read_text_file(task.reference_path, "reference MLIR"), task.reference_path,
                                                instance);
  MlirReference reference = MlirReference::load(text, source);
  check_signature(reference.inputs(task.reference_function), instance.inputs(), "input", source,
                  task.reference_function);
  check_signature(reference.outputs(task.reference_function), instance.outputs(), "output", source,
                  task.reference_function);
  const FlopCount flops = reference.flop_count(task.reference_function);
  return std::shared_ptr<const GoldenModel>(
      new GoldenModel(std::move(reference), task.reference_function, flops));
}

std::vector<std::vector<float>> GoldenModel::run(const std::vector<std::vector<float>>& inputs) const {
  return reference_.run(function_, inputs);
}

}  // namespace kc
