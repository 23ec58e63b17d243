// Runs `kernelcraft` in-process exactly as a user types it, capturing output and exit code.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "kernelcraft/cli/app.h"

namespace kc::cli {

struct CliResult {
  int code;
  std::string out;
  std::string err;
};

inline CliResult kernelcraft(std::vector<std::string> args,
                             const std::string& data_dir = KC_SOURCE_DIR) {
  args.insert(args.begin(), {"kernelcraft", "--data-dir", data_dir});
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  const int code = run(static_cast<int>(argv.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

}  // namespace kc::cli
