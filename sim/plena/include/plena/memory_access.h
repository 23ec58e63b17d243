// Bounds-checked bulk reads and writes of a MachineState's memories, for loaders, dumps and
// checkers outside the simulator (the harness lays tensors out and reads results through this).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "plena/machine_state.h"

namespace plena {

// How values are represented in the addressed memory.
//   Native: the memory's own element type (BF16 for the FP/vector/matrix SRAMs, int32 for INT
//           SRAM, raw bytes 0..255 for HBM).
//   Mxfp8:  HBM only; elements at address + i, E8M0 scales at scale_address + i / 8.
//   Bf16:   HBM only; two bytes per element, little endian, at address + 2 * i.
enum class ValueEncoding : uint8_t { Native, Mxfp8, Bf16 };
const char* encoding_name(ValueEncoding encoding);
bool parse_encoding_name(const std::string& name, ValueEncoding& out);

// Writes `values`, rounding to the memory's type. False with a reason naming the memory and the
// range when the range does not fit or the encoding does not apply to the memory.
bool write_memory(MachineState& state, Memory memory, uint64_t address,
                  const std::vector<double>& values, ValueEncoding encoding,
                  uint64_t scale_address, std::string& error);

bool read_memory(const MachineState& state, Memory memory, uint64_t address, uint64_t count,
                 ValueEncoding encoding, uint64_t scale_address, std::vector<double>& out,
                 std::string& error);

}  // namespace plena
