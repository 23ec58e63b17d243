// The task model (DESIGN.md section 4): tasks/<name>/task.json, format "kernelcraft-task/1"
// (schema in docs/task-format.md), and a task bound to one of its five configurations.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kernelcraft/core/expression.h"

namespace kc {

enum class TensorRole { Input, Output };

struct Distribution {
  std::string kind;   // "normal" (first = mean, second = std) or "uniform" (low, high)
  std::string first;  // expressions
  std::string second;
};

struct TensorSpec {
  std::string name;
  TensorRole role = TensorRole::Input;
  std::vector<std::string> shape;  // expressions of the parameters
  std::string dtype;               // "bf16" | "f32"
  Distribution distribution;       // inputs only
};

struct TaskConstant {
  std::string name;
  std::string value;  // expression of the parameters
  std::string description;
};

// An output element passes when |actual - golden| <= atol * rms(golden) + rtol * |golden|.
struct Tolerance {
  double atol = 0;
  double rtol = 0;
};

struct TaskSpec {
  std::string name;
  std::string title;
  int level = 1;
  std::string description;
  std::vector<std::pair<std::string, std::string>> parameters;  // name, meaning (file order)
  using ConfigList = std::vector<std::pair<std::string, std::map<std::string, int64_t>>>;
  ConfigList configs;  // C1..C5
  // A platform's own C1..C5 where the shared shapes do not suit it (e.g. the Coral NPU, an
  // embedded core with kilobyte memories, gets smaller shapes): platform name -> C1..C5.
  std::map<std::string, ConfigList> platform_configs;
  std::vector<TensorSpec> tensors;
  std::vector<TaskConstant> constants;
  std::map<std::string, Tolerance> tolerance;  // by dtype
  std::string tolerance_note;
  std::string reference_path;  // absolute path of the MLIR file
  std::string reference_function;
  std::map<std::string, bool> support;  // platform name -> officially supported
  std::string directory;

  std::vector<std::string> config_names() const;
  // The configurations `platform` runs: its own when the task declares them, else the shared ones.
  const ConfigList& configs_for(const std::string& platform) const;
  bool supports(const std::string& platform) const;
  // KernelCraft's turn budgets: 15, 20 and 25 turns for levels 1, 2 and 3.
  int turn_budget() const;
};

// One tensor of a bound task: shape evaluated, viewed as a 2-D [rows x cols] matrix whose cols
// is the last dimension (a 1-D tensor is one row).
struct BoundTensor {
  const TensorSpec* spec = nullptr;
  std::vector<int64_t> shape;
  int64_t elements = 0;
  int64_t rows = 0;
  int64_t cols = 0;
  double dist_first = 0;  // evaluated distribution parameters (inputs)
  double dist_second = 0;
};

struct TaskInstance {
  std::shared_ptr<const TaskSpec> task;
  std::string config;
  std::string platform;  // whose configurations `config` names ("" : the shared ones)
  ExpressionBindings parameters;
  std::vector<BoundTensor> tensors;  // task.tensors order
  std::vector<std::pair<std::string, double>> constants;

  std::vector<const BoundTensor*> inputs() const;
  std::vector<const BoundTensor*> outputs() const;
  const BoundTensor& tensor(const std::string& name) const;  // InputError when unknown
  double constant(const std::string& name) const;             // InputError when unknown
  Tolerance tolerance_for(const std::string& dtype) const;
  // "N=8, D=128": for messages and prompts.
  std::string parameter_summary() const;
};

// Parses and validates one task file; errors name `source`, the JSON field and what was expected.
TaskSpec parse_task(const std::string& json_text, const std::string& source,
                    const std::string& directory);
TaskSpec load_task(const std::string& task_directory);  // reads <dir>/task.json
// Every tasks/<name>/task.json under `tasks_root`, ordered by level, then name.
std::vector<std::shared_ptr<const TaskSpec>> load_task_suite(const std::string& tasks_root);
std::shared_ptr<const TaskSpec> find_task(const std::vector<std::shared_ptr<const TaskSpec>>& suite,
                                          const std::string& name);

// Binds `config` of the configurations `platform` runs (configs_for; "" : the shared ones).
TaskInstance bind_task(std::shared_ptr<const TaskSpec> task, const std::string& config,
                       const std::string& platform = "");

const char* tensor_role_name(TensorRole role);

}  // namespace kc
