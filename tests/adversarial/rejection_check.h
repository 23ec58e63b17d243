// The check every hostile kernel of every platform must pass: rejected with exactly its class,
// with a short message that names what went wrong, scored on every seed when it assembled.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernelcraft/core/seeds.h"
#include "kernelcraft/eval/evaluator.h"

namespace kc {

inline void expect_rejected_as(const EvalReport& report, const std::string& expected_class,
                               const std::vector<std::string>& message_mentions) {
  EXPECT_FALSE(report.passed);
  EXPECT_EQ(failure_class(report), expected_class);
  const std::string message = failure_message(report);
  for (const std::string& mention : message_mentions)
    EXPECT_NE(message.find(mention), std::string::npos) << "'" << mention << "' missing from: " << message;
  EXPECT_LT(message.size(), 600u) << message;  // one or two sentences, not a dump
  if (report.assembled) {
    EXPECT_EQ(report.seeds.size(), scoring_seeds().size());
  }
}

}  // namespace kc
