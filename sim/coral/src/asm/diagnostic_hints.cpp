#include "diagnostic_hints.h"

#include <utility>

namespace coral::assembler {
namespace {

// First matching fragment wins, so more specific fragments come first.
const std::pair<const char*, const char*> kHints[] = {
    {"unrecognized instruction mnemonic",
     "this target is RV32IMF + Zicsr + Zifencei + Zve32f (VLEN 128, ELEN 32); see the supported-instruction list"},
    {"instruction requires the following",
     "the Coral target has RV32IMF, Zicsr, Zifencei and Zve32x/Zve32f only: no D, no C, no 64-bit elements"},
    {"too few operands", "check the instruction's operand list in the ISA documentation"},
    {"invalid operand for instruction", "check the operand kinds and order against the instruction's syntax"},
    {"operand must be a symbol with %lo", "split large constants with li, or use %lo()/%pcrel_lo() relocations"},
    {"immediate must be", "the immediate is out of range for this instruction; load it into a register with li"},
    {"fixup value out of range",
     "the target is too far for this instruction (branches reach +-4 KiB, jal +-1 MiB); branch over a jump or use call"},
    {"unknown directive", "GNU-style directives are supported (.text, .data, .word, .align, .rept, ...)"},
    {"unknown operand", "registers are x0-x31/ABI names, f0-f31, v0-v31"},
    {"expected '.endr'", "close every .rept/.irp/.irpc with .endr"},
    {"no matching '.endmacro'", "close every .macro with .endm"},
    {"invalid register", "registers are x0-x31/ABI names, f0-f31, v0-v31"},
};

}  // namespace

std::string hint_for_message(const std::string& message) {
  for (const auto& [fragment, hint] : kHints)
    if (message.find(fragment) != std::string::npos) return hint;
  return {};
}

}  // namespace coral::assembler
