// Writes the five report files. Each goes to a temporary file first and is renamed into place,
// so a reader (or a CI step) never sees a half-written report and an old one survives a crash.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/report/report.h"

namespace kc::report {
namespace {

namespace fs = std::filesystem;

void write_atomically(const fs::path& path, const std::string& text) {
  const fs::path temporary = path.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(temporary.string() + ": cannot create file: " + std::strerror(errno));
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    if (!out) {
      std::error_code ignored;
      fs::remove(temporary, ignored);
      throw InputError(temporary.string() + ": cannot write file: " + std::strerror(errno));
    }
  }
  std::error_code error;
  fs::rename(temporary, path, error);
  if (error) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw InputError(path.string() + ": cannot replace file: " + error.message());
  }
}

}  // namespace

std::vector<std::string> write_report(const ReportInput& input, const std::string& directory) {
  std::error_code error;
  fs::create_directories(directory, error);
  if (error || !fs::is_directory(directory))
    throw InputError(directory + ": cannot create the report folder" + (error ? ": " + error.message() : ""));

  const nlohmann::json summary = summarize(input);
  const std::vector<std::pair<std::string, std::string>> files{
      {"leaderboard.md", leaderboard_markdown(input, summary)},
      {"report.html", report_html(input, summary)},
      {"results.csv", results_csv(input)},
      // Names are user input: invalid UTF-8 is replaced rather than thrown on.
      {"summary.json", summary.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"},
      {"junit.xml", junit_xml(input)},
  };
  std::vector<std::string> written;
  for (const auto& [name, text] : files) {
    const fs::path path = fs::path(directory) / name;
    write_atomically(path, text);
    written.push_back(path.string());
  }
  return written;
}

}  // namespace kc::report
