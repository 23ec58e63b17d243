#include "kernelcraft/llm/response_cache.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include <unistd.h>

#include "kernelcraft/core/errors.h"

namespace kc::llm {
namespace {

namespace fs = std::filesystem;

// The hash becomes a file name: only a plain sha256 hex digest can never escape the folder.
void check_hash(const std::string& hash) {
  const bool ok = hash.size() == 64 && std::all_of(hash.begin(), hash.end(), [](char c) {
                    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                  });
  if (!ok)
    throw std::invalid_argument("response cache: request hash must be 64 lower-case hex digits, got '" +
                                hash.substr(0, 80) + "'");
}

// Unique among the threads, processes and hosts (a cache folder shared by cluster nodes) that
// may store the same entry at once.
std::string temp_name_for(const fs::path& target) {
  static std::atomic<unsigned long> counter{0};
  char host[256] = "host";
  ::gethostname(host, sizeof host - 1);
  std::ostringstream name;
  name << target.filename().string() << ".tmp." << host << '.' << ::getpid() << '.' << counter.fetch_add(1);
  return (target.parent_path() / name.str()).string();
}

}  // namespace

ResponseCache::ResponseCache(std::string directory) : directory_(std::move(directory)) {}

std::string ResponseCache::path_of(const std::string& request_hash) const {
  check_hash(request_hash);
  return (fs::path(directory_) / request_hash.substr(0, 2) / (request_hash + ".json")).string();
}

std::optional<std::string> ResponseCache::find(const std::string& request_hash) const {
  std::ifstream in(path_of(request_hash), std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream body;
  body << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return body.str();
}

void ResponseCache::store(const std::string& request_hash, const std::string& response_body) const {
  const fs::path target = path_of(request_hash);
  std::error_code error;
  fs::create_directories(target.parent_path(), error);
  if (error)
    throw InputError("response cache: cannot create folder " + target.parent_path().string() + ": " +
                     error.message());

  // Write beside the target and rename: a reader sees the old entry or the whole new one.
  const std::string temp = temp_name_for(target);
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(response_body.data(), static_cast<std::streamsize>(response_body.size()));
    out.close();
    if (!out) {
      fs::remove(temp, error);
      throw InputError("response cache: cannot write " + temp);
    }
  }
  fs::rename(temp, target, error);
  if (error) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw InputError("response cache: cannot move " + temp + " to " + target.string() + ": " +
                     error.message());
  }
}

}  // namespace kc::llm
