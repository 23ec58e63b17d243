// Preset loading with field-level errors, validation and JSON output.
#include "aie/config.h"

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace aie {
namespace {

using json = nlohmann::json;

void set_default_latencies(HardwareConfig& c) {
  // Our choices within public AIE-ML figures (isa/aie/05-vector-and-mac.md explains them).
  const std::pair<LatencyClass, uint32_t> cycles[] = {
      {LatencyClass::ScalarAlu, 1}, {LatencyClass::ScalarMul, 2},
      {LatencyClass::Move, 1},      {LatencyClass::Load, 4},
      {LatencyClass::PointerUpdate, 1}, {LatencyClass::VecInt, 2},
      {LatencyClass::VecFloat, 3},  {LatencyClass::VecCompare, 2},
      {LatencyClass::VecNonLinear, 6}, {LatencyClass::MacInt, 4},
      {LatencyClass::MacBf16, 5},   {LatencyClass::Srs, 3},
      {LatencyClass::Ups, 2},       {LatencyClass::Control, 1},
  };
  for (const auto& [cls, n] : cycles) c.latency[static_cast<std::size_t>(cls)] = n;
}

struct ParseError {
  std::string message;
};

// Reads one JSON object and rejects keys it does not know, so a typo in a preset is an
// error rather than a silently ignored setting.
class FieldReader {
 public:
  FieldReader(const json& object, std::string path) : object_(object), path_(std::move(path)) {
    if (!object_.is_object()) fail(path_, "expected an object");
  }

  template <typename T>
  void number(const char* key, T& out, uint64_t min, uint64_t max) {
    seen_.insert(key);
    auto it = object_.find(key);
    if (it == object_.end()) return;
    const std::string where = path_.empty() ? key : path_ + "." + key;
    if (!it->is_number_unsigned() && !(it->is_number_integer() && it->template get<int64_t>() >= 0))
      fail(where, "expected a non-negative integer");
    const uint64_t value = it->template get<uint64_t>();
    if (value < min || value > max)
      fail(where, "expected a value in [" + std::to_string(min) + ", " + std::to_string(max) +
                      "], got " + std::to_string(value));
    out = static_cast<T>(value);
  }

  void string(const char* key, std::string& out) {
    seen_.insert(key);
    auto it = object_.find(key);
    if (it == object_.end()) return;
    if (!it->is_string()) fail(path_.empty() ? key : path_ + "." + key, "expected a string");
    out = it->get<std::string>();
  }

  const json* child(const char* key) {
    seen_.insert(key);
    auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
  }

  void reject_unknown() const {
    for (auto it = object_.begin(); it != object_.end(); ++it)
      if (!seen_.count(it.key()))
        fail(path_.empty() ? it.key() : path_ + "." + it.key(), "unknown field");
  }

  [[noreturn]] static void fail(const std::string& where, const std::string& what) {
    throw ParseError{"field '" + where + "': " + what};
  }

 private:
  const json& object_;
  std::string path_;
  std::set<std::string> seen_;
};

constexpr uint64_t kMiB = 1ull << 20;

void read_memory(const json& j, HardwareConfig& c) {
  FieldReader r(j, "memory");
  r.number("dm_bytes", c.dm_bytes, 1024, 16 * kMiB);
  r.number("dm_banks", c.dm_banks, 1, 64);
  r.number("bank_bytes", c.bank_bytes, 4, 64);
  r.number("memtile_bytes", c.memtile_bytes, 1024, 64 * kMiB);
  r.number("ddr_bytes", c.ddr_bytes, 4096, 1024 * kMiB);
  r.number("program_bytes", c.program_bytes, 16, 16 * kMiB);
  r.number("bundle_bytes", c.bundle_bytes, 1, 64);
  r.reject_unknown();
}

void read_locks(const json& j, HardwareConfig& c) {
  FieldReader r(j, "locks");
  r.number("tile_locks", c.tile_locks, 1, 64);
  r.number("memtile_locks", c.memtile_locks, 0, 256);
  r.number("lock_max", c.lock_max, 1, 63);
  r.reject_unknown();
}

void read_dma(const json& j, HardwareConfig& c) {
  FieldReader r(j, "dma");
  r.number("bd_count", c.bd_count, 1, 256);
  r.number("shim_channels", c.shim_channels, 0, 16);
  r.number("tile_channels", c.tile_channels, 0, 16);
  r.number("bytes_per_cycle", c.dma_bytes_per_cycle, 4, 256);
  r.number("bd_setup_cycles", c.bd_setup_cycles, 0, 10000);
  r.number("queue_depth", c.dma_queue_depth, 1, 64);
  r.reject_unknown();
}

void read_timing(const json& j, HardwareConfig& c) {
  FieldReader r(j, "timing");
  r.number("branch_penalty", c.branch_penalty, 0, 64);
  r.number("max_loop_depth", c.max_loop_depth, 1, 8);
  if (const json* lat = r.child("latency")) {
    FieldReader lr(*lat, "timing.latency");
    for (std::size_t i = 0; i < kLatencyClassCount; ++i) {
      const std::string key(latency_class_name(static_cast<LatencyClass>(i)));
      lr.number(key.c_str(), c.latency[i], 1, 64);
    }
    lr.reject_unknown();
  }
  r.reject_unknown();
}

void read_config(const json& root, HardwareConfig& c) {
  FieldReader top(root, "");
  top.string("name", c.name);
  top.string("description", c.description);
  if (const json* j = top.child("memory")) read_memory(*j, c);
  if (const json* j = top.child("locks")) read_locks(*j, c);
  if (const json* j = top.child("dma")) read_dma(*j, c);
  if (const json* j = top.child("timing")) read_timing(*j, c);
  top.reject_unknown();
}

}  // namespace

HardwareConfig HardwareConfig::aie_ml() {
  HardwareConfig c;
  c.description =
      "KernelCraft model of one AIE-ML compute tile (64 KiB data memory in 8 banks) with a "
      "512 KiB memory tile and DDR behind a shim DMA";
  set_default_latencies(c);
  return c;
}

std::string validate(const HardwareConfig& c) {
  if (c.dm_bytes % (c.bank_bytes * c.dm_banks) != 0)
    return "memory.dm_bytes must be a multiple of dm_banks * bank_bytes";
  if (c.dm_bytes % 64 != 0 || c.memtile_bytes % 64 != 0 || c.ddr_bytes % 64 != 0)
    return "memory sizes must be multiples of 64 bytes";
  if (c.program_bytes < c.bundle_bytes) return "memory.program_bytes holds no bundle";
  if (c.dma_bytes_per_cycle % 4 != 0) return "dma.bytes_per_cycle must be a multiple of 4";
  if (c.channel_count() == 0) return "the DMA needs at least one channel";
  if (c.lock_count() > 1024) return "too many locks";
  for (std::size_t i = 0; i < kLatencyClassCount; ++i)
    if (c.latency[i] == 0)
      return "timing.latency." + std::string(latency_class_name(static_cast<LatencyClass>(i))) +
             " must be at least 1";
  return "";
}

bool parse_hardware_config(const std::string& json_text, const std::string& source_name,
                           HardwareConfig& out, std::string& error) {
  HardwareConfig c = HardwareConfig::aie_ml();
  try {
    const json root = json::parse(json_text);
    read_config(root, c);
  } catch (const ParseError& e) {
    error = source_name + ": " + e.message;
    return false;
  } catch (const json::exception& e) {
    error = source_name + ": invalid JSON: " + e.what();
    return false;
  }
  const std::string problem = validate(c);
  if (!problem.empty()) {
    error = source_name + ": " + problem;
    return false;
  }
  out = c;
  return true;
}

bool load_hardware_config(const std::string& path, HardwareConfig& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open";
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_hardware_config(text.str(), path, out, error);
}

std::string to_json(const HardwareConfig& c) {
  json latency = json::object();
  for (std::size_t i = 0; i < kLatencyClassCount; ++i)
    latency[std::string(latency_class_name(static_cast<LatencyClass>(i)))] = c.latency[i];
  json j = {
      {"name", c.name},
      {"description", c.description},
      {"memory",
       {{"dm_bytes", c.dm_bytes}, {"dm_banks", c.dm_banks}, {"bank_bytes", c.bank_bytes},
        {"memtile_bytes", c.memtile_bytes}, {"ddr_bytes", c.ddr_bytes},
        {"program_bytes", c.program_bytes}, {"bundle_bytes", c.bundle_bytes}}},
      {"locks",
       {{"tile_locks", c.tile_locks}, {"memtile_locks", c.memtile_locks},
        {"lock_max", c.lock_max}}},
      {"dma",
       {{"bd_count", c.bd_count}, {"shim_channels", c.shim_channels},
        {"tile_channels", c.tile_channels}, {"bytes_per_cycle", c.dma_bytes_per_cycle},
        {"bd_setup_cycles", c.bd_setup_cycles}, {"queue_depth", c.dma_queue_depth}}},
      {"timing",
       {{"branch_penalty", c.branch_penalty}, {"max_loop_depth", c.max_loop_depth},
        {"latency", latency}}},
  };
  return j.dump(2) + "\n";
}

}  // namespace aie
