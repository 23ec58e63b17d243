// The shipped PLENA examples and documentation stay consistent with the instruction table.
#include <algorithm>
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

TEST(PlenaExamples, DemoCommandRunsThemAll) {
  const char* argv[] = {"kernelcraft", "--data-dir", KC_SOURCE_DIR, "demo"};
  std::ostringstream out, err;
  EXPECT_EQ(cli::run(4, argv, out, err), 0) << err.str() << out.str();
  EXPECT_NE(out.str().find("example kernels ran without a trap"), std::string::npos);
  EXPECT_NE(out.str().find("gemm_64.asm"), std::string::npos);
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
