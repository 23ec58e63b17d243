#include "kernelcraft/core/task.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <set>
#include <system_error>

#include <nlohmann/json.hpp>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/text_file.h"

namespace kc {
namespace {

using json = nlohmann::ordered_json;
namespace fs = std::filesystem;
constexpr const char* kFormat = "kernelcraft-task/1";
// Plain arrays, not std containers: tasks may be loaded during other files' static initialisation
// (benchmark registration), before a namespace-scope std::vector here would be constructed.
constexpr std::array<const char*, 5> kConfigNames = {"C1", "C2", "C3", "C4", "C5"};
bool is_dtype(const std::string& name) { return name == "bf16" || name == "f32"; }
// Far beyond any memory; keeps element counts, and their sums over a task's tensors, in int64.
constexpr int64_t kMaxTensorElements = 1'000'000'000'000;

// Reads one task file, remembering the file name so every error can say where it came from.
class TaskReader {
 public:
  explicit TaskReader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw InputError(source_ + ": field '" + field + "': " + what);
  }

  void only_keys(const json& object, const std::string& path,
                 const std::vector<std::string>& allowed) const {
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (std::find(allowed.begin(), allowed.end(), it.key()) != allowed.end()) continue;
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      fail(path.empty() ? it.key() : path + "." + it.key(), "unknown field; expected one of " + list);
    }
  }

  const json& member(const json& object, const std::string& key, const std::string& path) const {
    auto it = object.find(key);
    if (it == object.end()) fail(path.empty() ? key : path + "." + key, "missing");
    return *it;
  }

  std::string text(const json& object, const std::string& key, const std::string& path,
                   bool allow_empty = false) const {
    const json& v = member(object, key, path);
    const std::string field = path.empty() ? key : path + "." + key;
    if (!v.is_string()) fail(field, "expected a string");
    if (!allow_empty && v.get<std::string>().empty()) fail(field, "expected a non-empty string");
    return v.get<std::string>();
  }

  // Expressions may be written as JSON numbers for convenience.
  std::string expression(const json& v, const std::string& field) const {
    if (v.is_string() && !v.get<std::string>().empty()) return v.get<std::string>();
    if (v.is_number()) return v.dump();
    fail(field, "expected an expression string such as \"N*D\" or a number");
  }

  double number(const json& object, const std::string& key, const std::string& path) const {
    const json& v = member(object, key, path);
    if (!v.is_number()) fail(path + "." + key, "expected a number");
    return v.get<double>();
  }

 private:
  std::string source_;
};

// Plain loops, not std::regex: libstdc++'s matcher recurses once per character, so a long
// name in a task file overflowed the stack (tests/fuzz/corpus/task_loader/regress-long-name-*).
bool is_identifier(const std::string& s) {
  const auto word = [](unsigned char c) { return std::isalnum(c) || c == '_'; };
  return !s.empty() && !std::isdigit(static_cast<unsigned char>(s[0])) &&
         std::all_of(s.begin(), s.end(), word);
}

bool is_task_name(const std::string& s) {
  const auto allowed = [](unsigned char c) { return std::islower(c) || std::isdigit(c) || c == '_'; };
  return !s.empty() && std::all_of(s.begin(), s.end(), allowed);
}

void read_parameters(const TaskReader& r, const json& doc, TaskSpec& task) {
  const json& params = r.member(doc, "parameters", "");
  if (!params.is_object() || params.empty())
    r.fail("parameters", "expected an object mapping parameter names to their meaning");
  for (auto it = params.begin(); it != params.end(); ++it) {
    if (!is_identifier(it.key())) r.fail("parameters." + it.key(), "expected an identifier");
    if (!it->is_string()) r.fail("parameters." + it.key(), "expected a description string");
    task.parameters.emplace_back(it.key(), it->get<std::string>());
  }
}

TaskSpec::ConfigList read_config_list(const TaskReader& r, const json& configs, const std::string& where,
                                      const TaskSpec& task) {
  if (!configs.is_object()) r.fail(where, "expected an object with keys C1..C5");
  for (auto it = configs.begin(); it != configs.end(); ++it)
    if (std::find(kConfigNames.begin(), kConfigNames.end(), it.key()) == kConfigNames.end())
      r.fail(where + "." + it.key(), "unknown configuration; expected exactly C1, C2, C3, C4, C5");
  TaskSpec::ConfigList list;
  for (const std::string name : kConfigNames) {
    const std::string path = where + "." + name;
    const json& config = r.member(configs, name, where);
    if (!config.is_object()) r.fail(path, "expected an object of parameter values");
    std::map<std::string, int64_t> values;
    for (const auto& [param, meaning] : task.parameters) {
      const json& v = r.member(config, param, path);
      if (!v.is_number_integer() || v.get<int64_t>() < 1)
        r.fail(path + "." + param, "expected a positive integer");
      values[param] = v.get<int64_t>();
    }
    for (auto p = config.begin(); p != config.end(); ++p)
      if (!values.count(p.key()))
        r.fail(path + "." + p.key(), "not a declared parameter (see \"parameters\")");
    list.emplace_back(name, std::move(values));
  }
  return list;
}

void read_configs(const TaskReader& r, const json& doc, TaskSpec& task) {
  task.configs = read_config_list(r, r.member(doc, "configs", ""), "configs", task);
  if (!doc.contains("platform_configs")) return;
  const json& by_platform = doc.at("platform_configs");
  if (!by_platform.is_object()) r.fail("platform_configs", "expected an object of platform -> C1..C5");
  for (auto it = by_platform.begin(); it != by_platform.end(); ++it)
    task.platform_configs[it.key()] = read_config_list(r, *it, "platform_configs." + it.key(), task);
}

Distribution read_distribution(const TaskReader& r, const json& tensor, const std::string& path) {
  const json& d = r.member(tensor, "distribution", path);
  const std::string field = path + ".distribution";
  if (!d.is_object()) r.fail(field, "expected an object with \"kind\"");
  Distribution dist;
  dist.kind = r.text(d, "kind", field);
  if (dist.kind == "normal") {
    r.only_keys(d, field, {"kind", "mean", "std"});
    dist.first = r.expression(r.member(d, "mean", field), field + ".mean");
    dist.second = r.expression(r.member(d, "std", field), field + ".std");
  } else if (dist.kind == "uniform") {
    r.only_keys(d, field, {"kind", "low", "high"});
    dist.first = r.expression(r.member(d, "low", field), field + ".low");
    dist.second = r.expression(r.member(d, "high", field), field + ".high");
  } else {
    r.fail(field + ".kind", "expected \"normal\" or \"uniform\", got \"" + dist.kind + "\"");
  }
  return dist;
}

void read_tensors(const TaskReader& r, const json& doc, TaskSpec& task) {
  const json& tensors = r.member(doc, "tensors", "");
  if (!tensors.is_array() || tensors.empty()) r.fail("tensors", "expected a non-empty array");
  std::set<std::string> names;
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    const std::string path = "tensors[" + std::to_string(i) + "]";
    const json& t = tensors[i];
    if (!t.is_object()) r.fail(path, "expected an object");
    r.only_keys(t, path, {"name", "role", "shape", "dtype", "distribution"});
    TensorSpec spec;
    spec.name = r.text(t, "name", path);
    if (!is_identifier(spec.name)) r.fail(path + ".name", "expected an identifier");
    if (!names.insert(spec.name).second) r.fail(path + ".name", "duplicate tensor '" + spec.name + "'");
    const std::string role = r.text(t, "role", path);
    if (role == "input") spec.role = TensorRole::Input;
    else if (role == "output") spec.role = TensorRole::Output;
    else r.fail(path + ".role", "expected \"input\" or \"output\", got \"" + role + "\"");
    const json& shape = r.member(t, "shape", path);
    if (!shape.is_array() || shape.empty())
      r.fail(path + ".shape", "expected a non-empty array of dimension expressions");
    for (std::size_t d = 0; d < shape.size(); ++d)
      spec.shape.push_back(r.expression(shape[d], path + ".shape[" + std::to_string(d) + "]"));
    spec.dtype = r.text(t, "dtype", path);
    if (!is_dtype(spec.dtype)) r.fail(path + ".dtype", "expected \"bf16\" or \"f32\"");
    if (spec.role == TensorRole::Input) spec.distribution = read_distribution(r, t, path);
    else if (t.contains("distribution")) r.fail(path + ".distribution", "outputs have no distribution");
    task.tensors.push_back(std::move(spec));
  }
  const bool has_input = std::any_of(task.tensors.begin(), task.tensors.end(),
                                     [](const TensorSpec& t) { return t.role == TensorRole::Input; });
  const bool has_output = std::any_of(task.tensors.begin(), task.tensors.end(),
                                      [](const TensorSpec& t) { return t.role == TensorRole::Output; });
  if (!has_input || !has_output) r.fail("tensors", "expected at least one input and one output");
  // Inputs first, then outputs: the reference function's arguments and results follow this order.
  bool seen_output = false;
  for (std::size_t i = 0; i < task.tensors.size(); ++i) {
    if (task.tensors[i].role == TensorRole::Output) seen_output = true;
    else if (seen_output)
      r.fail("tensors[" + std::to_string(i) + "].role", "inputs must come before outputs");
  }
}

void read_constants(const TaskReader& r, const json& doc, TaskSpec& task) {
  if (!doc.contains("constants")) return;
  const json& constants = doc["constants"];
  if (!constants.is_array()) r.fail("constants", "expected an array");
  std::set<std::string> names;
  for (std::size_t i = 0; i < constants.size(); ++i) {
    const std::string path = "constants[" + std::to_string(i) + "]";
    const json& c = constants[i];
    if (!c.is_object()) r.fail(path, "expected an object");
    r.only_keys(c, path, {"name", "value", "description"});
    TaskConstant constant;
    constant.name = r.text(c, "name", path);
    if (!is_identifier(constant.name)) r.fail(path + ".name", "expected an identifier");
    if (!names.insert(constant.name).second) r.fail(path + ".name", "duplicate constant");
    constant.value = r.expression(r.member(c, "value", path), path + ".value");
    if (c.contains("description")) constant.description = r.text(c, "description", path, true);
    task.constants.push_back(std::move(constant));
  }
}

void read_tolerance(const TaskReader& r, const json& doc, TaskSpec& task) {
  const json& tol = r.member(doc, "tolerance", "");
  if (!tol.is_object() || tol.empty()) r.fail("tolerance", "expected an object keyed by dtype");
  for (auto it = tol.begin(); it != tol.end(); ++it) {
    const std::string path = "tolerance." + it.key();
    if (!is_dtype(it.key())) r.fail(path, "unknown dtype; expected bf16 or f32");
    if (!it->is_object()) r.fail(path, "expected {\"atol\": number, \"rtol\": number}");
    r.only_keys(*it, path, {"atol", "rtol"});
    Tolerance t{r.number(*it, "atol", path), r.number(*it, "rtol", path)};
    if (!(t.atol > 0) || !(t.rtol >= 0) || t.atol > 1 || t.rtol > 1)
      r.fail(path, "expected 0 < atol <= 1 and 0 <= rtol <= 1 (an atol floor is required)");
    task.tolerance[it.key()] = t;
  }
  for (const auto& t : task.tensors)
    if (t.role == TensorRole::Output && !task.tolerance.count(t.dtype))
      r.fail("tolerance", "no tolerance for dtype " + t.dtype + " of output '" + t.name + "'");
  if (doc.contains("tolerance_note")) task.tolerance_note = r.text(doc, "tolerance_note", "", true);
}

void read_reference(const TaskReader& r, const json& doc, TaskSpec& task) {
  const json& ref = r.member(doc, "reference", "");
  if (!ref.is_object()) r.fail("reference", "expected {\"file\": ..., \"function\": ...}");
  r.only_keys(ref, "reference", {"file", "function"});
  const std::string file = r.text(ref, "file", "reference");
  if (file.find("..") != std::string::npos || fs::path(file).is_absolute())
    r.fail("reference.file", "expected a file name inside the task folder");
  task.reference_path = (fs::path(task.directory) / file).string();
  std::error_code status_error;  // a name the OS rejects (e.g. too long) is "not found", not a throw
  if (!fs::is_regular_file(task.reference_path, status_error))
    r.fail("reference.file", "file not found: " + task.reference_path);
  task.reference_function = r.text(ref, "function", "reference");
}

void read_support(const TaskReader& r, const json& doc, TaskSpec& task) {
  const json& support = r.member(doc, "support", "");
  if (!support.is_object()) r.fail("support", "expected an object of platform -> true/false");
  for (auto it = support.begin(); it != support.end(); ++it) {
    if (!it->is_boolean()) r.fail("support." + it.key(), "expected true or false");
    task.support[it.key()] = it->get<bool>();
  }
}

// Binding every configuration once at load time turns bad shape expressions, non-positive
// dimensions and degenerate distributions into load errors instead of run-time surprises.
void check_config_list_binds(const TaskReader& r, const std::shared_ptr<const TaskSpec>& task,
                             const std::string& platform, const std::string& where) {
  int64_t previous = 0;
  for (const auto& [name, values] : task->configs_for(platform)) {
    int64_t total = 0;
    try {
      for (const auto& t : bind_task(task, name, platform).tensors) total += t.elements;
    } catch (const InputError& e) {
      r.fail(where + "." + name, e.what());
    }
    if (total <= previous)
      r.fail(where + "." + name, "configurations must grow: total elements " + std::to_string(total) +
                                     " is not larger than the previous configuration's " +
                                     std::to_string(previous));
    previous = total;
  }
}

void check_every_config_binds(const TaskReader& r, const std::shared_ptr<const TaskSpec>& task) {
  check_config_list_binds(r, task, "", "configs");
  for (const auto& [platform, list] : task->platform_configs)
    check_config_list_binds(r, task, platform, "platform_configs." + platform);
}

}  // namespace

const char* tensor_role_name(TensorRole role) {
  return role == TensorRole::Input ? "input" : "output";
}

std::vector<std::string> TaskSpec::config_names() const {
  std::vector<std::string> names;
  for (const auto& c : configs) names.push_back(c.first);
  return names;
}

const TaskSpec::ConfigList& TaskSpec::configs_for(const std::string& platform) const {
  auto it = platform_configs.find(platform);
  return it == platform_configs.end() ? configs : it->second;
}

bool TaskSpec::supports(const std::string& platform) const {
  auto it = support.find(platform);
  return it != support.end() && it->second;
}

int TaskSpec::turn_budget() const { return level == 1 ? 15 : level == 2 ? 20 : 25; }

TaskSpec parse_task(const std::string& json_text, const std::string& source,
                    const std::string& directory) {
  TaskReader r(source);
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for numbers like 1e99999
    throw InputError(source + ": invalid JSON: " + e.what());
  }
  if (!doc.is_object()) r.fail("(root)", "expected a JSON object");
  r.only_keys(doc, "", {"format", "name", "title", "level", "description", "parameters", "configs",
                        "platform_configs",
                        "tensors", "constants", "tolerance", "tolerance_note", "reference",
                        "support"});
  if (r.text(doc, "format", "") != kFormat)
    r.fail("format", std::string("expected \"") + kFormat + "\"");
  TaskSpec task;
  task.directory = directory;
  task.name = r.text(doc, "name", "");
  if (!is_task_name(task.name))
    r.fail("name", "expected lower-case letters, digits and '_'");
  const std::string folder = fs::path(directory).filename().string();
  if (!folder.empty() && folder != task.name)
    r.fail("name", "\"" + task.name + "\" differs from its folder name \"" + folder + "\"");
  task.title = r.text(doc, "title", "");
  const json& level = r.member(doc, "level", "");
  if (!level.is_number_integer() || level.get<int>() < 1 || level.get<int>() > 3)
    r.fail("level", "expected 1, 2 or 3");
  task.level = level.get<int>();
  task.description = r.text(doc, "description", "");
  read_parameters(r, doc, task);
  read_configs(r, doc, task);
  read_tensors(r, doc, task);
  read_constants(r, doc, task);
  read_tolerance(r, doc, task);
  read_reference(r, doc, task);
  read_support(r, doc, task);
  auto shared = std::make_shared<const TaskSpec>(task);
  check_every_config_binds(r, shared);
  return task;
}

TaskSpec load_task(const std::string& task_directory) {
  const std::string path = (fs::path(task_directory) / "task.json").string();
  return parse_task(read_text_file(path, "task file"), path, task_directory);
}

std::vector<std::shared_ptr<const TaskSpec>> load_task_suite(const std::string& tasks_root) {
  if (!fs::is_directory(tasks_root)) throw InputError(tasks_root + ": task folder not found");
  std::vector<std::shared_ptr<const TaskSpec>> suite;
  for (const auto& entry : fs::directory_iterator(tasks_root))
    if (entry.is_directory() && fs::is_regular_file(entry.path() / "task.json"))
      suite.push_back(std::make_shared<const TaskSpec>(load_task(entry.path().string())));
  std::sort(suite.begin(), suite.end(), [](const auto& a, const auto& b) {
    return a->level != b->level ? a->level < b->level : a->name < b->name;
  });
  return suite;
}

std::shared_ptr<const TaskSpec> find_task(const std::vector<std::shared_ptr<const TaskSpec>>& suite,
                                          const std::string& name) {
  for (const auto& t : suite)
    if (t->name == name) return t;
  std::string known;
  for (const auto& t : suite) known += (known.empty() ? "" : ", ") + t->name;
  throw InputError("unknown task '" + name + "'; known tasks: " + known);
}

TaskInstance bind_task(std::shared_ptr<const TaskSpec> task, const std::string& config,
                       const std::string& platform) {
  TaskInstance inst;
  inst.config = config;
  inst.platform = platform;
  const TaskSpec::ConfigList& configs = task->configs_for(platform);
  auto it = std::find_if(configs.begin(), configs.end(), [&](const auto& c) { return c.first == config; });
  if (it == configs.end())
    throw InputError("task " + task->name + ": unknown configuration '" + config +
                     "'; expected C1..C5");
  for (const auto& [name, value] : it->second) inst.parameters[name] = static_cast<double>(value);
  for (const auto& spec : task->tensors) {
    BoundTensor t;
    t.spec = &spec;
    t.elements = 1;
    for (std::size_t d = 0; d < spec.shape.size(); ++d) {
      try {
        t.shape.push_back(evaluate_dimension(spec.shape[d], inst.parameters));
      } catch (const InputError& e) {
        throw InputError("tensor '" + spec.name + "' shape[" + std::to_string(d) + "]: " + e.what());
      }
      // Each dimension is at most 1e12, so the product could overflow int64 (undefined
      // behaviour; tests/fuzz/corpus/task_loader/regress-element-count-overflow.json): cap it
      // at the same bound instead.
      if (t.shape.back() > kMaxTensorElements / t.elements)
        throw InputError("tensor '" + spec.name + "' has more than 1e12 elements");
      t.elements *= t.shape.back();
    }
    t.cols = t.shape.back();
    t.rows = t.elements / t.cols;
    if (spec.role == TensorRole::Input) {
      const std::string where = "tensor '" + spec.name + "' distribution: ";
      try {
        t.dist_first = evaluate_expression(spec.distribution.first, inst.parameters);
        t.dist_second = evaluate_expression(spec.distribution.second, inst.parameters);
      } catch (const InputError& e) {
        throw InputError(where + e.what());
      }
      // Degenerate inputs (constant tensors) would let a kernel pass without computing.
      if (spec.distribution.kind == "normal" && !(t.dist_second > 0))
        throw InputError(where + "std must be > 0");
      if (spec.distribution.kind == "uniform" && !(t.dist_second > t.dist_first))
        throw InputError(where + "high must be > low");
    }
    inst.tensors.push_back(std::move(t));
  }
  for (const auto& c : task->constants) {
    try {
      inst.constants.emplace_back(c.name, evaluate_expression(c.value, inst.parameters));
    } catch (const InputError& e) {
      throw InputError("constant '" + c.name + "': " + e.what());
    }
  }
  inst.task = std::move(task);
  return inst;
}

std::vector<const BoundTensor*> TaskInstance::inputs() const {
  std::vector<const BoundTensor*> out;
  for (const auto& t : tensors)
    if (t.spec->role == TensorRole::Input) out.push_back(&t);
  return out;
}

std::vector<const BoundTensor*> TaskInstance::outputs() const {
  std::vector<const BoundTensor*> out;
  for (const auto& t : tensors)
    if (t.spec->role == TensorRole::Output) out.push_back(&t);
  return out;
}

const BoundTensor& TaskInstance::tensor(const std::string& name) const {
  for (const auto& t : tensors)
    if (t.spec->name == name) return t;
  throw InputError("task " + task->name + " has no tensor '" + name + "'");
}

double TaskInstance::constant(const std::string& name) const {
  for (const auto& [n, v] : constants)
    if (n == name) return v;
  throw InputError("task " + task->name + " has no constant '" + name + "'");
}

Tolerance TaskInstance::tolerance_for(const std::string& dtype) const {
  auto it = task->tolerance.find(dtype);
  if (it == task->tolerance.end())
    throw InputError("task " + task->name + " has no tolerance for dtype " + dtype);
  return it->second;
}

std::string TaskInstance::parameter_summary() const {
  std::string out;
  for (const auto& [name, meaning] : task->parameters)
    out += (out.empty() ? "" : ", ") + name + "=" +
           std::to_string(static_cast<int64_t>(parameters.at(name)));
  return out;
}

}  // namespace kc
