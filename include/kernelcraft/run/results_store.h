// A run's folder, results/<run-id>/:
//   run.json        the resolved configuration, versions, git revision, shard (written once)
//   episodes.jsonl  one EpisodeRecord per finished episode, appended and fsync'd line by line
//   transcripts/    <episode>.jsonl
//   kernels/        <episode>/kernel_v<N>.asm, final.asm
// A killed run leaves at worst a torn last line, which open() cuts away; resuming re-runs what
// has no record (and infra_error episodes) and appends, so no episode is lost or duplicated.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kernelcraft/agent/episode_record.h"
#include "kernelcraft/run/run_spec.h"

namespace kc::run {

EpisodeKey key_of(const agent::EpisodeRecord& record);

class ResultsStore {
 public:
  // A new run folder with its run.json. InputError when the folder already holds a run.
  static ResultsStore create(const std::string& directory, const nlohmann::json& run_json);
  // An existing run folder (resume, report, merge): reads run.json and the records, cutting a
  // torn last line of episodes.jsonl. InputError naming the file for anything malformed.
  static ResultsStore open(const std::string& directory);

  const std::string& directory() const { return directory_; }
  const nlohmann::json& run_json() const { return run_json_; }
  std::vector<agent::EpisodeRecord> records() const;

  // Removes infra_error records (to be run again), rewriting episodes.jsonl atomically.
  // Returns how many were removed.
  std::size_t drop_infra_errors();
  // Appends one record as a line, flushed and fsync'd before returning. Thread-safe.
  void append(const agent::EpisodeRecord& record);

  std::string transcript_path(const EpisodeKey& key) const;
  std::string kernel_directory(const EpisodeKey& key) const;

  ResultsStore(ResultsStore&& other) noexcept;

 private:
  explicit ResultsStore(std::string directory);
  std::string episodes_path() const;

  std::string directory_;
  nlohmann::json run_json_;
  std::vector<agent::EpisodeRecord> records_;
  mutable std::mutex mutex_;
};

// Combines shard folders into `output` (a new run folder): their run.json "resolved" parts must
// be identical (else InputError naming the first difference), records are unioned (an episode
// in two shards must have the same reproducible result), transcripts and kernels are copied.
// Returns the number of episodes in the merged run.
std::size_t merge_runs(const std::vector<std::string>& shard_directories, const std::string& output);

}  // namespace kc::run
