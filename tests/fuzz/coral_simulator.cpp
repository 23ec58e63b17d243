// libFuzzer target: bytes -> a Coral NPU program -> coral::Machine::run on the coral_small preset
// (EXT cut to 64 KiB, see small_preset()) with tight limits. Traps are fine; crashes, sanitizer
// reports, escaping exceptions, limit overruns, a trap without a message and non-determinism
// are bugs.
//
// Input layout:
//   byte 0   flags: bit 0  the rest is an ELF file for coral::parse_elf (mutated real ELFs)
//                          instead of raw instruction words
//                   bit 1  the whole of EXT is writable (else only its first 4 KiB)
//                   bit 2  memories start at zero instead of the poison pattern
//   byte 1   poison seed
//   the rest raw mode: little-endian 32-bit words loaded into ITCM from its base (at most ITCM
//            of them; a trailing partial word is dropped); execution starts at the first one.
//            ELF mode: the file; refused files (ElfError) and segments that do not fit the
//            memory map (LoadError) are expected outcomes, any other exception is a bug.
// Seeds in corpus/coral_simulator/ are isa/coral_npu/examples/ and hand-written kernels,
// assembled, in both modes, so the fuzzer mutates real vector loops as well as random words.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "coral/config.h"
#include "coral/elf.h"
#include "coral/machine.h"

namespace {

constexpr uint64_t kMaxInstructions = 20000;
constexpr uint64_t kMaxCycles = 2'000'000;
constexpr uint32_t kExtBytes = 64 * 1024;
constexpr uint32_t kWritableExtBytes = 4096;
constexpr std::size_t kMaxElfBytes = 64 * 1024;

enum Flags : uint8_t { kElfMode = 1, kWholeExtWritable = 2, kNoPoison = 4 };

const coral::CoralConfig& small_preset() {
  static const coral::CoralConfig config = [] {
    const std::string path = KC_SOURCE_DIR "/isa/coral_npu/presets/coral_small.json";
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    try {
      // Poisoning and copying a 4 MiB EXT twice per input would dominate each execution; 64 KiB
      // still holds every address a fuzzed program is likely to form, and the out-of-range
      // paths are the same. Going through load_config keeps the preset's own validation.
      nlohmann::json preset = nlohmann::json::parse(text.str());
      preset["memory"]["ext_bytes"] = kExtBytes;
      return coral::load_config(preset.dump(), path + " (ext_bytes cut to 64 KiB)");
    } catch (const std::exception& e) {
      std::fprintf(stderr, "fuzz_coral_simulator: %s\n", e.what());
      std::abort();
    }
  }();
  return config;
}

[[noreturn]] void property_failed(const std::string& what) {
  std::fprintf(stderr, "fuzz_coral_simulator: property violated: %s\n", what.c_str());
  std::abort();
}

struct FuzzCase {
  coral::ElfImage image;
  bool loadable = true;  // false: parse_elf refused the file, nothing to run
  coral::RunOptions options;
};

coral::ElfImage raw_words_image(const uint8_t* data, std::size_t size) {
  const coral::CoralConfig& c = small_preset();
  coral::ElfSegment code;
  code.vaddr = c.itcm_base;
  code.executable = true;
  const std::size_t bytes = std::min<std::size_t>(size / 4 * 4, c.itcm_bytes);
  code.data.assign(data, data + bytes);
  code.mem_size = static_cast<uint32_t>(bytes);
  coral::ElfImage image;
  image.entry = c.itcm_base;
  if (bytes > 0) image.segments.push_back(std::move(code));
  return image;
}

FuzzCase read_case(const uint8_t* data, std::size_t size) {
  FuzzCase out;
  const coral::CoralConfig& c = small_preset();
  const uint8_t flags = size > 0 ? data[0] : 0;
  out.options.max_instructions = kMaxInstructions;
  out.options.max_cycles = kMaxCycles;
  const uint32_t writable_bytes = (flags & kWholeExtWritable) ? kExtBytes : kWritableExtBytes;
  out.options.writable_ext.push_back({c.ext_base, c.ext_base + writable_bytes});
  if (!(flags & kNoPoison)) out.options.poison_seed = size > 1 ? data[1] : 0;
  const uint8_t* body = data + std::min<std::size_t>(size, 2);
  const std::size_t body_size = size > 2 ? size - 2 : 0;
  if (!(flags & kElfMode)) {
    out.image = raw_words_image(body, body_size);
    return out;
  }
  try {
    out.image = coral::parse_elf(std::vector<uint8_t>(body, body + body_size));
  } catch (const coral::ElfError& e) {
    if (std::string(e.what()).empty()) property_failed("an ElfError without a message");
    out.loadable = false;
  }
  return out;
}

struct Outcome {
  bool loaded = false;
  coral::RunResult result;
  std::vector<uint8_t> dtcm, ext;
};

Outcome run_once(const FuzzCase& fuzz_case) {
  const coral::CoralConfig& c = small_preset();
  Outcome outcome;
  coral::Machine machine(c);
  machine.reset(fuzz_case.options);
  try {
    machine.load(fuzz_case.image);
  } catch (const coral::LoadError& e) {
    if (std::string(e.what()).empty()) property_failed("a LoadError without a message");
    return outcome;
  }
  outcome.loaded = true;
  outcome.result = machine.run(fuzz_case.options);
  outcome.dtcm = machine.read(c.dtcm_base, c.dtcm_bytes);
  outcome.ext = machine.read(c.ext_base, c.ext_bytes);
  return outcome;
}

void check_result(const coral::RunResult& r) {
  if (r.instructions > kMaxInstructions)
    property_failed("retired " + std::to_string(r.instructions) + " instructions, above the limit");
  if (r.halted == r.trap.has_value()) property_failed("a run must end by exactly one of ebreak and a trap");
  if (r.ok() && r.cycles > kMaxCycles + 100'000)  // ebreak may drain a little past the limit
    property_failed("finished after " + std::to_string(r.cycles) + " cycles, far above the limit");
  if (r.trap && r.trap->message.empty()) property_failed("a trap without a message");
  uint64_t mixed = 0;
  for (const auto& [name, count] : r.mix) mixed += count;
  if (mixed != r.instructions)
    property_failed("the instruction mix counts " + std::to_string(mixed) + " instructions, the run " +
                    std::to_string(r.instructions));
}

// Same program, same input: same cycles, same trap, same memory (DESIGN.md 7).
void check_deterministic(const Outcome& a, const Outcome& b) {
  const coral::RunResult &x = a.result, &y = b.result;
  const bool same_trap = x.trap.has_value() == y.trap.has_value() &&
                         (!x.trap || (x.trap->kind == y.trap->kind && x.trap->pc == y.trap->pc &&
                                      x.trap->address == y.trap->address && x.trap->message == y.trap->message));
  if (a.loaded != b.loaded || x.cycles != y.cycles || x.instructions != y.instructions || !same_trap ||
      x.mix != y.mix)
    property_failed("two runs of the same program differ");
  if (a.dtcm != b.dtcm || a.ext != b.ext) property_failed("two runs of the same program leave different memory");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxElfBytes + 2) return 0;
  const FuzzCase fuzz_case = read_case(data, size);
  if (!fuzz_case.loadable) return 0;
  const Outcome first = run_once(fuzz_case);
  // For triage: KC_FUZZ_VERBOSE=1 fuzz_coral_simulator <file> shows what the input did.
  static const bool verbose = std::getenv("KC_FUZZ_VERBOSE") != nullptr;
  if (verbose)
    std::fprintf(stderr, "loaded %d, ran %llu instructions in %llu cycles, trap: %s\n", first.loaded,
                 static_cast<unsigned long long>(first.result.instructions),
                 static_cast<unsigned long long>(first.result.cycles),
                 first.result.trap ? first.result.trap->message.c_str() : "none");
  if (!first.loaded) return 0;
  check_result(first.result);
  check_deterministic(first, run_once(fuzz_case));
  return 0;
}
