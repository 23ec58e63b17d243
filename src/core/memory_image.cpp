#include "kernelcraft/core/memory_image.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "kernelcraft/core/errors.h"

namespace kc {
namespace {

using json = nlohmann::json;
constexpr const char* kFormat = "kernelcraft-memory-image/1";

[[noreturn]] void fail(const std::string& source, const std::string& field,
                       const std::string& what) {
  throw InputError(source + ": field '" + field + "': " + what);
}

uint64_t read_address(const json& object, const char* key, const std::string& source,
                      const std::string& path, bool required) {
  auto it = object.find(key);
  if (it == object.end()) {
    if (required) fail(source, path + "." + key, "missing; expected a non-negative integer");
    return 0;
  }
  if (!it->is_number_unsigned() && !(it->is_number_integer() && it->get<int64_t>() >= 0))
    fail(source, path + "." + key, "expected a non-negative integer");
  return it->get<uint64_t>();
}

// JSON has no NaN/Inf literals, so they travel as the strings "nan", "inf", "-inf".
double read_value(const json& v, const std::string& source, const std::string& path) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
  }
  fail(source, path, "expected a number or one of \"nan\", \"inf\", \"-inf\"");
}

json write_value(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

MemorySegment read_segment(const json& s, const std::string& source, const std::string& path) {
  if (!s.is_object()) fail(source, path, "expected an object");
  for (auto it = s.begin(); it != s.end(); ++it) {
    const std::string& k = it.key();
    if (k != "memory" && k != "address" && k != "encoding" && k != "scale_address" && k != "values")
      fail(source, path + "." + k,
           "unknown field; expected memory, address, encoding, scale_address, values");
  }
  MemorySegment seg;
  auto mem = s.find("memory");
  if (mem == s.end() || !mem->is_string()) fail(source, path + ".memory", "expected a memory name string");
  seg.memory = mem->get<std::string>();
  seg.address = read_address(s, "address", source, path, true);
  seg.scale_address = read_address(s, "scale_address", source, path, false);
  if (auto enc = s.find("encoding"); enc != s.end()) {
    if (!enc->is_string()) fail(source, path + ".encoding", "expected a string");
    seg.encoding = enc->get<std::string>();
  }
  auto values = s.find("values");
  if (values == s.end() || !values->is_array()) fail(source, path + ".values", "expected an array of numbers");
  seg.values.reserve(values->size());
  for (std::size_t i = 0; i < values->size(); ++i)
    seg.values.push_back(read_value((*values)[i], source, path + ".values[" + std::to_string(i) + "]"));
  return seg;
}

uint64_t parse_u64(const std::string& text, const std::string& spec, const char* what) {
  try {
    std::size_t used = 0;
    const unsigned long long v = std::stoull(text, &used, 0);
    if (used == text.size() && !text.empty() && text[0] != '-') return v;
  } catch (const std::exception&) {
  }
  throw InputError("memory region '" + spec + "': " + what + " '" + text +
                   "' is not a non-negative integer");
}

}  // namespace

MemoryImage parse_memory_image(const std::string& json_text, const std::string& source) {
  json root;
  try {
    root = json::parse(json_text);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for numbers like 1e99999
    throw InputError(source + ": invalid JSON: " + e.what());
  }
  if (!root.is_object()) fail(source, "$", "expected an object with \"format\" and \"segments\"");
  auto format = root.find("format");
  if (format == root.end() || *format != kFormat)
    fail(source, "format", std::string("expected \"") + kFormat + "\"");
  auto segments = root.find("segments");
  if (segments == root.end() || !segments->is_array()) fail(source, "segments", "expected an array");
  MemoryImage image;
  for (std::size_t i = 0; i < segments->size(); ++i)
    image.segments.push_back(read_segment((*segments)[i], source, "segments[" + std::to_string(i) + "]"));
  return image;
}

MemoryImage load_memory_image(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot open memory image");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_memory_image(buffer.str(), path);
}

json to_json(const MemoryImage& image) {
  json segments = json::array();
  for (const MemorySegment& seg : image.segments) {
    json values = json::array();
    for (double v : seg.values) values.push_back(write_value(v));
    json s = {{"memory", seg.memory}, {"address", seg.address}, {"encoding", seg.encoding}};
    if (seg.encoding == "mxfp8") s["scale_address"] = seg.scale_address;
    s["values"] = std::move(values);
    segments.push_back(std::move(s));
  }
  return json{{"format", kFormat}, {"segments", segments}};
}

std::string to_json_text(const MemoryImage& image) { return to_json(image).dump(1) + "\n"; }

MemoryRegion parse_memory_region(const std::string& spec) {
  std::vector<std::string> parts;
  std::stringstream stream(spec);
  for (std::string part; std::getline(stream, part, ':');) parts.push_back(part);
  if (parts.size() < 3 || parts.size() > 4)
    throw InputError("memory region '" + spec +
                     "': expected MEM:ADDR:COUNT[:ENCODING[@SCALE_ADDR]], e.g. vsram:0:64");
  MemoryRegion region;
  region.memory = parts[0];
  region.address = parse_u64(parts[1], spec, "address");
  region.count = parse_u64(parts[2], spec, "count");
  if (parts.size() == 4) {
    const std::string& enc = parts[3];
    const auto at = enc.find('@');
    region.encoding = enc.substr(0, at);
    if (at != std::string::npos) region.scale_address = parse_u64(enc.substr(at + 1), spec, "scale address");
  }
  return region;
}

}  // namespace kc
