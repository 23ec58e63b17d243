#include "banks.h"

#include <algorithm>
#include <array>

namespace aie {

uint32_t bank_conflict_stall(const std::vector<BankAccess>& accesses,
                             const HardwareConfig& config) {
  if (accesses.size() < 2) return 0;  // one access never conflicts with itself
  std::array<uint32_t, 64> uses{};  // dm_banks <= 64 (config validation)
  for (const BankAccess& a : accesses) {
    const uint32_t first = a.address / config.bank_bytes;
    const uint32_t last = (a.address + std::max<uint32_t>(a.bytes, 1) - 1) / config.bank_bytes;
    const uint32_t span = std::min<uint32_t>(last - first + 1, config.dm_banks);
    for (uint32_t k = 0; k < span; ++k) ++uses[(first + k) % config.dm_banks];
  }
  const uint32_t worst = *std::max_element(uses.begin(), uses.end());
  return worst > 1 ? worst - 1 : 0;
}

}  // namespace aie
