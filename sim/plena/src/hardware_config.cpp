#include "plena/hardware_config.h"

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace plena {
namespace {

using json = nlohmann::json;

// dc_lib_en column of the emulator's transactional latency table. MatMul, MatVec and
// MapVectorFromFp scale with the array, so they are filled from the geometry.
void set_default_latencies(HardwareConfig& c) {
  auto set = [&c](LatencyClass cls, uint32_t cycles) {
    c.latency[static_cast<std::size_t>(cls)] = cycles;
  };
  set(LatencyClass::MatMul, c.mlen);
  set(LatencyClass::MatVec, c.mlen);
  set(LatencyClass::BatchedMatVec, c.mlen);  // the emulator's 1 is a stub for an op its spec marks TODO
  set(LatencyClass::WriteOut, 1);
  set(LatencyClass::VecAdd, 1);
  set(LatencyClass::VecMul, 1);
  set(LatencyClass::VecExp, 1);
  set(LatencyClass::VecReci, 2);
  set(LatencyClass::VecMaxMin, 4);
  set(LatencyClass::VecRedSum, 8);
  set(LatencyClass::VecShift, 1);
  set(LatencyClass::ScalarInt, 1);
  set(LatencyClass::ScalarFpBasic, 1);
  set(LatencyClass::ScalarFpComplex, 1);
  set(LatencyClass::ScalarMem, 1);
  set(LatencyClass::MapVectorFromFp, c.vlen);
  set(LatencyClass::HbmIssue, 1);
  set(LatencyClass::Control, 1);
}

struct ParseError {
  std::string message;
};

// Reads one object's fields and rejects keys it does not know, so a typo in a preset is an
// error rather than a silently ignored setting.
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string path) : object_(object), path_(std::move(path)) {
    if (!object_.is_object()) fail(path_, "expected an object");
  }

  template <typename T>
  void number(const char* key, T& out, uint64_t min, uint64_t max) {
    seen_.insert(key);
    auto it = object_.find(key);
    if (it == object_.end()) return;
    const std::string where = path_ + "." + key;
    if (!it->is_number_unsigned() && !(it->is_number_integer() && it->get<int64_t>() >= 0))
      fail(where, "expected a non-negative integer");
    uint64_t value = it->get<uint64_t>();
    if (value < min || value > max)
      fail(where, "expected a value in [" + std::to_string(min) + ", " + std::to_string(max) +
                      "], got " + std::to_string(value));
    out = static_cast<T>(value);
  }

  void string(const char* key, std::string& out) {
    seen_.insert(key);
    auto it = object_.find(key);
    if (it == object_.end()) return;
    if (!it->is_string()) fail(path_ + "." + key, "expected a string");
    out = it->get<std::string>();
  }

  void format(const char* key, HbmFormat& out) {
    std::string text;
    string(key, text);
    if (text.empty()) return;
    if (text == "mxfp8") out = HbmFormat::Mxfp8;
    else if (text == "bf16") out = HbmFormat::Bf16;
    else fail(path_ + "." + key, "expected \"mxfp8\" or \"bf16\", got \"" + text + "\"");
  }

  const json* child(const char* key) {
    seen_.insert(key);
    auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
  }

  void reject_unknown() const {
    for (auto it = object_.begin(); it != object_.end(); ++it)
      if (!seen_.count(it.key())) fail(path_ + "." + it.key(), "unknown field");
  }

  [[noreturn]] static void fail(const std::string& where, const std::string& what) {
    throw ParseError{"field '" + where + "': " + what};
  }

 private:
  const json& object_;
  std::string path_;
  std::set<std::string> seen_;
};

constexpr uint64_t kMaxElems = 1ull << 30;

void read_latencies(const json& object, HardwareConfig& c) {
  ObjectReader reader(object, "timing.latency");
  for (std::size_t i = 0; i < kLatencyClassCount; ++i) {
    std::string key(latency_class_name(static_cast<LatencyClass>(i)));
    reader.number(key.c_str(), c.latency[i], 1, 1u << 20);
  }
  reader.reject_unknown();
}

void read_config(const json& root, HardwareConfig& c) {
  ObjectReader top(root, "$");
  top.string("name", c.name);
  top.string("description", c.description);
  if (const json* g = top.child("geometry")) {
    ObjectReader r(*g, "geometry");
    r.number("mlen", c.mlen, 1, 4096);
    r.number("blen", c.blen, 1, 4096);
    r.number("vlen", c.vlen, 1, 4096);
    r.number("hlen", c.hlen, 1, 4096);
    r.reject_unknown();
  }
  set_default_latencies(c);  // geometry-dependent defaults first, explicit values override
  if (const json* m = top.child("memory")) {
    ObjectReader r(*m, "memory");
    r.number("matrix_sram_elems", c.matrix_sram_elems, 1, kMaxElems);
    r.number("vector_sram_elems", c.vector_sram_elems, 1, kMaxElems);
    r.number("fp_sram_elems", c.fp_sram_elems, 1, 1u << 24);
    r.number("int_sram_elems", c.int_sram_elems, 1, 1u << 24);
    r.number("hbm_bytes", c.hbm_bytes, 1, 4ull << 30);
    r.reject_unknown();
  }
  if (const json* d = top.child("dma")) {
    ObjectReader r(*d, "dma");
    r.number("v_prefetch_rows", c.v_prefetch_rows, 1, 4096);
    r.number("v_writeback_rows", c.v_writeback_rows, 1, 4096);
    r.number("queue_depth", c.dma_queue_depth, 1, 1024);
    r.format("weight_format", c.weight_format);
    r.format("kv_format", c.kv_format);
    r.format("activation_format", c.activation_format);
    r.reject_unknown();
  }
  if (const json* t = top.child("timing")) {
    ObjectReader r(*t, "timing");
    r.number("systolic_overhead", c.systolic_overhead, 0, 1u << 20);
    r.number("hbm_latency", c.hbm_latency, 0, 1u << 24);
    r.number("hbm_bytes_per_cycle", c.hbm_bytes_per_cycle, 1, 1u << 20);
    if (const json* l = r.child("latency")) read_latencies(*l, c);
    r.reject_unknown();
  }
  if (const json* l = top.child("limits")) {
    ObjectReader r(*l, "limits");
    r.number("max_loop_depth", c.max_loop_depth, 1, 64);
    r.number("max_loop_body", c.max_loop_body, 1, 1u << 24);
    r.number("max_program_instructions", c.max_program_instructions, 1, 1u << 24);
    r.reject_unknown();
  }
  top.reject_unknown();
}

const char* format_name(HbmFormat f) { return f == HbmFormat::Mxfp8 ? "mxfp8" : "bf16"; }

}  // namespace

HardwareConfig HardwareConfig::kernelcraft_default() {
  HardwareConfig c;
  c.name = "default";
  c.description = "KernelCraft's PLENA configuration: MLEN 64, BLEN 4, VLEN 64, HLEN 16";
  set_default_latencies(c);
  return c;
}

std::string validate(const HardwareConfig& c) {
  if (c.vlen != c.mlen) return "geometry: vlen must equal mlen (tile rows and vector rows share one pitch)";
  if (c.mlen % c.blen != 0) return "geometry: mlen must be a multiple of blen";
  if (c.mlen % c.hlen != 0) return "geometry: mlen must be a multiple of hlen";
  if (c.hlen < c.blen) return "geometry: hlen must be >= blen";
  if (c.heads() > 32) return "geometry: mlen / hlen must be <= 32 (one V_MASK bit per head)";
  const uint64_t tile = uint64_t{c.mlen} * c.mlen;
  if (c.matrix_sram_elems < tile || c.matrix_sram_elems % tile != 0)
    return "memory.matrix_sram_elems must be a positive multiple of mlen*mlen (" +
           std::to_string(tile) + ")";
  if (c.vector_sram_elems < uint64_t{c.vlen} * c.blen || c.vector_sram_elems % c.vlen != 0)
    return "memory.vector_sram_elems must be a multiple of vlen and hold at least blen rows";
  if (c.fp_sram_elems < c.vlen) return "memory.fp_sram_elems must be >= vlen (S_MAP_V_FP)";
  for (std::size_t i = 0; i < kLatencyClassCount; ++i)
    if (c.latency[i] == 0)
      return "timing.latency." + std::string(latency_class_name(static_cast<LatencyClass>(i))) +
             " must be >= 1";
  return "";
}

bool parse_hardware_config(const std::string& json_text, const std::string& source_name,
                           HardwareConfig& out, std::string& error) {
  json root;
  try {
    root = json::parse(json_text);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for numbers like 1e99999
    error = source_name + ": invalid JSON: " + e.what();
    return false;
  }
  HardwareConfig config = HardwareConfig::kernelcraft_default();
  config.description.clear();
  try {
    read_config(root, config);
  } catch (const ParseError& e) {
    error = source_name + ": " + e.message;
    return false;
  }
  if (std::string problem = validate(config); !problem.empty()) {
    error = source_name + ": " + problem;
    return false;
  }
  out = std::move(config);
  return true;
}

bool load_hardware_config(const std::string& path, HardwareConfig& out, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = path + ": cannot open hardware preset";
    return false;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_hardware_config(buffer.str(), path, out, error);
}

std::string to_json(const HardwareConfig& c) {
  json latency = json::object();
  for (std::size_t i = 0; i < kLatencyClassCount; ++i)
    latency[std::string(latency_class_name(static_cast<LatencyClass>(i)))] = c.latency[i];
  json root = {
      {"name", c.name},
      {"description", c.description},
      {"geometry", {{"mlen", c.mlen}, {"blen", c.blen}, {"vlen", c.vlen}, {"hlen", c.hlen}}},
      {"memory",
       {{"matrix_sram_elems", c.matrix_sram_elems},
        {"vector_sram_elems", c.vector_sram_elems},
        {"fp_sram_elems", c.fp_sram_elems},
        {"int_sram_elems", c.int_sram_elems},
        {"hbm_bytes", c.hbm_bytes}}},
      {"dma",
       {{"v_prefetch_rows", c.v_prefetch_rows},
        {"v_writeback_rows", c.v_writeback_rows},
        {"queue_depth", c.dma_queue_depth},
        {"weight_format", format_name(c.weight_format)},
        {"kv_format", format_name(c.kv_format)},
        {"activation_format", format_name(c.activation_format)}}},
      {"timing",
       {{"systolic_overhead", c.systolic_overhead},
        {"hbm_latency", c.hbm_latency},
        {"hbm_bytes_per_cycle", c.hbm_bytes_per_cycle},
        {"latency", latency}}},
      {"limits",
       {{"max_loop_depth", c.max_loop_depth},
        {"max_loop_body", c.max_loop_body},
        {"max_program_instructions", c.max_program_instructions}}},
  };
  return root.dump(2) + "\n";
}

}  // namespace plena
