#include "section_layout.h"

#include <string>

#include "llvm/BinaryFormat/ELF.h"

namespace coral::assembler {
namespace {

uint64_t align_up(uint64_t value, uint64_t alignment) { return (value + alignment - 1) / alignment * alignment; }

bool starts_with(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

// Places sections one after another from `base`; returns the end address.
uint64_t place(const RelocatableObject& object, const std::vector<uint32_t>& indices, uint64_t cursor,
               SectionLayout& layout) {
  for (uint32_t index : indices) {
    const ObjectSection& section = object.sections[index];
    cursor = align_up(cursor, section.alignment);
    layout.section_address[index] = static_cast<uint32_t>(cursor);
    cursor += section.size;
    if (cursor > UINT32_MAX) cursor = uint64_t{UINT32_MAX} + 1;  // sizes are checked later
  }
  return cursor;
}

}  // namespace

bool is_loaded_section(const ObjectSection& section) {
  if ((section.flags & llvm::ELF::SHF_ALLOC) == 0) return false;
  if (section.type != llvm::ELF::SHT_PROGBITS && section.type != llvm::ELF::SHT_NOBITS) return false;
  // Unwind tables are only for debuggers and exceptions, neither of which a kernel has.
  return !starts_with(section.name, ".eh_frame");
}

bool is_executable_section(const ObjectSection& section) {
  return (section.flags & llvm::ELF::SHF_EXECINSTR) != 0;
}

SectionLayout lay_out_sections(const RelocatableObject& object, const AssembleOptions& options) {
  SectionLayout layout;
  layout.section_address.resize(object.sections.size());
  layout.common_address.resize(object.symbols.size());
  for (uint32_t index = 0; index < object.sections.size(); ++index) {
    const ObjectSection& section = object.sections[index];
    if (!is_loaded_section(section)) continue;
    if (is_executable_section(section)) layout.text_sections.push_back(index);
    else if (section.type == llvm::ELF::SHT_NOBITS) layout.zero_sections.push_back(index);
    else layout.data_sections.push_back(index);
  }
  layout.text_bytes = place(object, layout.text_sections, options.itcm_base, layout) - options.itcm_base;
  uint64_t cursor = place(object, layout.data_sections, options.dtcm_base, layout);
  layout.data_file_bytes = cursor - options.dtcm_base;
  cursor = place(object, layout.zero_sections, cursor, layout);
  for (uint32_t index = 0; index < object.symbols.size(); ++index) {
    const ObjectSymbol& symbol = object.symbols[index];
    if (symbol.section != llvm::ELF::SHN_COMMON) continue;
    const uint64_t alignment = symbol.value == 0 || (symbol.value & (symbol.value - 1)) != 0 ? 4 : symbol.value;
    cursor = align_up(cursor, alignment);
    layout.common_address[index] = static_cast<uint32_t>(std::min<uint64_t>(cursor, UINT32_MAX));
    cursor += symbol.size;
  }
  layout.data_bytes = cursor - options.dtcm_base;
  return layout;
}

}  // namespace coral::assembler
