#include "locks.h"

#include <cctype>

namespace aie {

std::string lock_name(uint32_t global_index, const HardwareConfig& config) {
  if (global_index < config.tile_locks) return "l" + std::to_string(global_index);
  return "ml" + std::to_string(global_index - config.tile_locks);
}

bool parse_lock_name(const std::string& text, const HardwareConfig& config, uint32_t& out) {
  const bool memtile = text.size() > 2 && (text[0] == 'm' || text[0] == 'M') &&
                       (text[1] == 'l' || text[1] == 'L');
  const std::size_t start = memtile ? 2 : 1;
  if (text.size() <= start || text.size() > start + 4) return false;
  if (!memtile && text[0] != 'l' && text[0] != 'L') return false;
  uint32_t n = 0;
  for (std::size_t i = start; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    n = n * 10 + static_cast<uint32_t>(text[i] - '0');
  }
  const uint32_t limit = memtile ? config.memtile_locks : config.tile_locks;
  if (n >= limit) return false;
  out = memtile ? config.tile_locks + n : n;
  return true;
}

bool lock_can_acquire(const MachineState& state, uint32_t lock, uint32_t value) {
  return lock < state.locks.size() && state.locks[lock] >= value;
}

void lock_acquire(MachineState& state, uint32_t lock, uint32_t value) {
  state.locks[lock] -= value;
}

bool lock_release(MachineState& state, const HardwareConfig& config, uint32_t lock,
                  uint32_t value) {
  if (lock >= state.locks.size() || state.locks[lock] + value > config.lock_max) return false;
  state.locks[lock] += value;
  return true;
}

}  // namespace aie
