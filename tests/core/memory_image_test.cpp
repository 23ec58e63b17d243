#include "kernelcraft/core/memory_image.h"

#include <cmath>

#include <gtest/gtest.h>

#include "kernelcraft/core/errors.h"

namespace kc {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_memory_image(text, "img.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(MemoryImage, ParsesSegmentsWithDefaultsAndSpecialValues) {
  const MemoryImage image = parse_memory_image(R"({"format": "kernelcraft-memory-image/1",
    "segments": [{"memory": "fpsram", "address": 2, "values": [1.5, "-inf", "nan"]},
                 {"memory": "hbm", "address": 64, "encoding": "mxfp8", "scale_address": 4096,
                  "values": [1, 2]}]})",
                                               "img.json");
  ASSERT_EQ(image.segments.size(), 2u);
  EXPECT_EQ(image.segments[0].memory, "fpsram");
  EXPECT_EQ(image.segments[0].encoding, "native");
  EXPECT_EQ(image.segments[0].address, 2u);
  EXPECT_EQ(image.segments[0].values[0], 1.5);
  EXPECT_TRUE(std::isinf(image.segments[0].values[1]) && image.segments[0].values[1] < 0);
  EXPECT_TRUE(std::isnan(image.segments[0].values[2]));
  EXPECT_EQ(image.segments[1].scale_address, 4096u);
}

TEST(MemoryImage, RoundTripsThroughJson) {
  MemoryImage image;
  image.segments.push_back({"hbm", 8, "mxfp8", 100, {0.5, -2.0, INFINITY}});
  image.segments.push_back({"vsram", 0, "native", 0, {1.0}});
  const MemoryImage back = parse_memory_image(to_json_text(image), "x");
  ASSERT_EQ(back.segments.size(), 2u);
  EXPECT_EQ(back.segments[0].values, image.segments[0].values);
  EXPECT_EQ(back.segments[0].scale_address, 100u);
  EXPECT_EQ(to_json_text(back), to_json_text(image));
}

TEST(MemoryImage, ErrorsNameTheFieldAndWhatWasExpected) {
  EXPECT_NE(error_of("[").find("img.json: invalid JSON"), std::string::npos);
  EXPECT_NE(error_of(R"({"segments": []})").find("field 'format'"), std::string::npos);
  const std::string bad_value = error_of(R"({"format": "kernelcraft-memory-image/1",
    "segments": [{"memory": "vsram", "address": 0, "values": [1, "x"]}]})");
  EXPECT_NE(bad_value.find("segments[0].values[1]"), std::string::npos) << bad_value;
  const std::string negative = error_of(R"({"format": "kernelcraft-memory-image/1",
    "segments": [{"memory": "vsram", "address": -4, "values": []}]})");
  EXPECT_NE(negative.find("segments[0].address"), std::string::npos) << negative;
  const std::string unknown = error_of(R"({"format": "kernelcraft-memory-image/1",
    "segments": [{"memory": "vsram", "adress": 0, "values": []}]})");
  EXPECT_NE(unknown.find("segments[0].adress"), std::string::npos) << unknown;
}

TEST(MemoryImage, ParsesRegionSpecs) {
  const MemoryRegion plain = parse_memory_region("vsram:128:64");
  EXPECT_EQ(plain.memory, "vsram");
  EXPECT_EQ(plain.address, 128u);
  EXPECT_EQ(plain.count, 64u);
  EXPECT_EQ(plain.encoding, "native");
  const MemoryRegion mx = parse_memory_region("hbm:0x100:16:mxfp8@8192");
  EXPECT_EQ(mx.address, 256u);
  EXPECT_EQ(mx.encoding, "mxfp8");
  EXPECT_EQ(mx.scale_address, 8192u);
  EXPECT_THROW(parse_memory_region("vsram:0"), InputError);
  EXPECT_THROW(parse_memory_region("vsram:-1:4"), InputError);
  EXPECT_THROW(parse_memory_region("vsram:zero:4"), InputError);
}

}  // namespace
}  // namespace kc
