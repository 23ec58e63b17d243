#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_test_util.h"

namespace kc::cli {
namespace {

namespace fs = std::filesystem;

std::string temp_dir(const std::string& leaf) {
  const auto dir = fs::path(::testing::TempDir()) /
                   ("kc_agent_cli_" + std::to_string(::getpid()) + "_" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name()) /
                   leaf;
  fs::remove_all(dir);
  return dir.string();
}

TEST(AgentCli, RunsTheBaselineAgentAndReplaysItsTranscript) {
  const std::string dir = temp_dir("episode");
  const CliResult run = kernelcraft({"agent", "--agent", "baseline", "-p", "plena", "-t", "relu", "-c", "C1", "--out", dir});
  ASSERT_EQ(run.code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("result: pass (3 of 3 hidden seeds)"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("speedup 1.000x"), std::string::npos) << run.out;
  EXPECT_NE(run.err.find("turn 1/15"), std::string::npos) << "live log on stderr: " << run.err;
  EXPECT_NE(run.err.find("run_eval -> PASS"), std::string::npos) << run.err;

  const CliResult replay = kernelcraft({"agent", "--replay", dir + "/transcript.jsonl", "--out", temp_dir("replayed"), "--json"});
  ASSERT_EQ(replay.code, 0) << replay.err;
  const auto record = nlohmann::json::parse(replay.out);
  EXPECT_EQ(record["status"], "pass");
  EXPECT_EQ(record["agent"], "baseline");
  EXPECT_EQ(record["turns"], 2);
}

TEST(AgentCli, UsageErrorsAreClear) {
  CliResult r = kernelcraft({"agent", "--agent", "no-such-agent", "-p", "plena", "-t", "relu"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("no-such-agent"), std::string::npos) << r.err;
  r = kernelcraft({"agent", "-p", "plena", "-t", "relu"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--agent"), std::string::npos) << r.err;
  r = kernelcraft({"agent", "--replay", temp_dir("none") + "/transcript.jsonl"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("cannot open the transcript"), std::string::npos) << r.err;
}

TEST(AgentCli, AMissingApiKeyIsAUsageErrorNamingTheVariable) {
  ::unsetenv("ANTHROPIC_API_KEY");
  const CliResult r = kernelcraft({"agent", "--agent", "claude-sonnet-4", "-p", "plena", "-t", "relu", "--out",
                                   temp_dir("episode"), "--no-cache"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("ANTHROPIC_API_KEY"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace kc::cli
