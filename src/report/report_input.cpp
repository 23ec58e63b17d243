// Loads the run folders a report covers. The results store owns the folder format (and cuts a
// torn last line of a killed run), so this only checks that each folder is a run at all.
#include <filesystem>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/report/report.h"
#include "kernelcraft/run/results_store.h"

namespace kc::report {

ReportInput load_report_input(const std::vector<std::string>& run_directories) {
  if (run_directories.empty()) throw InputError("report: no run folder given (expected results/<run-id> folders)");
  ReportInput input;
  for (const std::string& directory : run_directories) {
    const std::filesystem::path folder(directory);
    if (!std::filesystem::is_directory(folder)) throw InputError(directory + ": run folder not found");
    if (!std::filesystem::is_regular_file(folder / "run.json"))
      throw InputError(directory + ": not a run folder (no run.json)");
    const run::ResultsStore store = run::ResultsStore::open(directory);
    std::vector<agent::EpisodeRecord> records = store.records();
    input.episodes.insert(input.episodes.end(), std::make_move_iterator(records.begin()),
                          std::make_move_iterator(records.end()));
    input.runs.push_back(store.run_json());
    input.run_directories.push_back(directory);
  }
  return input;
}

}  // namespace kc::report
