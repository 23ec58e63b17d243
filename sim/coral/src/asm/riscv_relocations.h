// The RISC-V relocation types the Coral linker applies, one small definition per type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace coral::assembler {

// How the value written by a relocation is formed from S (symbol), A (addend), P (place).
enum class RelocationValue {
  Absolute,    // S + A
  PcRelative,  // S + A - P
  PcrelLow,    // the offset computed by the PCREL_HI20 at address S (the auipc)
  Ignored,     // markers such as R_RISCV_RELAX: nothing to write
};

struct PatchSite {
  uint8_t* bytes = nullptr;  // the patched location inside the linked image
  std::size_t available = 0;  // bytes from `bytes` to the end of its section
};

struct RelocationType {
  uint32_t number;
  const char* name;
  RelocationValue value;
  std::size_t width;  // bytes the patch touches
  // Writes `value` into the site; returns "" or what is wrong (e.g. out of range).
  std::string (*apply)(PatchSite site, int64_t value);
};

// nullptr for types the linker does not support.
const RelocationType* find_relocation_type(uint32_t number);

// A readable name for any type number (for diagnostics about unsupported ones).
std::string relocation_type_name(uint32_t number);

inline constexpr uint32_t kRelocationPcrelHi20 = 23;

}  // namespace coral::assembler
