#include "linker.h"

#include <map>
#include <set>
#include <string>

#include "llvm/BinaryFormat/ELF.h"
#include "riscv_relocations.h"

namespace coral::assembler {
namespace {

Diagnostic make_diagnostic(const char* severity, uint32_t line, std::string message, std::string hint = {}) {
  Diagnostic diagnostic;
  diagnostic.severity = severity;
  diagnostic.line = line;
  diagnostic.message = std::move(message);
  diagnostic.hint = std::move(hint);
  return diagnostic;
}

std::string hex(uint64_t value) {
  static const char digits[] = "0123456789abcdef";
  std::string text;
  do {
    text.insert(text.begin(), digits[value & 0xf]);
    value >>= 4;
  } while (value != 0);
  return "0x" + text;
}

// The linking steps over one object; errors accumulate and stop the program at the end.
class Linker {
 public:
  Linker(const RelocatableObject& object, const AssembleOptions& options, const SourceLineLookup& line_of,
         std::vector<Diagnostic>& diagnostics)
      : object_(object), options_(options), line_of_(line_of), diagnostics_(diagnostics) {}

  std::optional<LinkedProgram> run() {
    program_.flags = object_.flags;
    program_.layout = lay_out_sections(object_, options_);
    if (!check_sizes()) return std::nullopt;
    copy_sections();
    collect_pcrel_high_parts();
    for (const ObjectRelocation& relocation : object_.relocations) apply(relocation);
    choose_entry();
    // No instructions means no entry point the simulator could start at: refused here, so a
    // kernel without code is the author's error, never a harness failure.
    if (program_.text.empty())
      error(0, "the program has no instructions", "write the kernel in .text and end it with ebreak");
    if (failed_) return std::nullopt;
    return std::move(program_);
  }

 private:
  void error(uint32_t line, std::string message, std::string hint = {}) {
    diagnostics_.push_back(make_diagnostic("error", line, std::move(message), std::move(hint)));
    failed_ = true;
  }

  bool check_sizes() {
    const SectionLayout& layout = program_.layout;
    if (layout.text_bytes > options_.itcm_size)
      error(0, "program too large: the code is " + std::to_string(layout.text_bytes) + " bytes but ITCM holds " +
                   std::to_string(options_.itcm_size) + " bytes",
            "shrink the code (less unrolling)");
    const uint64_t data_limit = options_.dtcm_size > options_.stack_reserve ? options_.dtcm_size - options_.stack_reserve : 0;
    if (layout.data_bytes > data_limit)
      error(0, "program too large: the data is " + std::to_string(layout.data_bytes) + " bytes but DTCM (" +
                   std::to_string(options_.dtcm_size) + " bytes) minus the " + std::to_string(options_.stack_reserve) +
                   "-byte stack reserve leaves " + std::to_string(data_limit) + " bytes",
            "keep large tensors in external memory");
    return !failed_;
  }

  void copy_sections() {
    const SectionLayout& layout = program_.layout;
    program_.text.assign(layout.text_bytes, 0);
    program_.data.assign(layout.data_file_bytes, 0);
    program_.data_memory_bytes = static_cast<uint32_t>(layout.data_bytes);
    auto copy = [&](const std::vector<uint32_t>& indices, std::vector<uint8_t>& image, uint32_t base) {
      for (uint32_t index : indices) {
        const ObjectSection& section = object_.sections[index];
        std::copy(section.bytes.begin(), section.bytes.end(), image.begin() + (*layout.section_address[index] - base));
      }
    };
    copy(layout.text_sections, program_.text, options_.itcm_base);
    copy(layout.data_sections, program_.data, options_.dtcm_base);
  }

  uint32_t line_of(const ObjectRelocation& relocation) const {
    return line_of_ ? line_of_(relocation.section, relocation.offset) : 0;
  }

  // Resolves symbol `index` to an address; reports (once per symbol) when it cannot.
  std::optional<int64_t> symbol_value(uint32_t index, const ObjectRelocation& site, bool report = true) {
    if (index == 0) return 0;
    const ObjectSymbol& symbol = object_.symbols[index];
    switch (symbol.section) {
      case llvm::ELF::SHN_UNDEF:
        if (symbol.binding == llvm::ELF::STB_WEAK) return 0;
        if (!report) return std::nullopt;
        report_symbol_once(index, site, "undefined symbol '" + symbol.name + "'",
                           "define the label, or check its spelling");
        return std::nullopt;
      case llvm::ELF::SHN_ABS:
        return symbol.value;
      case llvm::ELF::SHN_COMMON:
        return *program_.layout.common_address[index];
      default:
        break;
    }
    if (symbol.section >= object_.sections.size() || !program_.layout.section_address[symbol.section]) {
      if (!report) return std::nullopt;
      const std::string section = symbol.section < object_.sections.size() ? object_.sections[symbol.section].name
                                                                           : std::to_string(symbol.section);
      report_symbol_once(index, site, "symbol '" + symbol.name + "' is in section " + section + ", which is not loaded");
      return std::nullopt;
    }
    return int64_t{*program_.layout.section_address[symbol.section]} + symbol.value;
  }

  void report_symbol_once(uint32_t index, const ObjectRelocation& site, std::string message, std::string hint = {}) {
    if (reported_symbols_.insert(index).second) error(line_of(site), std::move(message), std::move(hint));
    else failed_ = true;
  }

  std::optional<uint32_t> place_of(const ObjectRelocation& relocation) const {
    const auto& address = program_.layout.section_address[relocation.section];
    if (!address) return std::nullopt;
    return *address + relocation.offset;
  }

  // PCREL_LO12 relocations point at the auipc's label; they need the offset its HI20 used.
  void collect_pcrel_high_parts() {
    for (const ObjectRelocation& relocation : object_.relocations) {
      if (relocation.type != kRelocationPcrelHi20) continue;
      const auto place = place_of(relocation);
      if (!place) continue;
      // An unresolved symbol is reported where the HI20 is applied; 0 avoids a second error.
      const auto symbol = symbol_value(relocation.symbol, relocation, /*report=*/false);
      pcrel_high_offset_[*place] = symbol ? *symbol + relocation.addend - *place : 0;
    }
  }

  PatchSite site_for(const ObjectRelocation& relocation, uint32_t place) {
    const ObjectSection& section = object_.sections[relocation.section];
    const bool executable = is_executable_section(section);
    std::vector<uint8_t>& image = executable ? program_.text : program_.data;
    const uint32_t base = executable ? options_.itcm_base : options_.dtcm_base;
    return PatchSite{image.data() + (place - base), section.size - relocation.offset};
  }

  void apply(const ObjectRelocation& relocation) {
    if (relocation.section >= object_.sections.size() || !program_.layout.section_address[relocation.section]) return;
    const ObjectSection& section = object_.sections[relocation.section];
    const RelocationType* type = find_relocation_type(relocation.type);
    const std::string where = section.name + "+" + hex(relocation.offset);
    if (type == nullptr) {
      error(line_of(relocation), "unsupported relocation " + relocation_type_name(relocation.type) + " at " + where,
            "use plain addressing (la/lla, lui+addi, call); .option pic and TLS are not supported");
      return;
    }
    if (type->value == RelocationValue::Ignored) return;
    if (section.type == llvm::ELF::SHT_NOBITS || uint64_t{relocation.offset} + type->width > section.size) {
      error(line_of(relocation), std::string(type->name) + " at " + where + " is outside the section's contents");
      return;
    }
    const uint32_t place = *place_of(relocation);
    const auto value = relocation_value(*type, relocation, place);
    if (!value) return;
    const std::string problem = type->apply(site_for(relocation, place), *value);
    if (!problem.empty())
      error(line_of(relocation), std::string(type->name) + " at " + where + ": " + problem,
            "branches reach +-4 KiB and jal +-1 MiB; branch over a jump, or use call");
  }

  std::optional<int64_t> relocation_value(const RelocationType& type, const ObjectRelocation& relocation, uint32_t place) {
    const auto symbol = symbol_value(relocation.symbol, relocation);
    if (!symbol) return std::nullopt;
    switch (type.value) {
      case RelocationValue::Absolute: return *symbol + relocation.addend;
      case RelocationValue::PcRelative: return *symbol + relocation.addend - place;
      case RelocationValue::PcrelLow: {
        const auto found = pcrel_high_offset_.find(static_cast<uint32_t>(*symbol));
        if (found != pcrel_high_offset_.end()) return found->second;
        error(line_of(relocation), std::string(type.name) + " refers to " + hex(static_cast<uint64_t>(*symbol)) +
                                       ", where there is no R_RISCV_PCREL_HI20 (auipc)",
              "%pcrel_lo() must name the label of the matching auipc");
        return std::nullopt;
      }
      case RelocationValue::Ignored: break;
    }
    return std::nullopt;
  }

  void choose_entry() {
    const SectionLayout& layout = program_.layout;
    program_.entry = options_.itcm_base;
    if (!layout.text_sections.empty()) program_.entry = *layout.section_address[layout.text_sections.front()];
    for (const ObjectSymbol& symbol : object_.symbols) {
      if (symbol.name != "_start" || symbol.section == llvm::ELF::SHN_UNDEF) continue;
      const bool in_text = symbol.section < object_.sections.size() && layout.section_address[symbol.section] &&
                           is_executable_section(object_.sections[symbol.section]);
      if (!in_text) {
        error(0, "_start is not in an executable section", "put _start in .text");
        return;
      }
      program_.entry = *layout.section_address[symbol.section] + symbol.value;
      return;
    }
  }

  const RelocatableObject& object_;
  const AssembleOptions& options_;
  const SourceLineLookup& line_of_;
  std::vector<Diagnostic>& diagnostics_;
  LinkedProgram program_;
  std::map<uint32_t, int64_t> pcrel_high_offset_;
  std::set<uint32_t> reported_symbols_;
  bool failed_ = false;
};

}  // namespace

std::optional<LinkedProgram> link_program(const RelocatableObject& object, const AssembleOptions& options,
                                          const SourceLineLookup& line_of, std::vector<Diagnostic>& diagnostics) {
  return Linker(object, options, line_of, diagnostics).run();
}

}  // namespace coral::assembler
