// Shards of one run are merged only when they provably measured the same experiment and
// together hold each part of the matrix exactly once; otherwise the merged leaderboard would
// silently mix configurations or miss cells.
#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <system_error>
#include <utility>

#include <spdlog/spdlog.h>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/run/results_store.h"
#include "kernelcraft/run/json_difference.h"

namespace kc::run {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Shard {
  std::string directory;
  ResultsStore store;
  int index = 0;
  int count = 1;
};

// A run made without --shard is the whole matrix: shard 0 of 1.
std::pair<int, int> shard_position(const json& run_json, const std::string& directory) {
  if (!run_json.contains("shard") || run_json.at("shard").is_null()) return {0, 1};
  const json& shard = run_json.at("shard");
  const bool ok = shard.is_object() && shard.contains("index") && shard.contains("count") &&
                  shard.at("index").is_number_integer() && shard.at("count").is_number_integer();
  if (ok) {
    const int index = shard.at("index").get<int>();
    const int count = shard.at("count").get<int>();
    if (count >= 1 && index >= 0 && index < count) return {index, count};
  }
  throw InputError(directory + "/run.json: field 'shard': expected {\"index\": I, \"count\": N} with 0 <= I < N");
}

std::vector<Shard> open_shards(const std::vector<std::string>& directories) {
  std::vector<Shard> shards;
  for (const std::string& directory : directories) {
    ResultsStore store = ResultsStore::open(directory);
    const auto [index, count] = shard_position(store.run_json(), directory);
    shards.push_back(Shard{directory, std::move(store), index, count});
  }
  return shards;
}

void check_same_experiment(const std::vector<Shard>& shards) {
  for (const Shard& shard : shards)
    if (!shard.store.run_json().contains("resolved"))
      throw InputError("shard " + shard.directory + ": run.json has no 'resolved' field; is it a run folder?");
  const json& reference = shards.front().store.run_json().at("resolved");
  for (std::size_t i = 1; i < shards.size(); ++i) {
    if (auto field = first_json_difference(shards[i].store.run_json().at("resolved"), reference, "resolved"))
      throw InputError("shard " + shards[i].directory + ": run.json field '" + *field + "' differs from " +
                       shards.front().directory);
  }
}

void check_coverage(const std::vector<Shard>& shards) {
  const Shard& first = shards.front();
  std::map<int, const Shard*> by_index;
  for (const Shard& shard : shards) {
    if (shard.count != first.count)
      throw InputError("shard " + shard.directory + ": run.json field 'shard.count' is " +
                       std::to_string(shard.count) + " but " + first.directory + " has " + std::to_string(first.count));
    const auto [it, inserted] = by_index.emplace(shard.index, &shard);
    if (!inserted)
      throw InputError("merge: shard " + std::to_string(shard.index) + "/" + std::to_string(shard.count) +
                       " is given twice: " + it->second->directory + " and " + shard.directory);
  }
  for (int index = 0; index < first.count; ++index)
    if (by_index.count(index) == 0)
      throw InputError("merge: shard " + std::to_string(index) + "/" + std::to_string(first.count) +
                       " is missing; every index 0.." + std::to_string(first.count - 1) + " must be given once");
}

struct Source {
  agent::EpisodeRecord record;
  const Shard* shard;
};

// The union of the shards' records in matrix order. The same episode in two shards (a cell run
// twice) is kept once, and only if both runs agree on everything that is reproducible.
std::map<EpisodeKey, Source> union_of_records(const std::vector<Shard>& shards) {
  std::map<EpisodeKey, Source> out;
  for (const Shard& shard : shards) {
    for (agent::EpisodeRecord& record : shard.store.records()) {
      const EpisodeKey key = key_of(record);
      const auto found = out.find(key);
      if (found == out.end()) {
        out.emplace(key, Source{std::move(record), &shard});
        continue;
      }
      const json mine = agent::reproducible_part(record);
      const json theirs = agent::reproducible_part(found->second.record);
      if (auto field = first_json_difference(mine, theirs, "")) {
        const std::string name = field->empty() ? "record" : field->substr(1);
        throw InputError("merge: episode " + key.id() + " is in " + found->second.shard->directory + " and " +
                         shard.directory + " with different results (field '" + name + "')");
      }
    }
  }
  return out;
}

bool is_file(const fs::path& path) {
  std::error_code ignored;
  return fs::is_regular_file(path, ignored);
}

bool is_folder(const fs::path& path) {
  std::error_code ignored;
  return fs::is_directory(path, ignored);
}

void copy_or_throw(const fs::path& from, const fs::path& to) {
  std::error_code error;
  fs::create_directories(to.parent_path(), error);
  if (!error) fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing, error);
  if (error) throw InputError("merge: cannot copy " + from.string() + " to " + to.string() + ": " + error.message());
}

// The shard's own transcript file, else the one the record names (a run written elsewhere).
std::string copy_transcript(const Source& source, const EpisodeKey& key, const ResultsStore& output) {
  const agent::EpisodeRecord& record = source.record;
  fs::path from = source.shard->store.transcript_path(key);
  if (!is_file(from)) from = record.transcript_path;
  if (record.transcript_path.empty() && !is_file(from)) return "";
  if (!is_file(from)) {
    spdlog::warn("merge: episode {}: transcript {} not found; the merged record has none", key.id(),
                 record.transcript_path);
    return "";
  }
  const std::string to = output.transcript_path(key);
  copy_or_throw(from, to);
  return to;
}

// The whole kernel folder (every version the agent wrote), else at least the scored kernel.
std::string copy_kernels(const Source& source, const EpisodeKey& key, const ResultsStore& output) {
  const agent::EpisodeRecord& record = source.record;
  const fs::path to = output.kernel_directory(key);
  const fs::path folder = source.shard->store.kernel_directory(key);
  const std::string file_name = fs::path(record.kernel_path).filename().string();
  if (is_folder(folder)) {
    copy_or_throw(folder, to);
    return record.kernel_path.empty() ? "" : (to / file_name).string();
  }
  if (record.kernel_path.empty()) return "";
  if (!is_file(record.kernel_path)) {
    spdlog::warn("merge: episode {}: kernel {} not found; the merged record has none", key.id(), record.kernel_path);
    return "";
  }
  copy_or_throw(record.kernel_path, to / file_name);
  return (to / file_name).string();
}

json merged_run_json(const std::vector<Shard>& shards) {
  json run = shards.front().store.run_json();
  run.erase("shard");
  json sources = json::array();
  for (const Shard& shard : shards) sources.push_back(shard.directory);
  run["merged_from"] = sources;
  return run;
}

}  // namespace

std::size_t merge_runs(const std::vector<std::string>& shard_directories, const std::string& output) {
  if (shard_directories.empty()) throw InputError("merge: no shard folders given");
  // Every check runs before the output exists, so a refused merge leaves nothing behind.
  const std::vector<Shard> shards = open_shards(shard_directories);
  check_same_experiment(shards);
  check_coverage(shards);
  const std::map<EpisodeKey, Source> episodes = union_of_records(shards);

  ResultsStore merged = ResultsStore::create(output, merged_run_json(shards));
  for (const auto& [key, source] : episodes) {
    agent::EpisodeRecord record = source.record;
    // Files first: an appended record never points at a file that is not there yet.
    record.transcript_path = copy_transcript(source, key, merged);
    record.kernel_path = copy_kernels(source, key, merged);
    merged.append(record);
  }
  spdlog::info("merged {} shards into {}: {} episodes", shards.size(), output, episodes.size());
  return episodes.size();
}

}  // namespace kc::run
