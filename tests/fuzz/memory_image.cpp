// libFuzzer target: arbitrary bytes as a memory image ("kernelcraft-memory-image/1") ->
// kc::parse_memory_image, then what `kernelcraft sim --image` does with an accepted image: load
// it into a PLENA machine (small preset), run a one-instruction kernel, and read every segment
// back. InputError is the expected rejection at either step; anything else escaping, a crash or
// a sanitizer report is a bug.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/memory_image.h"
#include "kernelcraft/platform/plena_platform.h"

namespace {

// Read-backs are capped so a segment claiming a huge count cannot turn into an OOM report.
constexpr uint64_t kMaxDumpValues = 1 << 16;

[[noreturn]] void property_failed(const std::string& what) {
  std::fprintf(stderr, "fuzz_memory_image: property violated: %s\n", what.c_str());
  std::abort();
}

const kc::PlenaPlatform& platform() {
  static const kc::PlenaPlatform plena(KC_SOURCE_DIR);
  return plena;
}

const kc::AssembledProgram& tiny_kernel() {
  static const std::shared_ptr<const kc::AssembledProgram> program = [] {
    kc::AssembleResult result = platform().assemble("S_ADDI_INT gp1, gp0, 1\n", "small");
    if (!result.ok()) property_failed("the tiny kernel does not assemble");
    return result.program;
  }();
  return *program;
}

// An accepted image serialises to text that parses back to the same image.
void check_round_trip(const kc::MemoryImage& image) {
  const std::string text = kc::to_json_text(image);
  try {
    if (kc::to_json(kc::parse_memory_image(text, "fuzz/round-trip.json")) != kc::to_json(image))
      property_failed("the image does not round-trip through to_json_text");
  } catch (const kc::InputError& e) {
    property_failed(std::string("the serialised image is rejected: ") + e.what());
  }
}

std::vector<kc::MemoryRegion> dumps_of(const kc::MemoryImage& image) {
  std::vector<kc::MemoryRegion> dumps;
  for (const kc::MemorySegment& segment : image.segments)
    dumps.push_back({segment.memory, segment.address,
                     std::min<uint64_t>(segment.values.size(), kMaxDumpValues), segment.encoding,
                     segment.scale_address});
  return dumps;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  kc::MemoryImage image;
  try {
    image = kc::parse_memory_image(text, "fuzz/image.json");
  } catch (const kc::InputError&) {
    return 0;
  }
  check_round_trip(image);
  kc::RunLimits limits;
  limits.max_instructions = 100;
  try {
    const kc::SimReport report = platform().run(tiny_kernel(), "small", image, dumps_of(image), limits);
    if (!report.ok()) property_failed("the tiny kernel trapped: " + report.trap->message);
    if (report.dumped.segments.size() != image.segments.size())
      property_failed("the read-back has a different number of segments");
  } catch (const kc::InputError&) {
  }
  return 0;
}
