// Platform-neutral memory images: what to load into a simulated memory before a run and what to
// read back after it. JSON format "kernelcraft-memory-image/1" (docs/cli.md):
//   {"format": "kernelcraft-memory-image/1",
//    "segments": [{"memory": "hbm", "address": 0, "encoding": "mxfp8", "scale_address": 4096,
//                  "values": [1.0, 2.5, ...]}, ...]}
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kc {

struct MemorySegment {
  std::string memory;          // platform memory name, e.g. "vsram", "hbm"
  uint64_t address = 0;        // in the memory's address units
  std::string encoding = "native";
  uint64_t scale_address = 0;  // only for encodings with separate scales (mxfp8)
  std::vector<double> values;
};

struct MemoryImage {
  std::vector<MemorySegment> segments;
};

// A region to read back: "MEM:ADDR:COUNT[:ENCODING[@SCALE_ADDR]]", e.g. "vsram:0:64",
// "hbm:8192:256:mxfp8@12288".
struct MemoryRegion {
  std::string memory;
  uint64_t address = 0;
  uint64_t count = 0;
  std::string encoding = "native";
  uint64_t scale_address = 0;
};

// Parse/serialise; parse errors throw kc::InputError naming `source` and the JSON field.
MemoryImage parse_memory_image(const std::string& json_text, const std::string& source);
MemoryImage load_memory_image(const std::string& path);
nlohmann::json to_json(const MemoryImage& image);
std::string to_json_text(const MemoryImage& image);  // to_json(image), indented
MemoryRegion parse_memory_region(const std::string& spec);

}  // namespace kc
