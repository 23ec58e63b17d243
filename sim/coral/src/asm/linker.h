// Links one RISC-V relocatable object into the memory images of a Coral executable.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "coral/asm/assembler.h"
#include "relocatable_object.h"
#include "section_layout.h"

namespace coral::assembler {

struct LinkedProgram {
  uint32_t flags = 0;              // e_flags carried over from the object
  std::vector<uint8_t> text;       // image from the ITCM base
  std::vector<uint8_t> data;       // initialised image from the DTCM base
  uint32_t data_memory_bytes = 0;  // data.size() plus the zero-filled tail
  uint32_t entry = 0;
  SectionLayout layout;
};

// Source line of a byte in a section of the object; 0 when unknown.
using SourceLineLookup = std::function<uint32_t(uint32_t section, uint32_t offset)>;

// nullopt when any error was added to `diagnostics` (warnings leave a program).
std::optional<LinkedProgram> link_program(const RelocatableObject& object, const AssembleOptions& options,
                                          const SourceLineLookup& line_of, std::vector<Diagnostic>& diagnostics);

}  // namespace coral::assembler
