// The fixed orderings every report output uses, so the same records always give the same bytes
// whatever order parallel workers appended them in.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include "kernelcraft/agent/episode_record.h"
#include "kernelcraft/report/report.h"

namespace kc::report::detail {

// "C2" < "C10": runs of digits compare by value, everything else by character.
inline bool natural_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const bool da = std::isdigit(static_cast<unsigned char>(a[i])) != 0;
    const bool db = std::isdigit(static_cast<unsigned char>(b[j])) != 0;
    if (da && db) {
      std::size_t ei = i, ej = j;
      while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei]))) ++ei;
      while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej]))) ++ej;
      // Compare by value without overflow: strip leading zeros, then length, then digits.
      std::size_t zi = i, zj = j;
      while (zi + 1 < ei && a[zi] == '0') ++zi;
      while (zj + 1 < ej && b[zj] == '0') ++zj;
      if (ei - zi != ej - zj) return ei - zi < ej - zj;
      const int cmp = a.compare(zi, ei - zi, b, zj, ej - zj);
      if (cmp != 0) return cmp < 0;
      i = ei;
      j = ej;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

struct NaturalLess {
  bool operator()(const std::string& a, const std::string& b) const {
    if (natural_less(a, b)) return true;
    if (natural_less(b, a)) return false;
    return a < b;  // "C01" vs "C1": still a strict order
  }
};

// Tasks in suite order: level, then name (as load_task_suite orders them).
struct TaskRef {
  std::string name;
  int level = 0;
  bool operator<(const TaskRef& other) const { return std::tie(level, name) < std::tie(other.level, other.name); }
  bool operator==(const TaskRef& other) const { return level == other.level && name == other.name; }
};

using Episodes = std::vector<const agent::EpisodeRecord*>;

// Canonical episode order: agent, platform, level, task, configuration, preset, sample; ties
// (the same episode in two runs) keep run order.
inline Episodes canonical_order(const std::vector<agent::EpisodeRecord>& records) {
  Episodes out;
  out.reserve(records.size());
  for (const auto& record : records) out.push_back(&record);
  const NaturalLess natural;
  std::stable_sort(out.begin(), out.end(), [&](const agent::EpisodeRecord* a, const agent::EpisodeRecord* b) {
    if (a->agent != b->agent) return a->agent < b->agent;
    if (a->platform != b->platform) return a->platform < b->platform;
    if (a->level != b->level) return a->level < b->level;
    if (a->task != b->task) return a->task < b->task;
    if (a->config != b->config) return natural(a->config, b->config);
    if (a->preset != b->preset) return a->preset < b->preset;
    return a->sample < b->sample;
  });
  return out;
}

// A run's name in titles: run.json "run_id" or "id" when present, else the folder's name.
inline std::string run_id(const ReportInput& input, std::size_t index) {
  if (index < input.runs.size()) {
    const auto& run = input.runs[index];
    for (const char* key : {"run_id", "id"})
      if (run.is_object() && run.contains(key) && run.at(key).is_string()) return run.at(key).get<std::string>();
  }
  if (index < input.run_directories.size()) {
    std::filesystem::path path(input.run_directories[index]);
    if (!path.has_filename()) path = path.parent_path();  // "results/run-1/"
    if (!path.filename().empty()) return path.filename().string();
  }
  return "run-" + std::to_string(index + 1);
}

inline std::vector<std::string> run_ids(const ReportInput& input) {
  std::vector<std::string> ids;
  const std::size_t count = std::max(input.runs.size(), input.run_directories.size());
  for (std::size_t i = 0; i < count; ++i) ids.push_back(run_id(input, i));
  return ids;
}

}  // namespace kc::report::detail
