// The shipped PLENA examples and documentation stay consistent with the instruction table.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "kernelcraft/cli/app.h"
#include "kernelcraft/core/memory_image.h"
#include "kernelcraft/platform/plena_platform.h"
#include "plena/isa.h"

namespace kc {
namespace {

namespace fs = std::filesystem;

const fs::path kIsaDir = fs::path(KC_SOURCE_DIR) / "isa" / "plena";

std::vector<fs::path> files_with_extension(const fs::path& dir, const std::string& ext) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ext) out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(PlenaExamples, EveryExampleAssemblesAndRunsWithoutTrapOnTheDefaultPreset) {
  const PlenaPlatform platform(KC_SOURCE_DIR);
  const auto kernels = files_with_extension(kIsaDir / "examples", ".asm");
  ASSERT_GE(kernels.size(), 3u);
  for (const fs::path& kernel : kernels) {
    const AssembleResult assembled = platform.assemble(read(kernel), "default");
    ASSERT_TRUE(assembled.ok()) << kernel << ": " << assembled.diagnostics.front().message;
    fs::path image_path = kernel;
    image_path.replace_extension(".image.json");
    const MemoryImage image =
        fs::exists(image_path) ? load_memory_image(image_path.string()) : MemoryImage{};
    const SimReport report = platform.run(*assembled.program, "default", image, {}, RunLimits{});
    EXPECT_TRUE(report.ok()) << kernel << ": " << (report.trap ? report.trap->message : "");
    EXPECT_GT(report.cycles, 0u) << kernel;
  }
}

TEST(PlenaExamples, DemoCommandRunsTheExamplesThenTheBuiltinAgentsAndPrintsTheLeaderboard) {
  const std::string out_dir = (fs::path(::testing::TempDir()) /
                               ("kc_demo_" + std::to_string(::getpid())) / "demo-run").string();
  fs::remove_all(fs::path(out_dir).parent_path());
  // A small slice of the default suite; the README's main job runs all of it.
  const char* argv[] = {"kernelcraft", "--data-dir", KC_SOURCE_DIR, "demo", "--tasks", "relu,gemm",
                        "--configs", "C1", "--jobs", "2", "--out", out_dir.c_str()};
  std::ostringstream out, err;
  EXPECT_EQ(cli::run(12, argv, out, err), 0) << err.str() << out.str();
  EXPECT_NE(out.str().find("example kernels ran without a trap"), std::string::npos);
  EXPECT_NE(out.str().find("gemm_64.asm"), std::string::npos);
  EXPECT_NE(out.str().find("softmax_row.s"), std::string::npos) << "the Coral NPU examples run too";
  EXPECT_NE(out.str().find("gemm_bf16.s"), std::string::npos) << "the AMD NPU examples run too";
  EXPECT_NE(out.str().find("autotune"), std::string::npos) << "leaderboard printed: " << out.str();
  for (const char* file : {"leaderboard.md", "report.html", "results.csv", "summary.json", "junit.xml"})
    EXPECT_TRUE(fs::exists(fs::path(out_dir) / "report" / file)) << file;
  std::ifstream episodes(fs::path(out_dir) / "episodes.jsonl");
  int lines = 0;
  for (std::string line; std::getline(episodes, line);) ++lines;
  EXPECT_EQ(lines, 12) << "2 agents x 2 tasks x 1 configuration x 3 platforms";
}

// Runs a shipped example on its image and returns the requested regions.
MemoryImage run_example(const std::string& stem, const std::vector<MemoryRegion>& dumps,
                        MemoryImage& input) {
  const PlenaPlatform platform(KC_SOURCE_DIR);
  const fs::path dir = kIsaDir / "examples";
  input = load_memory_image((dir / (stem + ".image.json")).string());
  const AssembleResult assembled = platform.assemble(read(dir / (stem + ".asm")), "default");
  EXPECT_TRUE(assembled.ok());
  const SimReport report = platform.run(*assembled.program, "default", input, dumps, RunLimits{});
  EXPECT_TRUE(report.ok());
  return report.dumped;
}

// The examples compute what their headers say; the checks use host arithmetic in double.
TEST(PlenaExamples, SoftmaxRowMatchesHostSoftmax) {
  MemoryImage input;
  const MemoryImage out = run_example("softmax_row", {{"vsram", 64, 64}}, input);
  const std::vector<double>& x = input.segments.at(0).values;
  ASSERT_EQ(x.size(), 64u);
  const double max = *std::max_element(x.begin(), x.end());
  double sum = 0;
  for (double v : x) sum += std::exp(v - max);
  for (std::size_t i = 0; i < 64; ++i)  // three bf16 roundings in the chain: ~3 * 2^-8 relative
    EXPECT_NEAR(out.segments[0].values[i], std::exp(x[i] - max) / sum,
                0.02 * std::exp(x[i] - max) / sum + 1e-6)
        << i;
}

TEST(PlenaExamples, GemmMatchesHostProductOfTheDequantisedInputs) {
  MemoryImage input;
  // C lands in Vector SRAM rows 4..7; inputs are read back as the chip sees them (MXFP8).
  const MemoryImage out = run_example(
      "gemm_64", {{"vsram", 256, 256}, {"hbm", 0, 4096, "mxfp8", 4096}, {"hbm", 8192, 256, "mxfp8", 12288}},
      input);
  const std::vector<double>& c = out.segments[0].values;
  const std::vector<double>& w = out.segments[1].values;
  const std::vector<double>& a = out.segments[2].values;
  for (std::size_t i = 0; i < 4; ++i)
    for (std::size_t j = 0; j < 64; ++j) {
      double expected = 0, magnitude = 0;
      for (std::size_t k = 0; k < 64; ++k) {
        expected += a[i * 64 + k] * w[k * 64 + j];
        magnitude += std::abs(a[i * 64 + k] * w[k * 64 + j]);
      }
      // float32 accumulation, one bf16 rounding on write-out.
      EXPECT_NEAR(c[i * 64 + j], expected, std::abs(expected) / 128 + magnitude * 1e-6) << i << "," << j;
    }
}

// grep_docs finds an instruction by its heading, so each must have exactly one.
TEST(PlenaDocs, EveryInstructionHasExactlyOneSection) {
  std::map<std::string, int> headings;
  const std::regex heading(R"(^##\s+([A-Z_]+)\s*$)");
  for (const fs::path& doc : files_with_extension(kIsaDir, ".md")) {
    std::istringstream lines(read(doc));
    for (std::string line; std::getline(lines, line);) {
      std::smatch m;
      if (std::regex_match(line, m, heading)) ++headings[m[1]];
    }
  }
  for (const plena::InstrDef& def : plena::instruction_table())
    EXPECT_EQ(headings[def.mnemonic], 1) << def.mnemonic;
}

TEST(PlenaDocs, PlatformServesTheSections) {
  const PlenaPlatform platform(KC_SOURCE_DIR);
  const auto sections = platform.docs();
  ASSERT_GE(sections.size(), 8u);
  EXPECT_EQ(sections.front().id, "00-overview");
  for (const DocSection& s : sections) EXPECT_FALSE(s.title.empty()) << s.id;
}

}  // namespace
}  // namespace kc
