#include "plena/memory_access.h"

#include <cmath>
#include <limits>

#include "plena/hbm_codec.h"
#include "plena/numerics.h"

namespace plena {
namespace {

std::string range_error(Memory memory, uint64_t address, uint64_t count, uint64_t capacity) {
  return std::to_string(count) + " elements at " + memory_name(memory) + " address " +
         std::to_string(address) + " do not fit: " + memory_name(memory) + " holds " +
         std::to_string(capacity) + " elements";
}

// INT SRAM words are int32; out-of-range or fractional values are input mistakes, not wraps.
bool to_int32(double v, int32_t& out) {
  if (!(v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max()) ||
      v != std::floor(v))
    return false;
  out = static_cast<int32_t>(v);
  return true;
}

bool write_native(MachineState& state, Memory memory, uint64_t address,
                  const std::vector<double>& values, std::string& error) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double v = values[i];
    switch (memory) {
      case Memory::IntSram:
        if (!to_int32(v, state.int_sram[address + i])) {
          error = "intsram value " + std::to_string(i) + " (" + std::to_string(v) +
                  ") is not a 32-bit integer";
          return false;
        }
        break;
      case Memory::Hbm:
        if (!(v >= 0 && v <= 255 && v == std::floor(v))) {
          error = "hbm native value " + std::to_string(i) + " must be a byte 0..255";
          return false;
        }
        state.hbm[address + i] = static_cast<uint8_t>(v);
        break;
      case Memory::MatrixSram: state.matrix_sram[address + i] = numerics::round_to_bf16(float(v)); break;
      case Memory::VectorSram: state.vector_sram[address + i] = numerics::round_to_bf16(float(v)); break;
      case Memory::FpSram: state.fp_sram[address + i] = numerics::round_to_bf16(float(v)); break;
    }
  }
  return true;
}

double read_native(const MachineState& state, Memory memory, uint64_t index) {
  switch (memory) {
    case Memory::IntSram: return state.int_sram[index];
    case Memory::Hbm: return state.hbm[index];
    case Memory::MatrixSram: return state.matrix_sram[index];
    case Memory::VectorSram: return state.vector_sram[index];
    case Memory::FpSram: return state.fp_sram[index];
  }
  return 0;
}

bool hbm_format_of(ValueEncoding encoding, HbmFormat& out) {
  if (encoding == ValueEncoding::Mxfp8) out = HbmFormat::Mxfp8;
  else if (encoding == ValueEncoding::Bf16) out = HbmFormat::Bf16;
  else return false;
  return true;
}

bool check_encoding(Memory memory, ValueEncoding encoding, std::string& error) {
  if (encoding == ValueEncoding::Native || memory == Memory::Hbm) return true;
  error = std::string("encoding ") + encoding_name(encoding) + " applies only to hbm, not " +
          memory_name(memory);
  return false;
}

}  // namespace

const char* encoding_name(ValueEncoding encoding) {
  switch (encoding) {
    case ValueEncoding::Native: return "native";
    case ValueEncoding::Mxfp8: return "mxfp8";
    case ValueEncoding::Bf16: return "bf16";
  }
  return "?";
}

bool parse_encoding_name(const std::string& name, ValueEncoding& out) {
  for (ValueEncoding e : {ValueEncoding::Native, ValueEncoding::Mxfp8, ValueEncoding::Bf16})
    if (name == encoding_name(e)) {
      out = e;
      return true;
    }
  return false;
}

bool write_memory(MachineState& state, Memory memory, uint64_t address,
                  const std::vector<double>& values, ValueEncoding encoding,
                  uint64_t scale_address, std::string& error) {
  if (!check_encoding(memory, encoding, error)) return false;
  HbmFormat format;
  if (hbm_format_of(encoding, format)) {
    std::vector<float> floats(values.begin(), values.end());
    // The scale of element i lives at scale_address + i / 8: the codec's scale_base is that
    // address, with the tensor starting at element offset 0 of `address`.
    return write_hbm_tensor(state.hbm, format, address, scale_address, 0, floats.data(),
                            floats.size(), error);
  }
  const uint64_t capacity = memory_capacity(state, memory);
  if (!range_within(address, values.size(), capacity)) {
    error = range_error(memory, address, values.size(), capacity);
    return false;
  }
  return write_native(state, memory, address, values, error);
}

bool read_memory(const MachineState& state, Memory memory, uint64_t address, uint64_t count,
                 ValueEncoding encoding, uint64_t scale_address, std::vector<double>& out,
                 std::string& error) {
  if (!check_encoding(memory, encoding, error)) return false;
  const uint64_t capacity = memory_capacity(state, memory);
  HbmFormat format;
  if (hbm_format_of(encoding, format)) {
    if (count > capacity) {
      error = range_error(memory, address, count, capacity);
      return false;
    }
    std::vector<float> floats(count);
    if (!read_hbm_tensor(state.hbm, format, address, scale_address, 0, floats.data(), count, error))
      return false;
    out.assign(floats.begin(), floats.end());
    return true;
  }
  if (!range_within(address, count, capacity)) {
    error = range_error(memory, address, count, capacity);
    return false;
  }
  out.resize(count);
  for (uint64_t i = 0; i < count; ++i) out[i] = read_native(state, memory, address + i);
  return true;
}

}  // namespace plena
