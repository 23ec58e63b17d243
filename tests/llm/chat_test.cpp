#include "kernelcraft/llm/chat.h"

#include <gtest/gtest.h>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/llm/secrets.h"
#include "kernelcraft/llm/sha256.h"

namespace kc::llm {
namespace {

TEST(ChatModel, MessagesSurviveTheNeutralJsonRoundTrip) {
  Message assistant{Role::Assistant, "plan", "thinking...", {{"c1", "run_eval", "{\"code\":\"x\"}"}, {"c2", "bad", "{not json"}},
                    {}, nlohmann::json::array({{{"type", "thinking"}, {"signature", "s"}}})};
  const Message back = message_from_json(to_json(assistant));
  EXPECT_EQ(back.role, Role::Assistant);
  EXPECT_EQ(back.text, "plan");
  EXPECT_EQ(back.reasoning, "thinking...");
  ASSERT_EQ(back.tool_calls.size(), 2u);
  EXPECT_EQ(back.tool_calls[1].arguments, "{not json");  // kept verbatim, invalid or not
  EXPECT_EQ(back.provider_state, assistant.provider_state);

  Message tool{Role::Tool, "Turns left: 3.", "", {}, {{"c1", "run_eval", "{\"passed\":true}", false}, {"c2", "bad", "oops", true}},
               nullptr};
  const Message tool_back = message_from_json(to_json(tool));
  ASSERT_EQ(tool_back.tool_results.size(), 2u);
  EXPECT_TRUE(tool_back.tool_results[1].is_error);
  EXPECT_EQ(tool_back.text, "Turns left: 3.");
  EXPECT_TRUE(tool_back.provider_state.is_null());
}

TEST(ChatModel, ResponsesAndUsageRoundTrip) {
  ChatResponse response;
  response.message = Message{Role::Assistant, "hi", "", {}, {}, nullptr};
  response.stop_reason = "end_turn";
  response.usage = TokenUsage{1200, 200, 300, 120, false};
  const ChatResponse back = response_from_json(to_json(response));
  EXPECT_EQ(back.stop_reason, "end_turn");
  EXPECT_EQ(back.usage.input, 1200u);
  EXPECT_EQ(back.usage.cached, 200u);
  EXPECT_EQ(back.usage.output, 300u);
  EXPECT_EQ(back.usage.reasoning, 120u);
  EXPECT_FALSE(back.usage.reported);
}

TEST(ChatModel, MalformedNeutralJsonNamesTheField) {
  EXPECT_THROW(message_from_json(nlohmann::json{{"text", "x"}}), InputError);
  try {
    message_from_json(nlohmann::json{{"role", "robot"}});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("role"), std::string::npos);
  }
  EXPECT_THROW(message_from_json(nlohmann::json{{"role", "assistant"}, {"tool_calls", {{{"id", 1}}}}}), InputError);
}

TEST(ChatModel, UsageAddsUpAndRemembersMissingReports) {
  TokenUsage total{10, 1, 5, 2, true};
  total += TokenUsage{20, 0, 7, 0, false};
  EXPECT_EQ(total.input, 30u);
  EXPECT_EQ(total.output, 12u);
  EXPECT_FALSE(total.reported);
}

TEST(Sha256, KnownDigests) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Secrets, RegisteredValuesAreRedactedEverywhereInAText) {
  register_secret("sk-test-0123456789abcdef");
  register_secret("short");  // too short to be a key: left alone
  const std::string text = redact_secrets("key sk-test-0123456789abcdef twice sk-test-0123456789abcdef, short");
  EXPECT_EQ(text.find("sk-test"), std::string::npos);
  EXPECT_NE(text.find("[redacted] twice [redacted]"), std::string::npos);
  EXPECT_NE(text.find("short"), std::string::npos);
}

}  // namespace
}  // namespace kc::llm
