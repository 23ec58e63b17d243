#include "kernelcraft/llm/http_provider.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>

#include <spdlog/spdlog.h>

#include "kernelcraft/llm/secrets.h"
#include "kernelcraft/llm/sha256.h"

namespace kc::llm {
namespace {

// Error messages end up in records and reports; a whole HTML error page does not belong there.
constexpr std::size_t kMaxMessageChars = 500;

// Redacts before cutting, so a key split by the cut cannot leave a readable prefix behind.
std::string safe_message(const std::string& text) {
  std::string message = redact_secrets(text);
  if (message.size() > kMaxMessageChars) message = message.substr(0, kMaxMessageChars) + "...";
  return message;
}

// Why one attempt did not produce a response.
struct Failure {
  ProviderError::Kind kind = ProviderError::Kind::Network;
  bool retryable = true;
  long status = 0;
  std::string detail;   // for the final error message (may name the URL and the server's words)
  std::string summary;  // for the retry log line: never a body, never a URL
  std::optional<std::string> retry_after;
};

Failure transport_failure(const TransportError& error) {
  Failure failure;
  failure.kind = error.timed_out() ? ProviderError::Kind::Timeout : ProviderError::Kind::Network;
  failure.detail = error.what();
  failure.summary = error.timed_out() ? "timed out" : "network error";
  return failure;
}

Failure status_failure(const WireFormat& format, const HttpRequest& http, const HttpResponse& reply) {
  Failure failure;
  failure.status = reply.status;
  failure.retryable = RetryPolicy::retryable_status(reply.status);
  if (reply.status == 401 || reply.status == 403)
    failure.kind = ProviderError::Kind::Auth;
  else if (reply.status == 429)
    failure.kind = ProviderError::Kind::RateLimited;
  else if (failure.retryable)
    failure.kind = ProviderError::Kind::Server;
  else
    failure.kind = ProviderError::Kind::BadRequest;
  failure.detail = "HTTP " + std::to_string(reply.status) + " from " + http.url + ": " +
                   format.error_message(reply.body);
  failure.summary = "HTTP " + std::to_string(reply.status);
  const auto retry_after = reply.headers.find("retry-after");
  if (retry_after != reply.headers.end()) failure.retry_after = retry_after->second;
  return failure;
}

Failure malformed_failure(const MalformedReply& error) {
  Failure failure;
  failure.kind = ProviderError::Kind::MalformedReply;
  failure.detail = error.what();
  failure.summary = "malformed reply";
  return failure;
}

// "openai (gpt-x): HTTP 429, retry 2/5 in 1.0 s": no URL, no body, no header.
std::string retry_line(const std::string& label, const Failure& failure, int retry, int max_retries,
                       double wait_s) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f", wait_s);
  return label + ": " + failure.summary + ", retry " + std::to_string(retry) + "/" +
         std::to_string(max_retries) + " in " + seconds + " s";
}

// Fills `exchange` from a stored reply; false when there is none or it no longer decodes.
bool serve_from_cache(const WireFormat& format, const ResponseCache& cache, const std::string& label,
                      Exchange& exchange) {
  auto stored = cache.find(exchange.request_hash);
  if (!stored) return false;
  try {
    exchange.response = format.decode(*stored);
  } catch (const MalformedReply& error) {
    spdlog::warn("{}: ignoring cached reply {} that no longer decodes: {}", label, exchange.request_hash,
                 safe_message(error.what()));
    return false;
  }
  exchange.response_body = std::move(*stored);
  exchange.from_cache = true;
  exchange.attempts = 0;
  return true;
}

// The reply is paid for: a cache that cannot be written must not lose it, so this only warns.
void store_in_cache(const ResponseCache& cache, const std::string& label, const Exchange& exchange) {
  try {
    cache.store(exchange.request_hash, exchange.response_body);
  } catch (const std::exception& error) {
    spdlog::warn("{}: reply not cached: {}", label, safe_message(error.what()));
  }
}

double milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

const char* kind_name(ProviderError::Kind kind) {
  switch (kind) {
    case ProviderError::Kind::Auth: return "auth";
    case ProviderError::Kind::BadRequest: return "bad_request";
    case ProviderError::Kind::RateLimited: return "rate_limited";
    case ProviderError::Kind::Server: return "server";
    case ProviderError::Kind::Network: return "network";
    case ProviderError::Kind::Timeout: return "timeout";
    case ProviderError::Kind::MalformedReply: return "malformed_reply";
    case ProviderError::Kind::Replay: return "replay";
  }
  return "unknown";
}

std::string request_hash(const std::string& format, const HttpRequest& request) {
  return sha256_hex(format + '\n' + request.url + '\n' + request.body);
}

HttpChatProvider::HttpChatProvider(std::unique_ptr<WireFormat> format, ModelEndpoint endpoint,
                                   HttpClient& client, HttpProviderOptions options)
    : format_(std::move(format)),
      endpoint_(std::move(endpoint)),
      client_(client),
      options_(std::move(options)),
      jitter_(options_.jitter_seed) {
  if (!format_) throw std::invalid_argument("HttpChatProvider: no wire format");
  if (!options_.sleep) options_.sleep = real_sleeper();
}

std::string HttpChatProvider::name() const { return format_->name(); }

Exchange HttpChatProvider::complete(const ChatRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  const std::string label = format_->name() + " (" + endpoint_.model + ")";
  const HttpRequest http = format_->encode(request, endpoint_);

  Exchange exchange;
  exchange.format = format_->name();
  exchange.request_hash = request_hash(exchange.format, http);
  if (options_.cache != nullptr && serve_from_cache(*format_, *options_.cache, label, exchange)) {
    exchange.latency_ms = milliseconds_since(start);
    return exchange;
  }

  const int max_retries = std::max(0, options_.retry.max_retries);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int attempt = 1;; ++attempt) {
    Failure failure;
    try {
      HttpResponse reply = client_.post(http, options_.timeout);
      if (reply.status >= 200 && reply.status < 300) {
        exchange.response = format_->decode(reply.body);
        exchange.response_body = std::move(reply.body);
        exchange.attempts = attempt;
        if (options_.cache != nullptr) store_in_cache(*options_.cache, label, exchange);
        exchange.latency_ms = milliseconds_since(start);
        return exchange;
      }
      failure = status_failure(*format_, http, reply);
    } catch (const TransportError& error) {
      failure = transport_failure(error);
    } catch (const MalformedReply& error) {
      failure = malformed_failure(error);
    }

    if (!failure.retryable)
      throw ProviderError(failure.kind, safe_message(label + ": " + failure.detail), failure.status);
    if (attempt > max_retries)
      throw ProviderError(failure.kind,
                          safe_message(label + ": gave up after " + std::to_string(attempt) +
                                       " attempts: " + failure.detail),
                          failure.status);

    const double wait_s = options_.retry.delay_s(attempt - 1, failure.retry_after, unit(jitter_));
    spdlog::warn("{}", safe_message(retry_line(label, failure, attempt, max_retries, wait_s)));
    options_.sleep(wait_s);
  }
}

}  // namespace kc::llm
