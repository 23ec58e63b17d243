#include "kernelcraft/llm/response_cache.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/llm/sha256.h"

namespace kc::llm {
namespace {

namespace fs = std::filesystem;

class ResponseCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::path(::testing::TempDir()) /
            ("kc_response_cache_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  std::vector<fs::path> files_under(const fs::path& folder) const {
    std::vector<fs::path> files;
    if (!fs::exists(folder)) return files;
    for (const auto& entry : fs::recursive_directory_iterator(folder))
      if (entry.is_regular_file()) files.push_back(entry.path());
    return files;
  }

  fs::path root_;
};

TEST_F(ResponseCacheTest, MissWhenNothingStored) {
  const ResponseCache cache((root_ / "cache").string());
  EXPECT_EQ(cache.find(sha256_hex("never stored")), std::nullopt);
  EXPECT_FALSE(fs::exists(root_ / "cache")) << "find must not create the folder";
}

TEST_F(ResponseCacheTest, StoredBodyIsFoundByteForByte) {
  const ResponseCache cache((root_ / "cache").string());
  const std::string hash = sha256_hex("request one");
  const std::string body = std::string("{\"choices\":[]}\n") + '\0' + "\xff binary tail";
  cache.store(hash, body);
  ASSERT_EQ(cache.find(hash), body);

  // Laid out as <dir>/<first two hex digits>/<hash>.json.
  EXPECT_TRUE(fs::is_regular_file(root_ / "cache" / hash.substr(0, 2) / (hash + ".json")));

  // A second cache object over the same folder (a rerun) sees the entry.
  EXPECT_EQ(ResponseCache((root_ / "cache").string()).find(hash), body);
}

TEST_F(ResponseCacheTest, StoreReplacesAnOlderEntry) {
  const ResponseCache cache((root_ / "cache").string());
  const std::string hash = sha256_hex("request");
  cache.store(hash, "old");
  cache.store(hash, "new");
  EXPECT_EQ(cache.find(hash), "new");
}

TEST_F(ResponseCacheTest, DifferentHashesDoNotCollide) {
  const ResponseCache cache((root_ / "cache").string());
  // Same two-digit folder, different entries.
  const std::string a = std::string("ab") + std::string(62, '0');
  const std::string b = std::string("ab") + std::string(61, '0') + "1";
  cache.store(a, "body a");
  cache.store(b, "body b");
  EXPECT_EQ(cache.find(a), "body a");
  EXPECT_EQ(cache.find(b), "body b");
  EXPECT_EQ(cache.find(sha256_hex("other")), std::nullopt);
}

TEST_F(ResponseCacheTest, RejectsHashesThatAreNotPlainHexDigests) {
  const ResponseCache cache((root_ / "cache").string());
  const std::string valid = sha256_hex("x");
  std::string upper = valid;
  upper[0] = 'A';
  upper[1] = 'B';
  const std::vector<std::string> bad = {
      "",
      "abc",
      valid + "0",
      upper,
      "../" + valid.substr(3),
      std::string(62, 'a') + "/x",
      std::string(64, 'g'),
  };
  for (const std::string& hash : bad) {
    EXPECT_THROW(cache.store(hash, "body"), std::invalid_argument) << hash;
    EXPECT_THROW(cache.find(hash), std::invalid_argument) << hash;
  }
  EXPECT_TRUE(files_under(root_).empty()) << "a rejected hash must write nothing";
}

TEST_F(ResponseCacheTest, LeavesNoTemporaryFilesBehind) {
  const ResponseCache cache((root_ / "cache").string());
  for (int i = 0; i < 5; ++i) cache.store(sha256_hex("request " + std::to_string(i)), "body");
  cache.store(sha256_hex("request 0"), "again");
  const auto files = files_under(root_ / "cache");
  EXPECT_EQ(files.size(), 5u);
  for (const fs::path& file : files) EXPECT_EQ(file.extension(), ".json") << file;
}

TEST_F(ResponseCacheTest, UnwritableFolderThrowsInputErrorNamingThePath) {
  // A regular file where the cache folder should be: nothing can be created under it.
  fs::create_directories(root_);
  std::ofstream(root_ / "blocker") << "not a folder";
  const ResponseCache cache((root_ / "blocker").string());
  try {
    cache.store(sha256_hex("request"), "body");
    FAIL() << "expected InputError";
  } catch (const kc::InputError& error) {
    EXPECT_NE(std::string(error.what()).find((root_ / "blocker").string()), std::string::npos) << error.what();
  }
  EXPECT_EQ(cache.find(sha256_hex("request")), std::nullopt);
}

}  // namespace
}  // namespace kc::llm
