#include "kernelcraft/llm/retry_policy.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace kc::llm {
namespace {

using std::chrono::system_clock;

// An IMF-fixdate for `when`, written the way servers send it.
std::string http_date(system_clock::time_point when) {
  const std::time_t t = system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char text[64];
  std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return text;
}

TEST(RetryPolicyTest, RetriesTransientStatusesOnly) {
  for (long status : {408L, 409L, 425L, 429L, 500L, 502L, 503L, 504L, 529L, 599L})
    EXPECT_TRUE(RetryPolicy::retryable_status(status)) << status;
  for (long status : {200L, 301L, 400L, 401L, 403L, 404L, 413L, 422L, 499L, 600L})
    EXPECT_FALSE(RetryPolicy::retryable_status(status)) << status;
}

TEST(RetryPolicyTest, BackoffGrowsExponentiallyWithFullJitter) {
  RetryPolicy policy;
  policy.base_delay_s = 1.0;
  policy.max_delay_s = 60.0;
  for (int retry : {0, 1, 2, 3, 5}) {
    const double ceiling = std::min(60.0, 1.0 * (1 << retry));
    EXPECT_DOUBLE_EQ(policy.delay_s(retry, std::nullopt, 0.0), 0.0) << retry;
    EXPECT_NEAR(policy.delay_s(retry, std::nullopt, 0.999), 0.999 * ceiling, 1e-9) << retry;
    EXPECT_NEAR(policy.delay_s(retry, std::nullopt, 0.5), 0.5 * ceiling, 1e-9) << retry;
  }
}

TEST(RetryPolicyTest, BackoffIsCappedEvenForHugeRetryCounts) {
  RetryPolicy policy;
  policy.base_delay_s = 2.0;
  policy.max_delay_s = 10.0;
  EXPECT_NEAR(policy.delay_s(3, std::nullopt, 0.999), 0.999 * 10.0, 1e-9);  // 2 * 8 = 16 > 10
  EXPECT_NEAR(policy.delay_s(5000, std::nullopt, 0.999), 0.999 * 10.0, 1e-9);
  EXPECT_LE(policy.delay_s(5000, std::nullopt, 1.0), 10.0);
}

TEST(RetryPolicyTest, RetryAfterSecondsWinsOverBackoff) {
  RetryPolicy policy;
  EXPECT_DOUBLE_EQ(policy.delay_s(0, std::string("2"), 0.0), 2.0);
  EXPECT_DOUBLE_EQ(policy.delay_s(4, std::string(" 7 "), 0.9), 7.0);
  EXPECT_DOUBLE_EQ(policy.delay_s(0, std::string("0"), 0.9), 0.0);
}

TEST(RetryPolicyTest, RetryAfterIsClampedToTheMaximum) {
  RetryPolicy policy;
  policy.max_retry_after_s = 300.0;
  EXPECT_DOUBLE_EQ(policy.delay_s(0, std::string("86400"), 0.0), 300.0);
  EXPECT_DOUBLE_EQ(policy.delay_s(0, http_date(system_clock::now() + std::chrono::hours(2)), 0.0), 300.0);
}

TEST(RetryPolicyTest, GarbageRetryAfterFallsBackToBackoff) {
  RetryPolicy policy;
  policy.base_delay_s = 1.0;
  for (const char* garbage : {"soon", "-5", "1.5", "", "12abc", "Wed, 99 Foo 2026 07:28:00 GMT"})
    EXPECT_NEAR(policy.delay_s(2, std::string(garbage), 0.5), 2.0, 1e-9) << garbage;
}

TEST(RetryPolicyTest, ParsesDeltaSeconds) {
  const auto now = system_clock::now();
  EXPECT_EQ(parse_retry_after("120", now), 120.0);
  EXPECT_EQ(parse_retry_after("0", now), 0.0);
  EXPECT_EQ(parse_retry_after("-1", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("abc", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("", now), std::nullopt);
}

TEST(RetryPolicyTest, ParsesHttpDateRelativeToNow) {
  const auto now = system_clock::now();
  const auto in_five = parse_retry_after(http_date(now + std::chrono::seconds(5)), now);
  ASSERT_TRUE(in_five.has_value());
  // The date has whole seconds: up to one second is lost to truncation.
  EXPECT_GT(*in_five, 3.9);
  EXPECT_LE(*in_five, 5.0);

  const auto fixed = parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT",
                                       system_clock::from_time_t(1792567680 - 90));  // 07:26:30
  ASSERT_TRUE(fixed.has_value());
  EXPECT_DOUBLE_EQ(*fixed, 90.0);
}

TEST(RetryPolicyTest, PastHttpDateMeansNoWait) {
  const auto now = system_clock::now();
  EXPECT_EQ(parse_retry_after(http_date(now - std::chrono::hours(1)), now), 0.0);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), 0.0);
}

TEST(RetryPolicyTest, RejectsDatesThatAreNotImfFixdate) {
  const auto now = system_clock::now();
  EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now), std::nullopt);  // RFC 850
  EXPECT_EQ(parse_retry_after("Sun Nov  6 08:49:37 1994", now), std::nullopt);        // asctime
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 UTC", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 25:49:37 GMT", now), std::nullopt);
}

TEST(RetryPolicyTest, RealSleeperWaits) {
  const Sleeper sleep = real_sleeper();
  const auto start = std::chrono::steady_clock::now();
  sleep(0.02);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(20));
}

}  // namespace
}  // namespace kc::llm
