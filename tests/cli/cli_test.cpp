// Drives `kernelcraft` in-process exactly as a user types it, checking output and exit codes.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_test_util.h"
#include "kernelcraft/cli/app.h"

namespace kc::cli {
namespace {

namespace fs = std::filesystem;


class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("kc_cli_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    const fs::path path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  fs::path dir_;
};

TEST_F(CliTest, HelpOnEverySubcommandExitsZero) {
  for (std::vector<std::string> args :
       {std::vector<std::string>{"--help"}, {"list", "--help"}, {"list", "platforms", "--help"},
        {"asm", "--help"}, {"sim", "--help"}, {"demo", "--help"}}) {
    const CliResult r = kernelcraft(args);
    EXPECT_EQ(r.code, 0) << args[0];
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << args[0] << r.out;
  }
  EXPECT_NE(kernelcraft({"sim", "--help"}).out.find("--dump"), std::string::npos);
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(kernelcraft({}).code, kExitUsage);
  EXPECT_EQ(kernelcraft({"frobnicate"}).code, kExitUsage);
  EXPECT_EQ(kernelcraft({"asm", "--platform", "plena"}).code, kExitUsage);  // FILE missing
  const CliResult unknown = kernelcraft({"asm", "--platform", "tpu", write("k.asm", "")});
  EXPECT_EQ(unknown.code, kExitUsage);
  EXPECT_NE(unknown.err.find("unknown platform 'tpu'; available: plena"), std::string::npos);
  const CliResult preset = kernelcraft({"asm", "-p", "plena", "--hw", "huge", write("k.asm", "")});
  EXPECT_EQ(preset.code, kExitUsage);
  EXPECT_NE(preset.err.find("unknown PLENA hardware preset 'huge'"), std::string::npos);
  const CliResult missing = kernelcraft({"asm", "-p", "plena", (dir_ / "nope.asm").string()});
  EXPECT_EQ(missing.code, kExitUsage);
  EXPECT_NE(missing.err.find("nope.asm: cannot open file"), std::string::npos);
}

TEST_F(CliTest, ListPlatformsJson) {
  const CliResult r = kernelcraft({"list", "platforms", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(j[0]["name"], "plena");
  const auto presets = j[0]["presets"].get<std::vector<std::string>>();
  EXPECT_EQ(presets, (std::vector<std::string>{"default", "large", "small"}));
  EXPECT_GE(j[0]["doc_sections"].get<int>(), 8);
  EXPECT_EQ(j[1]["name"], "coral_npu");
  EXPECT_EQ(j[1]["presets"].get<std::vector<std::string>>(), (std::vector<std::string>{"coral", "coral_small"}));
  EXPECT_EQ(j[1]["default_preset"], "coral");
  EXPECT_GE(j[1]["doc_sections"].get<int>(), 8);
  EXPECT_EQ(j[2]["name"], "amd_npu");
  EXPECT_EQ(j[2]["presets"].get<std::vector<std::string>>(), (std::vector<std::string>{"aie_ml", "aie_ml_small"}));
  EXPECT_EQ(j[2]["default_preset"], "aie_ml");
  EXPECT_NE(kernelcraft({"list", "platforms"}).out.find("presets: default, large, small"),
            std::string::npos);
}

TEST_F(CliTest, AsmReportsDiagnosticsWithFileLineColumn) {
  const std::string file = write("bad.asm", "S_ADDI_INT gp1, gp0, 4\nM_MM 0, gp16, gp2\n");
  const CliResult r = kernelcraft({"asm", "-p", "plena", file});
  EXPECT_EQ(r.code, kExitKernelFailed);
  EXPECT_NE(r.err.find(file + ":2:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("gp16"), std::string::npos);
  const auto j = nlohmann::json::parse(kernelcraft({"asm", "-p", "plena", "--json", file}).out);
  EXPECT_FALSE(j["ok"].get<bool>());
  EXPECT_EQ(j["diagnostics"][0]["line"], 2);
}

TEST_F(CliTest, AsmListsEncodedWordsAndWritesMachineCode) {
  const std::string file = write("ok.asm", "S_ADDI_INT gp1, gp0, 128 ; gp1 = 128\nC_BREAK\n");
  const std::string mem = (dir_ / "ok.mem").string();
  const CliResult r = kernelcraft({"asm", "-p", "plena", file, "-o", mem});
  ASSERT_EQ(r.code, 0) << r.err;
  // opcode 0x22 | rd 1 << 6 | imm 128 << 14 = 0x00200062
  EXPECT_NE(r.out.find("00200062  S_ADDI_INT gp1, gp0, 128"), std::string::npos) << r.out;
  std::ifstream in(mem);
  std::string first;
  std::getline(in, first);
  EXPECT_NE(first.find("00200062"), std::string::npos);
}

TEST_F(CliTest, SimLoadsImageRunsAndDumps) {
  // FP SRAM[0..63] = 0.5 from the image; copy it to vector SRAM, double it, dump 4 values.
  std::string values = "0.5";
  for (int i = 1; i < 64; ++i) values += ", 0.5";
  const std::string image = write("in.json", R"({"format": "kernelcraft-memory-image/1",
      "segments": [{"memory": "fpsram", "address": 0, "values": [)" + values + "]}]}");
  const std::string kernel = write("k.asm",
                                   "S_MAP_V_FP gp0, gp0, 0\n"
                                   "V_ADD_VV gp0, gp0, gp0, 0\n");
  const std::string out_image = (dir_ / "out.json").string();
  const CliResult r = kernelcraft({"sim", "-p", "plena", kernel, "--mem-in", image, "--dump",
                                   "vsram:0:4", "--mem-out", out_image, "--json"});
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["ok"].get<bool>());
  EXPECT_EQ(j["cycles"], 64 + 1);  // S_MAP_V_FP costs VLEN, V_ADD_VV one cycle
  EXPECT_EQ(j["instructions"], 2);
  EXPECT_EQ(j["instruction_mix"]["V_ADD_VV"], 1);
  EXPECT_EQ(j["dumped"]["segments"][0]["values"], nlohmann::json({1.0, 1.0, 1.0, 1.0}));
  std::ifstream written(out_image);
  const auto dumped = nlohmann::json::parse(written);
  EXPECT_EQ(dumped["segments"][0]["values"][3], 1.0);
}

TEST_F(CliTest, SimReportsTrapsWithExitOne) {
  const std::string kernel = write("oob.asm",
                                   "S_LUI_INT gp1, 1000\n"        // gp1 = 4096000
                                   "V_EXP_V gp1, gp1, 0\n");      // beyond vector SRAM
  const CliResult r = kernelcraft({"sim", "-p", "plena", kernel, "--json"});
  EXPECT_EQ(r.code, kExitKernelFailed);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["trap"]["kind"], "address_out_of_range");
  EXPECT_EQ(j["trap"]["line"], 2);
  EXPECT_EQ(j["trap"]["memory"], "vsram");
  const CliResult text = kernelcraft({"sim", "-p", "plena", kernel});
  EXPECT_NE(text.out.find("trap: address_out_of_range at instruction 1 (line 2)"), std::string::npos)
      << text.out;
}

TEST_F(CliTest, SimOnTheRtlBackendGivesTheModelsResult) {
  // The small preset's geometry is what the RTL is built for; the same kernel and image on both.
  std::string values = "0.5";
  for (int i = 1; i < 16; ++i) values += ", " + std::to_string(0.25 * i);
  const std::string image = write("in.json", R"({"format": "kernelcraft-memory-image/1",
      "segments": [{"memory": "fpsram", "address": 0, "values": [)" + values + "]}]}");
  const std::string kernel = write("k.asm",
                                   "S_MAP_V_FP gp0, gp0, 0\n"
                                   "V_EXP_V gp0, gp0, 0\n"
                                   "V_ADD_VV gp0, gp0, gp0, 0\n");
  std::vector<nlohmann::json> results;
  for (const char* sim : {"model", "rtl"}) {
    const CliResult r = kernelcraft({"sim", "-p", "plena", "--hw", "small", "--sim", sim, kernel, "--mem-in", image,
                                     "--dump", "vsram:0:16", "--json"});
    ASSERT_EQ(r.code, 0) << sim << r.err << r.out;
    results.push_back(nlohmann::json::parse(r.out));
    EXPECT_EQ(results.back()["sim"], sim);
  }
  for (const char* field : {"cycles", "instructions", "instruction_mix", "units", "dumped"})
    EXPECT_EQ(results[0][field], results[1][field]) << field;

  const CliResult coral = kernelcraft({"sim", "-p", "coral_npu", "--sim", "rtl", kernel});
  EXPECT_EQ(coral.code, kExitUsage);
  EXPECT_NE(coral.err.find("platform 'coral_npu' has no 'rtl' simulation backend"), std::string::npos) << coral.err;
  const CliResult big = kernelcraft({"sim", "-p", "plena", "--sim", "rtl", kernel});
  EXPECT_EQ(big.code, kExitUsage);
  EXPECT_NE(big.err.find("the PLENA RTL backend cannot run preset 'default'"), std::string::npos) << big.err;
  EXPECT_EQ(kernelcraft({"sim", "-p", "plena", "--sim", "verilog", kernel}).code, kExitUsage);
}

TEST_F(CliTest, SimRejectsBadImagesBeforeRunning) {
  const std::string kernel = write("k.asm", "C_BREAK\n");
  const std::string image = write("bad.json", R"({"format": "kernelcraft-memory-image/1",
      "segments": [{"memory": "sram9", "address": 0, "values": [1]}]})");
  const CliResult r = kernelcraft({"sim", "-p", "plena", kernel, "--mem-in", image});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("unknown PLENA memory 'sram9'"), std::string::npos) << r.err;
  const std::string too_big = write("big.json", R"({"format": "kernelcraft-memory-image/1",
      "segments": [{"memory": "fpsram", "address": 1023, "values": [1, 2]}]})");
  const CliResult overflow = kernelcraft({"sim", "-p", "plena", kernel, "--mem-in", too_big});
  EXPECT_EQ(overflow.code, kExitUsage);
  EXPECT_NE(overflow.err.find("segment 0"), std::string::npos) << overflow.err;
  const CliResult region = kernelcraft({"sim", "-p", "plena", kernel, "--dump", "vsram:x:1"});
  EXPECT_EQ(region.code, kExitUsage);
}

TEST_F(CliTest, LimitsAreHonoured) {
  const std::string kernel = write("spin.asm",
                                   "C_LOOP_START gp1, 1000000\n"
                                   "S_ADDI_INT gp2, gp2, 1\n"
                                   "C_LOOP_END gp1\n");
  const CliResult r =
      kernelcraft({"sim", "-p", "plena", kernel, "--max-instructions", "5000", "--json"});
  EXPECT_EQ(r.code, kExitKernelFailed);
  EXPECT_EQ(nlohmann::json::parse(r.out)["trap"]["kind"], "instruction_limit");
}

}  // namespace
}  // namespace kc::cli
