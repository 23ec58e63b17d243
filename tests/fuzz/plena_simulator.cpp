// libFuzzer target: bytes -> a PLENA program of decodable instruction words -> simulate on the
// small preset with tight limits. Traps are fine; crashes, sanitizer reports, escaping
// exceptions, limit overruns and non-determinism are bugs.
//
// The preset is small.json with HBM cut to 256 KiB (see small_preset()).
//
// Input layout (structure-aware, so every mutation is still a program the decoder accepts):
//   byte 0        flags: bit 0 restricts HBM writes to [0, 4096) (exercises write_protected)
//   bytes 1-2     instruction count K, little-endian (fewer when the input ends first)
//   K x 4 bytes   one little-endian word each: bits [5:0] pick a table row (mod 52), the other
//                 bits fill that instruction's operand fields, with placeholder fields cleared
//                 and flag fields cut to one bit (what decode() would otherwise reject)
//   the rest      raw bytes copied to HBM address 0 (MXFP8 elements and scales, bf16 pairs),
//                 so prefetches read arbitrary encodings: NaN, Inf, huge scales
// Register indices are left as encoded (f8..f15 and a8..a15 decode and must trap at run time).
// Seeds in corpus/plena_simulator/ are the isa/plena/examples/ kernels and small-preset baseline
// kernels, assembled and written in this layout, so the fuzzer mutates real programs (loops,
// DMA, matrix work) as well as generating random ones.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "plena/encoding.h"
#include "plena/hardware_config.h"
#include "plena/isa.h"
#include "plena/machine_state.h"
#include "plena/program.h"
#include "plena/simulator.h"

namespace {

constexpr uint64_t kMaxInstructions = 20000;
constexpr uint64_t kMaxCycles = 5'000'000;
constexpr uint64_t kWritableHbmBytes = 4096;
constexpr uint64_t kHbmBytes = 256 * 1024;

const plena::HardwareConfig& small_preset() {
  static const plena::HardwareConfig config = [] {
    plena::HardwareConfig loaded;
    std::string error;
    if (!plena::load_hardware_config(KC_SOURCE_DIR "/isa/plena/presets/small.json", loaded, error)) {
      std::fprintf(stderr, "fuzz_plena_simulator: %s\n", error.c_str());
      std::abort();
    }
    // Under coverage instrumentation, building a 4 MiB HBM twice per input took most of the
    // time; 256 KiB still holds every tile and row the small geometry can address at once.
    loaded.hbm_bytes = kHbmBytes;
    if (const std::string problem = plena::validate(loaded); !problem.empty()) {
      std::fprintf(stderr, "fuzz_plena_simulator: %s\n", problem.c_str());
      std::abort();
    }
    return loaded;
  }();
  return config;
}

[[noreturn]] void property_failed(const std::string& what) {
  std::fprintf(stderr, "fuzz_plena_simulator: property violated: %s\n", what.c_str());
  std::abort();
}

uint32_t field_mask(plena::Field field) {
  switch (field) {
    case plena::Field::Rd: return 0xFu << 6;
    case plena::Field::Rs1: return 0xFu << 10;
    case plena::Field::Rs2: return 0xFu << 14;
    case plena::Field::Rs3: return 0xFu << 18;
    case plena::Field::Funct1: return 0xFu << 22;
    case plena::Field::Imm18: return 0x3FFFFu << 14;
    case plena::Field::Imm22: return 0x3FFFFFu << 10;
    case plena::Field::None: break;
  }
  return 0;
}

unsigned field_shift(plena::Field field) {
  const uint32_t mask = field_mask(field);
  unsigned shift = 0;
  while (mask != 0 && ((mask >> shift) & 1u) == 0) ++shift;
  return shift;
}

// A raw 32-bit value -> a word decode() accepts, by the rules in the header comment.
uint32_t decodable_word(uint32_t raw) {
  const auto& table = plena::instruction_table();
  const plena::InstrDef& def = table[(raw & 0x3Fu) % table.size()];
  uint32_t word = static_cast<uint32_t>(def.opcode);
  for (std::size_t i = 0; i < def.operand_count(); ++i) {
    const plena::OperandSpec& spec = def.operands[i];
    if (spec.field == plena::Field::None || spec.kind == plena::OperandKind::Zero) continue;
    uint32_t bits = raw & field_mask(spec.field);
    const unsigned shift = field_shift(spec.field);
    if (spec.kind == plena::OperandKind::Flag) bits &= 1u << shift;
    if (spec.kind == plena::OperandKind::ImmU20) bits &= 0xFFFFFu << shift;
    word |= bits;
  }
  return word;
}

struct FuzzCase {
  plena::Program program;
  plena::Limits limits;
  std::vector<uint8_t> hbm_prefix;
};

FuzzCase read_case(const uint8_t* data, size_t size) {
  FuzzCase out;
  out.limits.max_instructions = kMaxInstructions;
  out.limits.max_cycles = kMaxCycles;
  if (size < 3) return out;
  if (data[0] & 1u) out.limits.hbm_writable.push_back({0, kWritableHbmBytes});
  const std::size_t count = std::min<std::size_t>(data[1] | (data[2] << 8), (size - 3) / 4);
  std::size_t pos = 3;
  for (std::size_t i = 0; i < count; ++i, pos += 4) {
    uint32_t raw = 0;
    std::memcpy(&raw, data + pos, 4);  // x86: little-endian
    const uint32_t word = decodable_word(raw);
    plena::Instruction inst;
    std::string error;
    if (!plena::decode(word, inst, error)) property_failed("built an undecodable word: " + error);
    if (plena::encode(inst) != word) property_failed("decode/encode do not round-trip");
    out.program.instructions.push_back(inst);
    out.program.words.push_back(word);
  }
  out.hbm_prefix.assign(data + pos, data + size);
  return out;
}

struct Outcome {
  plena::SimResult result;
  std::vector<float> vector_sram;
  std::vector<uint8_t> hbm_head;
};

Outcome run_once(const FuzzCase& fuzz_case) {
  const plena::HardwareConfig& config = small_preset();
  plena::MachineState state(config);
  std::copy_n(fuzz_case.hbm_prefix.begin(),
              std::min<std::size_t>(fuzz_case.hbm_prefix.size(), state.hbm.size()),
              state.hbm.begin());
  Outcome outcome;
  outcome.result = plena::simulate(fuzz_case.program, state, config, fuzz_case.limits);
  outcome.vector_sram = std::move(state.vector_sram);
  outcome.hbm_head.assign(state.hbm.begin(), state.hbm.begin() + kWritableHbmBytes);
  return outcome;
}

void check_limits(const plena::SimResult& result) {
  if (result.instructions > kMaxInstructions)
    property_failed("ran " + std::to_string(result.instructions) + " instructions, above the limit");
  if (result.ok() && result.cycles > kMaxCycles)
    property_failed("finished without a trap after " + std::to_string(result.cycles) +
                    " cycles, above the limit");
  if (result.trap && result.trap->message.empty()) property_failed("a trap without a message");
}

// Same program, same input: same cycles, same trap, same memory (DESIGN.md 7).
void check_deterministic(const Outcome& a, const Outcome& b) {
  const bool same_trap =
      a.result.trap.has_value() == b.result.trap.has_value() &&
      (!a.result.trap || (a.result.trap->kind == b.result.trap->kind &&
                          a.result.trap->pc == b.result.trap->pc &&
                          a.result.trap->message == b.result.trap->message));
  if (a.result.cycles != b.result.cycles || a.result.instructions != b.result.instructions ||
      !same_trap || a.result.instruction_mix != b.result.instruction_mix)
    property_failed("two runs of the same program differ");
  if (a.vector_sram.size() != b.vector_sram.size() ||
      std::memcmp(a.vector_sram.data(), b.vector_sram.data(), a.vector_sram.size() * sizeof(float)) != 0 ||
      a.hbm_head != b.hbm_head)
    property_failed("two runs of the same program leave different memory");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const FuzzCase fuzz_case = read_case(data, size);
  const Outcome first = run_once(fuzz_case);
  // For triage: KC_FUZZ_VERBOSE=1 fuzz_plena_simulator <file> shows what the input did.
  static const bool verbose = std::getenv("KC_FUZZ_VERBOSE") != nullptr;
  if (verbose)
    std::fprintf(stderr, "%zu instructions, ran %llu in %llu cycles, trap: %s\n",
                 fuzz_case.program.size(), static_cast<unsigned long long>(first.result.instructions),
                 static_cast<unsigned long long>(first.result.cycles),
                 first.result.trap ? first.result.trap->message.c_str() : "none");
  check_limits(first.result);
  check_deterministic(first, run_once(fuzz_case));
  return 0;
}
