# coral_asm: RISC-V assembly (GNU syntax) -> linked ELF32 executable, via LLVM's MC layer
# (in process) and our own small linker. LLVM 16 is found by the root CMake.
add_library(coral_asm STATIC
  src/asm/assembler.cpp
  src/asm/assembly_codec.cpp
  src/asm/constant_expression.cpp
  src/asm/diagnostic_hints.cpp
  src/asm/elf_writer.cpp
  src/asm/isolated_assembler.cpp
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
  src/asm/subprocess.cpp
)
target_include_directories(coral_asm PUBLIC include PRIVATE src/asm)
# LLVM's headers are third-party: SYSTEM keeps our -Werror warnings off them. They are only
# needed by the sources in src/asm; the public header is plain C++.
separate_arguments(CORAL_ASM_LLVM_DEFINITIONS NATIVE_COMMAND "${LLVM_DEFINITIONS}")
target_include_directories(coral_asm SYSTEM PRIVATE ${LLVM_INCLUDE_DIRS})
target_compile_definitions(coral_asm PRIVATE ${CORAL_ASM_LLVM_DEFINITIONS})
target_link_libraries(coral_asm PRIVATE LLVM kc_warnings)

# coral-asm-worker: assemble_isolated() runs LLVM in this process so that an abort or crash
# inside LLVM ends the worker, not the caller. It sits beside `kernelcraft`; the library also
# knows its build-tree path. Whatever calls assemble_isolated() must depend on it.
add_executable(coral-asm-worker tools/asm_worker.cpp)
target_include_directories(coral-asm-worker PRIVATE src/asm)
target_link_libraries(coral-asm-worker PRIVATE coral_asm nlohmann_json::nlohmann_json kc_warnings)
set_target_properties(coral-asm-worker PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
target_compile_definitions(coral_asm PRIVATE CORAL_ASM_WORKER_BUILD_PATH="$<TARGET_FILE:coral-asm-worker>")
