// Crash safety of `kernelcraft run` (the real binary): killed with SIGKILL at random moments and
// resumed, it ends with the episodes of an uninterrupted run; a full disk or an unwritable run
// folder stops it with an error naming the file, keeps every record already written, and a
// resume then completes the run.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "kernelcraft/agent/episode_record.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/run/results_store.h"

namespace kc::run {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::string temp_dir(const std::string& leaf) {
  const auto dir = fs::path(::testing::TempDir()) /
                   ("kc_crash_" + std::to_string(::getpid()) + "_" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name()) /
                   leaf;
  fs::remove_all(dir);
  return dir.string();
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The whole lines of a records file; a kill may leave one torn line at the end (no '\n'),
// which `torn` reports. Every whole line must be a record.
std::vector<json> whole_lines(const std::string& path, bool* torn = nullptr) {
  const std::string text = read_all(path);
  std::vector<json> lines;
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) break;
    const std::string line = text.substr(begin, end - begin);
    begin = end + 1;
    try {
      lines.push_back(json::parse(line));
    } catch (const json::parse_error& e) {
      ADD_FAILURE() << path << ": line " << lines.size() + 1 << " is not whole: " << e.what();
    }
  }
  if (torn != nullptr) *torn = begin < text.size();
  return lines;
}

// Episode id -> the record's reproducible part; every line whole, no episode twice.
std::map<std::string, json> episodes_of(const std::string& run_dir) {
  bool torn = false;
  std::map<std::string, json> out;
  for (const json& line : whole_lines(run_dir + "/episodes.jsonl", &torn)) {
    const agent::EpisodeRecord record = agent::record_from_json(line);
    const std::string id = key_of(record).id();
    EXPECT_FALSE(out.count(id)) << "episode recorded twice: " << id;
    out[id] = agent::reproducible_part(record);
  }
  EXPECT_FALSE(torn) << run_dir << ": torn last line";
  return out;
}

struct ChildOptions {
  std::optional<rlim_t> file_size_limit;  // RLIMIT_FSIZE, with SIGXFSZ ignored: writes fail with EFBIG
  std::string stderr_path;                // "" : /dev/null
};

// Starts the real binary with the source tree as data folder; returns its pid.
pid_t spawn(const std::vector<std::string>& args, const ChildOptions& options = {}) {
  std::vector<std::string> full = {KC_BINARY, "--data-dir", KC_SOURCE_DIR};
  full.insert(full.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : full) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string err_path = options.stderr_path.empty() ? "/dev/null" : options.stderr_path;
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int out = ::open("/dev/null", O_WRONLY);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || err < 0) ::_exit(126);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    if (options.file_size_limit) {
      ::signal(SIGXFSZ, SIG_IGN);  // stays ignored across exec
      const rlimit limit{*options.file_size_limit, *options.file_size_limit};
      if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(125);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

struct Exit {
  int code = -1;    // exit code, or -1 when killed by a signal
  int signal = 0;
  std::string err;  // stderr, when captured
};

Exit wait_for(pid_t pid, const std::string& stderr_path = "") {
  int status = 0;
  ::waitpid(pid, &status, 0);
  Exit exit;
  if (WIFEXITED(status)) exit.code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) exit.signal = WTERMSIG(status);
  if (!stderr_path.empty()) exit.err = read_all(stderr_path);
  return exit;
}

Exit run_binary(const std::vector<std::string>& args, const ChildOptions& options = {}) {
  ChildOptions captured = options;
  if (captured.stderr_path.empty()) captured.stderr_path = temp_dir("stderr") + ".txt";
  fs::create_directories(fs::path(captured.stderr_path).parent_path());
  return wait_for(spawn(args, captured), captured.stderr_path);
}

std::vector<std::string> run_args(const std::vector<std::string>& matrix, const std::string& out, bool resume) {
  std::vector<std::string> args = {"run"};
  args.insert(args.end(), matrix.begin(), matrix.end());
  args.insert(args.end(), {"--no-cache", "--jobs", "2", "--out", out});
  if (resume) args.push_back("--resume");
  return args;
}

// 36 episodes: two built-in agents (deterministic, no network) on six tasks, three sizes.
const std::vector<std::string> kKillMatrix = {"--platforms", "plena", "--agents", "baseline,autotune", "--tasks",
                                              "relu,gemm,silu,softmax,rms_norm,linear", "--configs", "C1,C2,C3"};
// 12 episodes whose transcripts differ in size, so a file size limit fails one of the last.
const std::vector<std::string> kSmallMatrix = {"--platforms", "plena", "--agents", "baseline,autotune", "--tasks", "relu,silu", "--configs",
                                               "C1,C2,C3"};

std::map<std::string, json> uninterrupted(const std::vector<std::string>& matrix, const std::string& dir) {
  const Exit clean = run_binary(run_args(matrix, dir, false));
  EXPECT_EQ(clean.code, 0) << clean.err;
  return episodes_of(dir);
}

bool exited(pid_t pid, Exit& exit) {
  int status = 0;
  if (::waitpid(pid, &status, WNOHANG) != pid) return false;
  exit.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  exit.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  return true;
}

std::size_t line_count(const std::string& path) {
  const std::string text = read_all(path);
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// One killed-and-resumed run in `dir`: resumes it and kills it again and again until it
// finishes by itself or `wanted_midway` kills fell between its first and last record, then lets a
// last resume finish it. Adds to the counters; a fast machine may finish a run within few kills,
// so the caller runs rounds until it has seen enough.
struct KillCounts {
  int kills = 0, midway = 0, torn_lines = 0;
};

void kill_and_resume(const std::string& dir, std::size_t episodes, int wanted_midway, std::mt19937& random,
                     KillCounts& counts) {
  const std::string records = dir + "/episodes.jsonl";
  int midway = 0;
  for (int attempt = 0; attempt < 80 && midway < wanted_midway; ++attempt) {
    const std::size_t before = line_count(records);
    const pid_t pid = spawn(run_args(kKillMatrix, dir, true));
    ASSERT_GT(pid, 0);
    Exit exit;
    // Odd attempts die at a random time after the start (also during start-up and resume);
    // even ones as soon as the run recorded something new (mid-episode, mid-write).
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    const auto random_delay = std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 300)(random));
    const auto started = Clock::now();
    bool finished = false;
    while (Clock::now() < deadline) {
      finished = exited(pid, exit);
      if (finished) break;
      const bool due = attempt % 2 == 1 ? Clock::now() - started >= random_delay : line_count(records) > before;
      if (due) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (finished) {
      ASSERT_EQ(exit.code, 0) << "attempt " << attempt << " ended by signal " << exit.signal;
      break;
    }
    if (attempt % 2 == 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 10)(random)));
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    ++counts.kills;
    bool torn = false;
    const std::size_t recorded = whole_lines(records, &torn).size();  // every whole line parses
    counts.torn_lines += torn ? 1 : 0;
    if (recorded > 0 && recorded < episodes) ++midway;
  }
  counts.midway += midway;
  // Whatever is left, one last resume finishes.
  const Exit last = run_binary(run_args(kKillMatrix, dir, true));
  ASSERT_EQ(last.code, 0) << last.err;
}

TEST(CrashSafety, KilledAtRandomMomentsAndResumedEqualsAnUninterruptedRun) {
  const auto expected = uninterrupted(kKillMatrix, temp_dir("reference"));
  ASSERT_EQ(expected.size(), 36u);

  std::mt19937 random(20261121);
  KillCounts counts;
  constexpr int kWantedMidway = 12;
  for (int round = 0; round < 6 && counts.midway < kWantedMidway; ++round) {
    const std::string killed = temp_dir("killed-" + std::to_string(round));
    kill_and_resume(killed, expected.size(), kWantedMidway - counts.midway, random, counts);
    if (HasFatalFailure()) return;
    EXPECT_EQ(line_count(killed + "/episodes.jsonl"), expected.size())
        << "round " << round << ": one line per episode, none duplicated";
    EXPECT_EQ(episodes_of(killed), expected) << "round " << round;
  }
  EXPECT_GE(counts.midway, 10) << "the test must interrupt runs between their first and last record ("
                               << counts.kills << " kills)";
  RecordProperty("kills", counts.kills);
  RecordProperty("kills_midway", counts.midway);
  RecordProperty("torn_lines_seen", counts.torn_lines);
}

// The transcript sizes of a finished run, by episode id.
std::map<std::string, uintmax_t> transcript_sizes(const std::string& run_dir) {
  std::map<std::string, uintmax_t> sizes;
  for (const json& line : whole_lines(run_dir + "/episodes.jsonl")) {
    const agent::EpisodeRecord record = agent::record_from_json(line);
    sizes[key_of(record).id()] = fs::file_size(record.transcript_path);
  }
  return sizes;
}

TEST(CrashSafety, AFullDiskStopsTheRunWithAClearErrorAndLosesNothing) {
  const std::string reference = temp_dir("reference");
  const auto expected = uninterrupted(kSmallMatrix, reference);
  ASSERT_EQ(expected.size(), 12u);
  // A file size limit between the largest transcript and the next: exactly one episode runs
  // out of space, late in the run (its cell comes last), after others were recorded.
  std::vector<uintmax_t> sizes;
  for (const auto& [id, size] : transcript_sizes(reference)) sizes.push_back(size);
  std::sort(sizes.rbegin(), sizes.rend());
  ASSERT_GT(sizes[0], sizes[1] + 1000) << "the largest transcript must stand out for this test";
  const rlim_t limit = static_cast<rlim_t>((sizes[0] + sizes[1]) / 2);
  ASSERT_GT(limit, fs::file_size(reference + "/episodes.jsonl")) << "only the transcript may hit the limit";

  const std::string dir = temp_dir("full");
  ChildOptions full_disk;
  full_disk.file_size_limit = limit;
  const Exit stopped = run_binary(run_args(kSmallMatrix, dir, false), full_disk);
  ASSERT_EQ(stopped.signal, 0) << "the binary crashed";
  EXPECT_EQ(stopped.code, 2) << stopped.err;
  EXPECT_NE(stopped.err.find("error: " + dir + "/transcripts/"), std::string::npos) << stopped.err;
  EXPECT_NE(stopped.err.find("--resume"), std::string::npos) << "says how to go on: " << stopped.err;
  const auto kept = episodes_of(dir);  // whole lines only
  EXPECT_GT(kept.size(), 0u);
  EXPECT_LT(kept.size(), expected.size());
  for (const auto& [id, record] : kept) EXPECT_EQ(record, expected.at(id)) << id;

  const Exit resumed = run_binary(run_args(kSmallMatrix, dir, true));
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_EQ(episodes_of(dir), expected);
}

// A full disk while appending a record: the partial line is taken back, the error names the
// file, and every record appended before stays readable.
TEST(CrashSafety, AFullRecordsFileKeepsOnlyWholeRecords) {
  const std::string dir = temp_dir("run");
  ResultsStore::create(dir, {{"resolved", {{"what", "full records file"}}}});
  constexpr rlim_t kLimit = 8000;  // a record is a few hundred bytes: the limit falls mid-line
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Child: append until the store refuses, report how many went in and the message.
    ::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{kLimit, kLimit};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    std::string report;
    int appended = 0;
    try {
      ResultsStore store = ResultsStore::open(dir);
      for (; appended < 1000; ++appended) {
        agent::EpisodeRecord record;
        record.agent = "a";
        record.platform = "plena";
        record.task = "relu";
        record.config = "C1";
        record.preset = "default";
        record.sample = appended;
        record.status = "fail";
        record.failure = std::string(static_cast<std::size_t>(100 + appended * 7 % 90), 'x');
        store.append(record);
      }
      report = std::to_string(appended) + "\nno error";
    } catch (const InputError& e) {
      report = std::to_string(appended) + "\n" + e.what();
    }
    (void)!::write(pipe_fds[1], report.data(), report.size());
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string report;
  char buffer[512];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) report.append(buffer, static_cast<std::size_t>(n));
  ::close(pipe_fds[0]);
  ::waitpid(pid, nullptr, 0);

  const std::size_t newline = report.find('\n');
  ASSERT_NE(newline, std::string::npos) << report;
  const int appended = std::stoi(report.substr(0, newline));
  const std::string message = report.substr(newline + 1);
  EXPECT_NE(message.find(dir + "/episodes.jsonl: cannot append"), std::string::npos) << message;
  EXPECT_GT(appended, 5);
  EXPECT_LT(fs::file_size(dir + "/episodes.jsonl"), kLimit) << "the partial line was taken back";
  bool torn = true;
  EXPECT_EQ(whole_lines(dir + "/episodes.jsonl", &torn).size(), static_cast<std::size_t>(appended));
  EXPECT_FALSE(torn);
  EXPECT_EQ(ResultsStore::open(dir).records().size(), static_cast<std::size_t>(appended));
}

TEST(CrashSafety, ARunFolderUnderARegularFileIsAClearError) {
  const std::string base = temp_dir("base");
  fs::create_directories(base);
  std::ofstream(base + "/file") << "not a folder";
  const std::string out = base + "/file/run";
  const Exit refused = run_binary(run_args({"--agents", "baseline", "--tasks", "relu", "--configs", "C1"}, out, false));
  ASSERT_EQ(refused.signal, 0);
  EXPECT_EQ(refused.code, 2) << refused.err;
  EXPECT_NE(refused.err.find("error: " + out), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("Not a directory"), std::string::npos) << refused.err;
  EXPECT_EQ(read_all(base + "/file"), "not a folder");
}

// A run folder whose transcripts or kernels folder cannot be written (root ignores
// permissions, so a regular file takes the folder's place): the resume stops at once with an
// error naming it, the records file is untouched, and once repaired the run completes.
class UnwritableRunFolder : public ::testing::TestWithParam<std::string> {};

TEST_P(UnwritableRunFolder, StopsWithAClearErrorAndKeepsTheRecords) {
  const std::string reference = temp_dir("reference");
  const auto expected = uninterrupted(kSmallMatrix, reference);
  const std::string dir = temp_dir("partial");
  fs::copy(reference, dir, fs::copy_options::recursive);
  // Keep the first five records, as if the run had been stopped there.
  const std::string records = dir + "/episodes.jsonl";
  std::string first_five;
  for (const json& line : whole_lines(records)) {
    if (std::count(first_five.begin(), first_five.end(), '\n') == 5) break;
    first_five += line.dump() + "\n";
  }
  std::ofstream(records, std::ios::trunc) << first_five;

  const std::string blocked = dir + "/" + GetParam();
  fs::rename(blocked, blocked + ".moved");
  std::ofstream(blocked) << "a file where the folder should be";
  const Exit stopped = run_binary(run_args(kSmallMatrix, dir, true));
  ASSERT_EQ(stopped.signal, 0) << "the binary crashed";
  EXPECT_EQ(stopped.code, 2) << stopped.err;
  EXPECT_NE(stopped.err.find("error: " + blocked), std::string::npos) << stopped.err;
  EXPECT_NE(stopped.err.find("--resume"), std::string::npos) << stopped.err;
  EXPECT_EQ(read_all(records), first_five) << "nothing already written is lost or changed";

  fs::remove(blocked);
  fs::rename(blocked + ".moved", blocked);
  const Exit resumed = run_binary(run_args(kSmallMatrix, dir, true));
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_EQ(episodes_of(dir), expected);
}

INSTANTIATE_TEST_SUITE_P(CrashSafety, UnwritableRunFolder, ::testing::Values("transcripts", "kernels"));

}  // namespace
}  // namespace kc::run
