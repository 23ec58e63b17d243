// libFuzzer target: arbitrary bytes as a run file -> kc::run::parse_run_spec; an accepted spec
// is then resolved against the source tree's data (agents/, tasks/, isa/) and sharded, as
// `kernelcraft run --run-file` would. InputError is the expected rejection; anything else
// escaping, a crash or a sanitizer report is a bug.
//
// Agent entries are resolved only when they are plain names (no '/'), so the fuzzer never makes
// the loader open arbitrary files of the machine (devices, /proc) by path.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/run/run_spec.h"

namespace {

[[noreturn]] void property_failed(const std::string& what) {
  std::fprintf(stderr, "fuzz_run_spec: property violated: %s\n", what.c_str());
  std::abort();
}

bool only_plain_names(const kc::run::RunSpec& spec) {
  for (const std::string& agent : spec.agents)
    if (agent.find('/') != std::string::npos || agent.empty() || agent[0] == '.') return false;
  return true;
}

// The canonical JSON is what run.json records; it must read back as the same spec.
void check_round_trip(const kc::run::RunSpec& spec) {
  const nlohmann::json canonical = kc::run::to_json(spec);
  try {
    if (kc::run::to_json(kc::run::parse_run_spec(canonical.dump(), "fuzz/canonical.json")) != canonical)
      property_failed("the canonical JSON does not round-trip: " + canonical.dump());
  } catch (const kc::InputError& e) {
    property_failed(std::string("the canonical JSON is rejected: ") + e.what());
  }
}

// Every shard split partitions the matrix.
void check_shards(const kc::run::ResolvedRun& run) {
  for (int count : {1, 2, 3, 7}) {
    std::size_t total = 0;
    for (int index = 0; index < count; ++index)
      total += kc::run::shard_episodes(run.episodes, index, count).size();
    if (total != run.episodes.size()) property_failed("shards do not partition the matrix");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  kc::run::RunSpec spec;
  try {
    spec = kc::run::parse_run_spec(text, "fuzz/run.json");
  } catch (const kc::InputError&) {
    return 0;
  }
  check_round_trip(spec);
  if (!only_plain_names(spec)) return 0;
  try {
    check_shards(kc::run::resolve_run(spec, KC_SOURCE_DIR));
  } catch (const kc::InputError&) {
  }
  return 0;
}
