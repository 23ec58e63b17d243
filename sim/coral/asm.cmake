# coral_asm: RISC-V assembly (GNU syntax) -> linked ELF32 executable, via LLVM's MC layer
# (in process) and our own small linker. LLVM 16 is found by the root CMake.
add_library(coral_asm STATIC
  src/asm/assembler.cpp
  src/asm/constant_expression.cpp
  src/asm/diagnostic_hints.cpp
  src/asm/elf_writer.cpp
  src/asm/line_table.cpp
  src/asm/linker.cpp
  src/asm/listing.cpp
  src/asm/llvm_target.cpp
  src/asm/mc_assembler.cpp
  src/asm/relocatable_object.cpp
  src/asm/riscv_relocations.cpp
  src/asm/section_layout.cpp
  src/asm/source_screen.cpp
  src/asm/statement_scanner.cpp
)
target_include_directories(coral_asm PUBLIC include PRIVATE src/asm)
# LLVM's headers are third-party: SYSTEM keeps our -Werror warnings off them. They are only
# needed by the sources in src/asm; the public header is plain C++.
separate_arguments(CORAL_ASM_LLVM_DEFINITIONS NATIVE_COMMAND "${LLVM_DEFINITIONS}")
target_include_directories(coral_asm SYSTEM PRIVATE ${LLVM_INCLUDE_DIRS})
target_compile_definitions(coral_asm PRIVATE ${CORAL_ASM_LLVM_DEFINITIONS})
target_link_libraries(coral_asm PRIVATE LLVM kc_warnings)
