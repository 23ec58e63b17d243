// Abuse of tool arguments through the real toolbox (standard_toolbox on ReLU C1): oversized
// code, absurdly nested JSON, invalid UTF-8, path traversal, catastrophic regular expressions,
// huge row numbers, unknown tools. Each must come back as a readable tool error or a bounded
// normal result; none may crash, hang or leak anything outside the documentation.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kernelcraft/agent/tool.h"
#include "kernelcraft/platform/plena_platform.h"

namespace kc::agent {
namespace {

using nlohmann::json;

const PlenaPlatform& plena() {
  static const PlenaPlatform platform(KC_SOURCE_DIR);
  return platform;
}

std::shared_ptr<const TaskSpec> suite_task(const std::string& name) {
  static const auto suite = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  return find_task(suite, name);
}

// Tool results go back to an LLM API as JSON strings: they must be valid UTF-8, which is what
// nlohmann's strict dump checks.
bool valid_utf8(const std::string& text) {
  try {
    (void)json(text).dump();
    return true;
  } catch (const json::type_error&) {
    return false;
  }
}

class ToolAbuse : public ::testing::Test {
 protected:
  ToolAbuse()
      : evaluator_(plena(), suite_task("relu"), "C1", "default"),
        context_{plena(), evaluator_, plena().docs()},
        toolbox_(standard_toolbox()) {
    context_.turn = 1;
  }

  // Every answer, error or not, is bounded and valid UTF-8, whatever went in.
  llm::ToolResult call_raw(const std::string& name, const std::string& arguments) {
    llm::ToolResult result = toolbox_.call(llm::ToolCall{"id", name, arguments}, context_);
    EXPECT_LE(result.content.size(), toolbox_.max_result_chars() + 200) << name;
    EXPECT_TRUE(valid_utf8(result.content)) << name;
    EXPECT_FALSE(result.content.empty()) << name;
    return result;
  }
  llm::ToolResult call(const std::string& name, const json& arguments) { return call_raw(name, arguments.dump()); }

  // A tool error whose text contains `mention`.
  void expect_error(const llm::ToolResult& result, const std::string& mention) {
    EXPECT_TRUE(result.is_error) << result.content;
    EXPECT_NE(result.content.find(mention), std::string::npos) << "'" << mention << "' missing from: " << result.content;
  }

  Evaluator evaluator_;
  ToolContext context_;
  Toolbox toolbox_;
};

TEST_F(ToolAbuse, CodeOverTheSizeLimitIsRefusedAndNotSaved) {
  const std::string huge(2'000'000, ';');
  for (const char* tool : {"write_code", "run_eval", "check_syntax", "submit"})
    expect_error(call(tool, {{"code", huge}}), "at most 1000000 characters");
  EXPECT_EQ(context_.kernel.version, 0);
  EXPECT_FALSE(context_.submitted);
}

TEST_F(ToolAbuse, DeeplyNestedArgumentsAreRefusedWithoutRecursing) {
  const std::string deep_array(100'000, '[');
  expect_error(call_raw("run_eval", deep_array), "nest");
  expect_error(call_raw("write_code", "{\"code\": " + deep_array + std::string(100'000, ']') + "}"), "nest");
  std::string deep_object;
  for (int i = 0; i < 100'000; ++i) deep_object += "{\"a\":";
  expect_error(call_raw("grep_docs", deep_object), "nest");
  // Brackets inside strings are text, not nesting: a kernel full of them is an ordinary argument.
  const llm::ToolResult text = call("write_code", {{"code", "; " + std::string(10'000, '[')}});
  EXPECT_FALSE(text.is_error) << text.content;
  // Nesting a flat schema does not use is still refused by the schema check, readably.
  expect_error(call_raw("grep_docs", R"({"pattern": [["x"]]})"), "pattern");
}

TEST_F(ToolAbuse, InvalidUtf8AndNulCharactersInCodeComeBackReadably) {
  // Raw invalid bytes inside the JSON text: the arguments are not valid JSON.
  expect_error(call_raw("run_eval", "{\"code\": \"S_ADDI_INT gp1, gp0, 1\\n\xff\xfe\xc3\"}"), "not valid JSON");
  // A lone surrogate escape is not a character either.
  expect_error(call_raw("write_code", R"({"code": "V_ADD_VV \ud800 gp1"})"), "not valid JSON");
  // Valid JSON whose code holds a NUL and control characters: the assembler reports it.
  const llm::ToolResult result = call("run_eval", {{"code", std::string("S_ADDI_INT gp1, gp0, 1\n\x01\x02") +
                                                               std::string(1, '\0') + "\x7f garbage\n"}});
  EXPECT_FALSE(result.is_error) << result.content;
  const json answer = json::parse(result.content);
  EXPECT_EQ(answer["assembled"], false);
  EXPECT_EQ(answer["failure"]["class"], "assembly_error");
  EXPECT_NE(answer["failure"]["message"].get<std::string>().find("line 2"), std::string::npos) << result.content;
}

// run_eval names the rejection class and says what to fix; a passing kernel gets no "failure".
TEST_F(ToolAbuse, RunEvalClassifiesAFailureForTheAgent) {
  json answer = json::parse(call("run_eval", {{"code", "S_ADDI_INT gp1, gp0, 3\nV_MAX_VF gp1, gp1, f0, 0\n"}}).content);
  EXPECT_EQ(answer["passed"], false);
  EXPECT_EQ(answer["failure"]["class"], "trap:misaligned_address");
  EXPECT_NE(answer["failure"]["message"].get<std::string>().find("visible seed 1"), std::string::npos);
  EXPECT_NE(answer["failure"]["message"].get<std::string>().find("line 2"), std::string::npos);
  answer = json::parse(call("run_eval", {{"code", evaluator_.baseline_source()}}).content);
  EXPECT_EQ(answer["passed"], true);
  EXPECT_FALSE(answer.contains("failure"));
}

TEST_F(ToolAbuse, ReadDocsCannotEscapeTheDocumentation) {
  for (const char* section : {"../../etc/passwd", "/etc/passwd", "../../../../../../etc/shadow", "..", "README",
                              "00-overview/../../../CMakeLists.txt"}) {
    const llm::ToolResult result = call("read_docs", {{"section", section}});
    expect_error(result, "unknown section");
    EXPECT_EQ(result.content.find("root:"), std::string::npos);
    EXPECT_EQ(result.content.find("cmake_minimum_required"), std::string::npos);
  }
}

TEST_F(ToolAbuse, CatastrophicRegularExpressionsAnswerPromptly) {
  // Each of these takes exponential time or recursion depth in a backtracking matcher; returning
  // at all (this test has no timer) is the check, plus a sane answer.
  const std::vector<std::string> patterns = {
      "(a*)*b", "(.*)*x", "((a|aa)+)+", "(x+x+)+y", "(a|a)*b", "(.*a){12}", "([a-z]+)*[0-9]{3}$",
      std::string(60, '(') + "a*" + std::string(60, ')') + "*b",           // deep nesting, near the 200 limit
      "(" + std::string(190, '.') + ")*!",                                   // a long pattern
      "((((.*)*)*)*)*(((((.*)*)*)*)*)*zz",
  };
  for (const std::string& pattern : patterns) {
    ASSERT_LE(pattern.size(), 200u);
    const llm::ToolResult result = call("grep_docs", {{"pattern", pattern}});
    ASSERT_FALSE(result.is_error) << pattern << ": " << result.content;
    const json answer = json::parse(result.content);
    EXPECT_GE(answer["total"].get<int>(), answer["shown"].get<int>()) << pattern;
  }
  // Sanity: the POSIX engine still finds things, case-insensitively, with ERE alternation.
  EXPECT_GT(json::parse(call("grep_docs", {{"pattern", "m_mm|v_add_vv"}}).content)["total"].get<int>(), 0);
}

TEST_F(ToolAbuse, PatternsThatWouldExplodeAreRefusedWithAReason) {
  expect_error(call("grep_docs", {{"pattern", "(a)\\1"}}), "back-references");
  expect_error(call("grep_docs", {{"pattern", "(a*)*\\9b"}}), "back-references");
  expect_error(call("grep_docs", {{"pattern", "(((a{100}){100}){100})"}}), "repetition bounds");
  expect_error(call("grep_docs", {{"pattern", ".{1000}{1000}"}}), "repetition bounds");
  expect_error(call("grep_docs", {{"pattern", "M_(MM"}}), "invalid regular expression 'M_(MM'");
  expect_error(call("grep_docs", {{"pattern", std::string("M_MM\0x", 6)}}), "NUL");
  expect_error(call("grep_docs", {{"pattern", std::string(5000, 'a')}}), "at most 200 characters");
  // Escaped digits inside a bracket expression are literal, and intervals of sane size are fine.
  EXPECT_FALSE(call("grep_docs", {{"pattern", "gp[0-9]{1,2}"}}).is_error);
}

TEST_F(ToolAbuse, ViewOutputWithHugeRowNumbersIsRefused) {
  ASSERT_FALSE(call("run_eval", {{"code", evaluator_.baseline_source()}}).is_error);
  expect_error(call("view_output", {{"num_rows", 1'000'000'000'000LL}}), "num_rows");
  expect_error(call("view_output", {{"start_row", 9'000'000'000'000'000'000ULL}}), "has 8 rows");
  expect_error(call("view_output", {{"start_row", 1e300}}), "start_row");
  expect_error(call("view_output", {{"start_row", -9'000'000'000'000'000'000.0}}), "start_row");
  expect_error(call_raw("view_output", R"({"start_row": 1e99999})"), "not valid JSON");
}

TEST_F(ToolAbuse, UnknownToolsAndJunkArgumentsAreNamed) {
  expect_error(call("rm_rf", json::object()), "unknown tool 'rm_rf'");
  expect_error(call(std::string(100'000, 'x'), json::object()), "unknown tool");
  expect_error(call("grep_docs", {{"pattern", "x"}, {"junk", std::vector<int>(100'000, 1)}}), "junk");
  expect_error(call_raw("submit", "{\"code\": \"x\"} trailing"), "not valid JSON");
  EXPECT_FALSE(context_.submitted);
}

}  // namespace
}  // namespace kc::agent
