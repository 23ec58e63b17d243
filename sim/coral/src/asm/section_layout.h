// Where each loadable section of a relocatable object goes in the Coral memory map.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "coral/asm/assembler.h"
#include "relocatable_object.h"

namespace coral::assembler {

struct SectionLayout {
  std::vector<std::optional<uint32_t>> section_address;  // per section index; nullopt = not loaded
  std::vector<std::optional<uint32_t>> common_address;   // per symbol index, for SHN_COMMON symbols
  std::vector<uint32_t> text_sections;                   // loaded executable sections, in order
  std::vector<uint32_t> data_sections;                   // loaded PROGBITS data sections, in order
  std::vector<uint32_t> zero_sections;                   // loaded NOBITS sections, in order
  uint64_t text_bytes = 0;       // from the ITCM base to the end of the last text section
  uint64_t data_file_bytes = 0;  // from the DTCM base to the end of the last PROGBITS section
  uint64_t data_bytes = 0;       // from the DTCM base to the end of everything in DTCM
};

bool is_loaded_section(const ObjectSection& section);
bool is_executable_section(const ObjectSection& section);

// Text from the ITCM base; data from the DTCM base: PROGBITS, then NOBITS, then common symbols.
SectionLayout lay_out_sections(const RelocatableObject& object, const AssembleOptions& options);

}  // namespace coral::assembler
