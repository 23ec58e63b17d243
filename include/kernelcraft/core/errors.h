// Error types that cross module boundaries. Messages name the file/field and what was expected.
#pragma once

#include <stdexcept>
#include <string>

namespace kc {

// Bad input from the user: a flag, a file, a preset, a memory image. CLI exit code 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace kc
