#include "memory.h"

#include <algorithm>

#include "coral/poison.h"

namespace coral {

const char* region_name(Region region) {
  switch (region) {
    case Region::Itcm: return "ITCM";
    case Region::Dtcm: return "DTCM";
    case Region::Ext: return "EXT";
    case Region::None: break;
  }
  return "unmapped";
}

Memory::Memory(const CoralConfig& config) {
  itcm_.base = config.itcm_base;
  itcm_.size = config.itcm_bytes;
  dtcm_.base = config.dtcm_base;
  dtcm_.size = config.dtcm_bytes;
  ext_.base = config.ext_base;
  ext_.size = config.ext_bytes;
  itcm_.bytes.assign(itcm_.size, 0);
  dtcm_.bytes.assign(dtcm_.size, 0);
  ext_.bytes.assign(ext_.size, 0);
  loaded_.assign(itcm_.size / 4, false);
}

void Memory::reset(const std::optional<uint64_t>& poison_seed) {
  std::fill(itcm_.bytes.begin(), itcm_.bytes.end(), 0);
  std::fill(loaded_.begin(), loaded_.end(), false);
  code_end_ = 0;
  if (poison_seed) {
    poison_fill(dtcm_.bytes, *poison_seed, PoisonRegion::Dtcm);
    poison_fill(ext_.bytes, *poison_seed, PoisonRegion::Ext);
  } else {
    std::fill(dtcm_.bytes.begin(), dtcm_.bytes.end(), 0);
    std::fill(ext_.bytes.begin(), ext_.bytes.end(), 0);
  }
  writable_.clear();
}

void Memory::mark_code(uint32_t addr, uint32_t len) {
  if (len == 0) return;
  const uint32_t first = (addr - itcm_.base) / 4;
  const uint32_t last = (addr - itcm_.base + len - 1) / 4;
  for (uint32_t i = first; i <= last && i < loaded_.size(); ++i) loaded_[i] = true;
  code_end_ = std::max(code_end_, std::min<uint32_t>(last + 1, static_cast<uint32_t>(loaded_.size())));
}

}  // namespace coral
