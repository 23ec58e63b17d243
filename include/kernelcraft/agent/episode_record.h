// What one episode produced: the row a run appends to its results (DESIGN.md section 5).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "kernelcraft/llm/chat.h"

namespace kc::agent {

// Token totals of an episode, split the way KernelCraft's token figures are:
// system + input = every prompt token (system is the system prompt's estimated share);
// cached is the part of those served from the provider's cache; reasoning + output = every
// generated token.
struct TokenTotals {
  uint64_t system = 0, input = 0, cached = 0, reasoning = 0, output = 0;
  uint64_t calls = 0, calls_without_usage = 0;
};

struct EpisodeRecord {
  std::string agent, provider, model;
  std::string platform, task, config, preset;
  int level = 0;
  int sample = 0;
  int turn_budget = 0;
  int turns = 0;        // model calls made
  int tool_calls = 0;
  std::string end;      // "submitted" | "budget_exhausted" | "infra_error"
  std::string status;   // "pass" | "fail" | "no_kernel" | "infra_error"
  std::string failure;  // why the final kernel failed, or the infra error (no secrets)
  std::optional<int> first_valid_turn;
  int hidden_seeds = 0, hidden_seeds_passed = 0;
  uint64_t cycles = 0;
  std::optional<uint64_t> baseline_cycles;
  double speedup = 0;
  double sol_percent = 0;
  TokenTotals tokens;
  double cost_usd = 0;
  int cache_hits = 0;
  double wall_s = 0;
  std::string kernel_sha256;  // of the scored kernel ("" when none)
  std::string kernel_path;
  std::string transcript_path;

  bool passed() const { return status == "pass"; }
};

nlohmann::json to_json(const EpisodeRecord& record);
EpisodeRecord record_from_json(const nlohmann::json& json);  // InputError naming the field
// The record without what legitimately differs between reruns (wall time, paths), for
// "replay reproduces the episode" comparisons.
nlohmann::json reproducible_part(const EpisodeRecord& record);

}  // namespace kc::agent
