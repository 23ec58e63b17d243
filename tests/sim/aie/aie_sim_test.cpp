// Presets and config parsing, the ISA table, poison memory, bf16 rounding and determinism.
#include <cmath>
#include <limits>
#include <set>

#include "aie/isa.h"
#include "aie/poison.h"
#include "aie_test_util.h"

namespace {

using namespace aie_test;

std::string preset_path(const std::string& name) {
  return source_dir() + "/isa/aie/presets/" + name + ".json";
}

TEST(AieConfig, DefaultPresetEqualsTheBuiltIn) {
  aie::HardwareConfig c;
  std::string error;
  ASSERT_TRUE(aie::load_hardware_config(preset_path("aie_ml"), c, error)) << error;
  EXPECT_EQ(aie::to_json(c), aie::to_json(aie::HardwareConfig::aie_ml()));
  EXPECT_EQ(c.max_bundles(), 1024u);  // 16 KiB of 128-bit bundles
  EXPECT_EQ(c.dm_bytes, 65536u);
  EXPECT_EQ(c.memtile_bytes, 512u * 1024);
}

TEST(AieConfig, SmallPresetHasSmallerMemories) {
  aie::HardwareConfig c;
  std::string error;
  ASSERT_TRUE(aie::load_hardware_config(preset_path("aie_ml_small"), c, error)) << error;
  EXPECT_EQ(c.name, "aie_ml_small");
  EXPECT_LT(c.dm_bytes, 65536u);
  EXPECT_LT(c.memtile_bytes, 512u * 1024);
  EXPECT_EQ(c.latency, aie::HardwareConfig::aie_ml().latency);
}

TEST(AieConfig, JsonRoundTrips) {
  aie::HardwareConfig c = aie::HardwareConfig::aie_ml();
  c.name = "custom";
  c.latency[static_cast<int>(aie::LatencyClass::Load)] = 7;
  c.tile_channels = 2;
  aie::HardwareConfig back;
  std::string error;
  ASSERT_TRUE(aie::parse_hardware_config(aie::to_json(c), "x", back, error)) << error;
  EXPECT_EQ(aie::to_json(back), aie::to_json(c));
}

TEST(AieConfig, FieldLevelErrors) {
  aie::HardwareConfig c;
  std::string error;
  EXPECT_FALSE(aie::parse_hardware_config(R"({"memory": {"dm_bytez": 4}})", "p.json", c, error));
  EXPECT_EQ(error, "p.json: field 'memory.dm_bytez': unknown field");
  EXPECT_FALSE(aie::parse_hardware_config(R"({"timing": {"latency": {"load": 0}}})", "p", c, error));
  EXPECT_NE(error.find("field 'timing.latency.load': expected a value in [1, 64], got 0"), std::string::npos)
      << error;
  EXPECT_FALSE(aie::parse_hardware_config(R"({"dma": {"bd_count": "many"}})", "p", c, error));
  EXPECT_NE(error.find("field 'dma.bd_count': expected a non-negative integer"), std::string::npos);
  EXPECT_FALSE(aie::parse_hardware_config(R"({"name": 3})", "p", c, error));
  EXPECT_NE(error.find("field 'name': expected a string"), std::string::npos);
  EXPECT_FALSE(aie::parse_hardware_config("{", "p", c, error));
  EXPECT_NE(error.find("invalid JSON"), std::string::npos);
  EXPECT_FALSE(aie::parse_hardware_config(R"({"dma": {"bytes_per_cycle": 6}})", "p", c, error));
  EXPECT_NE(error.find("multiple of 4"), std::string::npos);
  EXPECT_FALSE(aie::load_hardware_config("/nonexistent.json", c, error));
}

TEST(AieIsa, TableIsConsistent) {
  std::set<std::string> names;
  for (const aie::InstrDef& d : aie::instruction_table()) {
    EXPECT_TRUE(names.insert(d.mnemonic).second) << d.mnemonic;
    EXPECT_LE(d.required_operand_count(), d.operand_count());
    EXPECT_GE(d.slots_used, 1);
    EXPECT_LE(d.slots_used, aie::kSlotCapacity[static_cast<int>(d.slot)]);
    EXPECT_NE(std::string(d.summary), "");
  }
  EXPECT_GE(names.size(), 90u);
  EXPECT_EQ(aie::find_instruction("VADD.BF16"), aie::find_instruction("vadd.bf16"));
  EXPECT_EQ(aie::find_instruction("nope"), -1);
  const aie::InstrDef& vldx = aie::instruction_table()[aie::find_instruction("vldx")];
  EXPECT_EQ(vldx.slots_used, 2);
  EXPECT_EQ(vldx.access_bytes, 64u);
}

TEST(AiePoison, DeterministicPerSeedAndLargeFinite) {
  aie::MachineState a(small_config(), 5), b(small_config(), 5), c(small_config(), 6);
  EXPECT_EQ(a.dm, b.dm);
  EXPECT_EQ(a.ddr, b.ddr);
  EXPECT_NE(a.dm, c.dm);
  const auto values = get_bf16(a.dm, 0, 4096);
  for (float v : values) {
    EXPECT_TRUE(std::isfinite(v));
    EXPECT_GE(std::fabs(v), 1024.0f);
    EXPECT_LT(std::fabs(v), 262144.0f);
  }
  EXPECT_EQ(aie::poison_halfword(5, aie::MemoryKind::Dm, 7), get<uint16_t>(a.dm, 14, 1)[0]);
  EXPECT_EQ(aie::poison_halfword(5, aie::MemoryKind::Ddr, 1001), get<uint16_t>(a.ddr, 2002, 1)[0]);
}

TEST(AieBf16, RoundToNearestEven) {
  EXPECT_EQ(aie::float_to_bf16(1.0f), 0x3F80);
  EXPECT_EQ(aie::float_to_bf16(1.00390625f), 0x3F80);   // tie -> even
  EXPECT_EQ(aie::float_to_bf16(1.01171875f), 0x3F82);   // tie -> even (up)
  EXPECT_EQ(aie::float_to_bf16(std::nextafter(1.00390625f, 2.0f)), 0x3F81);  // above the tie
  EXPECT_EQ(aie::float_to_bf16(-2.5f), 0xC020);
  EXPECT_EQ(aie::float_to_bf16(3.4028235e38f), 0x7F80);  // rounds up to +inf
  EXPECT_EQ(aie::float_to_bf16(std::numeric_limits<float>::infinity()), 0x7F80);
  const uint16_t nan = aie::float_to_bf16(std::numeric_limits<float>::quiet_NaN());
  EXPECT_TRUE(std::isnan(aie::bf16_to_float(nan)));
  uint32_t low_payload_nan_bits = 0x7F800001u;
  float low_payload_nan;
  std::memcpy(&low_payload_nan, &low_payload_nan_bits, 4);
  EXPECT_TRUE(std::isnan(aie::bf16_to_float(aie::float_to_bf16(low_payload_nan))));
  EXPECT_EQ(aie::bf16_to_float(0x4049), 3.140625f);
}

TEST(AieDeterminism, SameRunTwiceGivesSameCyclesAndMemory) {
  const std::string src = read_text(source_dir() + "/isa/aie/examples/gemm_bf16.s");
  auto once = [&] {
    Outcome r = run_with(src, [](aie::MachineState& s) {
      for (uint32_t i = 0; i < 3072; ++i) put_bf16(s.ddr, 2 * i, {static_cast<float>(i % 17) - 8.0f});
    }, {}, aie::HardwareConfig::aie_ml(), 9);
    return r;
  };
  Outcome a = once(), b = once();
  ASSERT_TRUE(a.result.ok()) << trap_text(a.result);
  EXPECT_EQ(a.result.cycles, b.result.cycles);
  EXPECT_EQ(a.result.bundles, b.result.bundles);
  EXPECT_EQ(a.result.instruction_mix, b.result.instruction_mix);
  EXPECT_EQ(a.state.ddr, b.state.ddr);
  EXPECT_EQ(a.state.dm, b.state.dm);
  EXPECT_EQ(a.state.memtile, b.state.memtile);
}

}  // namespace
