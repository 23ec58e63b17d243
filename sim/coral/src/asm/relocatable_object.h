// A RISC-V ELF32 relocatable object, read (and validated) into plain structs for the linker.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "coral/asm/assembler.h"

namespace coral::assembler {

struct ObjectSection {
  std::string name;
  uint32_t type = 0, flags = 0, alignment = 1, size = 0;
  std::vector<uint8_t> bytes;  // empty for SHT_NOBITS
};

struct ObjectSymbol {
  std::string name;
  uint32_t section = 0;  // ELF st_shndx (SHN_UNDEF, SHN_ABS, SHN_COMMON or a section index)
  uint32_t value = 0;    // offset in the section; alignment for common symbols
  uint32_t size = 0;
  uint8_t binding = 0, type = 0;
};

struct ObjectRelocation {
  uint32_t section = 0;  // the section being patched
  uint32_t offset = 0;
  uint32_t type = 0;
  uint32_t symbol = 0;  // index into symbols (0 = none)
  int64_t addend = 0;
};

struct RelocatableObject {
  uint32_t flags = 0;                  // e_flags
  std::vector<ObjectSection> sections;  // indexed by ELF section index
  std::vector<ObjectSymbol> symbols;    // indexed by ELF symbol index
  std::vector<ObjectRelocation> relocations;
};

// nullopt (with an error diagnostic) when the bytes are not a readable RISC-V ELF32 ET_REL.
std::optional<RelocatableObject> read_relocatable_object(const std::vector<uint8_t>& bytes,
                                                         std::vector<Diagnostic>& diagnostics);

}  // namespace coral::assembler
