// libFuzzer target: arbitrary bytes as AIE assembly -> aie::assemble with the aie_ml_small
// preset (the smallest program memory, so size limits are reached often).
//
// Beyond "never crashes": every diagnostic has a 1-based line and a message; an accepted
// program is non-empty, fits program memory, its labels and branch targets name bundles inside
// it, and assembling the same text again gives the same program shape and diagnostics.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "aie/assembler.h"
#include "aie/config.h"

namespace {

const aie::HardwareConfig& small_preset() {
  static const aie::HardwareConfig config = [] {
    aie::HardwareConfig c;
    std::string error;
    if (!aie::load_hardware_config(KC_SOURCE_DIR "/isa/aie/presets/aie_ml_small.json", c, error)) {
      std::fprintf(stderr, "fuzz_aie_assembler: %s\n", error.c_str());
      std::abort();
    }
    return c;
  }();
  return config;
}

[[noreturn]] void property_failed(const std::string& what) {
  std::fprintf(stderr, "fuzz_aie_assembler: property violated: %s\n", what.c_str());
  std::abort();
}

std::string shape(const aie::AssemblyResult& r) {
  std::string text = std::to_string(r.program.size()) + " bundles;";
  for (const aie::Diagnostic& d : r.diagnostics) text += d.to_string() + ";";
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;  // the 1 MiB source bound is tested elsewhere
  const std::string source(reinterpret_cast<const char*>(data), size);
  const aie::HardwareConfig& config = small_preset();
  const aie::AssemblyResult result = aie::assemble(source, config);
  for (const aie::Diagnostic& d : result.diagnostics) {
    if (d.message.empty()) property_failed("a diagnostic without a message: " + d.to_string());
    if (d.line == 0) property_failed("a diagnostic without a line: " + d.to_string());
  }
  if (result.diagnostics.size() > aie::kMaxDiagnostics) property_failed("more diagnostics than kMaxDiagnostics");
  if (result.ok()) {
    if (result.program.size() == 0) property_failed("an empty program was accepted");
    if (result.program.size() > config.max_bundles()) property_failed("a program larger than program memory");
    for (const auto& [label, index] : result.program.labels)
      if (index > result.program.size()) property_failed("label '" + label + "' points past the program");
  }
  if (shape(aie::assemble(source, config)) != shape(result)) property_failed("assembling twice differs");
  return 0;
}
