#include "aie_bd_pool.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "kernelcraft/core/errors.h"

namespace kc::aie_baseline {
namespace {

enum Field { SrcAddr, DstAddr, Size0, SrcStride0 = 5, DstStride0 = 8, Next = 11, AcqValue, RelValue };

std::optional<int64_t> as_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  std::size_t i = hex ? 2 : (text[0] == '-' ? 1 : 0);
  if (i == text.size()) return std::nullopt;
  for (std::size_t k = i; k < text.size(); ++k)
    if (!(hex ? std::isxdigit(static_cast<unsigned char>(text[k])) : std::isdigit(static_cast<unsigned char>(text[k]))))
      return std::nullopt;
  return std::stoll(text, nullptr, hex ? 16 : 10);
}

// Numbers in one spelling (decimal), so "0x40" and "64" compare equal; expressions stay as written.
std::string canonical(const std::string& text) {
  const auto v = as_number(text);
  return v ? std::to_string(*v) : text;
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, sep);) parts.push_back(part);
  return parts;
}

// "ddr:0x40" -> ("ddr", "0x40").
std::pair<std::string, std::string> endpoint(const std::string& value) {
  const std::size_t colon = value.find(':');
  if (colon == std::string::npos) return {value, ""};
  return {value.substr(0, colon), value.substr(colon + 1)};
}

}  // namespace

const std::array<const char*, BdPool::kFields> BdPool::kFieldNames = {
    "src_addr",    "dst_addr",    "size0",       "size1", "size2",     "src_stride0", "src_stride1",
    "src_stride2", "dst_stride0", "dst_stride1", "dst_stride2", "next", "acq_value", "rel_value"};

// The effective value of every field, as the assembler reads a `.bd` line: missing sizes are 1,
// omitted strides are contiguous, a partial stride list leaves the rest 0.
BdPool::Content BdPool::parse(const std::string& spec) const {
  Content c;
  std::string acq_lock, rel_lock;
  std::vector<std::string> size{"1", "1", "1"};
  std::optional<std::vector<std::string>> strides[2];
  c.field[Next] = "-1";
  c.field[AcqValue] = c.field[RelValue] = "0";
  std::stringstream in(spec);
  for (std::string item; in >> item;) {
    const std::size_t eq = item.find('=');
    const std::string key = item.substr(0, eq), value = eq == std::string::npos ? "" : item.substr(eq + 1);
    if (key == "src" || key == "dst") {
      const auto [mem, addr] = endpoint(value);
      c.mem[key == "src" ? 0 : 1] = mem;
      // ddr:0 = an address the stage sets before every start.
      c.field[key == "src" ? SrcAddr : DstAddr] = mem == "ddr" && addr == "0" ? "" : canonical(addr);
    } else if (key == "size") {
      const auto parts = split(value, ',');
      for (std::size_t i = 0; i < parts.size() && i < 3; ++i) size[i] = canonical(parts[i]);
    } else if (key == "src_stride" || key == "dst_stride") {
      std::vector<std::string> s{"1", "0", "0"};
      const auto parts = split(value, ',');
      for (std::size_t i = 0; i < parts.size() && i < 3; ++i) s[i] = canonical(parts[i]);
      strides[key == "src_stride" ? 0 : 1] = s;
    } else if (key == "acq" || key == "rel") {
      const auto [lock, amount] = endpoint(value);
      (key == "acq" ? acq_lock : rel_lock) = lock;
      c.field[key == "acq" ? AcqValue : RelValue] = canonical(amount);
    } else if (key == "next") {
      c.field[Next] = value == "none" ? "-1" : canonical(value);
    }
  }
  const auto s0 = as_number(size[0]), s1 = as_number(size[1]);
  const std::vector<std::string> contiguous{
      "1", size[0], s0 && s1 ? std::to_string(*s0 * *s1) : "(" + size[0] + ")*(" + size[1] + ")"};
  for (int i = 0; i < 3; ++i) {
    c.field[Size0 + i] = size[i];
    c.field[SrcStride0 + i] = (strides[0] ? *strides[0] : contiguous)[i];
    c.field[DstStride0 + i] = (strides[1] ? *strides[1] : contiguous)[i];
  }
  c.shape = "src=" + c.mem[0] + " dst=" + c.mem[1] + " acq=" + acq_lock + " rel=" + rel_lock;
  return c;
}

// A pattern that leaves data memory or the memory tile would only trap when it runs; say which
// stage does not fit the preset instead.
void BdPool::check_extent(const Content& c) const {
  for (int side = 0; side < 2; ++side) {
    const std::string& mem = c.mem[side];
    if (mem != "dm" && mem != "mem") continue;
    const auto addr = as_number(c.field[side == 0 ? SrcAddr : DstAddr]);
    if (!addr) continue;
    int64_t lo = *addr, hi = *addr + 4;
    bool known = true;
    for (int i = 0; i < 3; ++i) {
      const auto n = as_number(c.field[Size0 + i]), s = as_number(c.field[(side == 0 ? SrcStride0 : DstStride0) + i]);
      if (!n || !s) {
        known = false;
        break;
      }
      const int64_t reach = 4 * (*n - 1) * *s;
      (reach < 0 ? lo : hi) += reach;
    }
    const int64_t capacity = mem == "dm" ? hw_.dm_bytes : hw_.memtile_bytes;
    if (known && (lo < 0 || hi > capacity))
      throw InputError("AIE baseline: " + who() + " needs " +
                       (mem == "dm" ? "data memory" : "memory-tile") + " bytes [" + std::to_string(lo) + ", " +
                       std::to_string(hi) + "), but preset " + hw_.name + " has " + std::to_string(capacity) +
                       " bytes of " + (mem == "dm" ? "data memory" : "memory tile"));
  }
}

// What a number holds once the stage has set its run-time fields: unknown to the pool.
BdPool::Content BdPool::held_after(const Content& wanted) {
  Content held = wanted;
  for (std::string& v : held.field)
    if (v.empty()) v = "?";
  return held;
}

int BdPool::differences(const Content& held, const Content& wanted) {
  int n = 0;
  for (std::size_t f = 0; f < kFields; ++f) n += !matches(held.field[f], wanted.field[f]);
  return n;
}

int BdPool::claim(int number) {
  Slot& slot = slots_[static_cast<std::size_t>(number)];
  slot.in_use = true;
  if (depth_ == 0) slot.reserved = true;
  return number;
}

BdPool::Grant BdPool::take(const std::string& spec) {
  const Content wanted = parse(spec);
  check_extent(wanted);
  const Content after = held_after(wanted);
  Grant grant;
  for (std::size_t n = 0; n < slots_.size(); ++n)
    if (slots_[n].held.shape == wanted.shape && differences(slots_[n].held, wanted) == 0) {
      grant.number = claim(static_cast<int>(n));
      return grant;
    }
  const int free = best_free(wanted);
  if (slots_.size() < hw_.bd_count && !(recycle_first_ && free >= 0)) {
    slots_.push_back({after, false, false});
    grant.number = claim(static_cast<int>(slots_.size() - 1));
    grant.definition = ".bd " + std::to_string(grant.number) + " " + spec;
    return grant;
  }
  if (free < 0)  // bd.set cannot change memories or locks, so only a free BD of the same shape helps
    throw InputError("AIE baseline: " + who() + " needs a buffer descriptor '" + wanted.shape +
                     "', but the " + std::to_string(hw_.bd_count) + " of preset " + hw_.name +
                     " are all in use or hold other memories/locks");
  Slot& slot = slots_[static_cast<std::size_t>(free)];
  for (std::size_t f = 0; f < kFields; ++f)
    if (!matches(slot.held.field[f], wanted.field[f])) grant.sets.emplace_back(kFieldNames[f], wanted.field[f]);
  slot.held = after;
  grant.number = claim(free);
  return grant;
}

int BdPool::best_free(const Content& wanted) const {
  int best = -1, best_cost = 0;
  for (std::size_t n = 0; n < slots_.size(); ++n) {
    const Slot& slot = slots_[n];
    if (slot.in_use || slot.reserved || slot.held.shape != wanted.shape) continue;
    const int cost = differences(slot.held, wanted);
    if (best < 0 || cost < best_cost) best = static_cast<int>(n), best_cost = cost;
  }
  return best;
}

void BdPool::reserve(int number) { slots_.at(static_cast<std::size_t>(number)).reserved = true; }

std::vector<std::pair<std::string, std::string>> BdPool::reprogram(int number, const std::string& spec) {
  const Content wanted = parse(spec);
  check_extent(wanted);
  Slot& slot = slots_.at(static_cast<std::size_t>(number));
  if (slot.held.shape != wanted.shape)
    throw std::logic_error("AIE baseline: bd" + std::to_string(number) + " cannot be reprogrammed to " + spec);
  std::vector<std::pair<std::string, std::string>> sets;
  for (std::size_t f = 0; f < kFields; ++f)
    if (!matches(slot.held.field[f], wanted.field[f])) sets.emplace_back(kFieldNames[f], wanted.field[f]);
  slot.held = held_after(wanted);
  slot.in_use = true;
  return sets;
}

void BdPool::set_at_run_time(int number, const std::string& field) {
  if (number < 0 || static_cast<std::size_t>(number) >= slots_.size()) return;
  for (std::size_t f = 0; f < kFields; ++f)
    if (field == kFieldNames[f]) slots_[static_cast<std::size_t>(number)].held.field[f] = "?";
}

void BdPool::begin_stage(const std::string& name) {
  if (depth_++ == 0) stage_ = name;
}

void BdPool::end_stage() {
  if (depth_ == 0 || --depth_ > 0) return;
  for (Slot& slot : slots_)
    if (!slot.reserved) slot.in_use = false;
  stage_.clear();
}

}  // namespace kc::aie_baseline
