// A mock LLM API for tests: a real HTTP server (cpp-httplib) on 127.0.0.1 that speaks one of
// the three wire formats (OpenAI chat completions, Anthropic messages, Gemini generateContent)
// and plays a script of assistant turns and injected faults, recording every request.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace kc::testing {

struct MockToolCall {
  std::string id;         // empty: the server makes one ("call_<n>")
  std::string name;
  std::string arguments;  // JSON text, sent as is (tests put invalid JSON here on purpose)
};

// One scripted answer.
struct MockStep {
  enum class Kind {
    Reply,           // 200 with an assistant turn in the server's wire format
    HttpError,       // `status` with `body` and `headers` (e.g. 429 + Retry-After)
    DropConnection,  // close the connection without any reply
    Stall,           // wait `stall` before replying with the assistant turn (client timeouts)
    RawBody,         // 200 with `body` exactly (malformed JSON, missing fields)
  };
  Kind kind = Kind::Reply;
  std::string text;
  std::string reasoning;  // openai: reasoning_content; anthropic: a thinking block; gemini: a thought part
  std::vector<MockToolCall> tool_calls;
  bool omit_usage = false;
  uint64_t input_tokens = 1000, cached_tokens = 0, output_tokens = 100, reasoning_tokens = 0;
  int status = 500;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds stall{0};

  static MockStep reply(std::string text, std::vector<MockToolCall> calls = {});
  static MockStep error(int status, std::string body = "",
                        std::vector<std::pair<std::string, std::string>> headers = {});
  static MockStep drop();
  static MockStep stall_for(std::chrono::milliseconds wait, MockStep then);
  static MockStep raw(std::string body);
};

struct ReceivedRequest {
  std::string path;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  nlohmann::json json;  // parsed body (null when it was not JSON)
};

class MockLlmServer {
 public:
  // format: "openai" | "anthropic" | "gemini". Binds 127.0.0.1 on a free port and serves
  // from a background thread until destroyed.
  explicit MockLlmServer(std::string format);
  ~MockLlmServer();
  MockLlmServer(const MockLlmServer&) = delete;
  MockLlmServer& operator=(const MockLlmServer&) = delete;

  // The base_url an agent config uses for this server:
  //   openai    http://127.0.0.1:<port>/v1      (POST {base}/chat/completions)
  //   anthropic http://127.0.0.1:<port>        (POST {base}/v1/messages)
  //   gemini    http://127.0.0.1:<port>/v1beta  (POST {base}/models/<model>:generateContent)
  std::string base_url() const;
  const std::string& format() const { return format_; }

  // Steps are consumed one per request, in order. When the script runs out the server answers
  // 500 {"error": "mock script exhausted"}.
  void script(std::vector<MockStep> steps);
  // Instead of a fixed script: decide each answer from the request (dynamic conversations).
  void respond_with(std::function<MockStep(const ReceivedRequest&)> responder);

  std::vector<ReceivedRequest> requests() const;
  std::size_t request_count() const;

  // The tool results (call id/name -> content) carried by a request in this server's format,
  // in order, for assertions that the client sent them back correctly.
  std::vector<std::pair<std::string, std::string>> tool_results_in(const ReceivedRequest& request) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string format_;
};

}  // namespace kc::testing
