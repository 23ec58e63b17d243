#include "kernelcraft/llm/transcript.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/llm/replay_provider.h"
#include "kernelcraft/llm/secrets.h"

namespace kc::llm {
namespace {

std::string temp_path(const std::string& name) {
  const auto dir = std::filesystem::path(::testing::TempDir()) /
                   ("kc_transcript_" + std::to_string(::getpid()) + "_" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

TEST(Transcript, EventsAreAppendedAsJsonLinesAndReadBack) {
  const std::string path = temp_path("t.jsonl");
  {
    TranscriptWriter writer(path);
    writer.write("episode_start", {{"task", "relu"}});
    writer.write("tool_result", {{"content", std::string("bad utf8 \xff here")}});
  }
  const auto events = read_transcript(path);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]["event"], "episode_start");
  EXPECT_EQ(events[0]["task"], "relu");
  EXPECT_TRUE(events[1].contains("t_ms"));
}

TEST(Transcript, SecretsNeverReachTheFile) {
  register_secret("sk-transcript-secret-42");
  const std::string path = temp_path("t.jsonl");
  {
    TranscriptWriter writer(path);
    writer.write("error", {{"message", "HTTP 401: key sk-transcript-secret-42 rejected"}});
  }
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find("sk-transcript-secret-42"), std::string::npos);
  EXPECT_NE(text.find("[redacted]"), std::string::npos);
}

TEST(Transcript, ATornLastLineIsIgnoredButCorruptionEarlierIsAnError) {
  const std::string path = temp_path("t.jsonl");
  std::ofstream(path) << "{\"event\":\"a\"}\n{\"event\":\"b\",\"x\":";
  EXPECT_EQ(read_transcript(path).size(), 1u);
  std::ofstream(path) << "{\"event\":\"a\"}\nnot json\n{\"event\":\"c\"}\n";
  try {
    read_transcript(path);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path + ":2:"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_transcript(temp_path("missing.jsonl")), InputError);
}

ChatRequest sample_request(const std::string& task) {
  return ChatRequest{"system", {Message{Role::User, task, "", {}, {}, nullptr}}, {}};
}

std::vector<nlohmann::json> recorded_turn(const ChatRequest& request, const std::string& reply_text) {
  ChatResponse response;
  response.message = Message{Role::Assistant, reply_text, "", {{"c1", "submit", "{}"}}, {}, nullptr};
  return {{{"event", "request"}, {"turn", 1}, {"request_hash", neutral_request_hash(request)}},
          {{"event", "response"}, {"turn", 1}, {"format", "neutral"}, {"response", to_json(response)}}};
}

TEST(ReplayProvider, ReturnsTheRecordedResponseForTheSameRequest) {
  const ChatRequest request = sample_request("relu");
  ReplayProvider replay(recorded_turn(request, "done"));
  const Exchange exchange = replay.complete(request);
  EXPECT_EQ(exchange.response.message.text, "done");
  ASSERT_EQ(exchange.response.message.tool_calls.size(), 1u);
  EXPECT_TRUE(exchange.from_cache);
  // Nothing recorded for a second turn: an error naming the turn, not a crash.
  try {
    replay.complete(request);
    FAIL();
  } catch (const ProviderError& e) {
    EXPECT_EQ(e.kind(), ProviderError::Kind::Replay);
    EXPECT_NE(std::string(e.what()).find("turn 2"), std::string::npos);
  }
}

TEST(ReplayProvider, ADifferentRequestIsADivergence) {
  ReplayProvider replay(recorded_turn(sample_request("relu"), "done"));
  try {
    replay.complete(sample_request("gelu"));
    FAIL();
  } catch (const ProviderError& e) {
    EXPECT_NE(std::string(e.what()).find("diverged at turn 1"), std::string::npos);
  }
}

}  // namespace
}  // namespace kc::llm
