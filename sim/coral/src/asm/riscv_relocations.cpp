#include "riscv_relocations.h"

#include <utility>

namespace coral::assembler {
namespace {

uint32_t load32(const uint8_t* bytes) {
  return uint32_t{bytes[0]} | uint32_t{bytes[1]} << 8 | uint32_t{bytes[2]} << 16 | uint32_t{bytes[3]} << 24;
}
void store32(uint8_t* bytes, uint32_t word) {
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<uint8_t>(word >> (8 * i));
}
uint32_t bits(int64_t value, int high, int low) {
  return static_cast<uint32_t>((static_cast<uint64_t>(value) >> low) & ((uint64_t{1} << (high - low + 1)) - 1));
}

std::string range_error(const char* what, int64_t value, int64_t low, int64_t high) {
  return std::string(what) + " offset " + std::to_string(value) + " is out of reach (range " +
         std::to_string(low) + " to " + std::to_string(high) + ")";
}

// value = high20 * 4096 + low12, with low12 the sign-extended low 12 bits (so high20 rounds up
// when bit 11 is set). Computed without shifting negative numbers (undefined in C++17).
int64_t low12(int64_t value) {
  const int64_t low = static_cast<int64_t>(static_cast<uint64_t>(value) & 0xfff);
  return low >= 0x800 ? low - 0x1000 : low;
}
int64_t high20(int64_t value) { return (value - low12(value)) / 4096; }

bool fits_32(int64_t value) { return value >= INT32_MIN && value <= int64_t{UINT32_MAX}; }

std::string apply_word32(PatchSite site, int64_t value) {
  if (!fits_32(value)) return "value " + std::to_string(value) + " does not fit in 32 bits";
  store32(site.bytes, static_cast<uint32_t>(value));
  return {};
}

std::string apply_u_type(PatchSite site, int64_t value) {
  if (!fits_32(value)) return "value " + std::to_string(value) + " does not fit in 32 bits";
  const uint32_t word = load32(site.bytes);
  store32(site.bytes, (word & 0xfffu) | (bits(high20(value), 19, 0) << 12));
  return {};
}

std::string apply_i_type(PatchSite site, int64_t value) {
  const uint32_t word = load32(site.bytes);
  store32(site.bytes, (word & 0x000fffffu) | (bits(low12(value), 11, 0) << 20));
  return {};
}

std::string apply_s_type(PatchSite site, int64_t value) {
  const int64_t low = low12(value);
  const uint32_t word = load32(site.bytes);
  store32(site.bytes, (word & 0x01fff07fu) | (bits(low, 11, 5) << 25) | (bits(low, 4, 0) << 7));
  return {};
}

std::string apply_b_type(PatchSite site, int64_t offset) {
  if (offset < -4096 || offset > 4094) return range_error("branch", offset, -4096, 4094);
  if ((offset & 1) != 0) return "branch offset " + std::to_string(offset) + " is odd";
  const uint32_t word = load32(site.bytes);
  store32(site.bytes, (word & 0x01fff07fu) | (bits(offset, 12, 12) << 31) | (bits(offset, 10, 5) << 25) |
                          (bits(offset, 4, 1) << 8) | (bits(offset, 11, 11) << 7));
  return {};
}

std::string apply_j_type(PatchSite site, int64_t offset) {
  if (offset < -(1 << 20) || offset > (1 << 20) - 2) return range_error("jal", offset, -(1 << 20), (1 << 20) - 2);
  if ((offset & 1) != 0) return "jump offset " + std::to_string(offset) + " is odd";
  const uint32_t word = load32(site.bytes);
  store32(site.bytes, (word & 0xfffu) | (bits(offset, 20, 20) << 31) | (bits(offset, 10, 1) << 21) |
                          (bits(offset, 11, 11) << 20) | (bits(offset, 19, 12) << 12));
  return {};
}

// auipc at the site, jalr right after it.
std::string apply_call(PatchSite site, int64_t offset) {
  if (offset < INT32_MIN || offset > INT32_MAX - 0x800) return range_error("call", offset, INT32_MIN, INT32_MAX - 0x800);
  std::string error = apply_u_type(site, offset);
  if (error.empty()) error = apply_i_type(PatchSite{site.bytes + 4, site.available - 4}, offset);
  return error;
}

template <std::size_t Width, int Sign>
std::string apply_accumulate(PatchSite site, int64_t value) {
  uint64_t current = 0;
  for (std::size_t i = 0; i < Width; ++i) current |= uint64_t{site.bytes[i]} << (8 * i);
  const uint64_t updated = current + static_cast<uint64_t>(Sign * value);
  for (std::size_t i = 0; i < Width; ++i) site.bytes[i] = static_cast<uint8_t>(updated >> (8 * i));
  return {};
}

std::string apply_nothing(PatchSite, int64_t) { return {}; }

const RelocationType kRelocationTypes[] = {
    {0, "R_RISCV_NONE", RelocationValue::Ignored, 0, apply_nothing},
    {1, "R_RISCV_32", RelocationValue::Absolute, 4, apply_word32},
    {16, "R_RISCV_BRANCH", RelocationValue::PcRelative, 4, apply_b_type},
    {17, "R_RISCV_JAL", RelocationValue::PcRelative, 4, apply_j_type},
    {18, "R_RISCV_CALL", RelocationValue::PcRelative, 8, apply_call},
    {19, "R_RISCV_CALL_PLT", RelocationValue::PcRelative, 8, apply_call},
    {23, "R_RISCV_PCREL_HI20", RelocationValue::PcRelative, 4, apply_u_type},
    {24, "R_RISCV_PCREL_LO12_I", RelocationValue::PcrelLow, 4, apply_i_type},
    {25, "R_RISCV_PCREL_LO12_S", RelocationValue::PcrelLow, 4, apply_s_type},
    {26, "R_RISCV_HI20", RelocationValue::Absolute, 4, apply_u_type},
    {27, "R_RISCV_LO12_I", RelocationValue::Absolute, 4, apply_i_type},
    {28, "R_RISCV_LO12_S", RelocationValue::Absolute, 4, apply_s_type},
    {33, "R_RISCV_ADD8", RelocationValue::Absolute, 1, apply_accumulate<1, 1>},
    {34, "R_RISCV_ADD16", RelocationValue::Absolute, 2, apply_accumulate<2, 1>},
    {35, "R_RISCV_ADD32", RelocationValue::Absolute, 4, apply_accumulate<4, 1>},
    {37, "R_RISCV_SUB8", RelocationValue::Absolute, 1, apply_accumulate<1, -1>},
    {38, "R_RISCV_SUB16", RelocationValue::Absolute, 2, apply_accumulate<2, -1>},
    {39, "R_RISCV_SUB32", RelocationValue::Absolute, 4, apply_accumulate<4, -1>},
    // Relaxation is off: the code is already final, so hints and alignment markers are inert.
    {43, "R_RISCV_ALIGN", RelocationValue::Ignored, 0, apply_nothing},
    {51, "R_RISCV_RELAX", RelocationValue::Ignored, 0, apply_nothing},
    {57, "R_RISCV_32_PCREL", RelocationValue::PcRelative, 4, apply_word32},
};

// Names of common types we refuse, so the diagnostic says what the code asked for.
const std::pair<uint32_t, const char*> kUnsupportedNames[] = {
    {2, "R_RISCV_64"},           {20, "R_RISCV_GOT_HI20"},   {21, "R_RISCV_TLS_GOT_HI20"},
    {22, "R_RISCV_TLS_GD_HI20"}, {29, "R_RISCV_TPREL_HI20"}, {30, "R_RISCV_TPREL_LO12_I"},
    {31, "R_RISCV_TPREL_LO12_S"}, {32, "R_RISCV_TPREL_ADD"}, {36, "R_RISCV_ADD64"},
    {40, "R_RISCV_SUB64"},       {44, "R_RISCV_RVC_BRANCH"}, {45, "R_RISCV_RVC_JUMP"},
};

}  // namespace

const RelocationType* find_relocation_type(uint32_t number) {
  for (const RelocationType& type : kRelocationTypes)
    if (type.number == number) return &type;
  return nullptr;
}

std::string relocation_type_name(uint32_t number) {
  if (const RelocationType* type = find_relocation_type(number)) return type->name;
  for (const auto& [known, name] : kUnsupportedNames)
    if (known == number) return name;
  return "relocation type " + std::to_string(number);
}

}  // namespace coral::assembler
