// libFuzzer target: arbitrary bytes as PLENA assembly source -> plena::assemble on the default
// preset (the one agents are scored on).
//
// Beyond "never crashes", an accepted program must be self-consistent, because agents and the
// harness rely on both views of it: every word is the encoding of its instruction and decodes
// back to it, and the canonical disassembly (what listings show) assembles to the same words.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "plena/assembler.h"
#include "plena/encoding.h"
#include "plena/hardware_config.h"

namespace {

const plena::HardwareConfig& default_preset() {
  static const plena::HardwareConfig config = [] {
    plena::HardwareConfig loaded;
    std::string error;
    if (!plena::load_hardware_config(KC_SOURCE_DIR "/isa/plena/presets/default.json", loaded, error)) {
      std::fprintf(stderr, "fuzz_plena_assembler: %s\n", error.c_str());
      std::abort();
    }
    return loaded;
  }();
  return config;
}

[[noreturn]] void property_failed(const std::string& what) {
  std::fprintf(stderr, "fuzz_plena_assembler: property violated: %s\n", what.c_str());
  std::abort();
}

void check_words(const plena::Program& program) {
  if (program.words.size() != program.instructions.size())
    property_failed("words and instructions differ in count");
  for (std::size_t i = 0; i < program.size(); ++i) {
    const plena::Instruction& inst = program.instructions[i];
    if (plena::encode(inst) != program.words[i])
      property_failed("word " + std::to_string(i) + " is not the encoding of its instruction");
    plena::Instruction decoded;
    std::string error;
    if (!plena::decode(program.words[i], decoded, error))
      property_failed("word " + std::to_string(i) + " does not decode: " + error);
    if (plena::encode(decoded) != program.words[i])
      property_failed("word " + std::to_string(i) + " does not round-trip through decode");
  }
}

void check_disassembly(const plena::Program& program) {
  const std::string text = plena::disassemble(program);
  const plena::AssemblyResult again = plena::assemble(text, default_preset());
  if (!again.ok())
    property_failed("the disassembly does not assemble:\n" + text + "\nfirst error: " +
                    again.diagnostics.front().to_string());
  if (again.program.words != program.words)
    property_failed("the disassembly assembles to different words:\n" + text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  const plena::AssemblyResult result = plena::assemble(source, default_preset());
  for (const plena::Diagnostic& diagnostic : result.diagnostics) {
    if (diagnostic.line == 0 || diagnostic.column == 0 || diagnostic.message.empty())
      property_failed("diagnostic without a position or message: " + diagnostic.to_string());
  }
  if (!result.ok()) return 0;
  check_words(result.program);
  check_disassembly(result.program);
  return 0;
}
