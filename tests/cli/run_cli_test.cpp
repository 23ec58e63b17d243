// `kernelcraft run`, `merge` and `report` as a user runs them, including a run killed with
// SIGKILL at random moments and resumed.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_test_util.h"

namespace kc::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string temp_dir(const std::string& leaf) {
  const auto dir = fs::path(::testing::TempDir()) /
                   ("kc_run_cli_" + std::to_string(::getpid()) + "_" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name()) /
                   leaf;
  fs::remove_all(dir);
  return dir.string();
}

// Episode id -> the record's reproducible part (no wall time, paths or cache hits).
std::map<std::string, json> episodes_of(const std::string& run_dir) {
  std::map<std::string, json> out;
  std::ifstream in(fs::path(run_dir) / "episodes.jsonl");
  for (std::string line; std::getline(in, line);) {
    json record = json::parse(line);
    const std::string id = record["agent"].get<std::string>() + "/" + record["platform"].get<std::string>() + "/" +
                           record["task"].get<std::string>() + "/" +
                           record["config"].get<std::string>() + "/s" + std::to_string(record["sample"].get<int>());
    EXPECT_FALSE(out.count(id)) << "episode recorded twice: " << id;
    for (const char* field : {"wall_s", "kernel_path", "transcript", "cache_hits"}) record.erase(field);
    out[id] = record;
  }
  return out;
}

const std::vector<std::string> kMatrix = {"--platforms", "plena", "--agents", "baseline,autotune", "--tasks", "relu,gemm,silu,softmax,rms_norm,linear",
                                          "--configs", "C1,C2,C3", "--no-cache"};

std::vector<std::string> run_args(const std::string& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"run"};
  args.insert(args.end(), kMatrix.begin(), kMatrix.end());
  args.insert(args.end(), {"--out", out});
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// Starts the real binary; returns its pid.
pid_t spawn(const std::vector<std::string>& args) {
  std::vector<std::string> full = {KC_BINARY, "--data-dir", KC_SOURCE_DIR};
  full.insert(full.end(), args.begin(), args.end());
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::vector<char*> argv;
    for (std::string& a : full) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, STDOUT_FILENO);
    ::dup2(devnull, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

TEST(RunCli, ARunKilledAtRandomMomentsAndResumedEqualsAnUninterruptedRun) {
  const std::string reference = temp_dir("reference");
  const CliResult clean = kernelcraft(run_args(reference, {"--jobs", "2"}));
  ASSERT_EQ(clean.code, 0) << clean.err;
  const auto expected = episodes_of(reference);
  ASSERT_EQ(expected.size(), 36u);

  const std::string killed = temp_dir("killed");
  const auto recorded = [&killed] {
    std::ifstream lines(fs::path(killed) / "episodes.jsonl");
    return static_cast<long>(
        std::count(std::istreambuf_iterator<char>(lines), std::istreambuf_iterator<char>(), '\n'));
  };
  // Each attempt is killed a random moment after it has recorded at least one more episode, so
  // the kills land mid-run whatever the machine's speed (sanitizer builds start slowly).
  std::mt19937 random(20261121);
  int kills = 0, kills_midway = 0;  // midway: some episodes recorded, some not
  for (int attempt = 0; attempt < 12; ++attempt) {
    const long before = recorded();
    const pid_t pid = spawn(run_args(killed, {"--jobs", "2", "--resume"}));
    ASSERT_GT(pid, 0);
    int status = 0;
    bool exited = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (!(exited = ::waitpid(pid, &status, WNOHANG) == pid) && recorded() <= before &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    if (!exited) {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 40)(random)));
      exited = ::waitpid(pid, &status, WNOHANG) == pid;
    }
    if (!exited) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      ++kills;
      if (recorded() > 0 && recorded() < static_cast<long>(expected.size())) ++kills_midway;
      continue;
    }
    ASSERT_TRUE(WIFEXITED(status)) << "attempt " << attempt;
    ASSERT_EQ(WEXITSTATUS(status), 0) << "attempt " << attempt;
    break;  // finished on its own
  }
  // Whatever is left, one last resume finishes.
  const CliResult last = kernelcraft(run_args(killed, {"--resume"}));
  ASSERT_EQ(last.code, 0) << last.err;
  EXPECT_GE(kills_midway, 3) << "the test must actually interrupt the run between episodes (" << kills << " kills)";
  EXPECT_EQ(episodes_of(killed), expected);
}

TEST(RunCli, ShardsMergedEqualOneUnshardedRun) {
  const std::string whole = temp_dir("whole");
  ASSERT_EQ(kernelcraft(run_args(whole, {"--run-id", "r1"})).code, 0);
  std::vector<std::string> merge = {"merge"};
  for (int i = 0; i < 3; ++i) {
    const std::string shard = temp_dir("shard" + std::to_string(i));
    const CliResult r = kernelcraft(run_args(shard, {"--run-id", "r1", "--shard", std::to_string(i) + "/3"}));
    ASSERT_EQ(r.code, 0) << r.err;
    merge.push_back(shard);
  }
  const std::string merged = temp_dir("merged");
  merge.insert(merge.end(), {"--out", merged});
  const CliResult m = kernelcraft(merge);
  ASSERT_EQ(m.code, 0) << m.err;
  EXPECT_EQ(episodes_of(merged), episodes_of(whole));
  // Two shards alone are refused: shard 2 of 3 is missing.
  const CliResult partial = kernelcraft({"merge", merge[1], merge[2], "--out", temp_dir("partial")});
  EXPECT_EQ(partial.code, 2);
}

TEST(RunCli, ResumeRefusesAChangedConfigurationAndAnExistingRunNeedsResume) {
  const std::string dir = temp_dir("run");
  ASSERT_EQ(kernelcraft({"run", "--agents", "baseline", "--tasks", "relu", "--configs", "C1", "--out", dir}).code, 0);
  const CliResult again = kernelcraft({"run", "--agents", "baseline", "--tasks", "relu", "--out", dir});
  EXPECT_EQ(again.code, 2);
  EXPECT_NE(again.err.find("--resume"), std::string::npos) << again.err;
  // Somebody edits the recorded configuration: resume names the field instead of mixing results.
  json run_json = json::parse(std::ifstream(fs::path(dir) / "run.json"));
  run_json["resolved"]["turn_budget"] = 3;
  std::ofstream(fs::path(dir) / "run.json") << run_json.dump(2);
  const CliResult resumed = kernelcraft({"run", "--resume", "--out", dir});
  EXPECT_EQ(resumed.code, 2);
  EXPECT_NE(resumed.err.find("turn_budget"), std::string::npos) << resumed.err;
}

TEST(RunCli, ReportAndCompareGateOnARegression) {
  const std::string base = temp_dir("base");
  ASSERT_EQ(kernelcraft({"run", "--agents", "baseline", "--tasks", "relu,gemm", "--configs", "C1", "--out", base}).code,
            0);
  const CliResult report = kernelcraft({"report", base, "--out", temp_dir("report")});
  ASSERT_EQ(report.code, 0) << report.err;
  EXPECT_NE(report.out.find("baseline"), std::string::npos);
  EXPECT_EQ(kernelcraft({"report", "--compare", base, base, "--fail-if", "new_failures>0"}).code, 0);

  // The same run with one episode turned into a failure.
  const std::string worse = temp_dir("worse");
  fs::copy(base, worse, fs::copy_options::recursive);
  std::ifstream in(fs::path(worse) / "episodes.jsonl");
  std::string text, line;
  bool changed = false;
  while (std::getline(in, line)) {
    json record = json::parse(line);
    if (!changed) {
      record["status"] = "fail";
      record["failure"] = "synthetic regression";
      changed = true;
    }
    text += record.dump() + "\n";
  }
  in.close();
  std::ofstream(fs::path(worse) / "episodes.jsonl") << text;
  const CliResult compare = kernelcraft({"report", "--compare", base, worse, "--fail-if", "new_failures>0"});
  EXPECT_EQ(compare.code, 1) << compare.out << compare.err;
  EXPECT_NE(compare.out.find("new_failures"), std::string::npos) << compare.out;
}

}  // namespace
}  // namespace kc::cli
