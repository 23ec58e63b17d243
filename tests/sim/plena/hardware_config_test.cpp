#include "plena/hardware_config.h"

#include <gtest/gtest.h>

namespace plena {
namespace {

HardwareConfig parse_ok(const std::string& text) {
  HardwareConfig config;
  std::string error;
  EXPECT_TRUE(parse_hardware_config(text, "test.json", config, error)) << error;
  return config;
}

std::string parse_error(const std::string& text) {
  HardwareConfig config;
  std::string error;
  EXPECT_FALSE(parse_hardware_config(text, "bad.json", config, error));
  return error;
}

TEST(HardwareConfig, KernelCraftDefaultMatchesThePaper) {
  const HardwareConfig c = HardwareConfig::kernelcraft_default();
  EXPECT_EQ(c.mlen, 64u);
  EXPECT_EQ(c.blen, 4u);
  EXPECT_EQ(c.vlen, 64u);
  EXPECT_EQ(c.hlen, 16u);
  EXPECT_EQ(c.latency_of(LatencyClass::MatMul), 64u);  // overhead 0 + MLEN
  EXPECT_EQ(c.latency_of(LatencyClass::VecRedSum), 8u);
  EXPECT_EQ(c.latency_of(LatencyClass::VecReci), 2u);
  EXPECT_EQ(c.latency_of(LatencyClass::MapVectorFromFp), 64u);
  EXPECT_EQ(validate(c), "");
}

TEST(HardwareConfig, GeometryDrivesDefaultLatenciesAndExplicitValuesOverride) {
  const HardwareConfig c = parse_ok(R"({"geometry": {"mlen": 16, "vlen": 16, "blen": 4, "hlen": 8},
      "memory": {"matrix_sram_elems": 2048},
      "timing": {"latency": {"vec_exp": 6}}})");
  EXPECT_EQ(c.latency_of(LatencyClass::MatMul), 16u);
  EXPECT_EQ(c.latency_of(LatencyClass::MapVectorFromFp), 16u);
  EXPECT_EQ(c.latency_of(LatencyClass::VecExp), 6u);
  EXPECT_EQ(c.heads(), 2u);
}

TEST(HardwareConfig, JsonRoundTrip) {
  HardwareConfig c = HardwareConfig::kernelcraft_default();
  c.hbm_latency = 77;
  c.kv_format = HbmFormat::Bf16;
  c.latency[static_cast<std::size_t>(LatencyClass::VecMul)] = 5;
  const HardwareConfig back = parse_ok(to_json(c));
  EXPECT_EQ(back.hbm_latency, 77u);
  EXPECT_EQ(back.kv_format, HbmFormat::Bf16);
  EXPECT_EQ(back.latency, c.latency);
  EXPECT_EQ(to_json(back), to_json(c));
}

TEST(HardwareConfig, ErrorsNameFileFieldAndReason) {
  EXPECT_NE(parse_error("{").find("bad.json: invalid JSON"), std::string::npos);
  const std::string typo = parse_error(R"({"geometry": {"mlen": 64, "blenn": 4}})");
  EXPECT_NE(typo.find("bad.json"), std::string::npos);
  EXPECT_NE(typo.find("geometry.blenn"), std::string::npos);
  EXPECT_NE(typo.find("unknown field"), std::string::npos);
  const std::string negative = parse_error(R"({"timing": {"hbm_latency": -3}})");
  EXPECT_NE(negative.find("timing.hbm_latency"), std::string::npos);
  EXPECT_NE(negative.find("non-negative integer"), std::string::npos);
  const std::string format = parse_error(R"({"dma": {"kv_format": "fp4"}})");
  EXPECT_NE(format.find("dma.kv_format"), std::string::npos);
  EXPECT_NE(format.find("mxfp8"), std::string::npos);
  const std::string zero_latency = parse_error(R"({"timing": {"latency": {"vec_add": 0}}})");
  EXPECT_NE(zero_latency.find("timing.latency.vec_add"), std::string::npos);
}

TEST(HardwareConfig, RejectsInconsistentGeometry) {
  EXPECT_NE(parse_error(R"({"geometry": {"vlen": 32}})").find("vlen must equal mlen"),
            std::string::npos);
  EXPECT_NE(parse_error(R"({"geometry": {"blen": 5}})").find("multiple of blen"), std::string::npos);
  EXPECT_NE(parse_error(R"({"geometry": {"hlen": 2}})").find("hlen must be >= blen"),
            std::string::npos);
  EXPECT_NE(parse_error(R"({"memory": {"matrix_sram_elems": 5000}})").find("matrix_sram_elems"),
            std::string::npos);
}

TEST(HardwareConfig, MissingFileIsAClearError) {
  HardwareConfig c;
  std::string error;
  EXPECT_FALSE(load_hardware_config("/nonexistent/preset.json", c, error));
  EXPECT_NE(error.find("/nonexistent/preset.json"), std::string::npos);
}

}  // namespace
}  // namespace plena
