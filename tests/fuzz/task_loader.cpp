// libFuzzer target: arbitrary bytes as a task.json -> kc::parse_task, then every configuration
// bound and read back the way the harness uses a task. InputError is the expected rejection;
// anything else escaping, a crash or a sanitizer report is a bug.
//
// The task folder is a private temporary directory holding a reference.mlir, so a file that
// names "reference.mlir" gets past the file check and on to configuration binding. It is passed
// with a trailing '/', which makes the folder-name check accept any task name.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/task.h"

namespace {

namespace fs = std::filesystem;

// Removed when the fuzzer exits normally (scripts/fuzz.sh also points TMPDIR at a directory it
// deletes, for runs that end in a crash).
struct TaskFolder {
  fs::path path = fs::temp_directory_path() / ("kc_fuzz_task_" + std::to_string(getpid()));
  TaskFolder() {
    fs::create_directories(path);
    std::ofstream(path / "reference.mlir") << "func.func @f() { return }\n";
  }
  ~TaskFolder() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

const std::string& task_folder() {
  static const TaskFolder folder;
  static const std::string with_slash = folder.path.string() + "/";
  return with_slash;
}

[[noreturn]] void property_failed(const std::string& what) {
  std::fprintf(stderr, "fuzz_task_loader: property violated: %s\n", what.c_str());
  std::abort();
}

// What the prompt, the layout and the input generator read from a bound task.
void use_instance(const kc::TaskInstance& instance) {
  (void)instance.parameter_summary();
  for (const kc::BoundTensor& tensor : instance.tensors) {
    if (tensor.elements < 1 || tensor.rows < 1 || tensor.cols < 1)
      property_failed("bound tensor '" + tensor.spec->name + "' has an empty shape");
    (void)instance.tensor(tensor.spec->name);
    (void)instance.tolerance_for(tensor.spec->dtype);
  }
  for (const auto& [name, value] : instance.constants) (void)instance.constant(name);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto task = std::make_shared<const kc::TaskSpec>(kc::parse_task(text, "fuzz/task.json", task_folder()));
    (void)task->turn_budget();
    for (const std::string& config : task->config_names()) use_instance(kc::bind_task(task, config));
  } catch (const kc::InputError&) {
  }
  return 0;
}
