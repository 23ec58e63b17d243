// HttpChatProvider + CurlHttpClient against the mock LLM server, for each wire format: decoding,
// headers, retries and their waits, timeouts, dropped connections, error kinds, secret-free
// messages and the response cache.
#include "kernelcraft/llm/http_provider.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "kernelcraft/llm/secrets.h"
#include "support/mock_llm_server.h"

namespace kc::llm {
namespace {

namespace fs = std::filesystem;
using kc::testing::MockLlmServer;
using kc::testing::MockStep;
using kc::testing::MockToolCall;
using nlohmann::json;
using namespace std::chrono_literals;

std::string unique_name(const std::string& stem) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = stem + "_" + info->name() + "_" + std::to_string(::getpid());
  for (char& c : name)
    if (c == '/') c = '_';
  return name;
}

// A key only this test process uses, so redaction checks cannot pass by accident.
std::string api_key_for(const std::string& format) {
  return "sk-kc-test-" + format + "-" + std::to_string(::getpid()) + "-Zq7xW3vN9";
}

ChatRequest task_request(const std::string& user_text = "Write a GEMM kernel for PLENA.") {
  ChatRequest request;
  request.system = "You write kernels for an accelerator you have never seen.";
  Message user;
  user.role = Role::User;
  user.text = user_text;
  request.messages.push_back(user);
  request.tools.push_back({"write_code", "Replace the kernel source.",
                           json{{"type", "object"},
                                {"properties", {{"source", {{"type", "string"}}}}},
                                {"required", {"source"}}}});
  return request;
}

class HttpProviderTest : public ::testing::TestWithParam<std::string> {
 protected:
  HttpProviderTest() : server_(GetParam()) {
    endpoint_.model = "mock-model-1";
    endpoint_.base_url = server_.base_url();
    endpoint_.api_key = api_key_for(GetParam());
    endpoint_.extra_headers = {{"X-Trace-Id", "trace-42"}};
    options_.timeout = 5000ms;
    options_.retry.max_retries = 3;
    options_.retry.base_delay_s = 1.0;
    options_.sleep = [this](double seconds) { sleeps_.push_back(seconds); };
    options_.jitter_seed = 7;
  }

  std::unique_ptr<HttpChatProvider> provider() {
    return std::make_unique<HttpChatProvider>(make_wire_format(GetParam()), endpoint_, client_, options_);
  }

  // The thrown ProviderError of one call (fails the test when the call succeeds).
  ProviderError failure_of(const ChatRequest& request) {
    try {
      provider()->complete(request);
    } catch (const ProviderError& error) {
      return error;
    }
    ADD_FAILURE() << "expected a ProviderError";
    return ProviderError(ProviderError::Kind::Replay, "no error");
  }

  std::string auth_header_name() const {
    if (GetParam() == "openai") return "authorization";
    if (GetParam() == "anthropic") return "x-api-key";
    return "x-goog-api-key";
  }

  MockLlmServer server_;
  CurlHttpClient client_;
  ModelEndpoint endpoint_;
  HttpProviderOptions options_;
  std::vector<double> sleeps_;
};

TEST_P(HttpProviderTest, DecodesAReplyWithToolCalls) {
  MockStep step = MockStep::reply("Writing the kernel now.",
                                  {{"", "write_code", R"({"source":"M_MM 0, 1, 2"})"},
                                   {"", "run_eval", R"({})"}});
  step.input_tokens = 1000;
  step.cached_tokens = 200;
  step.output_tokens = 100;
  step.reasoning_tokens = 30;
  server_.script({step});

  const Exchange exchange = provider()->complete(task_request());

  const Message& message = exchange.response.message;
  EXPECT_EQ(message.role, Role::Assistant);
  EXPECT_EQ(message.text, "Writing the kernel now.");
  ASSERT_EQ(message.tool_calls.size(), 2u);
  EXPECT_EQ(message.tool_calls[0].name, "write_code");
  EXPECT_EQ(json::parse(message.tool_calls[0].arguments), json({{"source", "M_MM 0, 1, 2"}}));
  EXPECT_EQ(message.tool_calls[1].name, "run_eval");
  EXPECT_FALSE(message.tool_calls[0].id.empty());
  EXPECT_NE(message.tool_calls[0].id, message.tool_calls[1].id);

  const TokenUsage& usage = exchange.response.usage;
  EXPECT_TRUE(usage.reported);
  EXPECT_EQ(usage.input, 1000u);
  EXPECT_EQ(usage.cached, 200u);
  EXPECT_EQ(usage.output, 100u);
  if (GetParam() != "anthropic") {  // Anthropic does not split reasoning out
    EXPECT_EQ(usage.reasoning, 30u);
  }

  EXPECT_EQ(exchange.attempts, 1);
  EXPECT_FALSE(exchange.from_cache);
  EXPECT_EQ(exchange.format, GetParam());
  EXPECT_EQ(exchange.request_hash.size(), 64u);
  EXPECT_FALSE(exchange.response_body.empty());
  EXPECT_EQ(make_wire_format(GetParam())->decode(exchange.response_body).message.text, message.text);
  EXPECT_GT(exchange.latency_ms, 0.0);
  EXPECT_TRUE(sleeps_.empty());

  ASSERT_EQ(server_.request_count(), 1u);
  const auto request = server_.requests()[0];
  EXPECT_TRUE(request.json.is_object()) << request.body;
  if (GetParam() == "gemini")
    EXPECT_EQ(request.path, "/v1beta/models/mock-model-1:generateContent");
  else
    EXPECT_EQ(request.json.value("model", ""), "mock-model-1");
}

TEST_P(HttpProviderTest, NameIsTheWireFormat) { EXPECT_EQ(provider()->name(), GetParam()); }

TEST_P(HttpProviderTest, AuthAndExtraHeadersReachTheServer) {
  server_.script({MockStep::reply("hello")});
  provider()->complete(task_request());

  ASSERT_EQ(server_.request_count(), 1u);
  const auto request = server_.requests()[0];
  const std::string expected = GetParam() == "openai" ? "Bearer " + endpoint_.api_key : endpoint_.api_key;
  ASSERT_EQ(request.headers.count(auth_header_name()), 1u);
  EXPECT_EQ(request.headers.at(auth_header_name()), expected);
  ASSERT_EQ(request.headers.count("x-trace-id"), 1u);
  EXPECT_EQ(request.headers.at("x-trace-id"), "trace-42");
  EXPECT_EQ(request.path.find(endpoint_.api_key), std::string::npos) << "the key must not travel in the URL";
  EXPECT_EQ(request.body.find(endpoint_.api_key), std::string::npos);
}

TEST_P(HttpProviderTest, RateLimitWaitsForRetryAfterThenSucceeds) {
  server_.script({MockStep::error(429, "", {{"Retry-After", "2"}}), MockStep::reply("after the wait")});

  const Exchange exchange = provider()->complete(task_request());

  EXPECT_EQ(exchange.response.message.text, "after the wait");
  EXPECT_EQ(server_.request_count(), 2u);
  EXPECT_EQ(exchange.attempts, 2);
  ASSERT_EQ(sleeps_.size(), 1u);
  EXPECT_GE(sleeps_[0], 2.0);
  EXPECT_LE(sleeps_[0], options_.retry.max_retry_after_s);
}

TEST_P(HttpProviderTest, ServerErrorIsRetriedWithJitteredBackoff) {
  server_.script({MockStep::error(500), MockStep::reply("recovered")});

  const Exchange exchange = provider()->complete(task_request());

  EXPECT_EQ(exchange.response.message.text, "recovered");
  EXPECT_EQ(exchange.attempts, 2);
  EXPECT_EQ(server_.request_count(), 2u);
  ASSERT_EQ(sleeps_.size(), 1u);
  EXPECT_GE(sleeps_[0], 0.0);
  EXPECT_LT(sleeps_[0], options_.retry.base_delay_s);  // first retry: up to base * 2^0
}

TEST_P(HttpProviderTest, DroppedConnectionIsRetried) {
  server_.script({MockStep::drop(), MockStep::reply("second try")});

  const Exchange exchange = provider()->complete(task_request());

  EXPECT_EQ(exchange.response.message.text, "second try");
  EXPECT_EQ(exchange.attempts, 2);
  EXPECT_EQ(server_.request_count(), 2u);
  EXPECT_EQ(sleeps_.size(), 1u);
}

TEST_P(HttpProviderTest, TimeoutIsRetried) {
  options_.timeout = 200ms;
  server_.script({MockStep::stall_for(600ms, MockStep::reply("too late")), MockStep::reply("in time")});

  const Exchange exchange = provider()->complete(task_request());

  EXPECT_EQ(exchange.response.message.text, "in time");
  EXPECT_EQ(exchange.attempts, 2);
  EXPECT_EQ(server_.request_count(), 2u);
}

TEST_P(HttpProviderTest, PersistentTimeoutFailsAsTimeout) {
  options_.timeout = 100ms;
  options_.retry.max_retries = 1;
  server_.script({MockStep::stall_for(400ms, MockStep::reply("late")),
                  MockStep::stall_for(400ms, MockStep::reply("late"))});

  const ProviderError error = failure_of(task_request());

  EXPECT_EQ(error.kind(), ProviderError::Kind::Timeout) << error.what();
  EXPECT_EQ(server_.request_count(), 2u);
}

TEST_P(HttpProviderTest, MalformedReplyIsRetried) {
  server_.script({MockStep::raw("{\"truncated\": "), MockStep::reply("well formed")});

  const Exchange exchange = provider()->complete(task_request());

  EXPECT_EQ(exchange.response.message.text, "well formed");
  EXPECT_EQ(exchange.attempts, 2);
  EXPECT_EQ(server_.request_count(), 2u);
}

TEST_P(HttpProviderTest, PersistentServerErrorGivesUpAfterAllRetries) {
  server_.script({MockStep::error(503), MockStep::error(500), MockStep::error(502), MockStep::error(500),
                  MockStep::reply("never reached")});

  const ProviderError error = failure_of(task_request());

  EXPECT_EQ(error.kind(), ProviderError::Kind::Server);
  EXPECT_EQ(error.status(), 500);
  EXPECT_EQ(server_.request_count(), 4u);  // 1 + max_retries
  EXPECT_EQ(sleeps_.size(), 3u);
  const std::string message = error.what();
  EXPECT_NE(message.find("gave up after 4 attempts"), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 500"), std::string::npos) << message;
  EXPECT_NE(message.find("mock error 500"), std::string::npos) << message;
  EXPECT_NE(message.find(GetParam() + " (mock-model-1)"), std::string::npos) << message;
}

TEST_P(HttpProviderTest, PersistentRateLimitFailsAsRateLimited) {
  options_.retry.max_retries = 1;
  server_.script({MockStep::error(429), MockStep::error(429)});

  const ProviderError error = failure_of(task_request());

  EXPECT_EQ(error.kind(), ProviderError::Kind::RateLimited);
  EXPECT_EQ(error.status(), 429);
  EXPECT_EQ(server_.request_count(), 2u);
}

TEST_P(HttpProviderTest, UnauthorizedFailsAtOnceWithTheServersMessage) {
  server_.script({MockStep::error(401), MockStep::reply("never reached")});

  const ProviderError error = failure_of(task_request());

  EXPECT_EQ(error.kind(), ProviderError::Kind::Auth);
  EXPECT_EQ(error.status(), 401);
  EXPECT_EQ(server_.request_count(), 1u);
  EXPECT_TRUE(sleeps_.empty());
  const std::string message = error.what();
  EXPECT_NE(message.find("HTTP 401"), std::string::npos) << message;
  EXPECT_NE(message.find("mock error 401"), std::string::npos) << message;
}

TEST_P(HttpProviderTest, BadRequestIsNotRetried) {
  server_.script({MockStep::error(400), MockStep::reply("never reached")});

  const ProviderError error = failure_of(task_request());

  EXPECT_EQ(error.kind(), ProviderError::Kind::BadRequest);
  EXPECT_EQ(server_.request_count(), 1u);
}

TEST_P(HttpProviderTest, KeyEchoedByTheServerNeverReachesTheError) {
  register_secret(endpoint_.api_key);
  const std::string body =
      json{{"error", {{"message", "Incorrect API key provided: " + endpoint_.api_key}, {"code", 401}}}}.dump();
  server_.script({MockStep::error(401, body)});

  const ProviderError error = failure_of(task_request());

  const std::string message = error.what();
  EXPECT_EQ(error.kind(), ProviderError::Kind::Auth);
  EXPECT_EQ(message.find(endpoint_.api_key), std::string::npos) << message;
  EXPECT_NE(message.find("Incorrect API key provided"), std::string::npos) << message;
  EXPECT_NE(message.find("[redacted]"), std::string::npos) << message;
}

TEST_P(HttpProviderTest, ErrorMessagesAreBounded) {
  server_.script({MockStep::error(400, std::string(20000, 'x'))});

  const ProviderError error = failure_of(task_request());

  EXPECT_LT(std::string(error.what()).size(), 600u);
}

TEST_P(HttpProviderTest, MissingUsageIsReportedAsMissing) {
  MockStep step = MockStep::reply("no usage here");
  step.omit_usage = true;
  server_.script({step});

  const Exchange exchange = provider()->complete(task_request());

  EXPECT_FALSE(exchange.response.usage.reported);
  EXPECT_EQ(exchange.response.usage.input, 0u);
  EXPECT_EQ(exchange.response.usage.output, 0u);
}

TEST_P(HttpProviderTest, CacheServesARepeatedRequestWithoutTheNetwork) {
  ResponseCache cache((fs::path(::testing::TempDir()) / unique_name("kc_http_cache")).string());
  options_.cache = &cache;
  server_.script({MockStep::reply("first answer"), MockStep::reply("second answer")});
  auto chat = provider();

  const Exchange first = chat->complete(task_request());
  const Exchange again = chat->complete(task_request());

  EXPECT_EQ(server_.request_count(), 1u);
  EXPECT_FALSE(first.from_cache);
  EXPECT_TRUE(again.from_cache);
  EXPECT_EQ(again.attempts, 0);
  EXPECT_EQ(again.request_hash, first.request_hash);
  EXPECT_EQ(again.response_body, first.response_body);
  EXPECT_EQ(again.response.message.text, "first answer");
  EXPECT_EQ(again.format, GetParam());

  const Exchange other = chat->complete(task_request("A different task."));
  EXPECT_FALSE(other.from_cache);
  EXPECT_NE(other.request_hash, first.request_hash);
  EXPECT_EQ(other.response.message.text, "second answer");
  EXPECT_EQ(server_.request_count(), 2u);
  fs::remove_all(cache.directory());
}

TEST_P(HttpProviderTest, CachedBodyThatNoLongerDecodesIsIgnored) {
  ResponseCache cache((fs::path(::testing::TempDir()) / unique_name("kc_http_cache")).string());
  options_.cache = &cache;
  const std::string hash = request_hash(GetParam(), make_wire_format(GetParam())->encode(task_request(), endpoint_));
  cache.store(hash, "{\"not\": \"a reply\"}");
  server_.script({MockStep::reply("fresh")});

  const Exchange exchange = provider()->complete(task_request());

  EXPECT_FALSE(exchange.from_cache);
  EXPECT_EQ(exchange.request_hash, hash);
  EXPECT_EQ(exchange.response.message.text, "fresh");
  EXPECT_EQ(server_.request_count(), 1u);
  EXPECT_EQ(cache.find(hash), exchange.response_body) << "the good reply replaces the stale entry";
  fs::remove_all(cache.directory());
}

TEST_P(HttpProviderTest, UnwritableCacheDoesNotLoseTheReply) {
  const fs::path blocker = fs::path(::testing::TempDir()) / unique_name("kc_http_cache_blocker");
  std::ofstream(blocker) << "a file where the cache folder should be";
  ResponseCache cache(blocker.string());
  options_.cache = &cache;
  server_.script({MockStep::reply("paid for")});

  const Exchange exchange = provider()->complete(task_request());

  EXPECT_EQ(exchange.response.message.text, "paid for");
  EXPECT_FALSE(exchange.from_cache);
  fs::remove(blocker);
}

TEST_P(HttpProviderTest, RequestHashIgnoresHeadersButNotTheBody) {
  const auto format = make_wire_format(GetParam());
  HttpRequest a = format->encode(task_request(), endpoint_);
  HttpRequest b = a;
  b.headers.clear();
  EXPECT_EQ(request_hash(GetParam(), a), request_hash(GetParam(), b));
  b.body += " ";
  EXPECT_NE(request_hash(GetParam(), a), request_hash(GetParam(), b));
  EXPECT_NE(request_hash("openai", a), request_hash("other", a));
}

// The mock decodes the tool results the client sent back, in the client's own format.
TEST_P(HttpProviderTest, ServerSeesTheToolResultsOfTheLastToolTurn) {
  server_.script({MockStep::reply("", {{"", "write_code", R"({"source":"x"})"}, {"", "run_eval", "{}"}}),
                  MockStep::reply("done")});
  auto chat = provider();
  ChatRequest request = task_request();
  const Exchange first = chat->complete(request);
  ASSERT_EQ(first.response.message.tool_calls.size(), 2u);

  request.messages.push_back(first.response.message);
  Message results;
  results.role = Role::Tool;
  results.text = "Turn 2 of 10.";
  for (const ToolCall& call : first.response.message.tool_calls)
    results.tool_results.push_back({call.id, call.name, "result of " + call.name, false});
  request.messages.push_back(results);
  chat->complete(request);

  ASSERT_EQ(server_.request_count(), 2u);
  const auto seen = server_.tool_results_in(server_.requests()[1]);
  ASSERT_EQ(seen.size(), 2u);
  const bool by_name = GetParam() == "gemini";  // Gemini answers calls by function name
  EXPECT_EQ(seen[0].first, by_name ? "write_code" : first.response.message.tool_calls[0].id);
  EXPECT_EQ(seen[0].second, "result of write_code");
  EXPECT_EQ(seen[1].first, by_name ? "run_eval" : first.response.message.tool_calls[1].id);
  EXPECT_EQ(seen[1].second, "result of run_eval");
  EXPECT_TRUE(server_.tool_results_in(server_.requests()[0]).empty());
}

TEST_P(HttpProviderTest, ReasoningComesBack) {
  MockStep step = MockStep::reply("answer");
  step.reasoning = "think about tiling first";
  server_.script({step});

  const Exchange exchange = provider()->complete(task_request());

  EXPECT_EQ(exchange.response.message.reasoning, "think about tiling first");
  EXPECT_EQ(exchange.response.message.text, "answer");
}

TEST_P(HttpProviderTest, InvalidArgumentsSurviveAsText) {
  server_.script({MockStep::reply("", {{"call_x", "write_code", "{not json"}})});

  const Exchange exchange = provider()->complete(task_request());

  ASSERT_EQ(exchange.response.message.tool_calls.size(), 1u);
  const std::string& arguments = exchange.response.message.tool_calls[0].arguments;
  EXPECT_NE(arguments.find("{not json"), std::string::npos) << arguments;
}

INSTANTIATE_TEST_SUITE_P(Formats, HttpProviderTest, ::testing::Values("openai", "anthropic", "gemini"),
                         [](const ::testing::TestParamInfo<std::string>& param) { return param.param; });

TEST(ProviderErrorKindTest, NamesAreStableSnakeCase) {
  EXPECT_STREQ(kind_name(ProviderError::Kind::Auth), "auth");
  EXPECT_STREQ(kind_name(ProviderError::Kind::BadRequest), "bad_request");
  EXPECT_STREQ(kind_name(ProviderError::Kind::RateLimited), "rate_limited");
  EXPECT_STREQ(kind_name(ProviderError::Kind::Server), "server");
  EXPECT_STREQ(kind_name(ProviderError::Kind::Network), "network");
  EXPECT_STREQ(kind_name(ProviderError::Kind::Timeout), "timeout");
  EXPECT_STREQ(kind_name(ProviderError::Kind::MalformedReply), "malformed_reply");
  EXPECT_STREQ(kind_name(ProviderError::Kind::Replay), "replay");
}

// --- the libcurl client and the mock server on their own -------------------------------------

std::string openai_url(const MockLlmServer& server) { return server.base_url() + "/chat/completions"; }

TEST(CurlHttpClientTest, ReturnsStatusBodyAndLowerCasedHeaders) {
  MockLlmServer server("openai");
  server.script({MockStep::error(503, "{\"error\":{\"message\":\"busy\"}}", {{"Retry-After", "7"}, {"X-Mixed-Case", "v"}})});
  CurlHttpClient client;

  const HttpResponse response = client.post({openai_url(server), {}, "{}"}, 2000ms);

  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body, "{\"error\":{\"message\":\"busy\"}}");
  ASSERT_EQ(response.headers.count("retry-after"), 1u);
  EXPECT_EQ(response.headers.at("retry-after"), "7");
  EXPECT_EQ(response.headers.count("x-mixed-case"), 1u);
  EXPECT_EQ(server.requests().at(0).headers.at("content-type"), "application/json");
}

TEST(CurlHttpClientTest, DroppedConnectionIsATransportErrorNotAStatus) {
  MockLlmServer server("openai");
  server.script({MockStep::drop()});
  CurlHttpClient client;
  try {
    const HttpResponse response = client.post({openai_url(server), {}, "{}"}, 2000ms);
    FAIL() << "expected TransportError, got HTTP " << response.status;
  } catch (const TransportError& error) {
    EXPECT_FALSE(error.timed_out());
    EXPECT_NE(std::string(error.what()).find(openai_url(server)), std::string::npos) << error.what();
  }
}

TEST(CurlHttpClientTest, SlowServerTimesOut) {
  MockLlmServer server("openai");
  server.script({MockStep::stall_for(500ms, MockStep::reply("late"))});
  CurlHttpClient client;
  const auto start = std::chrono::steady_clock::now();
  try {
    client.post({openai_url(server), {}, "{}"}, 100ms);
    FAIL() << "expected TransportError";
  } catch (const TransportError& error) {
    EXPECT_TRUE(error.timed_out()) << error.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 450ms);
}

TEST(CurlHttpClientTest, RefusedConnectionNamesTheUrlButNoHeaderValue) {
  std::string url;
  {
    MockLlmServer gone("openai");
    url = openai_url(gone);
  }  // the port is closed now
  CurlHttpClient client;
  const std::string secret = "sk-kc-never-print-me-" + std::to_string(::getpid());
  try {
    client.post({url, {{"Authorization", "Bearer " + secret}}, "{}"}, 2000ms);
    FAIL() << "expected TransportError";
  } catch (const TransportError& error) {
    const std::string message = error.what();
    EXPECT_FALSE(error.timed_out());
    EXPECT_NE(message.find(url), std::string::npos) << message;
    EXPECT_EQ(message.find(secret), std::string::npos) << message;
  }
}

TEST(CurlHttpClientTest, OnlyHttpAndHttpsAreAllowed) {
  CurlHttpClient client;
  EXPECT_THROW(client.post({"file:///etc/passwd", {}, "{}"}, 1000ms), TransportError);
}

TEST(CurlHttpClientTest, RepliesOver64MiBAreRefused) {
  MockLlmServer server("openai");
  server.script({MockStep::raw(std::string((std::size_t{64} << 20) + 1, 'x'))});
  CurlHttpClient client;
  try {
    client.post({openai_url(server), {}, "{}"}, 10000ms);
    FAIL() << "expected TransportError";
  } catch (const TransportError& error) {
    EXPECT_NE(std::string(error.what()).find("reply larger than 64 MiB"), std::string::npos) << error.what();
  }
}

TEST(MockLlmServerTest, ExhaustedScriptAnswers500) {
  MockLlmServer server("anthropic");
  CurlHttpClient client;
  const HttpResponse response = client.post({server.base_url() + "/v1/messages", {}, "{}"}, 2000ms);
  EXPECT_EQ(response.status, 500);
  EXPECT_NE(response.body.find("mock script exhausted"), std::string::npos) << response.body;
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(MockLlmServerTest, UnknownPathIs404AndRecorded) {
  MockLlmServer server("gemini");
  server.script({MockStep::reply("unused")});
  CurlHttpClient client;
  const HttpResponse response = client.post({server.base_url() + "/chat/completions", {}, "{}"}, 2000ms);
  EXPECT_EQ(response.status, 404);
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].path, "/v1beta/chat/completions");
}

TEST(MockLlmServerTest, ResponderDecidesFromTheRequest) {
  MockLlmServer server("openai");
  server.respond_with([](const kc::testing::ReceivedRequest& request) {
    return MockStep::reply("echo " + request.json.value("probe", std::string("?")));
  });
  CurlHttpClient client;
  const HttpResponse response = client.post({openai_url(server), {}, "{\"probe\":\"abc\"}"}, 2000ms);
  ASSERT_EQ(response.status, 200);
  const json reply = json::parse(response.body);
  EXPECT_EQ(reply["choices"][0]["message"]["content"], "echo abc");
  EXPECT_EQ(reply["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(server.requests()[0].json["probe"], "abc");
}

TEST(MockLlmServerTest, RecordsNonJsonBodiesAsNull) {
  MockLlmServer server("openai");
  server.script({MockStep::reply("ok")});
  CurlHttpClient client;
  client.post({openai_url(server), {{"Content-Type", "text/plain"}}, "plain words"}, 2000ms);
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_TRUE(server.requests()[0].json.is_null());
  EXPECT_EQ(server.requests()[0].body, "plain words");
}

TEST(MockLlmServerTest, DestructorDoesNotWaitForAStallingHandler) {
  const auto start = std::chrono::steady_clock::now();
  {
    MockLlmServer server("openai");
    server.script({MockStep::stall_for(10s, MockStep::reply("late"))});
    CurlHttpClient client;
    EXPECT_THROW(client.post({openai_url(server), {}, "{}"}, 100ms), TransportError);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST(MockLlmServerTest, RejectsUnknownFormats) { EXPECT_THROW(MockLlmServer("cohere"), std::invalid_argument); }

}  // namespace
}  // namespace kc::llm
