#include "kernelcraft/llm/secrets.h"

#include <mutex>
#include <set>

namespace kc::llm {
namespace {

// Shorter values are not keys and would redact ordinary words.
constexpr std::size_t kMinSecretLength = 8;

std::mutex& registry_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::set<std::string>& registry() {
  static std::set<std::string> secrets;
  return secrets;
}

}  // namespace

void register_secret(const std::string& value) {
  if (value.size() < kMinSecretLength) return;
  std::lock_guard<std::mutex> lock(registry_mutex());
  registry().insert(value);
}

std::string redact_secrets(std::string text) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  for (const std::string& secret : registry()) {
    for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
      text.replace(at, secret.size(), "[redacted]");
  }
  return text;
}

}  // namespace kc::llm
