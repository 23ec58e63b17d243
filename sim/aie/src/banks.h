// Data-memory bank model: which banks a bundle's core accesses touch, and the stall.
#pragma once

#include <cstdint>
#include <vector>

#include "aie/config.h"

namespace aie {

struct BankAccess {
  uint32_t address = 0;
  uint32_t bytes = 0;
};

// Each bank serves one access per cycle; a bundle whose accesses put k accesses on one bank
// stalls k - 1 extra cycles (the worst bank decides). An access wider than a bank touches
// consecutive banks, each once.
uint32_t bank_conflict_stall(const std::vector<BankAccess>& accesses, const HardwareConfig& config);

}  // namespace aie
