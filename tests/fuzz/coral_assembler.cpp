// libFuzzer target: arbitrary bytes as Coral NPU assembly source -> coral::assembler::assemble
// with the coral_small memory map (the smallest TCMs, so size limits are reached often).
//
// Beyond "never crashes" (no abort inside LLVM, no escaping exception, no sanitizer report), an
// accepted program must be one the simulator can load, because the platform hands it straight
// to coral::parse_elf and coral::Machine::load:
//   - the ELF parses, its entry point is a loaded, 4-byte aligned ITCM address (a program
//     without instructions is refused);
//   - every executable segment lies inside ITCM and every data segment inside DTCM, below the
//     stack reserve; text_bytes / data_bytes agree with the segments;
//   - the line table is sorted and non-overlapping (trap lines come from it).
// A refused program must say why: at least one error diagnostic, each with a message.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "coral/asm/assembler.h"
#include "coral/config.h"
#include "coral/elf.h"

namespace {

// Larger inputs only slow LLVM down; the 4 MiB source bound is the platform's, tested elsewhere.
constexpr std::size_t kMaxSourceBytes = 64 * 1024;

const coral::CoralConfig& small_preset() {
  static const coral::CoralConfig config = [] {
    try {
      return coral::load_config_file(KC_SOURCE_DIR "/isa/coral_npu/presets/coral_small.json");
    } catch (const coral::ConfigError& e) {
      std::fprintf(stderr, "fuzz_coral_assembler: %s\n", e.what());
      std::abort();
    }
  }();
  return config;
}

coral::assembler::AssembleOptions small_options() {
  const coral::CoralConfig& c = small_preset();
  coral::assembler::AssembleOptions options;
  options.itcm_base = c.itcm_base;
  options.itcm_size = c.itcm_bytes;
  options.dtcm_base = c.dtcm_base;
  options.dtcm_size = c.dtcm_bytes;
  return options;
}

[[noreturn]] void property_failed(const std::string& what) {
  std::fprintf(stderr, "fuzz_coral_assembler: property violated: %s\n", what.c_str());
  std::abort();
}

bool inside(uint64_t begin, uint64_t size, uint64_t region_base, uint64_t region_end) {
  return begin >= region_base && begin + size <= region_end;
}

void check_diagnostics(const coral::assembler::Assembly& assembly) {
  for (const coral::assembler::Diagnostic& d : assembly.diagnostics) {
    if (d.message.empty()) property_failed("a diagnostic without a message: " + d.to_string());
    if (d.severity != "error" && d.severity != "warning" && d.severity != "note")
      property_failed("unknown severity '" + d.severity + "'");
  }
  if (assembly.ok != (assembly.error_count() == 0))
    property_failed("ok is " + std::to_string(assembly.ok) + " with " + std::to_string(assembly.error_count()) +
                    " error diagnostic(s)");
}

void check_segments(const coral::ElfImage& image, const coral::assembler::Assembly& assembly,
                    const coral::assembler::AssembleOptions& o) {
  const uint64_t itcm_end = uint64_t{o.itcm_base} + o.itcm_size;
  const uint64_t data_end = uint64_t{o.dtcm_base} + o.dtcm_size - o.stack_reserve;
  uint64_t text_end = o.itcm_base, data_seen_end = o.dtcm_base;
  for (std::size_t i = 0; i < image.segments.size(); ++i) {
    const coral::ElfSegment& s = image.segments[i];
    const std::string name = "segment " + std::to_string(i);
    if (s.data.size() > s.mem_size) property_failed(name + " has more file bytes than memory bytes");
    if (s.executable) {
      if (!inside(s.vaddr, s.mem_size, o.itcm_base, itcm_end)) property_failed(name + " (code) is outside ITCM");
      text_end = std::max<uint64_t>(text_end, uint64_t{s.vaddr} + s.mem_size);
    } else {
      if (!inside(s.vaddr, s.mem_size, o.dtcm_base, data_end))
        property_failed(name + " (data) is outside DTCM minus the stack reserve");
      data_seen_end = std::max<uint64_t>(data_seen_end, uint64_t{s.vaddr} + s.mem_size);
    }
  }
  if (text_end - o.itcm_base > assembly.text_bytes)
    property_failed("code segments end " + std::to_string(text_end - o.itcm_base) + " bytes into ITCM, text_bytes is " +
                    std::to_string(assembly.text_bytes));
  if (data_seen_end - o.dtcm_base > assembly.data_bytes)
    property_failed("data segments end past data_bytes " + std::to_string(assembly.data_bytes));
}

void check_entry(const coral::ElfImage& image, const coral::assembler::Assembly& assembly) {
  if (image.entry != assembly.entry) property_failed("the ELF's entry differs from Assembly::entry");
  if (image.entry % 4 != 0) property_failed("entry point not 4-byte aligned");
  for (const coral::ElfSegment& s : image.segments)
    if (s.executable && image.entry >= s.vaddr && uint64_t{image.entry} + 4 <= uint64_t{s.vaddr} + s.data.size())
      return;
  property_failed("entry point is not inside the loaded code");
}

void check_line_table(const coral::assembler::Assembly& assembly) {
  uint32_t previous_end = 0;
  for (const coral::assembler::LineRange& r : assembly.line_table) {
    if (r.begin > r.end || r.begin < previous_end) property_failed("line table not sorted / overlapping");
    previous_end = r.end;
  }
}

}  // namespace

// LLVM 16's AsmParser leaks a few small objects on some malformed macro sources (e.g.
// ".macro m a b\n\x07.endm\nm "); LLVM is third-party and not instrumented, so its own
// allocations are not this target's findings. Everything allocated by our code is still checked.
extern "C" const char* __lsan_default_suppressions() { return "leak:libLLVM-16.so\n"; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxSourceBytes) return 0;
  const std::string source(reinterpret_cast<const char*>(data), size);
  const coral::assembler::AssembleOptions options = small_options();
  const coral::assembler::Assembly assembly = coral::assembler::assemble(source, options);
  check_diagnostics(assembly);
  if (!assembly.ok) {
    if (assembly.error_count() == 0) property_failed("refused without an error diagnostic");
    return 0;
  }
  coral::ElfImage image;
  try {
    image = coral::parse_elf(assembly.elf);
  } catch (const coral::ElfError& e) {
    property_failed(std::string("the assembler wrote an ELF parse_elf refuses: ") + e.what());
  }
  check_segments(image, assembly, options);
  if (assembly.text_bytes == 0) property_failed("a program without instructions was accepted");
  check_entry(image, assembly);
  check_line_table(assembly);
  return 0;
}
