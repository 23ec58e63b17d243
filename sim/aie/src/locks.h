// Semaphore locks: acquire waits until value >= v and subtracts v; release adds v.
#pragma once

#include <cstdint>
#include <string>

#include "aie/config.h"
#include "aie/machine.h"

namespace aie {

// "l3" for tile lock 3, "ml5" for memory-tile lock 5 (global index tile_locks + 5).
std::string lock_name(uint32_t global_index, const HardwareConfig& config);
// Parses "lN" / "mlN" into a global index; false when malformed or out of range.
bool parse_lock_name(const std::string& text, const HardwareConfig& config, uint32_t& out);

bool lock_can_acquire(const MachineState& state, uint32_t lock, uint32_t value);
// Precondition: lock_can_acquire.
void lock_acquire(MachineState& state, uint32_t lock, uint32_t value);
// False (and no change) when the release would exceed lock_max.
bool lock_release(MachineState& state, const HardwareConfig& config, uint32_t lock,
                  uint32_t value);

}  // namespace aie
