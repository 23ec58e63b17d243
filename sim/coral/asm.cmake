# coral_asm: RISC-V assembly (GNU syntax) -> linked ELF32 executable, via LLVM's MC layer.
add_library(coral_asm STATIC
  src/asm/placeholder.cpp
)
target_include_directories(coral_asm PUBLIC include PRIVATE src)
target_link_libraries(coral_asm PRIVATE kc_warnings)
