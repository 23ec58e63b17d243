// libFuzzer target: arbitrary bytes as the reference.mlir of a fixed small task (rms_norm, C1:
// three tensors and two constants, so both integer and float `${...}` placeholders bind) ->
// kc::GoldenModel::load, i.e. placeholder binding, MLIR parsing and verification, the calling
// convention, the check against the task's tensors, and the FLOP count. JIT compilation is not
// exercised (it happens on the first run()). InputError is the expected rejection; anything
// else escaping, a crash or a sanitizer report is a bug.
//
// GoldenModel::load reads the task's reference file, so the input is written to a private
// temporary file that a copy of the task points at.
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
#include "kernelcraft/reference/golden_model.h"

namespace {

namespace fs = std::filesystem;

// A per-process directory, removed when the fuzzer exits normally (scripts/fuzz.sh also points
// TMPDIR at a directory it deletes, for runs that end in a crash).
struct TempDir {
  fs::path path = fs::temp_directory_path() / ("kc_fuzz_mlir_" + std::to_string(getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

struct Fixture {
  std::string reference_path;
  kc::TaskInstance instance;
};

const Fixture& fixture() {
  static const TempDir dir;
  static const Fixture fixed = [] {
    kc::TaskSpec task = kc::load_task(KC_SOURCE_DIR "/tasks/rms_norm");
    task.reference_path = (dir.path / "reference.mlir").string();
    Fixture out;
    out.reference_path = task.reference_path;
    out.instance = kc::bind_task(std::make_shared<const kc::TaskSpec>(std::move(task)), "C1");
    return out;
  }();
  return fixed;
}

void write_reference(const uint8_t* data, size_t size) {
  std::ofstream out(fixture().reference_path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) {
    std::fprintf(stderr, "fuzz_mlir_reference: cannot write %s\n", fixture().reference_path.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  write_reference(data, size);
  try {
    (void)kc::GoldenModel::load(fixture().instance)->flops();
  } catch (const kc::InputError&) {
  }
  return 0;
}
