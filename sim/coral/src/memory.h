// Private: the three memories (ITCM, DTCM, EXT) and the checks every access goes through.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "coral/config.h"
#include "coral/machine.h"

namespace coral {

enum class Region : uint8_t { Itcm, Dtcm, Ext, None };
const char* region_name(Region region);

class Memory {
 public:
  explicit Memory(const CoralConfig& config);

  // Zero or the seed's poison pattern in DTCM and EXT; ITCM is always zeroed and marks no
  // word as loaded.
  void reset(const std::optional<uint64_t>& poison_seed);

  // The region holding all of [addr, addr + len), or None (outside, or straddling two).
  Region region_of(uint32_t addr, uint32_t len) const {
    const uint64_t end = uint64_t{addr} + len;
    if (addr - dtcm_.base < dtcm_.size && end <= uint64_t{dtcm_.base} + dtcm_.size) return Region::Dtcm;
    if (addr - ext_.base < ext_.size && end <= uint64_t{ext_.base} + ext_.size) return Region::Ext;
    if (addr - itcm_.base < itcm_.size && end <= uint64_t{itcm_.base} + itcm_.size) return Region::Itcm;
    return Region::None;
  }

  // Host pointer of an address inside `region` (as returned by region_of).
  uint8_t* host(Region region, uint32_t addr) {
    Block& b = block(region);
    return b.bytes.data() + (addr - b.base);
  }
  const uint8_t* host(Region region, uint32_t addr) const {
    const Block& b = const_cast<Memory*>(this)->block(region);
    return b.bytes.data() + (addr - b.base);
  }

  // EXT stores must lie inside one of the writable ranges.
  void set_writable_ext(const std::vector<AddressRange>& ranges) { writable_ = ranges; }
  bool ext_writable(uint32_t addr, uint32_t len) const {
    for (const AddressRange& r : writable_)
      if (addr >= r.begin && uint64_t{addr} + len <= r.end) return true;
    return false;
  }

  // ITCM words written by load() or the harness: only those may be fetched.
  void mark_code(uint32_t addr, uint32_t len);
  bool code_word_loaded(uint32_t index) const { return index < loaded_.size() && loaded_[index]; }
  // One past the highest loaded ITCM word (the pre-decoder's range).
  uint32_t code_words_end() const { return code_end_; }
  uint32_t itcm_base() const { return itcm_.base; }
  uint32_t itcm_words() const { return itcm_.size / 4; }
  uint32_t itcm_word(uint32_t index) const {
    uint32_t word;
    std::memcpy(&word, itcm_.bytes.data() + 4 * index, 4);
    return word;
  }

 private:
  struct Block {
    uint32_t base = 0;
    uint32_t size = 0;
    std::vector<uint8_t> bytes;
  };
  Block& block(Region region) {
    return region == Region::Dtcm ? dtcm_ : region == Region::Ext ? ext_ : itcm_;
  }

  Block itcm_, dtcm_, ext_;
  std::vector<bool> loaded_;  // per ITCM word
  uint32_t code_end_ = 0;
  std::vector<AddressRange> writable_;
};

}  // namespace coral
