// libFuzzer target: arbitrary bytes as a transcript file -> what `kernelcraft agent --replay`
// does with it: kc::llm::read_transcript, kc::agent::recorded_episode (the episode_start
// header), then a ReplayProvider asked for the first turns. InputError and ProviderError are
// the expected rejections; anything else escaping, a crash or a sanitizer report is a bug.
// Every event read_transcript returns must be a JSON object with an "event" field (its promise).
//
// read_transcript takes a path, so the input goes to a private temporary file first. Replay
// checks each request against the recorded request_hash (sha256), which no mutation can match;
// so string request hashes are replaced by the hash of the request the harness sends, and the
// recorded responses are actually read.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "kernelcraft/agent/provider_factory.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/llm/provider.h"
#include "kernelcraft/llm/replay_provider.h"
#include "kernelcraft/llm/transcript.h"

namespace {

namespace fs = std::filesystem;

// Removed when the fuzzer exits normally (scripts/fuzz.sh also points TMPDIR at a directory it
// deletes, for runs that end in a crash).
struct TempFile {
  fs::path path = fs::temp_directory_path() / ("kc_fuzz_transcript_" + std::to_string(getpid()) + ".jsonl");
  ~TempFile() {
    std::error_code ignored;
    fs::remove(path, ignored);
  }
};

const std::string& transcript_path() {
  static const TempFile file;
  static const std::string path = file.path.string();
  return path;
}

[[noreturn]] void property_failed(const std::string& what) {
  std::fprintf(stderr, "fuzz_transcript: property violated: %s\n", what.c_str());
  std::abort();
}

const kc::llm::ChatRequest& replayed_request() {
  static const kc::llm::ChatRequest request = [] {
    kc::llm::ChatRequest r;
    r.system = "You write PLENA kernels.";
    r.messages.push_back({});
    r.messages.back().text = "Write a ReLU kernel.";
    return r;
  }();
  return request;
}

void replay(std::vector<nlohmann::json> events) {
  try {
    (void)kc::agent::recorded_episode(events, transcript_path());
  } catch (const kc::InputError&) {
  }
  static const std::string hash = kc::llm::neutral_request_hash(replayed_request());
  for (nlohmann::json& event : events)
    if (event.contains("request_hash") && event["request_hash"].is_string()) event["request_hash"] = hash;
  kc::llm::ReplayProvider provider(events);
  for (int turn = 0; turn < 3; ++turn) {
    try {
      (void)provider.complete(replayed_request());
    } catch (const kc::llm::ProviderError&) {
      return;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  {
    std::ofstream out(transcript_path(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) property_failed("cannot write " + transcript_path());
  }
  std::vector<nlohmann::json> events;
  try {
    events = kc::llm::read_transcript(transcript_path());
  } catch (const kc::InputError&) {
    return 0;
  }
  for (const nlohmann::json& event : events)
    if (!event.is_object() || !event.contains("event"))
      property_failed("an event without an 'event' field: " + event.dump());
  replay(std::move(events));
  return 0;
}
