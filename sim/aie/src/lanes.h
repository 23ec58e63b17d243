// Lane access on 512-bit vector values (little-endian lanes, lane 0 at byte 0).
#pragma once

#include <cstdint>
#include <cstring>

#include "aie/bf16.h"
#include "exec_context.h"

namespace aie {

inline std::size_t lane_count(ElemType type) { return kVectorBytes / elem_bytes(type); }

inline int64_t get_int(const uint8_t* bytes, ElemType type, std::size_t lane) {
  switch (type) {
    case ElemType::I8: return static_cast<int8_t>(bytes[lane]);
    case ElemType::U8: return bytes[lane];
    case ElemType::I16:
    case ElemType::Bf16: {
      int16_t v;
      std::memcpy(&v, bytes + 2 * lane, 2);
      return v;
    }
    case ElemType::U16: {
      uint16_t v;
      std::memcpy(&v, bytes + 2 * lane, 2);
      return v;
    }
    default: {
      int32_t v;
      std::memcpy(&v, bytes + 4 * lane, 4);
      return v;
    }
  }
}

// Stores the low bits of `value` (two's complement wrap).
inline void set_int(uint8_t* bytes, ElemType type, std::size_t lane, int64_t value) {
  const std::size_t n = elem_bytes(type);
  const uint64_t u = static_cast<uint64_t>(value);
  for (std::size_t b = 0; b < n; ++b) bytes[n * lane + b] = static_cast<uint8_t>(u >> (8 * b));
}

inline float get_bf16(const uint8_t* bytes, std::size_t lane) {
  uint16_t v;
  std::memcpy(&v, bytes + 2 * lane, 2);
  return bf16_to_float(v);
}

inline void set_bf16(uint8_t* bytes, std::size_t lane, float value) {
  const uint16_t v = float_to_bf16(value);
  std::memcpy(bytes + 2 * lane, &v, 2);
}

inline int64_t saturate(int64_t value, ElemType type) {
  const int bits = static_cast<int>(8 * elem_bytes(type));
  const int64_t hi = (int64_t{1} << (bits - 1)) - 1;
  const int64_t lo = -hi - 1;
  return value < lo ? lo : value > hi ? hi : value;
}

}  // namespace aie
