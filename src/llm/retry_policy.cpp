#include "kernelcraft/llm/retry_policy.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <thread>

namespace kc::llm {
namespace {

std::string trimmed(const std::string& text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return text.substr(begin, end - begin);
}

std::optional<double> parse_delta_seconds(const std::string& text) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  // A double cannot overflow on any realistic digit count; the caller clamps the value anyway.
  double seconds = 0;
  for (char c : text) seconds = seconds * 10 + (c - '0');
  return seconds;
}

// IMF-fixdate only ("Sun, 06 Nov 1994 08:49:37 GMT"), the one form RFC 9110 requires senders
// to use. strptime's %a/%b are locale dependent, so the names are matched here instead.
std::optional<std::time_t> parse_imf_fixdate(const std::string& text) {
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (text.size() != 29 || text.compare(3, 2, ", ") != 0 || text.compare(25, 4, " GMT") != 0)
    return std::nullopt;
  if (std::none_of(std::begin(kDays), std::end(kDays), [&](const char* d) { return text.compare(0, 3, d) == 0; }))
    return std::nullopt;
  const auto month = std::find_if(std::begin(kMonths), std::end(kMonths),
                                  [&](const char* m) { return text.compare(8, 3, m) == 0; });
  if (month == std::end(kMonths)) return std::nullopt;

  // "dd Mmm yyyy hh:mm:ss": check the fixed punctuation, then read the digit groups.
  if (text[7] != ' ' || text[11] != ' ' || text[16] != ' ' || text[19] != ':' || text[22] != ':')
    return std::nullopt;
  auto number = [&](std::size_t at, std::size_t length) -> int {
    int value = 0;
    for (std::size_t i = at; i < at + length; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  std::tm tm{};
  tm.tm_mday = number(5, 2);
  tm.tm_mon = static_cast<int>(month - std::begin(kMonths));
  tm.tm_year = number(12, 4) - 1900;
  tm.tm_hour = number(17, 2);
  tm.tm_min = number(20, 2);
  tm.tm_sec = number(23, 2);
  if (tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_year < 70 || tm.tm_hour < 0 || tm.tm_hour > 23 ||
      tm.tm_min < 0 || tm.tm_min > 59 || tm.tm_sec < 0 || tm.tm_sec > 60)
    return std::nullopt;
  return timegm(&tm);
}

}  // namespace

bool RetryPolicy::retryable_status(long status) {
  if (status >= 500 && status <= 599) return true;
  return status == 408 || status == 409 || status == 425 || status == 429;
}

double RetryPolicy::delay_s(int retry, const std::optional<std::string>& retry_after,
                            double unit_random) const {
  if (retry_after) {
    if (const auto server_wait = parse_retry_after(*retry_after, std::chrono::system_clock::now()))
      return std::max(0.0, std::min(*server_wait, max_retry_after_s));
  }
  const double u = std::clamp(unit_random, 0.0, 1.0);
  // ldexp overflows to +inf for huge retry counts, which the cap then absorbs.
  const double ceiling = std::min(max_delay_s, std::ldexp(base_delay_s, std::max(0, retry)));
  return std::max(0.0, u * ceiling);
}

std::optional<double> parse_retry_after(const std::string& value,
                                        std::chrono::system_clock::time_point now) {
  const std::string text = trimmed(value);
  if (auto seconds = parse_delta_seconds(text)) return seconds;
  const auto when = parse_imf_fixdate(text);
  if (!when) return std::nullopt;
  const auto target = std::chrono::system_clock::from_time_t(*when);
  const double ahead = std::chrono::duration<double>(target - now).count();
  return std::max(0.0, ahead);
}

Sleeper real_sleeper() {
  return [](double seconds) {
    if (seconds > 0) std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  };
}

}  // namespace kc::llm
