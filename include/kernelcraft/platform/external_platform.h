// External platforms: the Platform contract implemented by commands that a JSON declaration
// ("kernelcraft-platform/1") names, so a designer's own assembler, RTL simulation or device
// plugs in without C++ (docs/external-platforms.md).
#pragma once

#include <memory>
#include <string>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/platform.h"

namespace kc {

// A fault of the external platform's commands or declaration, never of the kernel: a command not
// found, crashing, timing out, or writing results that are not what the protocol says. The
// message names the platform, the command and what was expected. It is an InputError, so the CLI
// exits with code 2; runs record the episode as infra_error.
class ExternalPlatformError : public InputError {
 public:
  using InputError::InputError;
};

struct ExternalPlatformOptions {
  // The data root ({data_dir}); the built-in platform named by "layout" loads its presets here.
  std::string data_dir;
  // What {kernelcraft} stands for. Empty: $KERNELCRAFT_BINARY, else the running program when it
  // is `kernelcraft`, else a `kernelcraft` beside the running program, else one on $PATH.
  std::string kernelcraft_binary;
};

// True when a name given as a platform is a declaration file: it ends in ".json" or has a '/'.
bool is_platform_declaration_path(const std::string& name);

// The declaration file a platform name refers to: an absolute path as given, else relative to
// the current folder, else relative to `data_dir`. InputError when none exists.
std::string find_platform_declaration(const std::string& name, const std::string& data_dir);

// Reads and checks the declaration at `path` (every field, every placeholder). A malformed
// declaration throws InputError naming the file and field.
std::unique_ptr<Platform> load_external_platform(const std::string& path, const ExternalPlatformOptions& options);

}  // namespace kc
