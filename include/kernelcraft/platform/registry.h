// The built-in platforms and where their data (isa/<platform>/) lives.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kernelcraft/core/platform.h"

namespace kc {

// Root of the project's data folders (isa/, tasks/, agents/): $KERNELCRAFT_HOME if set, else
// the source tree the binary was built from.
std::string data_root();

std::vector<std::string> builtin_platform_names();

// Simulation backends: "model" (the C++ cycle-level model, every platform) and "rtl" (a
// Verilated RTL core, where the platform has one).
inline constexpr const char* kDefaultSimBackend = "model";
std::vector<std::string> sim_backends(const std::string& platform);

// Throws InputError naming the known platforms when `name` is not one of them, and the
// platform's backends when it has no `sim` backend.
std::unique_ptr<Platform> make_platform(const std::string& name, const std::string& data_dir,
                                        const std::string& sim = kDefaultSimBackend);

}  // namespace kc
