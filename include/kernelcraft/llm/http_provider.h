// The HTTP chat provider: a wire format over an HttpClient, with retries, the response cache
// and secret-free errors.
#pragma once

#include <chrono>
#include <memory>
#include <random>

#include "kernelcraft/llm/http_client.h"
#include "kernelcraft/llm/provider.h"
#include "kernelcraft/llm/response_cache.h"
#include "kernelcraft/llm/retry_policy.h"
#include "kernelcraft/llm/wire_format.h"

namespace kc::llm {

struct HttpProviderOptions {
  std::chrono::milliseconds timeout{600'000};
  RetryPolicy retry;
  Sleeper sleep = real_sleeper();
  ResponseCache* cache = nullptr;  // not owned; null: no caching
  uint64_t jitter_seed = 0;        // the backoff jitter's random stream
};

class HttpChatProvider : public ChatProvider {
 public:
  HttpChatProvider(std::unique_ptr<WireFormat> format, ModelEndpoint endpoint, HttpClient& client,
                   HttpProviderOptions options);
  std::string name() const override;
  Exchange complete(const ChatRequest& request) override;

 private:
  std::unique_ptr<WireFormat> format_;
  ModelEndpoint endpoint_;
  HttpClient& client_;
  HttpProviderOptions options_;
  std::mt19937_64 jitter_;
};

// The cache/replay key of an encoded request: sha256 over the wire format name, the URL and
// the body. Headers (where keys live) are not part of it.
std::string request_hash(const std::string& format, const HttpRequest& request);

}  // namespace kc::llm
