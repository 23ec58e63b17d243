// Test fixture: builds a program from encoded words, wraps it in an ELF, runs it on a Machine
// configured with a real preset.
#pragma once

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "coral/config.h"
#include "coral/elf.h"
#include "coral/machine.h"
#include "elf_builder.h"
#include "encode.h"

namespace coral::test {

inline CoralConfig preset(const std::string& name) {
  return load_config_file(std::string(KC_SOURCE_DIR) + "/isa/coral_npu/presets/" + name + ".json");
}

// Register numbers by ABI name, for readable tests.
enum Reg : uint32_t { zero = 0, ra = 1, sp = 2, t0 = 5, t1 = 6, t2 = 7, s0 = 8, s1 = 9, a0 = 10,
                      a1 = 11, a2 = 12, a3 = 13, a4 = 14, a5 = 15, a6 = 16, a7 = 17, t3 = 28,
                      t4 = 29, t5 = 30, t6 = 31 };

class Program {
 public:
  Program& operator<<(uint32_t word) {
    words_.push_back(word);
    return *this;
  }
  // rd = value (lui + addi, always two words so offsets stay predictable).
  Program& li(uint32_t rd, uint32_t value) {
    const uint32_t low = value & 0xFFF;
    const uint32_t high = (value + 0x800) >> 12;
    words_.push_back(enc::lui(rd, high & 0xFFFFF));
    words_.push_back(enc::addi(rd, rd, static_cast<int32_t>(low << 20) >> 20));
    return *this;
  }
  Program& lf(uint32_t fd, float value, uint32_t scratch = t6) {
    uint32_t bits;
    std::memcpy(&bits, &value, 4);
    return lf_bits(fd, bits, scratch);
  }
  Program& lf_bits(uint32_t fd, uint32_t bits, uint32_t scratch = t6) {
    li(scratch, bits);
    words_.push_back(enc::fmv_w_x(fd, scratch));
    return *this;
  }
  std::size_t size() const { return words_.size(); }
  // Byte offset from instruction `from` to instruction `to` (indices), for branches.
  static int32_t offset(std::size_t from, std::size_t to) {
    return static_cast<int32_t>(to * 4) - static_cast<int32_t>(from * 4);
  }
  const std::vector<uint32_t>& words() const { return words_; }

 private:
  std::vector<uint32_t> words_;
};

class Harness {
 public:
  explicit Harness(const std::string& preset_name = "coral_small")
      : config(preset(preset_name)), machine(config) {
    options.writable_ext = {{config.ext_base, config.ext_base + 0x10000}};
  }

  // Data placed at the DTCM base by the ELF.
  std::vector<uint8_t> data;
  // Harness writes applied after load (like the platform writing input tensors).
  std::vector<std::pair<uint32_t, std::vector<uint8_t>>> writes;

  RunResult run(const Program& program) { return run(program.words()); }
  RunResult run(const std::vector<uint32_t>& code) {
    std::vector<SegmentSpec> segments = {{config.itcm_base, words_to_bytes(code), 0, true}};
    if (!data.empty()) segments.push_back({config.dtcm_base, data, 0, false});
    machine.reset(options);
    machine.load(parse_elf(build_elf(config.itcm_base, segments)));
    for (const auto& w : writes) machine.write(w.first, w.second);
    return machine.run(options);
  }

  uint32_t x(unsigned r) const { return machine.x(r); }
  float f(unsigned r) const {
    const uint32_t bits = machine.f_bits(r);
    float value;
    std::memcpy(&value, &bits, 4);
    return value;
  }
  uint32_t word_at(uint32_t address) const {
    const std::vector<uint8_t> bytes = machine.read(address, 4);
    return static_cast<uint32_t>(bytes[0]) | (static_cast<uint32_t>(bytes[1]) << 8) |
           (static_cast<uint32_t>(bytes[2]) << 16) | (static_cast<uint32_t>(bytes[3]) << 24);
  }
  template <typename T>
  T velem(unsigned reg, unsigned index) const {
    const unsigned per_reg = 16 / sizeof(T);
    const std::vector<uint8_t> bytes = machine.v(reg + index / per_reg);
    T value;
    std::memcpy(&value, bytes.data() + (index % per_reg) * sizeof(T), sizeof(T));
    return value;
  }

  uint32_t dtcm() const { return config.dtcm_base; }
  uint32_t ext() const { return config.ext_base; }

  CoralConfig config;
  Machine machine;
  RunOptions options;
};

template <typename T>
std::vector<uint8_t> bytes_of(const std::vector<T>& values) {
  std::vector<uint8_t> out(values.size() * sizeof(T));
  std::memcpy(out.data(), values.data(), out.size());
  return out;
}

inline uint32_t bits_of(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  return bits;
}
inline float float_of(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, 4);
  return value;
}

}  // namespace coral::test
