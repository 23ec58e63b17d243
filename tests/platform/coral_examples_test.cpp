// The Coral examples agents read (isa/coral_npu/08-examples.md) are the shipped example kernels,
// and they compute what they say: each runs on the simulator and matches host arithmetic.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <regex>

#include <gtest/gtest.h>

#include "kernelcraft/core/memory_image.h"
#include "kernelcraft/core/text_file.h"
#include "kernelcraft/platform/coral_platform.h"

namespace kc {
namespace {

namespace fs = std::filesystem;

const fs::path kIsaDir = fs::path(KC_SOURCE_DIR) / "isa" / "coral_npu";

const CoralPlatform& coral() {
  static const CoralPlatform platform(KC_SOURCE_DIR);
  return platform;
}

TEST(CoralExamples, EveryCodeBlockOfTheExamplesPageIsAShippedKernel) {
  const std::string page = read_text_file((kIsaDir / "08-examples.md").string());
  const std::regex fence("```\\n([\\s\\S]*?)```");
  std::vector<std::string> blocks;
  for (auto it = std::sregex_iterator(page.begin(), page.end(), fence); it != std::sregex_iterator(); ++it)
    blocks.push_back((*it)[1]);
  ASSERT_EQ(blocks.size(), 3u);
  const char* files[] = {"relu.s", "gemv.s", "softmax_row.s"};
  for (std::size_t i = 0; i < blocks.size(); ++i)
    EXPECT_EQ(blocks[i], read_text_file((kIsaDir / "examples" / files[i]).string())) << files[i];
}

struct ExampleRun {
  MemoryImage input;
  std::vector<double> output;
  SimReport report;
};

ExampleRun run_example(const std::string& stem, uint64_t out_address, uint64_t out_count) {
  ExampleRun run;
  run.input = load_memory_image((kIsaDir / "examples" / (stem + ".image.json")).string());
  const AssembleResult assembled = coral().assemble(read_text_file((kIsaDir / "examples" / (stem + ".s")).string()), "coral");
  EXPECT_TRUE(assembled.ok()) << stem << ": " << (assembled.diagnostics.empty() ? "" : assembled.diagnostics[0].message);
  if (!assembled.ok()) return run;
  RunLimits limits;
  limits.writable_offchip = {{"ext", out_address, out_address + 4 * out_count}};
  limits.poison_seed = 11;
  run.report = coral().run(*assembled.program, "coral", run.input, {{"ext", out_address, out_count, "f32", 0}}, limits);
  EXPECT_TRUE(run.report.ok()) << stem << ": " << (run.report.trap ? run.report.trap->message : "");
  if (run.report.ok()) run.output = run.report.dumped.segments.at(0).values;
  return run;
}

TEST(CoralExamples, ReluMatchesTheHost) {
  const ExampleRun run = run_example("relu", 0x20001000, 8 * 128);
  ASSERT_EQ(run.output.size(), 8u * 128);
  const auto& x = run.input.segments.at(0).values;
  for (std::size_t i = 0; i < x.size(); ++i)
    EXPECT_EQ(run.output[i], static_cast<double>(std::max(static_cast<float>(x[i]), 0.0f))) << i;
}

TEST(CoralExamples, GemvMatchesTheHost) {
  const ExampleRun run = run_example("gemv", 0x20010400, 128);
  ASSERT_EQ(run.output.size(), 128u);
  const auto& a = run.input.segments.at(0).values;
  const auto& x = run.input.segments.at(1).values;
  for (std::size_t n = 0; n < 128; ++n) {
    double expected = 0, magnitude = 0;
    for (std::size_t k = 0; k < 128; ++k) {
      expected += static_cast<float>(a[n * 128 + k]) * static_cast<double>(static_cast<float>(x[k]));
      magnitude += std::abs(a[n * 128 + k] * x[k]);
    }
    EXPECT_NEAR(run.output[n], expected, 1e-5 * magnitude + 1e-6) << n;
  }
}

TEST(CoralExamples, SoftmaxRowsMatchTheHost) {
  const ExampleRun run = run_example("softmax_row", 0x20001000, 8 * 128);
  ASSERT_EQ(run.output.size(), 8u * 128);
  const auto& x = run.input.segments.at(0).values;
  for (std::size_t n = 0; n < 8; ++n) {
    const auto row = x.begin() + static_cast<std::ptrdiff_t>(n * 128);
    const double max = *std::max_element(row, row + 128);
    double sum = 0;
    for (std::size_t d = 0; d < 128; ++d) sum += std::exp(x[n * 128 + d] - max);
    for (std::size_t d = 0; d < 128; ++d) {
      const double expected = std::exp(x[n * 128 + d] - max) / sum;
      EXPECT_NEAR(run.output[n * 128 + d], expected, 1e-5 * expected + 1e-7) << n << "," << d;
    }
  }
}

}  // namespace
}  // namespace kc
