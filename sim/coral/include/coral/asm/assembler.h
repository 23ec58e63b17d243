// Coral kernels: RISC-V assembly (GNU syntax) -> linked ELF32 executable.
//
// The source is assembled in process by LLVM 16's MC layer for riscv32 with the features
// +m,+f,+zve32f,+zvl128b,-relax,-c (Zicsr and Zifencei are part of base I in LLVM 16), then
// linked by our own small linker following the Coral platform contract:
//   - executable sections (.text, .text.*) are placed from the ITCM base, in object order;
//   - the other allocated sections (.rodata*, .srodata*, .data*, .sdata*, then .bss*, .sbss*
//     and common symbols) from the DTCM base, each at its alignment; .eh_frame and debug
//     sections are not loaded;
//   - the entry point is `_start` when defined, else the start of the first text section;
//   - the output has one PT_LOAD for text (R+X) and, when there is data, one for data (R+W,
//     memsz > filesz for zero-filled .bss), plus a small section table. Bytes are deterministic.
//
// Untrusted sources are screened BEFORE LLVM expands anything (see also source_screen.h):
//   - `.include`, `.incbin` (read host files), `.print` (writes to stdout), `.secure_log_*`
//     and `.altmacro` are refused; a macro parameter may stand alone as a mnemonic (`\op`)
//     but may not be glued into one (`.inc\()bin`), and macro/.irp arguments may not carry
//     file directives;
//   - `.rept`/`.irp`/`.irpc` need constant counts; the product of nested counts is at most
//     kMaxRepeatProduct, and the estimated expanded output (8 bytes per instruction, the
//     literal sizes of fills) at most 2 * (ITCM + DTCM) + 64 KiB; recursive macros and nested
//     .macro definitions are refused (their expansion cannot be bounded statically);
//   - `.space`/`.skip`/`.zero`/`.fill`/`.org` need constant sizes no larger than the larger
//     TCM; alignment directives may not exceed 64 KiB;
//   - `.option rvc|relax|pic|arch` and an `.attribute arch` naming extensions outside the
//     Coral set are refused (they would change the target or need linker support we lack).
// A source with its own `.loc` / numbered `.file` directives gets no line table (those lines
// describe another file). Diagnostics inside macro/.rept expansions carry the line of the
// invocation. Every call builds its own LLVM objects, so calls may run concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace coral::assembler {

struct AssembleOptions {
  uint32_t itcm_base = 0x00000000;
  uint32_t itcm_size = 1u << 20;
  uint32_t dtcm_base = 0x00010000;
  uint32_t dtcm_size = 1u << 20;
  uint32_t stack_reserve = 4096;  // DTCM bytes kept free for the stack (at the DTCM top)
  std::string source_name = "kernel.s";
};

struct Diagnostic {
  std::string severity;  // "error", "warning" or "note"
  uint32_t line = 0;     // 1-based line of the kernel source; 0 when not tied to a line
  uint32_t column = 0;   // 1-based; 0 when unknown
  std::string message;
  std::string hint;  // how to fix it; may be empty

  std::string to_string() const;  // "LINE:COL: error: message (hint: ...)"
};

struct ListingLine {
  uint32_t address = 0;
  uint32_t word = 0;  // the 32-bit little-endian word at `address`
  std::string text;   // LLVM's disassembly of the word, or ".word 0x..." when it is not code
  uint32_t line = 0;  // source line, 0 when unknown
};

// Addresses [begin, end) of the linked text came from source line `line`.
struct LineRange {
  uint32_t begin = 0, end = 0, line = 0;
};

struct Assembly {
  std::vector<Diagnostic> diagnostics;
  bool ok = false;  // no error diagnostics; only then are the fields below meaningful
  std::vector<uint8_t> elf;
  uint32_t entry = 0;
  uint32_t text_bytes = 0;  // bytes from the ITCM base to the end of the last text section
  uint32_t data_bytes = 0;  // bytes from the DTCM base to the end of the last data section
  std::vector<ListingLine> listing;
  std::vector<LineRange> line_table;  // sorted by address, non-overlapping

  uint32_t line_of(uint32_t address) const;  // 0 when unknown
  std::size_t error_count() const;
};

// Refusal bounds of the source screen (documented above).
inline constexpr uint64_t kMaxRepeatProduct = 1u << 20;
inline constexpr uint32_t kMaxAlignment = 1u << 16;

Assembly assemble(const std::string& source, const AssembleOptions& options);

// The same result as assemble(), computed in a separate process (the coral-asm-worker
// executable: $KC_CORAL_ASM_WORKER, else beside the running program, else the build tree) with
// bounded CPU time, memory and wall time (30 s). LLVM aborting or crashing on the source becomes
// an error diagnostic on the first line whose addition makes it fail (found by re-assembling
// prefixes), and a timeout becomes an error; the caller's process is never affected. Throws
// std::runtime_error only when the worker cannot be found or started, or answers garbage.
Assembly assemble_isolated(const std::string& source, const AssembleOptions& options);

// Links a relocatable ELF32 RISC-V object produced elsewhere (e.g. LLVM codegen). Lines and
// listing lines are 0 unless the object carries a DWARF line table.
Assembly link_object(const std::vector<uint8_t>& object, const AssembleOptions& options);

}  // namespace coral::assembler
