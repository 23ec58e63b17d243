// coral-asm-worker: assembles one Coral kernel in its own process for assemble_isolated().
// stdin: the request (assembly_codec.h); stdout: the Assembly as JSON; exit 0.
// Any other ending (abort inside LLVM, a crash, exit code 2 for a malformed request) is read by
// the caller as "the assembler failed on this kernel".
#include <sys/resource.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <iterator>
#include <string>

#include "assembly_codec.h"
#include "coral/asm/assembler.h"

#if defined(__SANITIZE_ADDRESS__)
#define CORAL_WORKER_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORAL_WORKER_SANITIZED 1
#endif
#endif

namespace {

// Bounds that hold even if LLVM misbehaves: no core files (a crash must not litter the
// caller's folder), bounded CPU time and memory.
void limit_resources() {
  const auto set = [](int resource, rlim_t value) {
    const rlimit limit{value, value};
    setrlimit(resource, &limit);
  };
  set(RLIMIT_CORE, 0);
  set(RLIMIT_CPU, 30);
#ifndef CORAL_WORKER_SANITIZED
  // AddressSanitizer reserves terabytes of shadow address space; only plain builds can cap it.
  set(RLIMIT_AS, rlim_t{4} << 30);
#endif
}

}  // namespace

int main() {
  limit_resources();
  try {
    const std::string request((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    std::string source;
    coral::assembler::AssembleOptions options;
    coral::assembler::decode_request(request, source, options);
    std::cout << coral::assembler::encode_assembly(coral::assembler::assemble(source, options));
    std::cout.flush();
    return std::cout ? 0 : 3;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "coral-asm-worker: %s\n", e.what());
    return 2;
  }
}
