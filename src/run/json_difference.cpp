#include "kernelcraft/run/json_difference.h"

namespace kc::run {

using nlohmann::json;

std::optional<std::string> first_json_difference(const json& a, const json& b, const std::string& path) {
  // 3 read back from a file is unsigned, 3 built in memory signed: equal numbers either way.
  if (a.is_number() && b.is_number()) return a == b ? std::nullopt : std::optional<std::string>(path);
  if (a.type() != b.type()) return path;
  if (a.is_object()) {
    for (auto it = a.begin(); it != a.end(); ++it) {
      const std::string child = path + "." + it.key();
      if (!b.contains(it.key())) return child;
      if (auto found = first_json_difference(it.value(), b.at(it.key()), child)) return found;
    }
    for (auto it = b.begin(); it != b.end(); ++it)
      if (!a.contains(it.key())) return path + "." + it.key();
    return std::nullopt;
  }
  if (a.is_array()) {
    const std::size_t common = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < common; ++i)
      if (auto found = first_json_difference(a[i], b[i], path + "[" + std::to_string(i) + "]")) return found;
    if (a.size() != b.size()) return path + "[" + std::to_string(common) + "]";
    return std::nullopt;
  }
  if (a != b) return path;
  return std::nullopt;
}

}  // namespace kc::run
