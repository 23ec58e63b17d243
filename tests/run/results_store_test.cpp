// The run results store: a run folder's records survive kills (torn last line), resumes
// (repeated keys, dropped infra errors), concurrent workers and unwritable disks.
#include "kernelcraft/run/results_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "kernelcraft/core/errors.h"

namespace kc::run {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string test_dir(const std::string& leaf) {
  const auto dir = fs::path(::testing::TempDir()) /
                   ("kc_store_" + std::to_string(::getpid()) + "_" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name()) /
                   leaf;
  fs::remove_all(dir);
  return dir.string();
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void append_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << bytes;
}

agent::EpisodeRecord record(const std::string& task, int sample, const std::string& status = "pass",
                            uint64_t cycles = 1000) {
  agent::EpisodeRecord r;
  r.agent = "model-a";
  r.provider = "openai";
  r.model = "m-1";
  r.platform = "plena";
  r.task = task;
  r.config = "C1";
  r.preset = "default";
  r.level = 1;
  r.sample = sample;
  r.turn_budget = 10;
  r.turns = 3;
  r.status = status;
  r.end = status == "infra_error" ? "infra_error" : "submitted";
  r.cycles = cycles;
  r.speedup = 1.5;
  r.wall_s = 2.25;
  return r;
}

json run_json() { return {{"resolved", {{"agents", json::array({"model-a"})}, {"samples", 2}}}, {"version", "t"}}; }

std::vector<std::string> ids(const std::vector<agent::EpisodeRecord>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(key_of(r).id() + ":" + r.status);
  return out;
}

template <typename F>
std::string input_error_of(F&& action) {
  try {
    action();
  } catch (const InputError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected an InputError";
  return "";
}

std::set<std::string> entries(const std::string& dir) {
  std::set<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) out.insert(entry.path().filename().string());
  return out;
}

TEST(ResultsStoreTest, CreateWritesTheLayoutAndOpenReadsItBack) {
  const std::string dir = test_dir("run");
  const ResultsStore created = ResultsStore::create(dir, run_json());
  EXPECT_EQ(created.directory(), dir);
  EXPECT_TRUE(fs::is_directory(dir + "/transcripts"));
  EXPECT_TRUE(fs::is_directory(dir + "/kernels"));
  EXPECT_EQ(read_all(dir + "/episodes.jsonl"), "");
  EXPECT_EQ(entries(dir), (std::set<std::string>{"run.json", "episodes.jsonl", "transcripts", "kernels"}));
  // Pretty-printed so people can read the configuration of a run.
  EXPECT_EQ(read_all(dir + "/run.json"), run_json().dump(2) + "\n");

  const ResultsStore opened = ResultsStore::open(dir);
  EXPECT_EQ(opened.run_json(), run_json());
  EXPECT_TRUE(opened.records().empty());
}

TEST(ResultsStoreTest, CreateRefusesAFolderThatAlreadyHoldsARun) {
  const std::string dir = test_dir("run");
  ResultsStore first = ResultsStore::create(dir, run_json());
  first.append(record("relu", 0));
  const std::string message = input_error_of([&] { ResultsStore::create(dir, {{"resolved", "other"}}); });
  EXPECT_NE(message.find(dir + " already holds a run"), std::string::npos) << message;
  EXPECT_NE(message.find("--resume"), std::string::npos) << message;
  // Nothing already written is lost.
  EXPECT_EQ(ResultsStore::open(dir).run_json(), run_json());
  EXPECT_EQ(ResultsStore::open(dir).records().size(), 1u);
}

TEST(ResultsStoreTest, AppendedRecordsAreReadBackInOrder) {
  const std::string dir = test_dir("run");
  ResultsStore store = ResultsStore::create(dir, run_json());
  store.append(record("relu", 0));
  store.append(record("softmax", 0, "fail", 77));
  store.append(record("gemm", 1, "no_kernel"));
  const std::vector<std::string> expected{"model-a/plena/relu/C1/default/s0:pass",
                                          "model-a/plena/softmax/C1/default/s0:fail",
                                          "model-a/plena/gemm/C1/default/s1:no_kernel"};
  EXPECT_EQ(ids(store.records()), expected);

  const auto reopened = ResultsStore::open(dir).records();
  EXPECT_EQ(ids(reopened), expected);
  EXPECT_EQ(agent::to_json(reopened[1]), agent::to_json(record("softmax", 0, "fail", 77)));
  // One flushed line per record.
  const std::string text = read_all(dir + "/episodes.jsonl");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);
  EXPECT_EQ(text.back(), '\n');
}

TEST(ResultsStoreTest, TornLastLineIsCutAndTheNextAppendStartsAFreshLine) {
  const std::string dir = test_dir("run");
  const std::string path = dir + "/episodes.jsonl";
  {
    ResultsStore store = ResultsStore::create(dir, run_json());
    store.append(record("relu", 0));
    store.append(record("relu", 1));
  }
  const auto whole_size = fs::file_size(path);
  const std::string line = agent::to_json(record("gemm", 0)).dump();
  append_bytes(path, line.substr(0, line.size() / 2));  // a kill in the middle of a write

  ResultsStore store = ResultsStore::open(dir);
  EXPECT_EQ(store.records().size(), 2u);
  EXPECT_EQ(fs::file_size(path), whole_size);

  store.append(record("gemm", 0));
  const auto records = ResultsStore::open(dir).records();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[2].task, "gemm");
}

TEST(ResultsStoreTest, ATornFirstLineLeavesAnEmptyRun) {
  const std::string dir = test_dir("run");
  ResultsStore::create(dir, run_json());
  append_bytes(dir + "/episodes.jsonl", "{\"schema\":\"kernelcraft-epi");
  EXPECT_TRUE(ResultsStore::open(dir).records().empty());
  EXPECT_EQ(fs::file_size(dir + "/episodes.jsonl"), 0u);
}

TEST(ResultsStoreTest, ACorruptCompleteLineIsAnInputErrorWithItsLineNumber) {
  const std::string dir = test_dir("run");
  const std::string path = dir + "/episodes.jsonl";
  ResultsStore::create(dir, run_json()).append(record("relu", 0));
  append_bytes(path, "{not json\n" + agent::to_json(record("relu", 1)).dump() + "\n");
  const std::string before = read_all(path);

  const std::string message = input_error_of([&] { ResultsStore::open(dir); });
  EXPECT_NE(message.find(path + ":2: "), std::string::npos) << message;
  EXPECT_EQ(read_all(path), before) << "a corrupt middle line must not make open() rewrite the file";

  // Valid JSON that is not a record names the line and the field.
  const std::string dir2 = test_dir("run2");
  ResultsStore::create(dir2, run_json()).append(record("relu", 0));
  json broken = agent::to_json(record("relu", 1));
  broken.erase("cycles");
  append_bytes(dir2 + "/episodes.jsonl", broken.dump() + "\n");
  const std::string message2 = input_error_of([&] { ResultsStore::open(dir2); });
  EXPECT_NE(message2.find(dir2 + "/episodes.jsonl:2: "), std::string::npos) << message2;
  EXPECT_NE(message2.find("cycles"), std::string::npos) << message2;
}

TEST(ResultsStoreTest, MissingOrMalformedRunJsonIsAnInputErrorNamingIt) {
  const std::string dir = test_dir("run");
  fs::create_directories(dir);
  EXPECT_NE(input_error_of([&] { ResultsStore::open(dir); }).find(dir + "/run.json: "), std::string::npos);
  append_bytes(dir + "/run.json", "{\"resolved\": ");
  const std::string message = input_error_of([&] { ResultsStore::open(dir); });
  EXPECT_NE(message.find(dir + "/run.json: "), std::string::npos) << message;
}

TEST(ResultsStoreTest, ARepeatedKeyKeepsTheLaterRecord) {
  const std::string dir = test_dir("run");
  ResultsStore store = ResultsStore::create(dir, run_json());
  store.append(record("relu", 0, "infra_error"));
  store.append(record("softmax", 0));
  store.append(record("relu", 0, "fail"));  // the retry after resume
  const std::vector<std::string> expected{"model-a/plena/softmax/C1/default/s0:pass",
                                          "model-a/plena/relu/C1/default/s0:fail"};
  EXPECT_EQ(ids(store.records()), expected);
  EXPECT_EQ(ids(ResultsStore::open(dir).records()), expected);
}

TEST(ResultsStoreTest, DropInfraErrorsRewritesTheFileAtomicallyKeepingTheOrder) {
  const std::string dir = test_dir("run");
  const std::string path = dir + "/episodes.jsonl";
  ResultsStore store = ResultsStore::create(dir, run_json());
  store.append(record("a", 0));
  store.append(record("b", 0, "infra_error"));
  store.append(record("c", 0, "fail"));
  store.append(record("d", 0, "infra_error"));
  store.append(record("e", 0, "no_kernel"));
  struct stat before {};
  ASSERT_EQ(::stat(path.c_str(), &before), 0);

  EXPECT_EQ(store.drop_infra_errors(), 2u);
  const std::vector<std::string> expected{"model-a/plena/a/C1/default/s0:pass",
                                          "model-a/plena/c/C1/default/s0:fail",
                                          "model-a/plena/e/C1/default/s0:no_kernel"};
  EXPECT_EQ(ids(store.records()), expected);
  EXPECT_EQ(ids(ResultsStore::open(dir).records()), expected);
  struct stat after {};
  ASSERT_EQ(::stat(path.c_str(), &after), 0);
  EXPECT_NE(before.st_ino, after.st_ino) << "replaced by rename, not rewritten in place";
  EXPECT_EQ(entries(dir), (std::set<std::string>{"run.json", "episodes.jsonl", "transcripts", "kernels"}));

  EXPECT_EQ(store.drop_infra_errors(), 0u);
  store.append(record("b", 0));
  EXPECT_EQ(ResultsStore::open(dir).records().back().task, "b");
}

TEST(ResultsStoreTest, ConcurrentAppendsAllArriveIntact) {
  const std::string dir = test_dir("run");
  ResultsStore store = ResultsStore::create(dir, run_json());
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t) {
    workers.emplace_back([&store, t] {
      for (int i = 0; i < 50; ++i) store.append(record("task" + std::to_string(t), i, "pass", 100 * t + i));
    });
  }
  for (auto& worker : workers) worker.join();

  const auto records = ResultsStore::open(dir).records();  // throws if any line were interleaved
  ASSERT_EQ(records.size(), 200u);
  std::set<std::string> keys;
  for (const auto& r : records) {
    keys.insert(key_of(r).id());
    EXPECT_EQ(r.cycles, 100u * static_cast<uint64_t>(r.task.back() - '0') + static_cast<uint64_t>(r.sample));
  }
  EXPECT_EQ(keys.size(), 200u);
  EXPECT_EQ(store.records().size(), 200u);
}

TEST(ResultsStoreTest, AnUnwritableLocationIsAnInputErrorNamingThePath) {
  // A folder under a regular file fails with ENOTDIR, even for root.
  const std::string base = test_dir("base");
  fs::create_directories(base);
  append_bytes(base + "/file", "x");
  const std::string under_file = base + "/file/run";
  const std::string message = input_error_of([&] { ResultsStore::create(under_file, run_json()); });
  EXPECT_NE(message.find(under_file), std::string::npos) << message;

  // Appending where episodes.jsonl cannot be written.
  const std::string dir = test_dir("run");
  ResultsStore store = ResultsStore::create(dir, run_json());
  fs::remove(dir + "/episodes.jsonl");
  fs::create_directory(dir + "/episodes.jsonl");
  const std::string append_message = input_error_of([&] { store.append(record("relu", 0)); });
  EXPECT_NE(append_message.find(dir + "/episodes.jsonl"), std::string::npos) << append_message;
  EXPECT_TRUE(store.records().empty()) << "a failed append must not count as recorded";
}

TEST(ResultsStoreTest, AReadOnlyFolderIsAnInputErrorNamingThePath) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores folder permissions; the read-only folder case is skipped";
  const std::string locked = test_dir("locked");
  fs::create_directories(locked);
  ::chmod(locked.c_str(), 0500);
  const std::string locked_message = input_error_of([&] { ResultsStore::create(locked + "/run", run_json()); });
  ::chmod(locked.c_str(), 0700);
  EXPECT_NE(locked_message.find(locked + "/run"), std::string::npos) << locked_message;
}

TEST(ResultsStoreTest, EpisodeFilesLiveUnderTheRunFolder) {
  const std::string dir = test_dir("run");
  const ResultsStore store = ResultsStore::create(dir, run_json());
  const EpisodeKey key = key_of(record("relu", 3));
  EXPECT_EQ(key.id(), "model-a/plena/relu/C1/default/s3");
  EXPECT_EQ(store.transcript_path(key), dir + "/transcripts/" + key.file_stem() + ".jsonl");
  EXPECT_EQ(store.kernel_directory(key), dir + "/kernels/" + key.file_stem());
}

TEST(ResultsStoreTest, AMovedStoreKeepsItsRecordsAndKeepsAppending) {
  const std::string dir = test_dir("run");
  ResultsStore original = ResultsStore::create(dir, run_json());
  original.append(record("relu", 0));
  ResultsStore moved(std::move(original));
  moved.append(record("relu", 1));
  EXPECT_EQ(moved.directory(), dir);
  EXPECT_EQ(moved.run_json(), run_json());
  EXPECT_EQ(moved.records().size(), 2u);
  EXPECT_EQ(ResultsStore::open(dir).records().size(), 2u);
}

}  // namespace
}  // namespace kc::run
