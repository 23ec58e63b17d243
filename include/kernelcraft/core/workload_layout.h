// Where a task's tensors and constants live in an accelerator's memories: the contract that the
// agent prompt, the checker and the compiler baseline share (DESIGN.md section 4, layout()).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kernelcraft/core/task.h"

namespace kc {

struct TensorPlacement {
  std::string tensor;
  TensorRole role = TensorRole::Input;
  std::string memory;          // platform memory name, e.g. "hbm", "vsram"
  uint64_t address = 0;        // in the memory's address units
  std::string encoding;        // memory-image encoding, e.g. "mxfp8", "native"
  uint64_t scale_address = 0;  // encodings with separate scales
  int64_t rows = 0;            // the tensor viewed as [rows x cols], cols = last dimension
  int64_t cols = 0;
  // 0: row-major, element (i, j) at address + i*cols + j.
  // c > 0: column chunks of c elements stored chunk after chunk, element (i, j) at
  //        address + ((j / c) * rows + i) * c + j % c.
  int64_t chunk = 0;

  int64_t elements() const { return rows * cols; }
  // Position of row-major element `index` inside the placed block, counted from `address`.
  int64_t offset_of(int64_t index) const;
};

struct ConstantPlacement {
  std::string name;
  std::string memory;
  uint64_t address = 0;
  double value = 0;
};

struct MemoryRange {
  std::string memory;
  uint64_t begin = 0;
  uint64_t end = 0;  // exclusive
};

struct WorkloadLayout {
  std::vector<TensorPlacement> tensors;  // task tensor order
  std::vector<ConstantPlacement> constants;
  // Platform-specific numbers a kernel needs, e.g. PLENA's "scale_reg", "scratch_hbm_address".
  std::map<std::string, uint64_t> settings;
  // Off-chip memory the kernel may write (scratch). Writes elsewhere off chip are not allowed.
  std::vector<MemoryRange> writable;
  uint64_t offchip_input_bytes = 0;  // bytes of every input in its stored format (roofline)
  std::string description;           // markdown for the agent prompt

  const TensorPlacement& placement(const std::string& tensor) const;  // InputError if unknown
  uint64_t setting(const std::string& name) const;                   // InputError if unknown
};

// Reorders row-major values into a placement's order (and back), for staging and read-back.
std::vector<double> to_placement_order(const TensorPlacement& p, const std::vector<float>& values);
std::vector<float> from_placement_order(const TensorPlacement& p, const std::vector<double>& stored);

}  // namespace kc
