#include "kernelcraft/llm/agent_config.h"

#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/llm/secrets.h"

namespace kc::llm {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_agent_config(text, "agents/x.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(AgentConfig, EveryShippedConfigLoads) {
  int loaded = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(KC_SOURCE_DIR) + "/agents")) {
    if (entry.path().extension() != ".json") continue;
    const AgentConfig config = load_agent_config(entry.path().string());
    EXPECT_EQ(config.name + ".json", entry.path().filename().string()) << "name and file must agree";
    EXPECT_EQ(config.turns_for_level(1), 15);
    EXPECT_EQ(config.turns_for_level(2), 20);
    EXPECT_EQ(config.turns_for_level(3), 25);
    ++loaded;
  }
  EXPECT_GE(loaded, 7);  // four models, a local server, baseline, autotune
}

TEST(AgentConfig, FieldsAndDefaults) {
  const AgentConfig c = parse_agent_config(R"({
    "schema": "kernelcraft-agent/1", "name": "m", "provider": "anthropic", "model": "claude-x",
    "headers": {"x-extra": "1"},
    "sampling": {"temperature": 0.2, "max_output_tokens": 4000},
    "thinking": {"budget_tokens": 2048},
    "prices_usd_per_mtok": {"input": 3, "output": 15},
    "turn_budget": {"1": 5},
    "max_retries": 2
  })", "agents/m.json");
  EXPECT_EQ(c.base_url, "https://api.anthropic.com");
  EXPECT_EQ(c.api_key_env, "ANTHROPIC_API_KEY");
  ASSERT_TRUE(c.temperature.has_value());
  EXPECT_DOUBLE_EQ(*c.temperature, 0.2);
  EXPECT_EQ(c.max_output_tokens, 4000);
  EXPECT_EQ(*c.thinking_budget_tokens, 2048);
  EXPECT_DOUBLE_EQ(c.prices.cached_input, 3.0);  // defaults to the input price
  EXPECT_EQ(c.turns_for_level(1), 5);
  EXPECT_EQ(c.turns_for_level(2), 20);
  EXPECT_EQ(c.max_retries, 2);
  EXPECT_TRUE(c.uses_http());
  // The canonical form parses back to the same config.
  const AgentConfig again = parse_agent_config(to_json(c).dump(), "round-trip");
  EXPECT_EQ(to_json(again), to_json(c));
}

TEST(AgentConfig, MalformedConfigsNameFileFieldAndReason) {
  EXPECT_NE(error_of("{").find("agents/x.json: not valid JSON"), std::string::npos);
  EXPECT_NE(error_of(R"({"name":"a","provider":"openai","model":"m"})").find("field 'schema'"), std::string::npos);
  const std::string head = R"({"schema":"kernelcraft-agent/1","name":"a",)";
  EXPECT_NE(error_of(head + R"("provider":"cohere"})").find("field 'provider'"), std::string::npos);
  EXPECT_NE(error_of(head + R"("provider":"openai"})").find("field 'model': missing"), std::string::npos);
  EXPECT_NE(error_of(head + R"("provider":"openai","model":"m","sampling":{"temperature":"hot"}})")
                .find("field 'sampling.temperature': expected a number"),
            std::string::npos);
  EXPECT_NE(error_of(head + R"("provider":"openai","model":"m","sampling":{"temperature":7}})").find("[0, 2]"),
            std::string::npos);
  EXPECT_NE(error_of(head + R"("provider":"openai","model":"m","temprature":1})").find("field 'temprature': unknown"),
            std::string::npos);
  EXPECT_NE(error_of(head + R"("provider":"openai","model":"m","base_url":"ftp://x"})").find("field 'base_url'"),
            std::string::npos);
  EXPECT_NE(error_of(head + R"("provider":"openai","model":"m","turn_budget":{"1":0}})").find("turn_budget.1"),
            std::string::npos);
  EXPECT_NE(error_of(head + R"("provider":"openai","model":"m","headers":{"a":1}})").find("headers.a"),
            std::string::npos);
}

TEST(AgentConfig, EndpointReadsTheKeyFromTheEnvironmentAndRegistersItAsSecret) {
  AgentConfig c = parse_agent_config(
      R"({"schema":"kernelcraft-agent/1","name":"a","provider":"openai","model":"m","api_key_env":"KC_TEST_KEY_VAR",
          "headers":{"x-org":"org-${KC_TEST_ORG_VAR}"}})",
      "agents/a.json");
  ::unsetenv("KC_TEST_KEY_VAR");
  try {
    c.endpoint();
    FAIL() << "a missing key variable must be an error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("KC_TEST_KEY_VAR"), std::string::npos);
  }
  ::setenv("KC_TEST_KEY_VAR", "sk-live-secret-value-123", 1);
  ::setenv("KC_TEST_ORG_VAR", "org-secret-999999", 1);
  const ModelEndpoint endpoint = c.endpoint();
  EXPECT_EQ(endpoint.api_key, "sk-live-secret-value-123");
  ASSERT_EQ(endpoint.extra_headers.size(), 1u);
  EXPECT_EQ(endpoint.extra_headers[0].second, "org-org-secret-999999");
  EXPECT_EQ(redact_secrets("k=sk-live-secret-value-123 o=org-secret-999999"), "k=[redacted] o=[redacted]");
  // The config's own JSON never holds the key, only the variable's name.
  EXPECT_EQ(to_json(c).dump().find("sk-live"), std::string::npos);
}

TEST(AgentConfig, CostUsesCachedAndOutputPrices) {
  const Prices prices{3.0, 0.3, 15.0};
  const TokenUsage usage{1'000'000, 400'000, 100'000, 50'000, true};
  // 600k uncached * 3 + 400k cached * 0.3 + 100k output * 15, per million.
  EXPECT_NEAR(cost_usd(usage, prices), 1.8 + 0.12 + 1.5, 1e-9);
}

}  // namespace
}  // namespace kc::llm
