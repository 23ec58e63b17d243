// Replies already paid for, keyed by request hash, one file each under a cache folder, so a
// rerun of the same request costs nothing. Writes go to a temporary file renamed into place,
// so a killed run never leaves a torn entry.
#pragma once

#include <optional>
#include <string>

namespace kc::llm {

class ResponseCache {
 public:
  explicit ResponseCache(std::string directory);  // created on first store
  std::optional<std::string> find(const std::string& request_hash) const;
  void store(const std::string& request_hash, const std::string& response_body) const;
  const std::string& directory() const { return directory_; }

 private:
  std::string path_of(const std::string& request_hash) const;
  std::string directory_;
};

}  // namespace kc::llm
