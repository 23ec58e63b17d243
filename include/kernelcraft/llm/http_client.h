// The HTTP transport under every LLM provider. The real one is libcurl; tests point it at a
// mock server on 127.0.0.1.
#pragma once

#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace kc::llm {

struct HttpRequest {
  std::string url;
  // Sent as given. Values may hold secrets: never log or store them.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // POSTed as application/json
};

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased; last value wins
  std::string body;
};

// No HTTP status at all: connection refused or reset, DNS failure, timeout, TLS error.
class TransportError : public std::runtime_error {
 public:
  TransportError(const std::string& message, bool timed_out)
      : std::runtime_error(message), timed_out_(timed_out) {}
  bool timed_out() const { return timed_out_; }

 private:
  bool timed_out_;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // POSTs the request; any HTTP status is a response. Transport failures throw TransportError
  // whose message names the URL (never a header value).
  virtual HttpResponse post(const HttpRequest& request, std::chrono::milliseconds timeout) = 0;
};

// libcurl. One easy handle per call; safe to use from several threads at once.
class CurlHttpClient : public HttpClient {
 public:
  CurlHttpClient();
  HttpResponse post(const HttpRequest& request, std::chrono::milliseconds timeout) override;
};

}  // namespace kc::llm
