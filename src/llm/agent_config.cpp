#include "kernelcraft/llm/agent_config.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/text_file.h"
#include "kernelcraft/llm/secrets.h"

namespace kc::llm {
namespace {

using nlohmann::json;

constexpr const char* kSchema = "kernelcraft-agent/1";
constexpr int kMaxDepth = 64;

struct ProviderDefaults {
  const char* name;
  bool http;
  const char* base_url;
  const char* api_key_env;
};

constexpr ProviderDefaults kProviders[] = {
    {"openai", true, "https://api.openai.com/v1", "OPENAI_API_KEY"},
    {"anthropic", true, "https://api.anthropic.com", "ANTHROPIC_API_KEY"},
    {"gemini", true, "https://generativelanguage.googleapis.com/v1beta", "GEMINI_API_KEY"},
    {"baseline", false, "", ""},
    {"autotune", false, "", ""},
    {"replay", false, "", ""},
};

const ProviderDefaults* find_provider(const std::string& name) {
  for (const ProviderDefaults& p : kProviders)
    if (name == p.name) return &p;
  return nullptr;
}

// Reads one JSON object's fields, rejecting unknown ones, with errors "<file>: field '<path>': ...".
class FieldReader {
 public:
  FieldReader(const json& object, std::string source, std::string prefix)
      : object_(object), source_(std::move(source)), prefix_(std::move(prefix)) {
    if (!object_.is_object()) fail("", "expected a JSON object");
  }

  [[noreturn]] void fail(const std::string& name, const std::string& reason) const {
    const std::string path = prefix_ + name;
    throw InputError(source_ + ": " + (path.empty() ? "" : "field '" + path + "': ") + reason);
  }

  bool has(const std::string& name) {
    seen_.insert(name);
    return object_.contains(name) && !object_.at(name).is_null();
  }

  std::string string(const std::string& name, const std::string& fallback, bool required = false) {
    if (!has(name)) {
      if (required) fail(name, "missing (expected a string)");
      return fallback;
    }
    if (!object_.at(name).is_string()) fail(name, "expected a string");
    return object_.at(name).get<std::string>();
  }

  double number(const std::string& name, double fallback, double low, double high) {
    if (!has(name)) return fallback;
    if (!object_.at(name).is_number()) fail(name, "expected a number");
    const double value = object_.at(name).get<double>();
    if (value < low || value > high)
      fail(name, "expected a number in [" + format(low) + ", " + format(high) + "], got " + format(value));
    return value;
  }

  std::optional<double> optional_number(const std::string& name, double low, double high) {
    if (!has(name)) return std::nullopt;
    return number(name, 0, low, high);
  }

  long long integer(const std::string& name, long long fallback, long long low, long long high) {
    if (!has(name)) return fallback;
    const json& value = object_.at(name);
    if (!value.is_number_integer()) fail(name, "expected an integer");
    const long long v = value.get<long long>();
    if (v < low || v > high)
      fail(name, "expected an integer in [" + std::to_string(low) + ", " + std::to_string(high) + "], got " +
                     std::to_string(v));
    return v;
  }

  FieldReader object(const std::string& name) {
    static const json empty = json::object();
    return FieldReader(has(name) ? object_.at(name) : empty, source_, prefix_ + name + ".");
  }

  const json& raw(const std::string& name) {
    seen_.insert(name);
    return object_.at(name);
  }

  void reject_unknown() const {
    for (auto it = object_.begin(); it != object_.end(); ++it)
      if (!seen_.count(it.key())) fail(it.key(), "unknown field");
  }

 private:
  static std::string format(double value) {
    std::string text = std::to_string(value);
    text.erase(text.find_last_not_of('0') + 1);
    if (!text.empty() && text.back() == '.') text.pop_back();
    return text;
  }

  const json& object_;
  std::string source_, prefix_;
  std::set<std::string> seen_;
};

void read_sampling(FieldReader reader, AgentConfig& config) {
  config.temperature = reader.optional_number("temperature", 0, 2);
  config.top_p = reader.optional_number("top_p", 0, 1);
  config.max_output_tokens = static_cast<int>(reader.integer("max_output_tokens", 16384, 1, 1'000'000));
  if (reader.has("seed")) config.seed = reader.integer("seed", 0, 0, (1LL << 53));
  config.max_tokens_field = reader.string("max_tokens_field", "max_completion_tokens");
  if (config.max_tokens_field != "max_completion_tokens" && config.max_tokens_field != "max_tokens")
    reader.fail("max_tokens_field", "expected \"max_completion_tokens\" or \"max_tokens\"");
  reader.reject_unknown();
}

void read_thinking(FieldReader reader, AgentConfig& config) {
  if (reader.has("budget_tokens"))
    config.thinking_budget_tokens = static_cast<int>(reader.integer("budget_tokens", 0, 0, 1'000'000));
  config.reasoning_effort = reader.string("reasoning_effort", "");
  static const std::set<std::string> efforts{"", "minimal", "low", "medium", "high"};
  if (!efforts.count(config.reasoning_effort))
    reader.fail("reasoning_effort", "expected minimal, low, medium or high");
  reader.reject_unknown();
}

void read_prices(FieldReader reader, AgentConfig& config) {
  config.prices.input = reader.number("input", 0, 0, 1e4);
  config.prices.cached_input = reader.number("cached_input", config.prices.input, 0, 1e4);
  config.prices.output = reader.number("output", 0, 0, 1e4);
  reader.reject_unknown();
}

void read_turn_budget(FieldReader reader, AgentConfig& config) {
  for (int level = 1; level <= 3; ++level) {
    const std::string key = std::to_string(level);
    config.turn_budget[level] = static_cast<int>(reader.integer(key, config.turn_budget[level], 1, 1000));
  }
  reader.reject_unknown();
}

void read_retry(FieldReader reader, AgentConfig& config) {
  config.retry_base_delay_s = reader.number("base_delay_s", config.retry_base_delay_s, 0, 3600);
  config.retry_max_delay_s = reader.number("max_delay_s", config.retry_max_delay_s, 0, 86400);
  if (config.retry_max_delay_s < config.retry_base_delay_s)
    reader.fail("max_delay_s", "expected a number >= retry.base_delay_s");
  reader.reject_unknown();
}

void read_headers(const json& headers, const std::string& source, AgentConfig& config) {
  if (!headers.is_object()) throw InputError(source + ": field 'headers': expected an object of strings");
  for (auto it = headers.begin(); it != headers.end(); ++it) {
    if (!it.value().is_string())
      throw InputError(source + ": field 'headers." + it.key() + "': expected a string");
    config.headers.emplace_back(it.key(), it.value().get<std::string>());
  }
}

// "${NAME}" in a header value names an environment variable (a secret, like the key).
std::string expand_header(const std::string& value, const std::string& source) {
  std::string out;
  std::size_t at = 0;
  while (true) {
    const std::size_t open = value.find("${", at);
    if (open == std::string::npos) break;
    const std::size_t close = value.find('}', open);
    if (close == std::string::npos) throw InputError(source + ": header value has an unclosed ${");
    const std::string name = value.substr(open + 2, close - open - 2);
    const char* env = std::getenv(name.c_str());
    if (env == nullptr) throw InputError(source + ": header needs environment variable " + name + ", which is not set");
    register_secret(env);
    out += value.substr(at, open - at) + env;
    at = close + 1;
  }
  return out + value.substr(at);
}

}  // namespace

bool AgentConfig::uses_http() const {
  const ProviderDefaults* p = find_provider(provider);
  return p != nullptr && p->http;
}

int AgentConfig::turns_for_level(int level) const {
  const auto it = turn_budget.find(level);
  return it == turn_budget.end() ? turn_budget.at(1) : it->second;
}

ModelEndpoint AgentConfig::endpoint() const {
  ModelEndpoint endpoint;
  endpoint.model = model;
  endpoint.base_url = base_url;
  if (!api_key_env.empty()) {
    const char* key = std::getenv(api_key_env.c_str());
    if (key == nullptr || *key == '\0')
      throw InputError(source + ": agent '" + name + "' needs its API key in environment variable " +
                       api_key_env + ", which is not set");
    register_secret(key);
    endpoint.api_key = key;
  }
  for (const auto& [header, value] : headers) endpoint.extra_headers.emplace_back(header, expand_header(value, source));
  endpoint.temperature = temperature;
  endpoint.top_p = top_p;
  endpoint.max_output_tokens = max_output_tokens;
  endpoint.max_tokens_field = max_tokens_field;
  endpoint.thinking_budget_tokens = thinking_budget_tokens;
  endpoint.reasoning_effort = reasoning_effort;
  endpoint.seed = seed;
  return endpoint;
}

AgentConfig parse_agent_config(const std::string& json_text, const std::string& source) {
  json document;
  int deepest = 0;
  try {
    document = json::parse(json_text, [&deepest](int depth, json::parse_event_t, json&) {
      deepest = std::max(deepest, depth);
      return true;
    });
  } catch (const json::exception& e) {  // parse_error, and out_of_range for numbers like 1e99999
    throw InputError(source + ": not valid JSON (" + e.what() + ")");
  }
  // Copying "options" recurses once per level: a 50,000-deep array overflowed the stack (found
  // by probing tests/fuzz/agent_config.cpp). No config needs more than a few levels.
  if (deepest > kMaxDepth)
    throw InputError(source + ": JSON nested deeper than " + std::to_string(kMaxDepth) + " levels");
  FieldReader reader(document, source, "");
  AgentConfig config;
  config.source = source;
  if (reader.string("schema", "", true) != kSchema)
    reader.fail("schema", std::string("expected \"") + kSchema + "\"");
  config.name = reader.string("name", "", true);
  if (config.name.empty()) reader.fail("name", "must not be empty");
  config.provider = reader.string("provider", "", true);
  const ProviderDefaults* defaults = find_provider(config.provider);
  if (defaults == nullptr)
    reader.fail("provider", "expected openai, anthropic, gemini, baseline, autotune or replay, got \"" +
                                config.provider + "\"");
  config.model = reader.string("model", defaults->http ? "" : config.provider, defaults->http);
  config.base_url = reader.string("base_url", defaults->base_url);
  if (defaults->http && config.base_url.rfind("http://", 0) != 0 && config.base_url.rfind("https://", 0) != 0)
    reader.fail("base_url", "expected an http:// or https:// URL");
  config.api_key_env = reader.string("api_key_env", defaults->api_key_env);
  reader.string("description", "");
  if (reader.has("headers")) read_headers(reader.raw("headers"), source, config);
  read_sampling(reader.object("sampling"), config);
  read_thinking(reader.object("thinking"), config);
  read_prices(reader.object("prices_usd_per_mtok"), config);
  config.timeout_s = reader.number("timeout_s", 600, 0.1, 86400);
  config.max_retries = static_cast<int>(reader.integer("max_retries", 5, 0, 20));
  read_retry(reader.object("retry"), config);
  read_turn_budget(reader.object("turn_budget"), config);
  config.max_tool_calls_per_turn = static_cast<int>(reader.integer("max_tool_calls_per_turn", 16, 1, 256));
  if (reader.has("options")) {
    config.options = reader.raw("options");
    if (!config.options.is_object()) reader.fail("options", "expected an object");
  }
  reader.reject_unknown();
  return config;
}

AgentConfig load_agent_config(const std::string& path) {
  return parse_agent_config(read_text_file(path, "agent config"), path);
}

json to_json(const AgentConfig& config) {
  json out{{"schema", kSchema},          {"name", config.name},         {"provider", config.provider},
           {"model", config.model},       {"base_url", config.base_url}, {"api_key_env", config.api_key_env}};
  json headers = json::object();
  for (const auto& [name, value] : config.headers) headers[name] = value;  // unexpanded: ${VAR}
  out["headers"] = headers;
  json sampling{{"max_output_tokens", config.max_output_tokens}, {"max_tokens_field", config.max_tokens_field}};
  if (config.temperature) sampling["temperature"] = *config.temperature;
  if (config.top_p) sampling["top_p"] = *config.top_p;
  if (config.seed) sampling["seed"] = *config.seed;
  out["sampling"] = sampling;
  json thinking = json::object();
  if (config.thinking_budget_tokens) thinking["budget_tokens"] = *config.thinking_budget_tokens;
  if (!config.reasoning_effort.empty()) thinking["reasoning_effort"] = config.reasoning_effort;
  out["thinking"] = thinking;
  out["prices_usd_per_mtok"] = {
      {"input", config.prices.input}, {"cached_input", config.prices.cached_input}, {"output", config.prices.output}};
  out["timeout_s"] = config.timeout_s;
  out["max_retries"] = config.max_retries;
  // Only when changed: run.json files written before the field existed must still resume.
  const AgentConfig defaults;
  if (config.retry_base_delay_s != defaults.retry_base_delay_s || config.retry_max_delay_s != defaults.retry_max_delay_s)
    out["retry"] = {{"base_delay_s", config.retry_base_delay_s}, {"max_delay_s", config.retry_max_delay_s}};
  json budget = json::object();
  for (const auto& [level, turns] : config.turn_budget) budget[std::to_string(level)] = turns;
  out["turn_budget"] = budget;
  out["max_tool_calls_per_turn"] = config.max_tool_calls_per_turn;
  if (!config.options.is_null()) out["options"] = config.options;
  return out;
}

double cost_usd(const TokenUsage& usage, const Prices& prices) {
  const double cached = static_cast<double>(std::min(usage.cached, usage.input));
  const double uncached = static_cast<double>(usage.input) - cached;
  return (uncached * prices.input + cached * prices.cached_input + static_cast<double>(usage.output) * prices.output) /
         1e6;
}

}  // namespace kc::llm
