#include "coral/config.h"

#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

namespace coral {
namespace {

using json = nlohmann::json;

// Reads one JSON object's fields and rejects keys it does not know, so a typo in a preset is an
// error rather than a silently ignored setting.
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string source, std::string path)
      : object_(object), source_(std::move(source)), path_(std::move(path)) {
    if (!object_.is_object()) fail(path_, "expected a JSON object");
  }

  // An unsigned integer, written as a JSON number or as a "0x..." string (addresses read
  // better in hex). Missing keys keep the default.
  void number(const char* key, uint32_t& out, uint64_t min, uint64_t max) {
    known_.insert(key);
    auto it = object_.find(key);
    if (it == object_.end()) return;
    const std::string where = path_ + "." + key;
    uint64_t value = 0;
    if (it->is_number_unsigned()) {
      value = it->get<uint64_t>();
    } else if (it->is_string()) {
      value = parse_hex(*it, where);
    } else {
      fail(where, "expected a non-negative integer or a \"0x...\" string");
    }
    if (value < min || value > max)
      fail(where, "expected a value in [" + std::to_string(min) + ", " + std::to_string(max) +
                      "], got " + std::to_string(value));
    out = static_cast<uint32_t>(value);
  }

  void string(const char* key, std::string& out) {
    known_.insert(key);
    auto it = object_.find(key);
    if (it == object_.end()) return;
    if (!it->is_string()) fail(path_ + "." + key, "expected a string");
    out = it->get<std::string>();
  }

  void object(const char* key, const std::function<void(ObjectReader&)>& read) {
    known_.insert(key);
    auto it = object_.find(key);
    if (it == object_.end()) return;
    ObjectReader nested(*it, source_, path_ + "." + key);
    read(nested);
    nested.reject_unknown();
  }

  void reject_unknown() const {
    for (auto it = object_.begin(); it != object_.end(); ++it)
      if (!known_.count(it.key())) fail(path_ + "." + it.key(), "unknown key");
  }

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw ConfigError(source_ + ": " + where + ": " + what);
  }

 private:
  uint64_t parse_hex(const json& value, const std::string& where) const {
    const std::string text = value.get<std::string>();
    if (text.size() < 3 || text.size() > 10 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
      fail(where, "expected a hex string like \"0x10000\", got \"" + text + "\"");
    uint64_t result = 0;
    for (std::size_t i = 2; i < text.size(); ++i) {
      const char ch = text[i];
      int digit = -1;
      if (ch >= '0' && ch <= '9') digit = ch - '0';
      else if (ch >= 'a' && ch <= 'f') digit = ch - 'a' + 10;
      else if (ch >= 'A' && ch <= 'F') digit = ch - 'A' + 10;
      if (digit < 0) fail(where, "expected a hex string like \"0x10000\", got \"" + text + "\"");
      result = result * 16 + static_cast<uint64_t>(digit);
    }
    return result;
  }

  const json& object_;
  std::string source_;
  std::string path_;
  std::set<std::string> known_;
};

constexpr uint64_t kMaxRegion = 1ull << 30;

// The field lists below serve both directions: ObjectReader parses a preset, ObjectWriter
// prints one (to_json), so the two can never disagree on a key.
template <typename Fields>
void memory_fields(Fields& r, CoralConfig& c) {
  r.number("itcm_base", c.itcm_base, 0, 0xFFFFFFFF);
  r.number("itcm_bytes", c.itcm_bytes, 16, kMaxRegion);
  r.number("dtcm_base", c.dtcm_base, 0, 0xFFFFFFFF);
  r.number("dtcm_bytes", c.dtcm_bytes, 16, kMaxRegion);
  r.number("ext_base", c.ext_base, 0, 0xFFFFFFFF);
  r.number("ext_bytes", c.ext_bytes, 16, kMaxRegion);
}

template <typename Fields>
void timing_fields(Fields& r, TimingConfig& t) {
  constexpr uint64_t kBig = 100000;
  r.number("dispatch_width", t.dispatch_width, 1, 16);
  r.number("alu_latency", t.alu_latency, 1, kBig);
  r.number("branch_latency", t.branch_latency, 1, kBig);
  r.number("branch_mispredict_penalty", t.branch_mispredict_penalty, 0, kBig);
  r.number("mul_latency", t.mul_latency, 1, kBig);
  r.number("div_latency", t.div_latency, 1, kBig);
  r.number("fpu_latency", t.fpu_latency, 1, kBig);
  r.number("fdiv_sqrt_latency", t.fdiv_sqrt_latency, 1, kBig);
  r.number("fpu_convert_compare_latency", t.fpu_convert_compare_latency, 1, kBig);
  r.number("csr_latency", t.csr_latency, 1, kBig);
  r.number("tcm_load_to_use", t.tcm_load_to_use, 1, kBig);
  r.number("ext_latency", t.ext_latency, 0, kBig);
  r.number("ext_bytes_per_cycle", t.ext_bytes_per_cycle, 1, 4096);
  r.number("vector_queue_depth", t.vector_queue_depth, 1, 64);
  r.number("valu_units", t.valu_units, 1, 16);
  r.number("valu_latency", t.valu_latency, 1, kBig);
  r.number("vmac_units", t.vmac_units, 1, 16);
  r.number("vmac_latency", t.vmac_latency, 1, kBig);
  r.number("vdiv_cycles_per_uop", t.vdiv_cycles_per_uop, 1, kBig);
  r.number("vfalu_units", t.vfalu_units, 1, 16);
  r.number("vfalu_latency", t.vfalu_latency, 1, kBig);
  r.number("vfdiv_cycles_per_uop", t.vfdiv_cycles_per_uop, 1, kBig);
  r.number("vperm_latency", t.vperm_latency, 1, kBig);
  r.number("vlsu_tcm_bytes_per_cycle", t.vlsu_tcm_bytes_per_cycle, 1, 4096);
  r.number("vlsu_tcm_latency", t.vlsu_tcm_latency, 1, kBig);
}

// Writes each visited field into a JSON object.
struct ObjectWriter {
  json& out;
  void number(const char* key, const uint32_t& value, uint64_t, uint64_t) { out[key] = value; }
};

struct Region {
  const char* name;
  uint64_t base, bytes;
};

void check_layout(const CoralConfig& c, const ObjectReader& r) {
  const std::vector<Region> regions = {{"itcm", c.itcm_base, c.itcm_bytes},
                                       {"dtcm", c.dtcm_base, c.dtcm_bytes},
                                       {"ext", c.ext_base, c.ext_bytes}};
  for (const Region& region : regions) {
    if (region.base + region.bytes > (1ull << 32))
      r.fail(std::string("memory.") + region.name + "_bytes",
             "region ends past the 32-bit address space");
    if (region.base % 16 != 0 || region.bytes % 16 != 0)
      r.fail(std::string("memory.") + region.name + "_base",
             "base and size must be multiples of 16 bytes");
  }
  for (std::size_t i = 0; i < regions.size(); ++i)
    for (std::size_t j = i + 1; j < regions.size(); ++j) {
      const Region& a = regions[i];
      const Region& b = regions[j];
      if (a.base < b.base + b.bytes && b.base < a.base + a.bytes)
        r.fail("memory", std::string("regions ") + a.name + " and " + b.name + " overlap");
    }
}

}  // namespace

CoralConfig load_config(const std::string& json_text, const std::string& source) {
  json root;
  try {
    root = json::parse(json_text);
  } catch (const json::parse_error& e) {
    throw ConfigError(source + ": invalid JSON: " + e.what());
  }
  CoralConfig config;
  ObjectReader reader(root, source, "$");
  reader.string("name", config.name);
  std::string description;
  reader.string("description", description);
  reader.object("memory", [&](ObjectReader& r) { memory_fields(r, config); });
  reader.object("vector", [&](ObjectReader& r) {
    r.number("vlen_bits", config.vlen_bits, 128, 128);
    r.number("elen_bits", config.elen_bits, 32, 32);
  });
  reader.object("timing", [&](ObjectReader& r) { timing_fields(r, config.timing); });
  reader.reject_unknown();
  check_layout(config, reader);
  return config;
}

std::string to_json(const CoralConfig& config) {
  CoralConfig copy = config;
  json root = {{"name", copy.name}, {"memory", json::object()}, {"timing", json::object()}};
  ObjectWriter memory{root["memory"]};
  memory_fields(memory, copy);
  root["vector"] = {{"vlen_bits", copy.vlen_bits}, {"elen_bits", copy.elen_bits}};
  ObjectWriter timing{root["timing"]};
  timing_fields(timing, copy.timing);
  return root.dump(2);
}

CoralConfig load_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot open the preset file");
  std::ostringstream text;
  text << in.rdbuf();
  return load_config(text.str(), path);
}

}  // namespace coral
