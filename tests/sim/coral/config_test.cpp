#include <gtest/gtest.h>

#include "coral/config.h"
#include "harness.h"

namespace coral::test {
namespace {

std::string error_of(const std::string& json) {
  try {
    load_config(json, "test.json");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(CoralConfig, PresetsLoadWithTheContractsSizes) {
  const CoralConfig big = preset("coral");
  EXPECT_EQ(big.name, "coral");
  EXPECT_EQ(big.itcm_bytes, 64u << 10);
  EXPECT_EQ(big.dtcm_bytes, 1u << 20);
  EXPECT_EQ(big.ext_base, 0x20000000u);
  EXPECT_EQ(big.ext_bytes, 4u << 20);
  const CoralConfig small = preset("coral_small");
  EXPECT_EQ(small.itcm_bytes, 8192u);
  EXPECT_EQ(small.dtcm_base, 0x10000u);
  EXPECT_EQ(small.dtcm_bytes, 32768u);
  EXPECT_EQ(small.vlen_bits, 128u);
  EXPECT_EQ(small.timing.div_latency, 33u);
  EXPECT_EQ(small.timing.vector_queue_depth, 8u);
}

TEST(CoralConfig, ErrorsNameTheFileAndField) {
  EXPECT_NE(error_of("{\"timing\": {\"mul_latncy\": 3}}").find("test.json: $.timing.mul_latncy: unknown key"),
            std::string::npos);
  EXPECT_NE(error_of("{\"timing\": {\"mul_latency\": \"x\"}}").find("$.timing.mul_latency"), std::string::npos);
  EXPECT_NE(error_of("{\"timing\": {\"mul_latency\": -1}}").find("non-negative integer"), std::string::npos);
  EXPECT_NE(error_of("{\"vector\": {\"vlen_bits\": 256}}").find("$.vector.vlen_bits: expected a value in [128, 128]"),
            std::string::npos);
  EXPECT_NE(error_of("{\"memory\": {\"dtcm_base\": \"0x00001000\"}}").find("overlap"), std::string::npos);
  EXPECT_NE(error_of("{\"memory\": {\"ext_base\": \"0xzz\"}}").find("hex string"), std::string::npos);
  EXPECT_NE(error_of("{not json").find("test.json: invalid JSON"), std::string::npos);
  EXPECT_NE(error_of("[1, 2]").find("expected a JSON object"), std::string::npos);
  EXPECT_THROW(load_config_file("/nonexistent/coral.json"), ConfigError);
}

TEST(CoralConfig, DefaultsApplyToMissingFields) {
  const CoralConfig c = load_config("{\"name\": \"x\", \"timing\": {\"div_latency\": 20}}", "t");
  EXPECT_EQ(c.name, "x");
  EXPECT_EQ(c.timing.div_latency, 20u);
  EXPECT_EQ(c.timing.mul_latency, 2u);
}

}  // namespace
}  // namespace coral::test
