#include "kernelcraft/run/results_store.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/text_file.h"

namespace kc::run {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kRunFile = "run.json";
constexpr const char* kEpisodesFile = "episodes.jsonl";

std::string errno_text() { return std::strerror(errno); }

// Closes on every path out, so an exception never leaks a descriptor.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  // close() can report a deferred write error (NFS), so its result matters.
  bool close_checked() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

// write() may write less than asked (signals, quotas); loop until all bytes are down.
bool write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// A rename or a new file is only durable once its folder's entry list is on disk.
void fsync_directory(const std::string& directory) {
  FileDescriptor fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0)
    throw InputError(directory + ": cannot sync folder: " + errno_text());
}

// Readers see either the old file or the complete new one, never a partial write.
void write_file_atomically(const std::string& path, const std::string& text) {
  const fs::path target(path);
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  {
    FileDescriptor fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (fd.get() < 0) throw InputError(temp + ": cannot create: " + errno_text());
    if (!write_all(fd.get(), text) || ::fsync(fd.get()) != 0 || !fd.close_checked()) {
      const std::string reason = errno_text();
      ::unlink(temp.c_str());
      throw InputError(temp + ": write failed: " + reason);
    }
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string reason = errno_text();
    ::unlink(temp.c_str());
    throw InputError(path + ": cannot replace: " + reason);
  }
  fsync_directory(target.parent_path().empty() ? "." : target.parent_path().string());
}

void create_folder(const fs::path& folder) {
  std::error_code error;
  fs::create_directories(folder, error);
  if (error) throw InputError(folder.string() + ": cannot create folder: " + error.message());
}

// Never throws: a path under a regular file (ENOTDIR) simply does not exist.
bool path_exists(const fs::path& path) {
  std::error_code ignored;
  return fs::exists(path, ignored);
}

bool is_infra_error(const agent::EpisodeRecord& record) {
  return record.status == "infra_error" || record.end == "infra_error";
}

std::string record_line(const agent::EpisodeRecord& record) { return agent::to_json(record).dump() + '\n'; }

// The line's record replaces any earlier one of the same episode (a retried infra_error); the
// survivors keep the order of their lines.
std::vector<agent::EpisodeRecord> latest_per_key(std::vector<agent::EpisodeRecord> records) {
  std::map<EpisodeKey, std::size_t> last;
  for (std::size_t i = 0; i < records.size(); ++i) last[key_of(records[i])] = i;
  std::vector<agent::EpisodeRecord> out;
  out.reserve(last.size());
  for (std::size_t i = 0; i < records.size(); ++i)
    if (last.at(key_of(records[i])) == i) out.push_back(std::move(records[i]));
  return out;
}

bool is_blank(const std::string& line) { return line.find_first_not_of(" \t\r") == std::string::npos; }

// A kill during append can leave a last line without its '\n'; everything before it is whole.
// Cutting it makes the episode run again on resume and lets the next append start a fresh line.
std::string cut_torn_tail(const std::string& path, std::string content) {
  const std::size_t last_newline = content.rfind('\n');
  const std::size_t keep = last_newline == std::string::npos ? 0 : last_newline + 1;
  if (keep == content.size()) return content;
  if (::truncate(path.c_str(), static_cast<off_t>(keep)) != 0)
    throw InputError(path + ": cannot cut the torn last line: " + errno_text());
  spdlog::warn("{}: cut a torn last line ({} bytes) left by an interrupted write; that episode will run again",
               path, content.size() - keep);
  content.resize(keep);
  return content;
}

std::vector<agent::EpisodeRecord> parse_records(const std::string& path, const std::string& content) {
  std::vector<agent::EpisodeRecord> records;
  std::size_t begin = 0;
  for (std::size_t number = 1; begin < content.size(); ++number) {
    const std::size_t end = content.find('\n', begin);
    const std::string line = content.substr(begin, end - begin);
    begin = end + 1;
    if (is_blank(line)) continue;
    const std::string where = path + ":" + std::to_string(number) + ": ";
    json parsed;
    try {
      parsed = json::parse(line);
    } catch (const json::exception& error) {  // also out_of_range: numbers like 1e99999
      throw InputError(where + "not a JSON line: " + error.what());
    }
    try {
      records.push_back(agent::record_from_json(parsed));
    } catch (const InputError& error) {
      throw InputError(where + error.what());
    }
  }
  return records;
}

json read_run_json(const std::string& path) {
  if (!path_exists(path)) throw InputError(path + ": missing; is this a run folder?");
  const std::string text = read_text_file(path, "run description");
  try {
    json parsed = json::parse(text);
    if (!parsed.is_object()) throw InputError(path + ": expected a JSON object");
    return parsed;
  } catch (const json::exception& error) {  // also out_of_range: numbers like 1e99999
    throw InputError(path + ": malformed JSON: " + error.what());
  }
}

}  // namespace

EpisodeKey key_of(const agent::EpisodeRecord& record) {
  return EpisodeKey{record.agent, record.platform, record.task, record.config, record.preset, record.sample};
}

ResultsStore::ResultsStore(std::string directory) : directory_(std::move(directory)) {}

ResultsStore::ResultsStore(ResultsStore&& other) noexcept {
  std::lock_guard<std::mutex> lock(other.mutex_);
  directory_ = std::move(other.directory_);
  run_json_ = std::move(other.run_json_);
  records_ = std::move(other.records_);
}

std::string ResultsStore::episodes_path() const { return (fs::path(directory_) / kEpisodesFile).string(); }

ResultsStore ResultsStore::create(const std::string& directory, const nlohmann::json& run_json) {
  const fs::path root(directory);
  if (path_exists(root / kRunFile))
    throw InputError(directory + " already holds a run; use --resume or another --run-id");
  create_folder(root / "transcripts");
  create_folder(root / "kernels");

  ResultsStore store(directory);
  // Records without the run.json that says what they measured would be unscorable: refuse to
  // adopt them rather than truncate them.
  const std::string episodes = store.episodes_path();
  std::error_code error;
  if (path_exists(episodes) && fs::file_size(episodes, error) > 0 && !error)
    throw InputError(episodes + ": holds records but " + directory +
                     " has no run.json; move it away or use another --run-id");
  {
    FileDescriptor fd(::open(episodes.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
    if (fd.get() < 0) throw InputError(episodes + ": cannot create: " + errno_text());
  }
  // run.json last: its presence is what marks the folder as a run.
  write_file_atomically((root / kRunFile).string(), run_json.dump(2) + '\n');
  store.run_json_ = run_json;
  return store;
}

ResultsStore ResultsStore::open(const std::string& directory) {
  ResultsStore store(directory);
  store.run_json_ = read_run_json((fs::path(directory) / kRunFile).string());
  const std::string episodes = store.episodes_path();
  if (!path_exists(episodes)) {
    spdlog::warn("{}: missing; the run has no finished episodes yet", episodes);
    return store;
  }
  const std::string content = cut_torn_tail(episodes, read_text_file(episodes, "episode records"));
  store.records_ = latest_per_key(parse_records(episodes, content));
  return store;
}

std::vector<agent::EpisodeRecord> ResultsStore::records() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return records_;
}

std::size_t ResultsStore::drop_infra_errors() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<agent::EpisodeRecord> kept;
  for (const agent::EpisodeRecord& record : records_)
    if (!is_infra_error(record)) kept.push_back(record);
  const std::size_t removed = records_.size() - kept.size();
  if (removed == 0) return 0;
  std::string text;
  for (const agent::EpisodeRecord& record : kept) text += record_line(record);
  write_file_atomically(episodes_path(), text);
  records_ = std::move(kept);
  return removed;
}

void ResultsStore::append(const agent::EpisodeRecord& record) {
  const std::string line = record_line(record);
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string path = episodes_path();
  FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644));
  if (fd.get() < 0) throw InputError(path + ": cannot open for appending: " + errno_text());
  struct stat before {};
  if (::fstat(fd.get(), &before) != 0) throw InputError(path + ": cannot stat: " + errno_text());
  if (!write_all(fd.get(), line) || ::fsync(fd.get()) != 0) {
    const std::string reason = errno_text();
    // Take back a partial line (disk full mid-write) so the file stays a list of whole records.
    if (::ftruncate(fd.get(), before.st_size) != 0)
      spdlog::warn("{}: could not remove a partly written line; the next open will cut it", path);
    throw InputError(path + ": cannot append an episode record: " + reason);
  }
  if (!fd.close_checked()) throw InputError(path + ": cannot append an episode record: " + errno_text());

  const EpisodeKey key = key_of(record);
  for (auto it = records_.begin(); it != records_.end(); ++it) {
    if (key_of(*it) == key) {
      records_.erase(it);
      break;
    }
  }
  records_.push_back(record);
}

std::string ResultsStore::transcript_path(const EpisodeKey& key) const {
  return (fs::path(directory_) / "transcripts" / (key.file_stem() + ".jsonl")).string();
}

std::string ResultsStore::kernel_directory(const EpisodeKey& key) const {
  return (fs::path(directory_) / "kernels" / key.file_stem()).string();
}

}  // namespace kc::run
