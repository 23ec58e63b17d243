#include "kernelcraft/agent/episode_record.h"

#include <type_traits>

#include "kernelcraft/core/errors.h"

namespace kc::agent {

using nlohmann::json;

namespace {

constexpr const char* kSchema = "kernelcraft-episode/1";

json tokens_json(const TokenTotals& t) {
  return {{"system", t.system},       {"input", t.input},   {"cached", t.cached},
          {"reasoning", t.reasoning}, {"output", t.output}, {"calls", t.calls},
          {"calls_without_usage", t.calls_without_usage}};
}

template <typename T>
T get(const json& object, const char* name) {
  if (!object.contains(name)) throw InputError(std::string("episode record: missing field '") + name + "'");
  // get<int>() of a float such as 2e70 is an out-of-range conversion (undefined behaviour).
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>)
    if (!object.at(name).is_number_integer())
      throw InputError(std::string("episode record: field '") + name + "' has the wrong type");
  try {
    return object.at(name).get<T>();
  } catch (const json::exception&) {
    throw InputError(std::string("episode record: field '") + name + "' has the wrong type");
  }
}

}  // namespace

json to_json(const EpisodeRecord& r) {
  json out{{"schema", kSchema},
           {"agent", r.agent},
           {"provider", r.provider},
           {"model", r.model},
           {"platform", r.platform},
           {"task", r.task},
           {"level", r.level},
           {"config", r.config},
           {"preset", r.preset},
           {"sample", r.sample},
           {"status", r.status},
           {"end", r.end},
           {"failure", r.failure},
           {"turn_budget", r.turn_budget},
           {"turns", r.turns},
           {"tool_calls", r.tool_calls},
           {"first_valid_turn", r.first_valid_turn ? json(*r.first_valid_turn) : json(nullptr)},
           {"hidden_seeds", r.hidden_seeds},
           {"hidden_seeds_passed", r.hidden_seeds_passed},
           {"cycles", r.cycles},
           {"baseline_cycles", r.baseline_cycles ? json(*r.baseline_cycles) : json(nullptr)},
           {"speedup", r.speedup},
           {"sol_percent", r.sol_percent},
           {"tokens", tokens_json(r.tokens)},
           {"cost_usd", r.cost_usd},
           {"cache_hits", r.cache_hits},
           {"wall_s", r.wall_s},
           {"kernel_sha256", r.kernel_sha256},
           {"kernel_path", r.kernel_path},
           {"transcript", r.transcript_path}};
  return out;
}

EpisodeRecord record_from_json(const json& j) {
  if (!j.is_object() || j.value("schema", json()) != kSchema)  // a non-string schema must not throw
    throw InputError(std::string("episode record: expected schema \"") + kSchema + "\"");
  EpisodeRecord r;
  r.agent = get<std::string>(j, "agent");
  r.provider = get<std::string>(j, "provider");
  r.model = get<std::string>(j, "model");
  r.platform = get<std::string>(j, "platform");
  r.task = get<std::string>(j, "task");
  r.level = get<int>(j, "level");
  r.config = get<std::string>(j, "config");
  r.preset = get<std::string>(j, "preset");
  r.sample = get<int>(j, "sample");
  r.status = get<std::string>(j, "status");
  r.end = get<std::string>(j, "end");
  r.failure = get<std::string>(j, "failure");
  r.turn_budget = get<int>(j, "turn_budget");
  r.turns = get<int>(j, "turns");
  r.tool_calls = get<int>(j, "tool_calls");
  if (!j.at("first_valid_turn").is_null()) r.first_valid_turn = get<int>(j, "first_valid_turn");
  r.hidden_seeds = get<int>(j, "hidden_seeds");
  r.hidden_seeds_passed = get<int>(j, "hidden_seeds_passed");
  r.cycles = get<uint64_t>(j, "cycles");
  if (!j.at("baseline_cycles").is_null()) r.baseline_cycles = get<uint64_t>(j, "baseline_cycles");
  r.speedup = get<double>(j, "speedup");
  r.sol_percent = get<double>(j, "sol_percent");
  const json tokens = get<json>(j, "tokens");
  r.tokens.system = get<uint64_t>(tokens, "system");
  r.tokens.input = get<uint64_t>(tokens, "input");
  r.tokens.cached = get<uint64_t>(tokens, "cached");
  r.tokens.reasoning = get<uint64_t>(tokens, "reasoning");
  r.tokens.output = get<uint64_t>(tokens, "output");
  r.tokens.calls = get<uint64_t>(tokens, "calls");
  r.tokens.calls_without_usage = get<uint64_t>(tokens, "calls_without_usage");
  r.cost_usd = get<double>(j, "cost_usd");
  r.cache_hits = get<int>(j, "cache_hits");
  r.wall_s = get<double>(j, "wall_s");
  r.kernel_sha256 = get<std::string>(j, "kernel_sha256");
  r.kernel_path = get<std::string>(j, "kernel_path");
  r.transcript_path = get<std::string>(j, "transcript");
  return r;
}

json reproducible_part(const EpisodeRecord& record) {
  json out = to_json(record);
  for (const char* volatile_field : {"wall_s", "kernel_path", "transcript", "cache_hits"}) out.erase(volatile_field);
  return out;
}

}  // namespace kc::agent
