#include "kernelcraft/llm/transcript.h"

#include <chrono>
#include <fstream>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/llm/secrets.h"

namespace kc::llm {
namespace {

double now_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

TranscriptWriter::TranscriptWriter(const std::string& path) : path_(path), opened_ms_(now_ms()) {
  file_ = std::fopen(path.c_str(), "w");
  if (file_ == nullptr) throw InputError(path + ": cannot create the transcript file");
}

TranscriptWriter::~TranscriptWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

void TranscriptWriter::write(const std::string& type, nlohmann::json fields) {
  nlohmann::json line{{"event", type}, {"t_ms", static_cast<int64_t>(now_ms() - opened_ms_)}};
  for (auto& [key, value] : fields.items()) line[key] = std::move(value);
  // Invalid UTF-8 from a model or a kernel must not stop the transcript: replace it.
  const std::string text =
      redact_secrets(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) + "\n";
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size() || std::fflush(file_) != 0)
    throw InputError(path_ + ": cannot write the transcript (disk full?)");
}

std::vector<nlohmann::json> read_transcript(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot open the transcript");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::vector<nlohmann::json> events;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    try {
      events.push_back(nlohmann::json::parse(lines[i]));
    } catch (const nlohmann::json::exception& e) {  // also out_of_range: numbers like 1e99999
      // A writer killed mid-line leaves a torn last line; anything earlier is corruption.
      if (i + 1 == lines.size()) break;
      throw InputError(path + ":" + std::to_string(i + 1) + ": not a JSON transcript event (" + e.what() + ")");
    }
    if (!events.back().is_object() || !events.back().contains("event"))
      throw InputError(path + ":" + std::to_string(i + 1) + ": transcript line has no 'event' field");
  }
  return events;
}

}  // namespace kc::llm
