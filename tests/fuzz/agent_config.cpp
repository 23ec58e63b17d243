// libFuzzer target: arbitrary bytes as an agent config -> kc::llm::parse_agent_config.
// InputError is the expected rejection. An accepted config must survive what a run does with
// it: its canonical JSON (recorded in run.json and compared on --resume) parses back to the
// same canonical JSON, and its budgets and prices give usable numbers.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/llm/agent_config.h"

namespace {

[[noreturn]] void property_failed(const std::string& what) {
  std::fprintf(stderr, "fuzz_agent_config: property violated: %s\n", what.c_str());
  std::abort();
}

void check_accepted(const kc::llm::AgentConfig& config) {
  for (int level = 1; level <= 3; ++level)
    if (config.turns_for_level(level) < 1) property_failed("a turn budget below 1");
  (void)config.uses_http();
  kc::llm::TokenUsage usage;
  usage.input = 1'000'000;
  usage.cached = 250'000;
  usage.output = 1'000'000;
  if (!std::isfinite(kc::llm::cost_usd(usage, config.prices))) property_failed("a non-finite cost");

  const nlohmann::json canonical = kc::llm::to_json(config);
  kc::llm::AgentConfig again;
  try {
    again = kc::llm::parse_agent_config(canonical.dump(), config.source);
  } catch (const kc::InputError& e) {
    property_failed(std::string("the canonical JSON is rejected: ") + e.what());
  }
  if (kc::llm::to_json(again) != canonical)
    property_failed("the canonical JSON does not round-trip: " + canonical.dump());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  kc::llm::AgentConfig config;
  try {
    config = kc::llm::parse_agent_config(text, "fuzz/agent.json");
  } catch (const kc::InputError&) {
    return 0;
  }
  check_accepted(config);
  return 0;
}
