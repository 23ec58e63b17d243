// An episode's transcript: one JSON object per line, appended and flushed as it happens, so a
// killed episode keeps everything up to its last event. Events (docs/agents.md):
//   episode_start {agent, platform, task, config, preset, turn_budget, system, task_prompt, tools}
//   request       {turn, request_hash, messages: the messages new since the previous request}
//   response      {turn, format, body, response (neutral), attempts, from_cache, latency_ms}
//   tool_call     {turn, id, name, arguments}
//   tool_result   {turn, id, name, content, is_error, ms}
//   error         {turn, kind, message}
//   episode_end   {record}
// Every line passes through redact_secrets() before it is written.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kernelcraft/llm/provider.h"

namespace kc::llm {

class TranscriptWriter {
 public:
  explicit TranscriptWriter(const std::string& path);  // truncates; InputError if it cannot
  ~TranscriptWriter();
  TranscriptWriter(const TranscriptWriter&) = delete;
  TranscriptWriter& operator=(const TranscriptWriter&) = delete;

  // Appends {"event": type, "t_ms": <ms since the writer opened>, ...fields} and flushes.
  void write(const std::string& type, nlohmann::json fields);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  double opened_ms_ = 0;
};

// Every event of a transcript, in order. A line that is not JSON throws InputError
// "<path>:<line>: ..."; a torn last line (killed writer) is ignored.
std::vector<nlohmann::json> read_transcript(const std::string& path);

}  // namespace kc::llm
