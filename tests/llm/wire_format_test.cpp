// The three LLM wire formats, byte for byte: what a neutral conversation becomes on the wire,
// how realistic reply bodies (shaped like the public API docs) decode, and that bad bodies
// fail as MalformedReply naming the problem.
#include "kernelcraft/llm/wire_format.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/llm/secrets.h"

namespace kc::llm {
namespace {

using nlohmann::json;

const char* const kKey = "sk-wire-test-0123456789";

json write_code_schema() {
  return json::parse(R"json({
    "type": "object",
    "properties": {
      "path": {"type": "string", "description": "file to write"},
      "options": {"type": "object", "properties": {"overwrite": {"type": "boolean"}},
                  "additionalProperties": false}
    },
    "required": ["path"],
    "additionalProperties": false
  })json");
}

std::vector<ToolSchema> tools() {
  return {{"write_code", "Write a kernel source file.", write_code_schema()},
          {"run_eval", "Assemble, simulate and check the kernel.",
           json{{"type", "object"}, {"properties", json::object()}}}};
}

// User task, assistant text + two calls, tool results (one an error) + harness text, final answer.
ChatRequest conversation() {
  ChatRequest request;
  request.system = "You write PLENA kernels.";
  request.tools = tools();

  Message task;
  task.role = Role::User;
  task.text = "Write a softmax kernel.";

  Message act;
  act.role = Role::Assistant;
  act.text = "I'll write it and check it.";
  act.tool_calls = {{"call_a", "write_code", R"({"path":"k.asm","source":"nop"})"},
                    {"call_b", "run_eval", "{}"}};

  Message results;
  results.role = Role::Tool;
  results.tool_results = {{"call_a", "write_code", "wrote 1 line", false},
                          {"call_b", "run_eval", "error: line 1: unknown opcode 'nop'", true}};
  results.text = "You have 3 turns left.";

  Message done;
  done.role = Role::Assistant;
  done.text = "Done.";

  request.messages = {task, act, results, done};
  return request;
}

ModelEndpoint full_endpoint(const std::string& base_url, const std::string& model) {
  ModelEndpoint endpoint;
  endpoint.model = model;
  endpoint.base_url = base_url;
  endpoint.api_key = kKey;
  endpoint.extra_headers = {{"X-Title", "kernelcraft"}};
  endpoint.temperature = 0.25;
  endpoint.top_p = 0.5;
  endpoint.max_output_tokens = 4096;
  endpoint.thinking_budget_tokens = 2048;
  endpoint.reasoning_effort = "high";
  endpoint.seed = 7;
  return endpoint;
}

ModelEndpoint bare_endpoint(const std::string& base_url, const std::string& model) {
  ModelEndpoint endpoint;
  endpoint.model = model;
  endpoint.base_url = base_url;
  return endpoint;
}

using Headers = std::vector<std::pair<std::string, std::string>>;

bool has_key_anywhere(const json& value, const std::string& key) {
  if (value.is_object()) {
    for (const auto& [name, child] : value.items())
      if (name == key || has_key_anywhere(child, key)) return true;
  } else if (value.is_array()) {
    for (const json& child : value)
      if (has_key_anywhere(child, key)) return true;
  }
  return false;
}

// The MalformedReply message for `body`; a test failure for success or any other exception.
std::string malformed_message(const WireFormat& format, const std::string& body) {
  try {
    format.decode(body);
  } catch (const MalformedReply& error) {
    return error.what();
  } catch (const std::exception& error) {
    ADD_FAILURE() << "body " << body << " threw a non-MalformedReply: " << error.what();
    return "";
  }
  ADD_FAILURE() << "body " << body << " decoded without error";
  return "";
}

struct MalformedCase {
  std::string body;
  std::string expected;  // a part of the message
};

void expect_malformed(const WireFormat& format, const std::vector<MalformedCase>& cases) {
  for (const MalformedCase& c : cases) {
    const std::string message = malformed_message(format, c.body);
    EXPECT_EQ(message.rfind(format.name() + " reply: ", 0), 0u) << message;
    EXPECT_NE(message.find(c.expected), std::string::npos)
        << "body " << c.body << " gave: " << message;
  }
}

// ------------------------------------------------------------------------------------------
// openai

TEST(OpenAiWireTest, EncodesConversationFieldByField) {
  auto wire = make_wire_format("openai");
  const HttpRequest http =
      wire->encode(conversation(), full_endpoint("https://api.example.com/v1/", "gpt-5"));

  EXPECT_EQ(http.url, "https://api.example.com/v1/chat/completions");
  EXPECT_EQ(http.headers, (Headers{{"Content-Type", "application/json"},
                                   {"Authorization", std::string("Bearer ") + kKey},
                                   {"X-Title", "kernelcraft"}}));

  const json body = json::parse(http.body);
  EXPECT_EQ(body["model"], "gpt-5");
  EXPECT_EQ(body["max_completion_tokens"], 4096);
  EXPECT_FALSE(body.contains("max_tokens"));
  EXPECT_EQ(body["temperature"], 0.25);
  EXPECT_EQ(body["top_p"], 0.5);
  EXPECT_EQ(body["seed"], 7);
  EXPECT_EQ(body["reasoning_effort"], "high");
  EXPECT_FALSE(body.contains("thinking"));

  const json& messages = body["messages"];
  ASSERT_EQ(messages.size(), 7u);
  EXPECT_EQ(messages[0], (json{{"role", "system"}, {"content", "You write PLENA kernels."}}));
  EXPECT_EQ(messages[1], (json{{"role", "user"}, {"content", "Write a softmax kernel."}}));
  EXPECT_EQ(messages[2], json::parse(R"json({
    "role": "assistant", "content": "I'll write it and check it.",
    "tool_calls": [
      {"id": "call_a", "type": "function",
       "function": {"name": "write_code", "arguments": "{\"path\":\"k.asm\",\"source\":\"nop\"}"}},
      {"id": "call_b", "type": "function", "function": {"name": "run_eval", "arguments": "{}"}}]
  })json"));
  EXPECT_EQ(messages[3],
            (json{{"role", "tool"}, {"tool_call_id", "call_a"}, {"content", "wrote 1 line"}}));
  EXPECT_EQ(messages[4], (json{{"role", "tool"},
                               {"tool_call_id", "call_b"},
                               {"content", "error: line 1: unknown opcode 'nop'"}}));
  EXPECT_EQ(messages[5], (json{{"role", "user"}, {"content", "You have 3 turns left."}}));
  EXPECT_EQ(messages[6], (json{{"role", "assistant"}, {"content", "Done."}}));

  ASSERT_EQ(body["tools"].size(), 2u);
  EXPECT_EQ(body["tools"][0], (json{{"type", "function"},
                                    {"function",
                                     {{"name", "write_code"},
                                      {"description", "Write a kernel source file."},
                                      {"parameters", write_code_schema()}}}}));
  EXPECT_EQ(body["tools"][1]["function"]["name"], "run_eval");
}

TEST(OpenAiWireTest, OmitsAuthSamplingSystemAndToolsWhenUnset) {
  ChatRequest request;
  Message task;
  task.role = Role::User;
  task.text = "hi";
  Message call_only;
  call_only.role = Role::Assistant;
  call_only.tool_calls = {{"c1", "run_eval", "{}"}};
  Message text_only_tool_turn;  // no results: only the harness text, sent as a user turn
  text_only_tool_turn.role = Role::Tool;
  text_only_tool_turn.text = "Please call a tool.";
  request.messages = {task, call_only, text_only_tool_turn};

  ModelEndpoint endpoint = bare_endpoint("http://127.0.0.1:8000/v1", "qwen");
  endpoint.max_tokens_field = "max_tokens";
  const HttpRequest http = make_wire_format("openai")->encode(request, endpoint);

  EXPECT_EQ(http.url, "http://127.0.0.1:8000/v1/chat/completions");
  EXPECT_EQ(http.headers, (Headers{{"Content-Type", "application/json"}}));
  const json body = json::parse(http.body);
  EXPECT_EQ(body["max_tokens"], 16384);
  for (const char* absent :
       {"max_completion_tokens", "temperature", "top_p", "seed", "reasoning_effort", "tools"})
    EXPECT_FALSE(body.contains(absent)) << absent;
  ASSERT_EQ(body["messages"].size(), 3u);
  EXPECT_EQ(body["messages"][0]["role"], "user");
  EXPECT_TRUE(body["messages"][1]["content"].is_null());
  EXPECT_EQ(body["messages"][1]["tool_calls"][0]["id"], "c1");
  EXPECT_EQ(body["messages"][2], (json{{"role", "user"}, {"content", "Please call a tool."}}));
}

TEST(OpenAiWireTest, DecodesTextToolCallsReasoningAndUsage) {
  // DeepSeek-style reasoning_content; the second call's arguments were cut off by the model.
  const std::string body = R"json({
    "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
    "object": "chat.completion",
    "created": 1741570283,
    "model": "deepseek-reasoner",
    "choices": [{
      "index": 0,
      "message": {
        "role": "assistant",
        "content": "Let me write and test it.",
        "reasoning_content": "Softmax needs a max pass first.",
        "tool_calls": [
          {"id": "call_1", "type": "function",
           "function": {"name": "write_code", "arguments": "{\"path\": \"k.asm\"}"}},
          {"id": "call_2", "type": "function",
           "function": {"name": "run_eval", "arguments": "{\"path\": "}}
        ],
        "refusal": null
      },
      "logprobs": null,
      "finish_reason": "tool_calls"
    }],
    "usage": {
      "prompt_tokens": 1200, "completion_tokens": 340, "total_tokens": 1540,
      "prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": 0},
      "completion_tokens_details": {"reasoning_tokens": 200, "audio_tokens": 0,
                                    "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
    },
    "system_fingerprint": "fp_50cad350e4"
  })json";
  const ChatResponse response = make_wire_format("openai")->decode(body);

  EXPECT_EQ(response.message.role, Role::Assistant);
  EXPECT_EQ(response.message.text, "Let me write and test it.");
  EXPECT_EQ(response.message.reasoning, "Softmax needs a max pass first.");
  ASSERT_EQ(response.message.tool_calls.size(), 2u);
  EXPECT_EQ(response.message.tool_calls[0].id, "call_1");
  EXPECT_EQ(response.message.tool_calls[0].name, "write_code");
  EXPECT_EQ(response.message.tool_calls[0].arguments, R"({"path": "k.asm"})");
  EXPECT_EQ(response.message.tool_calls[1].arguments, R"({"path": )");  // passed through as text
  EXPECT_EQ(response.stop_reason, "tool_calls");
  EXPECT_TRUE(response.message.provider_state.is_null());
  EXPECT_TRUE(response.usage.reported);
  EXPECT_EQ(response.usage.input, 1200u);
  EXPECT_EQ(response.usage.cached, 1024u);
  EXPECT_EQ(response.usage.output, 340u);
  EXPECT_EQ(response.usage.reasoning, 200u);
}

TEST(OpenAiWireTest, DecodesCompatibleServerVariants) {
  // OpenRouter's "reasoning", DeepSeek's prompt_cache_hit_tokens, null content, and a server
  // that sends arguments as an object instead of a string.
  const std::string body = R"json({
    "choices": [{
      "message": {
        "role": "assistant", "content": null, "reasoning": "Check the layout first.",
        "tool_calls": [{"id": "call_9", "type": "function",
                        "function": {"name": "view_output", "arguments": {"region": "y", "rows": 2}}}]
      },
      "finish_reason": "tool_calls"
    }],
    "usage": {"prompt_tokens": 900, "completion_tokens": 50, "prompt_cache_hit_tokens": 640,
              "prompt_cache_miss_tokens": 260}
  })json";
  const ChatResponse response = make_wire_format("openai")->decode(body);

  EXPECT_EQ(response.message.text, "");
  EXPECT_EQ(response.message.reasoning, "Check the layout first.");
  ASSERT_EQ(response.message.tool_calls.size(), 1u);
  EXPECT_EQ(json::parse(response.message.tool_calls[0].arguments),
            (json{{"region", "y"}, {"rows", 2}}));
  EXPECT_EQ(response.usage.input, 900u);
  EXPECT_EQ(response.usage.cached, 640u);
  EXPECT_EQ(response.usage.output, 50u);
  EXPECT_EQ(response.usage.reasoning, 0u);
  EXPECT_TRUE(response.usage.reported);
}

TEST(OpenAiWireTest, MissingOrNullUsageIsNotReported) {
  auto wire = make_wire_format("openai");
  for (const std::string usage : {"", R"(, "usage": null)"}) {
    const ChatResponse response = wire->decode(
        R"({"choices": [{"message": {"role": "assistant", "content": "ok"},
                         "finish_reason": "stop"}])" +
        usage + "}");
    EXPECT_EQ(response.message.text, "ok");
    EXPECT_EQ(response.stop_reason, "stop");
    EXPECT_FALSE(response.usage.reported) << usage;
    EXPECT_EQ(response.usage.input + response.usage.output + response.usage.cached, 0u);
  }
}

TEST(OpenAiWireTest, MalformedBodiesThrowMalformedReplyNamingTheProblem) {
  expect_malformed(
      *make_wire_format("openai"),
      {
          {"", "empty body"},
          {"not json", "not JSON"},
          {"[1, 2]", "not an object"},
          {"{}", "missing 'choices'"},
          {R"({"choices": []})", "'choices' is empty"},
          {R"({"choices": "x"})", "'choices' is not an array"},
          {R"({"choices": [{"finish_reason": "stop"}]})", "no 'message'"},
          {R"({"choices": [{"message": "hi"}]})", "no 'message'"},
          {R"({"choices": [7]})", "no 'message'"},
          {R"({"choices": [{"message": {"content": 42}}]})", "content is number"},
          {R"({"choices": [{"message": {"content": "x", "tool_calls": "x"}}]})",
           "tool_calls is not an array"},
          {R"({"choices": [{"message": {"content": "x", "tool_calls": [{"id": "c"}]}}]})",
           "tool_calls[0] has no 'function' object"},
          {R"({"choices": [{"message": {"content": null, "tool_calls": [
           {"id": "c", "function": {"arguments": "{}"}}]}}]})",
           "tool_calls[0] has no function name"},
          {R"({"choices": [{"message": {"tool_calls": [{"function": {"name": 5}}]}}]})",
           "function.name is number"},
          {R"({"choices": [{"message": {"content": "x"}, "finish_reason": 3}]})", "finish_reason"},
          {R"({"error": {"message": "Provider returned error", "code": 502}})",
           "Provider returned error"},
      });
}

TEST(OpenAiWireTest, ErrorMessageExtractsTheMessageAndBoundsOtherBodies) {
  auto wire = make_wire_format("openai");
  EXPECT_EQ(wire->error_message(R"({"error": {"message": "Rate limit reached for gpt-5",
                                   "type": "requests", "code": "rate_limit_exceeded"}})"),
            "Rate limit reached for gpt-5");
  EXPECT_EQ(wire->error_message(R"({"error": "model 'qwen' not found"})"),
            "model 'qwen' not found");
  EXPECT_EQ(wire->error_message(R"({"detail": "Not Found"})"), R"({"detail": "Not Found"})");

  const std::string html = "<html><body>" + std::string(1000, 'x') + "</body></html>";
  const std::string bounded = wire->error_message(html);
  EXPECT_EQ(bounded.size(), 300u);
  EXPECT_EQ(bounded, html.substr(0, 300));

  // The cut never splits a UTF-8 character.
  const std::string accented = std::string(299, 'a') + "\xC3\xA9" + std::string(50, 'b');
  EXPECT_EQ(wire->error_message(accented), std::string(299, 'a'));
}

TEST(OpenAiWireTest, ErrorMessageRedactsRegisteredSecrets) {
  const std::string secret = "sk-wire-error-secret-98765";
  register_secret(secret);
  const std::string text = make_wire_format("openai")->error_message(
      R"({"error": {"message": "Incorrect API key provided: )" + secret + R"("}})");
  EXPECT_EQ(text.find(secret), std::string::npos) << text;
  EXPECT_NE(text.find("Incorrect API key provided"), std::string::npos);
}

// ------------------------------------------------------------------------------------------
// anthropic

TEST(AnthropicWireTest, EncodesConversationFieldByField) {
  const HttpRequest http = make_wire_format("anthropic")
                               ->encode(conversation(), full_endpoint("https://api.anthropic.com/",
                                                                      "claude-sonnet-4-5"));

  EXPECT_EQ(http.url, "https://api.anthropic.com/v1/messages");
  EXPECT_EQ(http.headers, (Headers{{"Content-Type", "application/json"},
                                   {"x-api-key", kKey},
                                   {"anthropic-version", "2023-06-01"},
                                   {"X-Title", "kernelcraft"}}));

  const json body = json::parse(http.body);
  EXPECT_EQ(body["model"], "claude-sonnet-4-5");
  EXPECT_EQ(body["max_tokens"], 4096);
  EXPECT_EQ(body["system"], "You write PLENA kernels.");
  EXPECT_EQ(body["temperature"], 0.25);
  EXPECT_EQ(body["top_p"], 0.5);
  EXPECT_EQ(body["thinking"], (json{{"type", "enabled"}, {"budget_tokens", 2048}}));
  for (const char* absent : {"seed", "reasoning_effort", "max_completion_tokens"})
    EXPECT_FALSE(body.contains(absent)) << absent;

  const json& messages = body["messages"];
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[0], json::parse(R"json({
    "role": "user", "content": [{"type": "text", "text": "Write a softmax kernel."}]})json"));
  EXPECT_EQ(messages[1], json::parse(R"json({
    "role": "assistant", "content": [
      {"type": "text", "text": "I'll write it and check it."},
      {"type": "tool_use", "id": "call_a", "name": "write_code",
       "input": {"path": "k.asm", "source": "nop"}},
      {"type": "tool_use", "id": "call_b", "name": "run_eval", "input": {}}]})json"));
  EXPECT_EQ(messages[2], json::parse(R"json({
    "role": "user", "content": [
      {"type": "tool_result", "tool_use_id": "call_a", "content": "wrote 1 line"},
      {"type": "tool_result", "tool_use_id": "call_b",
       "content": "error: line 1: unknown opcode 'nop'", "is_error": true},
      {"type": "text", "text": "You have 3 turns left."}]})json"));
  EXPECT_EQ(messages[3], json::parse(R"json({
    "role": "assistant", "content": [{"type": "text", "text": "Done."}]})json"));

  ASSERT_EQ(body["tools"].size(), 2u);
  EXPECT_EQ(body["tools"][0], (json{{"name", "write_code"},
                                    {"description", "Write a kernel source file."},
                                    {"input_schema", write_code_schema()}}));
}

TEST(AnthropicWireTest, HonoursConfiguredVersionAndOmitsUnsetFields) {
  ChatRequest request;
  Message task;
  task.role = Role::User;
  task.text = "hi";
  Message bad_arguments;
  bad_arguments.role = Role::Assistant;
  bad_arguments.tool_calls = {{"toolu_1", "write_code", R"({"path": )"},
                              {"toolu_2", "run_eval", "[1, 2]"}};
  request.messages = {task, bad_arguments};

  ModelEndpoint endpoint = bare_endpoint("http://127.0.0.1:9000", "claude");
  endpoint.extra_headers = {{"Anthropic-Version", "2024-10-22"}};
  const HttpRequest http = make_wire_format("anthropic")->encode(request, endpoint);

  EXPECT_EQ(http.headers,
            (Headers{{"Content-Type", "application/json"}, {"Anthropic-Version", "2024-10-22"}}));
  const json body = json::parse(http.body);
  for (const char* absent : {"system", "tools", "temperature", "top_p", "thinking"})
    EXPECT_FALSE(body.contains(absent)) << absent;
  EXPECT_EQ(body["max_tokens"], 16384);
  // Invalid JSON or non-object arguments cannot be sent as an input object: they go as {}.
  EXPECT_EQ(body["messages"][1]["content"][0]["input"], json::object());
  EXPECT_EQ(body["messages"][1]["content"][1]["input"], json::object());
}

const char* const kAnthropicReply = R"json({
  "id": "msg_01AbCdEf",
  "type": "message",
  "role": "assistant",
  "model": "claude-sonnet-4-5",
  "content": [
    {"type": "thinking", "thinking": "Softmax needs a max pass.",
     "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"},
    {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix/LafPsn4a"},
    {"type": "thinking", "thinking": " Then exp and sum.", "signature": "Eq0BCgIYAh"},
    {"type": "text", "text": "I'll write the kernel"},
    {"type": "text", "text": " and run it."},
    {"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "write_code",
     "input": {"path": "k.asm", "source": "nop"}},
    {"type": "tool_use", "id": "toolu_01B", "name": "run_eval", "input": {}}
  ],
  "stop_reason": "tool_use",
  "stop_sequence": null,
  "usage": {"input_tokens": 50, "cache_creation_input_tokens": 200,
            "cache_read_input_tokens": 1000, "output_tokens": 300}
})json";

TEST(AnthropicWireTest, DecodesThinkingTextToolUseAndUsage) {
  const ChatResponse response = make_wire_format("anthropic")->decode(kAnthropicReply);

  EXPECT_EQ(response.message.role, Role::Assistant);
  EXPECT_EQ(response.message.text, "I'll write the kernel and run it.");
  EXPECT_EQ(response.message.reasoning, "Softmax needs a max pass. Then exp and sum.");
  ASSERT_EQ(response.message.tool_calls.size(), 2u);
  EXPECT_EQ(response.message.tool_calls[0].id, "toolu_01A09q90qw90lq917835lq9");
  EXPECT_EQ(response.message.tool_calls[0].name, "write_code");
  EXPECT_EQ(json::parse(response.message.tool_calls[0].arguments),
            (json{{"path", "k.asm"}, {"source", "nop"}}));
  EXPECT_EQ(response.message.tool_calls[1].arguments, "{}");
  EXPECT_EQ(response.stop_reason, "tool_use");
  EXPECT_EQ(response.message.provider_state, json::parse(kAnthropicReply)["content"]);

  EXPECT_TRUE(response.usage.reported);
  EXPECT_EQ(response.usage.input, 1250u);  // 50 uncached + 200 cache writes + 1000 cache reads
  EXPECT_EQ(response.usage.cached, 1000u);
  EXPECT_EQ(response.usage.output, 300u);
  EXPECT_EQ(response.usage.reasoning, 0u);
}

TEST(AnthropicWireTest, MissingUsageIsNotReported) {
  const ChatResponse response = make_wire_format("anthropic")
                                    ->decode(
                                        R"({"type": "message", "role": "assistant",
          "content": [{"type": "text", "text": "ok"}], "stop_reason": "end_turn"})");
  EXPECT_EQ(response.message.text, "ok");
  EXPECT_EQ(response.stop_reason, "end_turn");
  EXPECT_FALSE(response.usage.reported);
  EXPECT_EQ(response.usage.input, 0u);
}

TEST(AnthropicWireTest, ThinkingBlocksGoBackVerbatim) {
  auto wire = make_wire_format("anthropic");
  ChatRequest request = conversation();
  request.messages.resize(1);
  request.messages.push_back(wire->decode(kAnthropicReply).message);
  Message results;
  results.role = Role::Tool;
  results.tool_results = {{"toolu_01A09q90qw90lq917835lq9", "write_code", "ok", false},
                          {"toolu_01B", "run_eval", "passed", false}};
  request.messages.push_back(results);

  const json body =
      json::parse(wire->encode(request, full_endpoint("https://api.anthropic.com", "c")).body);
  ASSERT_EQ(body["messages"].size(), 3u);
  EXPECT_EQ(body["messages"][1]["role"], "assistant");
  EXPECT_EQ(body["messages"][1]["content"], json::parse(kAnthropicReply)["content"]);
  EXPECT_EQ(body["messages"][2]["content"][1]["tool_use_id"], "toolu_01B");
}

TEST(AnthropicWireTest, ErrorBodyIsMalformedReplyNamingTheError) {
  const std::string message = malformed_message(
      *make_wire_format("anthropic"),
      R"({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})");
  EXPECT_NE(message.find("Overloaded"), std::string::npos) << message;
}

TEST(AnthropicWireTest, MalformedBodiesThrowMalformedReplyNamingTheProblem) {
  expect_malformed(
      *make_wire_format("anthropic"),
      {
          {"", "empty body"},
          {"not json", "not JSON"},
          {"{}", "missing 'content'"},
          {R"({"content": "hello"})", "'content' is not an array"},
          {R"({"content": [1]})", "content[0] is not an object"},
          {R"({"content": [{"type": "text", "text": 5}]})", "content[0].text is number"},
          {R"({"content": [{"type": "tool_use", "id": "t", "input": {}}]})",
           "content[0] (tool_use) has no name"},
          {R"({"content": [], "stop_reason": ["end_turn"]})", "stop_reason is array"},
      });
}

TEST(AnthropicWireTest, ErrorMessageExtractsTheMessageAndBoundsOtherBodies) {
  auto wire = make_wire_format("anthropic");
  EXPECT_EQ(wire->error_message(
                R"({"type": "error", "error": {"type": "rate_limit_error",
                    "message": "Number of request tokens has exceeded your per-minute rate limit"}})"),
            "Number of request tokens has exceeded your per-minute rate limit");
  EXPECT_EQ(wire->error_message(std::string(5000, 'z')), std::string(300, 'z'));
}

// ------------------------------------------------------------------------------------------
// gemini

TEST(GeminiWireTest, EncodesConversationFieldByField) {
  const HttpRequest http = make_wire_format("gemini")->encode(
      conversation(),
      full_endpoint("https://generativelanguage.googleapis.com/v1beta/", "gemini-2.5-pro"));

  EXPECT_EQ(
      http.url,
      "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:generateContent");
  EXPECT_EQ(http.url.find(kKey), std::string::npos);
  EXPECT_EQ(http.headers, (Headers{{"Content-Type", "application/json"},
                                   {"x-goog-api-key", kKey},
                                   {"X-Title", "kernelcraft"}}));

  const json body = json::parse(http.body);
  EXPECT_EQ(body["systemInstruction"],
            json::parse(R"({"parts": [{"text": "You write PLENA kernels."}]})"));
  EXPECT_EQ(body["generationConfig"], json::parse(R"json({
    "maxOutputTokens": 4096, "temperature": 0.25, "topP": 0.5, "seed": 7,
    "thinkingConfig": {"thinkingBudget": 2048, "includeThoughts": true}})json"));
  for (const char* absent : {"model", "temperature", "messages", "system"})
    EXPECT_FALSE(body.contains(absent)) << absent;

  const json& contents = body["contents"];
  ASSERT_EQ(contents.size(), 4u);
  EXPECT_EQ(contents[0], json::parse(R"json({
    "role": "user", "parts": [{"text": "Write a softmax kernel."}]})json"));
  EXPECT_EQ(contents[1], json::parse(R"json({
    "role": "model", "parts": [
      {"text": "I'll write it and check it."},
      {"functionCall": {"name": "write_code", "args": {"path": "k.asm", "source": "nop"}}},
      {"functionCall": {"name": "run_eval", "args": {}}}]})json"));
  EXPECT_EQ(contents[2], json::parse(R"json({
    "role": "user", "parts": [
      {"functionResponse": {"name": "write_code", "response": {"content": "wrote 1 line"}}},
      {"functionResponse": {"name": "run_eval",
        "response": {"content": "error: line 1: unknown opcode 'nop'", "is_error": true}}},
      {"text": "You have 3 turns left."}]})json"));
  EXPECT_EQ(contents[3], json::parse(R"json({"role": "model", "parts": [{"text": "Done."}]})json"));

  ASSERT_EQ(body["tools"].size(), 1u);
  const json& declarations = body["tools"][0]["functionDeclarations"];
  ASSERT_EQ(declarations.size(), 2u);
  EXPECT_EQ(declarations[0]["name"], "write_code");
  EXPECT_EQ(declarations[0]["description"], "Write a kernel source file.");
  EXPECT_FALSE(has_key_anywhere(declarations, "additionalProperties"));
  EXPECT_EQ(declarations[0]["parameters"]["properties"]["options"]["properties"]["overwrite"],
            (json{{"type", "boolean"}}));
  EXPECT_EQ(declarations[0]["parameters"]["required"], json::array({"path"}));
}

TEST(GeminiWireTest, StripsAdditionalPropertiesButKeepsAnArgumentOfThatName) {
  ChatRequest request;
  request.messages = {Message{}};
  request.messages[0].text = "hi";
  request.tools = {{"odd", "A tool with nested schemas.", json::parse(R"json({
    "type": "object",
    "properties": {
      "additionalProperties": {"type": "string", "additionalProperties": false},
      "rows": {"type": "array", "items": {"type": "object", "additionalProperties": {"type": "string"}}},
      "either": {"anyOf": [{"type": "object", "additionalProperties": true}, {"type": "null"}]}
    },
    "additionalProperties": false
  })json")}};
  const json body =
      json::parse(make_wire_format("gemini")->encode(request, bare_endpoint("http://h", "g")).body);
  EXPECT_EQ(body["tools"][0]["functionDeclarations"][0]["parameters"], json::parse(R"json({
    "type": "object",
    "properties": {
      "additionalProperties": {"type": "string"},
      "rows": {"type": "array", "items": {"type": "object"}},
      "either": {"anyOf": [{"type": "object"}, {"type": "null"}]}
    }
  })json"));
}

TEST(GeminiWireTest, OmitsUnsetFieldsAndFillsResultNamesFromTheCall) {
  ChatRequest request;
  Message task;
  task.text = "hi";
  Message act;
  act.role = Role::Assistant;
  act.tool_calls = {{"call_0", "run_eval", "not json"}, {"call_1", "write_code", "\"k.asm\""}};
  Message results;
  results.role = Role::Tool;
  results.tool_results = {{"call_0", "", "passed", false}};
  request.messages = {task, act, results};

  const HttpRequest http = make_wire_format("gemini")->encode(
      request, bare_endpoint("http://127.0.0.1:7000/v1beta", "models/gemini-2.0-flash"));
  EXPECT_EQ(http.url, "http://127.0.0.1:7000/v1beta/models/gemini-2.0-flash:generateContent");
  EXPECT_EQ(http.headers, (Headers{{"Content-Type", "application/json"}}));
  const json body = json::parse(http.body);
  EXPECT_FALSE(body.contains("systemInstruction"));
  EXPECT_FALSE(body.contains("tools"));
  EXPECT_EQ(body["generationConfig"], (json{{"maxOutputTokens", 16384}}));
  EXPECT_EQ(body["contents"][1]["parts"][0]["functionCall"]["args"], json::object());
  EXPECT_EQ(body["contents"][1]["parts"][1]["functionCall"]["args"], json::object());
  EXPECT_EQ(body["contents"][2]["parts"][0]["functionResponse"]["name"], "run_eval");
}

const char* const kGeminiReply = R"json({
  "candidates": [{
    "content": {
      "role": "model",
      "parts": [
        {"text": "Softmax needs a max pass.", "thought": true},
        {"text": "I'll write the kernel", "thoughtSignature": "CiQB0e2Kb7zmrVqXwGS1Ttn3"},
        {"text": " and run it."},
        {"functionCall": {"id": "fc-7", "name": "write_code", "args": {"path": "k.asm"}},
         "thoughtSignature": "CiQB0e2Kb9dKPpHL"},
        {"functionCall": {"name": "run_eval"}}
      ]
    },
    "finishReason": "STOP",
    "index": 0
  }],
  "usageMetadata": {
    "promptTokenCount": 1500, "candidatesTokenCount": 120, "totalTokenCount": 1800,
    "cachedContentTokenCount": 1024, "thoughtsTokenCount": 180,
    "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 1500}]
  },
  "modelVersion": "gemini-2.5-pro",
  "responseId": "abc123"
})json";

TEST(GeminiWireTest, DecodesThoughtsTextFunctionCallsAndUsage) {
  const ChatResponse response = make_wire_format("gemini")->decode(kGeminiReply);

  EXPECT_EQ(response.message.role, Role::Assistant);
  EXPECT_EQ(response.message.reasoning, "Softmax needs a max pass.");
  EXPECT_EQ(response.message.text, "I'll write the kernel and run it.");
  ASSERT_EQ(response.message.tool_calls.size(), 2u);
  EXPECT_EQ(response.message.tool_calls[0].id, "fc-7");
  EXPECT_EQ(response.message.tool_calls[0].name, "write_code");
  EXPECT_EQ(json::parse(response.message.tool_calls[0].arguments), (json{{"path", "k.asm"}}));
  // No id from the API: named by its index among this reply's calls (not among its parts).
  EXPECT_EQ(response.message.tool_calls[1].id, "call_1");
  EXPECT_EQ(response.message.tool_calls[1].arguments, "{}");
  EXPECT_EQ(response.stop_reason, "STOP");
  EXPECT_EQ(response.message.provider_state,
            json::parse(kGeminiReply)["candidates"][0]["content"]["parts"]);

  EXPECT_TRUE(response.usage.reported);
  EXPECT_EQ(response.usage.input, 1500u);
  EXPECT_EQ(response.usage.cached, 1024u);
  EXPECT_EQ(response.usage.output, 300u);  // 120 visible + 180 thoughts
  EXPECT_EQ(response.usage.reasoning, 180u);
}

TEST(GeminiWireTest, MissingUsageIsNotReportedAndBlockedCandidateIsEmpty) {
  auto wire = make_wire_format("gemini");
  const ChatResponse plain =
      wire->decode(R"({"candidates": [{"content": {"role": "model", "parts": [{"text": "ok"}]},
                                       "finishReason": "STOP"}]})");
  EXPECT_EQ(plain.message.text, "ok");
  EXPECT_FALSE(plain.usage.reported);
  EXPECT_EQ(plain.usage.output, 0u);

  // A candidate stopped by a safety filter has no content: an empty answer, not a crash.
  const ChatResponse blocked = wire->decode(
      R"({"candidates": [{"finishReason": "SAFETY", "index": 0, "safetyRatings": []}],
          "usageMetadata": {"promptTokenCount": 12, "totalTokenCount": 12}})");
  EXPECT_EQ(blocked.stop_reason, "SAFETY");
  EXPECT_EQ(blocked.message.text, "");
  EXPECT_TRUE(blocked.message.tool_calls.empty());
  EXPECT_EQ(blocked.usage.input, 12u);
  EXPECT_EQ(blocked.usage.output, 0u);
}

TEST(GeminiWireTest, ThoughtPartsGoBackVerbatim) {
  auto wire = make_wire_format("gemini");
  ChatRequest request = conversation();
  request.messages.resize(1);
  request.messages.push_back(wire->decode(kGeminiReply).message);
  Message results;
  results.role = Role::Tool;
  results.tool_results = {{"fc-7", "write_code", "ok", false},
                          {"call_1", "run_eval", "passed", false}};
  request.messages.push_back(results);

  const json body = json::parse(
      wire->encode(request, full_endpoint("https://generativelanguage.googleapis.com/v1beta", "g"))
          .body);
  ASSERT_EQ(body["contents"].size(), 3u);
  EXPECT_EQ(body["contents"][1]["role"], "model");
  EXPECT_EQ(body["contents"][1]["parts"],
            json::parse(kGeminiReply)["candidates"][0]["content"]["parts"]);
  EXPECT_EQ(body["contents"][2]["parts"][1]["functionResponse"]["name"], "run_eval");
}

TEST(GeminiWireTest, MalformedBodiesThrowMalformedReplyNamingTheProblem) {
  expect_malformed(
      *make_wire_format("gemini"),
      {
          {"", "empty body"},
          {"not json", "not JSON"},
          {"{}", "no candidates"},
          {R"({"candidates": []})", "no candidates"},
          {R"({"promptFeedback": {"blockReason": "SAFETY", "safetyRatings": []},
           "usageMetadata": {"promptTokenCount": 8}})",
           "promptFeedback.blockReason: SAFETY"},
          {R"({"candidates": [], "promptFeedback": {"blockReason": "PROHIBITED_CONTENT"}})",
           "blockReason: PROHIBITED_CONTENT"},
          {R"({"candidates": {}})", "'candidates' is not an array"},
          {R"({"candidates": ["x"]})", "candidates[0] is not an object"},
          {R"({"candidates": [{"content": "x"}]})", "no 'content' object"},
          {R"({"candidates": [{"content": {"role": "model"}}]})", "no 'parts' array"},
          {R"({"candidates": [{"content": {"parts": [{"functionCall": {"args": {}}}]}}]})",
           "parts[0].functionCall has no name"},
          {R"({"candidates": [{"content": {"parts": [{"functionCall": "run"}]}}]})",
           "functionCall is not an object"},
          {R"({"candidates": [{"content": {"parts": [{"text": 1}]}}]})", "parts[0].text is number"},
          {R"({"error": {"code": 400, "message": "API key not valid.", "status": "INVALID_ARGUMENT"}})",
           "API key not valid."},
      });
}

TEST(GeminiWireTest, ErrorMessageExtractsTheMessageAndBoundsOtherBodies) {
  auto wire = make_wire_format("gemini");
  EXPECT_EQ(wire->error_message(R"({"error": {"code": 429, "status": "RESOURCE_EXHAUSTED",
                                   "message": "Resource has been exhausted."}})"),
            "Resource has been exhausted.");
  EXPECT_EQ(
      wire->error_message(R"([{"error": {"code": 404, "message": "models/x is not found"}}])"),
      "models/x is not found");
  EXPECT_EQ(wire->error_message(std::string(400, 'q')).size(), 300u);
}

// ------------------------------------------------------------------------------------------
// all formats

TEST(WireFormatTest, FactoryKnowsTheThreeFormatsAndRejectsOthers) {
  for (const std::string name : {"openai", "anthropic", "gemini"})
    EXPECT_EQ(make_wire_format(name)->name(), name);
  try {
    make_wire_format("cohere");
    ADD_FAILURE() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_STREQ(error.what(),
                 "unknown provider wire format 'cohere': expected openai, anthropic or gemini");
  }
}

TEST(WireFormatTest, SameRequestEncodesToIdenticalBytes) {
  for (const std::string name : {"openai", "anthropic", "gemini"}) {
    const ModelEndpoint endpoint = full_endpoint("https://example.com/v1", "m");
    const HttpRequest first = make_wire_format(name)->encode(conversation(), endpoint);
    const HttpRequest second = make_wire_format(name)->encode(conversation(), endpoint);
    EXPECT_EQ(first.body, second.body) << name;
    EXPECT_EQ(first.url, second.url) << name;
    EXPECT_EQ(first.headers, second.headers) << name;

    ChatRequest changed = conversation();
    changed.messages[0].text += "!";
    EXPECT_NE(make_wire_format(name)->encode(changed, endpoint).body, first.body) << name;
  }
}

TEST(WireFormatTest, InvalidUtf8InToolOutputStillEncodes) {
  ChatRequest request = conversation();
  request.messages[2].tool_results[0].content = "bytes \xFF\xFE end";
  for (const std::string name : {"openai", "anthropic", "gemini"}) {
    HttpRequest http;
    ASSERT_NO_THROW(http = make_wire_format(name)->encode(request, full_endpoint("http://h", "m")))
        << name;
    EXPECT_FALSE(json::parse(http.body, nullptr, false).is_discarded()) << name;
    EXPECT_NE(http.body.find("bytes "), std::string::npos) << name;
  }
}

TEST(WireFormatTest, OddlyShapedBodiesOnlyEverThrowMalformedReply) {
  const std::vector<std::string> bodies = {
      "null",
      "42",
      "\"text\"",
      "[]",
      "{",
      R"({"choices": null})",
      R"({"choices": [null]})",
      R"({"choices": [{"message": {"content": [{"text": 3}], "tool_calls": [null]}}]})",
      R"({"choices": [{"message": {}}], "usage": {"prompt_tokens": "many", "prompt_tokens_details": 5}})",
      R"({"content": null})",
      R"({"content": [{"type": 7}]})",
      R"({"content": [{"type": "tool_use", "name": "x", "id": 3}]})",
      R"({"content": [], "usage": {"input_tokens": -5, "output_tokens": 1.5e30}})",
      R"({"type": "error"})",
      R"({"type": "error", "error": 7})",
      R"({"candidates": [{"content": {"parts": [null]}}]})",
      R"({"candidates": [{"content": {"parts": [{"thought": "yes", "text": "t"}]}}],
          "usageMetadata": {"promptTokenCount": null, "thoughtsTokenCount": [1]}})",
      R"({"candidates": [{"finishReason": 5}]})",
      R"({"promptFeedback": 3})",
      R"({"candidates": [{"content": {"parts": [{"functionCall": {"name": "f", "id": {}}}]}}]})",
  };
  for (const std::string name : {"openai", "anthropic", "gemini"}) {
    auto wire = make_wire_format(name);
    for (const std::string& body : bodies) {
      try {
        wire->decode(body);
      } catch (const MalformedReply&) {
      } catch (const std::exception& error) {
        ADD_FAILURE() << name << " body " << body << " threw " << error.what();
      }
    }
  }
}

}  // namespace
}  // namespace kc::llm
