// When to retry a failed LLM call and how long to wait: exponential backoff with full jitter,
// and the server's Retry-After when it sends one.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace kc::llm {

struct RetryPolicy {
  int max_retries = 5;          // attempts after the first
  double base_delay_s = 1.0;    // backoff before retry n (0-based): up to base * 2^n
  double max_delay_s = 60.0;    // cap of the exponential backoff
  double max_retry_after_s = 300.0;  // a longer Retry-After is clamped to this

  // Retryable: 408, 409, 425, 429 and every 5xx (529 "overloaded" included). 400, 401, 403,
  // 404, 422 and other 4xx are the caller's fault and are not.
  static bool retryable_status(long status);

  // Seconds to wait before retry `retry` (0-based). `retry_after` is the header value, if any
  // (delta-seconds or an HTTP date); when present it wins over the backoff (clamped).
  // `unit_random` is a uniform number in [0, 1) that spreads the backoff (full jitter).
  double delay_s(int retry, const std::optional<std::string>& retry_after, double unit_random) const;
};

// Delta-seconds ("120") or an IMF-fixdate ("Wed, 21 Oct 2026 07:28:00 GMT") relative to `now`;
// nullopt when it is neither.
std::optional<double> parse_retry_after(const std::string& value,
                                        std::chrono::system_clock::time_point now);

// Waits; tests replace it to record the waits instead of sleeping.
using Sleeper = std::function<void(double seconds)>;
Sleeper real_sleeper();

}  // namespace kc::llm
