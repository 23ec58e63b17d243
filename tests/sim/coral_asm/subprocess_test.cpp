// run_child: the child's ending is reported as it happened, a hung child is killed on time,
// and a child that ignores its input never blocks the caller.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "subprocess.h"

namespace coral::assembler {
namespace {

ChildOutcome shell(const std::string& script, const std::string& input = "", ChildLimits limits = {}) {
  return run_child("/bin/sh", {"-c", script}, input, limits);
}

TEST(CoralSubprocess, PassesInputAndCollectsBothStreams) {
  const ChildOutcome outcome = shell("cat; echo oops >&2", "hello\nworld\n");
  EXPECT_TRUE(outcome.exited_cleanly()) << outcome.describe();
  EXPECT_EQ(outcome.out, "hello\nworld\n");
  EXPECT_EQ(outcome.err, "oops\n");
}

TEST(CoralSubprocess, ReportsExitCodesAndSignals) {
  const ChildOutcome code = shell("exit 3");
  EXPECT_EQ(code.exit_code, 3);
  EXPECT_FALSE(code.exited_cleanly());
  EXPECT_EQ(code.describe(), "exited with code 3");
  const ChildOutcome killed = shell("kill -ABRT $$");
  EXPECT_EQ(killed.signal, 6);
  EXPECT_FALSE(killed.exited_cleanly());
  EXPECT_NE(killed.describe().find("signal 6"), std::string::npos) << killed.describe();
}

TEST(CoralSubprocess, HungChildIsKilledAtTheWallLimit) {
  ChildLimits limits;
  limits.wall_seconds = 1;
  const auto start = std::chrono::steady_clock::now();
  const ChildOutcome outcome = shell("sleep 30", "", limits);
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(outcome.timed_out);
  EXPECT_EQ(outcome.signal, 9);
  EXPECT_LT(waited, std::chrono::seconds(10));
}

TEST(CoralSubprocess, ChildIgnoringALargeInputDoesNotBlockTheCaller) {
  const ChildOutcome outcome = shell("exit 0", std::string(8u << 20, 'x'));
  EXPECT_TRUE(outcome.exited_cleanly()) << outcome.describe();
}

TEST(CoralSubprocess, OversizedOutputIsAFailureNotATruncation) {
  ChildLimits limits;
  limits.max_stdout_bytes = 1000;
  const ChildOutcome outcome = shell("head -c 100000 /dev/zero", "", limits);
  EXPECT_TRUE(outcome.output_too_large);
  EXPECT_FALSE(outcome.exited_cleanly());
}

TEST(CoralSubprocess, MissingExecutableIsReportedNotThrown) {
  const ChildOutcome outcome = run_child("/nonexistent/tool", {}, "", {});
  EXPECT_FALSE(outcome.started);
  EXPECT_NE(outcome.describe().find("/nonexistent/tool"), std::string::npos) << outcome.describe();
}

}  // namespace
}  // namespace coral::assembler
