// `list tasks`, `baseline` and `eval` as a user runs them: output, JSON and exit codes.
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


std::string temp_file(const std::string& name, const std::string& text) {
  const fs::path path = fs::temp_directory_path() / ("kc_eval_cli_" + name);
  std::ofstream(path) << text;
  return path.string();
}

TEST(ListTasks, ShowsTheSuiteWithLevelsAndSupport) {
  const CliResult r = kernelcraft({"list", "tasks"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("decoder_block_llama"), std::string::npos);
  EXPECT_NE(r.out.find("23 tasks"), std::string::npos);
  const CliResult j = kernelcraft({"list", "tasks", "--json"});
  ASSERT_EQ(j.code, kExitOk);
  const auto tasks = nlohmann::json::parse(j.out);
  ASSERT_EQ(tasks.size(), 23u);
  for (const auto& t : tasks) {
    EXPECT_EQ(t["configs"].size(), 5u);
    EXPECT_EQ(t["turn_budget"], 10 + 5 * t["level"].get<int>());
  }
}

TEST(ListTasks, AMalformedTaskFileIsReportedWithFileAndField) {
  const fs::path root = fs::temp_directory_path() / "kc_eval_cli_bad_suite";
  fs::remove_all(root);
  fs::create_directories(root / "tasks" / "broken");
  std::ofstream(root / "tasks" / "broken" / "task.json") << R"({"format": "kernelcraft-task/1", "name": "broken"})";
  const CliResult r = kernelcraft({"list", "tasks"}, root.string());
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("broken/task.json: field 'title': missing"), std::string::npos) << r.err;
  fs::remove_all(root);
}

TEST(Eval, TheBaselineKernelPassesAndReportsSpeedupAndSol) {
  const CliResult b = kernelcraft({"baseline", "-p", "plena", "-t", "softmax", "-c", "C1"});
  ASSERT_EQ(b.code, kExitOk) << b.err;
  const std::string kernel = temp_file("softmax.asm", b.out);
  const CliResult e = kernelcraft({"eval", "-p", "plena", "-t", "softmax", "-c", "C1", kernel, "--json"});
  ASSERT_EQ(e.code, kExitOk) << e.out << e.err;
  const auto report = nlohmann::json::parse(e.out);
  EXPECT_TRUE(report["passed"].get<bool>());
  EXPECT_EQ(report["seeds"].size(), 4u);
  EXPECT_EQ(report["baseline_cycles"], report["cycles"]);
  EXPECT_DOUBLE_EQ(report["speedup"].get<double>(), 1.0);
  EXPECT_GT(report["sol_percent"].get<double>(), 0.0);
  const CliResult text = kernelcraft({"eval", "-p", "plena", "-t", "softmax", "-c", "C1", kernel});
  EXPECT_NE(text.out.find("result: PASS"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("speedup 1.000x"), std::string::npos) << text.out;
}

TEST(Eval, AFailingKernelExitsOneWithMismatches) {
  const std::string kernel = temp_file("empty.asm", "S_ADDI_INT gp1, gp0, 1\n");
  const CliResult r = kernelcraft({"eval", "-p", "plena", "-t", "relu", "-c", "C1", "--seed", "1", kernel});
  EXPECT_EQ(r.code, kExitKernelFailed);
  EXPECT_NE(r.out.find("result: FAIL"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("expected"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("seed 1 (visible)"), std::string::npos) << r.out;
}

TEST(Eval, AssemblyErrorsAreDiagnosticsAndExitOne) {
  const std::string kernel = temp_file("bad.asm", "V_ADD_VV gp1, gp2\n");
  const CliResult r = kernelcraft({"eval", "-p", "plena", "-t", "relu", "-c", "C1", kernel});
  EXPECT_EQ(r.code, kExitKernelFailed);
  EXPECT_NE(r.out.find(":1:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("does not assemble"), std::string::npos) << r.out;
}

TEST(Eval, UnknownTaskConfigOrKnobIsAUsageError) {
  const std::string kernel = temp_file("nop.asm", "S_ADDI_INT gp1, gp0, 1\n");
  const CliResult task = kernelcraft({"eval", "-p", "plena", "-t", "nope", "-c", "C1", kernel});
  EXPECT_EQ(task.code, kExitUsage);
  EXPECT_NE(task.err.find("unknown task 'nope'"), std::string::npos) << task.err;
  const CliResult config = kernelcraft({"eval", "-p", "plena", "-t", "relu", "-c", "C9", kernel});
  EXPECT_EQ(config.code, kExitUsage);
  const CliResult knob = kernelcraft({"baseline", "-p", "plena", "-t", "relu", "-c", "C1", "--knob", "colour=red"});
  EXPECT_EQ(knob.code, kExitUsage);
  EXPECT_NE(knob.err.find("unknown knob 'colour'"), std::string::npos) << knob.err;
  const CliResult value = kernelcraft({"baseline", "-p", "plena", "-t", "relu", "-c", "C1", "--knob", "unroll=3"});
  EXPECT_EQ(value.code, kExitUsage);
  EXPECT_NE(value.err.find("expected one of"), std::string::npos) << value.err;
}

}  // namespace
}  // namespace kc::cli
