#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "kernelcraft/agent/tool.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/seeds.h"
#include "kernelcraft/platform/plena_platform.h"

namespace kc::agent {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const PlenaPlatform& plena() {
  static const PlenaPlatform platform(KC_SOURCE_DIR);
  return platform;
}

std::shared_ptr<const TaskSpec> suite_task(const std::string& name) {
  static const auto suite = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  return find_task(suite, name);
}

// A fresh folder per test (tests run in parallel).
std::string temp_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return (fs::path(::testing::TempDir()) /
          ("kc_tools_" + std::string(info->name()) + "_" + std::to_string(getpid())))
      .string();
}

// ReLU C1 (x [8 x 128] in HBM -> y in Vector SRAM): loads x into y's place without the max, so
// y = x and every clearly negative element is a mismatch.
std::string copy_kernel(const Evaluator& ev) {
  return "S_LUI_INT gp1, " + std::to_string(ev.layout().setting("scale_reg") >> 12) + "\n" +
         "C_SET_SCALE_REG gp1\n"
         "C_SET_ADDR_REG a0, gp0, gp0\n"
         "S_ADDI_INT gp1, gp0, 128\n"
         "C_SET_STRIDE_REG gp1\n"
         "S_ADDI_INT gp2, gp0, 0\n"
         "S_ADDI_INT gp3, gp0, 0\n"
         "C_LOOP_START gp4, 2\n"
         "  C_LOOP_START gp5, 2\n"
         "    H_PREFETCH_V gp2, gp3, a0, 1, 0\n"
         "    S_ADDI_INT gp2, gp2, 256\n"
         "    S_ADDI_INT gp3, gp3, 512\n"
         "  C_LOOP_END gp5\n"
         "  S_ADDI_INT gp3, gp3, -960\n"
         "C_LOOP_END gp4\n";
}

const char* kBrokenSyntax = "S_ADDI_INT gp1, gp0, 1\nNOT_AN_OP gp1\n";

class ToolsTest : public ::testing::Test {
 protected:
  explicit ToolsTest(const std::string& task = "relu")
      : evaluator_(plena(), suite_task(task), "C1", "default"),
        context_{plena(), evaluator_, plena().docs()},
        toolbox_(standard_toolbox()) {
    context_.turn = 3;
  }

  llm::ToolResult call_raw(const std::string& name, const std::string& arguments) {
    return toolbox_.call(llm::ToolCall{"id_" + name, name, arguments}, context_);
  }
  llm::ToolResult call(const std::string& name, const json& arguments = json::object()) {
    return call_raw(name, arguments.dump());
  }
  // Calls a tool that must succeed and returns its JSON answer.
  json ok(const std::string& name, const json& arguments = json::object()) {
    const llm::ToolResult result = call(name, arguments);
    EXPECT_FALSE(result.is_error) << name << ": " << result.content;
    EXPECT_EQ(result.call_id, "id_" + name);
    EXPECT_EQ(result.name, name);
    return json::parse(result.content);
  }

  Evaluator evaluator_;
  ToolContext context_;
  Toolbox toolbox_;
};

class SoftmaxToolsTest : public ToolsTest {
 protected:
  SoftmaxToolsTest() : ToolsTest("softmax") {}
};

// ---------------------------------------------------------------------------------------------
// write_code

TEST_F(ToolsTest, WriteCodeKeepsVersionsInMemoryWithoutAFolder) {
  json first = ok("write_code", {{"code", "S_ADDI_INT gp1, gp0, 1\nS_ADDI_INT gp2, gp0, 2\n"}});
  EXPECT_EQ(first["version"], 1);
  EXPECT_EQ(first["path"], "kernel_v1.asm");
  EXPECT_EQ(first["lines"], 2);
  EXPECT_EQ(first["bytes"], 46);
  json second = ok("write_code", {{"code", "S_ADDI_INT gp1, gp0, 3"}});
  EXPECT_EQ(second["version"], 2);
  EXPECT_EQ(second["lines"], 1);
  EXPECT_EQ(context_.kernel.version, 2);
  EXPECT_EQ(context_.kernel.source, "S_ADDI_INT gp1, gp0, 3");
  EXPECT_EQ(context_.kernel.path, "");
}

TEST_F(ToolsTest, WriteCodeSavesEveryVersionAsAFile) {
  const std::string dir = temp_dir() + "/nested/kernels";  // created on first use
  context_.kernel.directory = dir;
  ok("write_code", {{"code", "first\n"}});
  json second = ok("write_code", {{"code", "second\n"}});
  EXPECT_EQ(second["version"], 2);
  // The agent sees the version's file name only: harness folders stay hidden, and the result is
  // the same whichever folder the episode writes to (replays and caches rely on that).
  EXPECT_EQ(second["path"], "kernel_v2.asm");
  EXPECT_EQ(second.dump().find(dir), std::string::npos);
  EXPECT_EQ(context_.kernel.path, dir + "/kernel_v2.asm");
  auto read = [](const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  EXPECT_EQ(read(dir + "/kernel_v1.asm"), "first\n");
  EXPECT_EQ(read(dir + "/kernel_v2.asm"), "second\n");
  fs::remove_all(temp_dir());
}

TEST_F(ToolsTest, WriteCodeReportsAFolderItCannotCreate) {
  const std::string file = temp_dir() + "_file";
  std::ofstream(file) << "not a folder";
  context_.kernel.directory = file + "/kernels";
  const llm::ToolResult result = call("write_code", {{"code", "x"}});
  EXPECT_TRUE(result.is_error);
  EXPECT_NE(result.content.find("write_code failed: cannot create the kernel folder"), std::string::npos)
      << result.content;
  EXPECT_EQ(context_.kernel.version, 0);
  fs::remove(file);
}

TEST_F(ToolsTest, CodeArgumentsOverAMillionCharactersAreRefused) {
  const std::string huge(1'000'001, ';');
  for (const char* name : {"write_code", "check_syntax", "run_eval", "submit"}) {
    const llm::ToolResult result = call(name, {{"code", huge}});
    EXPECT_TRUE(result.is_error) << name;
    EXPECT_EQ(result.content, std::string(name) + ": field 'code' must be at most 1000000 characters (it has 1000001)");
  }
  EXPECT_EQ(context_.kernel.version, 0);
  EXPECT_FALSE(context_.submitted);
  EXPECT_FALSE(call("write_code", {{"code", std::string(1'000'000, ';')}}).is_error);
}

TEST_F(ToolsTest, WriteCodeRequiresCode) {
  const llm::ToolResult result = call("write_code");
  EXPECT_TRUE(result.is_error);
  EXPECT_EQ(result.content, "write_code: missing required field 'code'");
}

// ---------------------------------------------------------------------------------------------
// check_syntax

TEST_F(ToolsTest, CheckSyntaxAcceptsTheBaseline) {
  const std::string source = evaluator_.baseline_source();
  json result = ok("check_syntax", {{"code", source}});
  EXPECT_EQ(result["ok"], true);
  EXPECT_EQ(result["errors"], 0);
  EXPECT_EQ(result["instructions"], plena().assemble(source, "default").program->instruction_count());
  EXPECT_EQ(context_.kernel.version, 1);  // the code argument was saved first
}

TEST_F(ToolsTest, CheckSyntaxReportsAnErrorWithItsLineAsANormalResult) {
  ok("write_code", {{"code", kBrokenSyntax}});
  const llm::ToolResult raw = call("check_syntax");
  EXPECT_FALSE(raw.is_error);  // the tool worked; the kernel is wrong
  json result = json::parse(raw.content);
  EXPECT_EQ(result["ok"], false);
  EXPECT_GE(result["errors"].get<int>(), 1);
  EXPECT_FALSE(result.contains("instructions"));
  ASSERT_FALSE(result["diagnostics"].empty());
  EXPECT_EQ(result["diagnostics"][0]["severity"], "error");
  EXPECT_EQ(result["diagnostics"][0]["line"], 2);
  EXPECT_FALSE(result["diagnostics"][0]["message"].get<std::string>().empty());
}

TEST_F(ToolsTest, CheckSyntaxCutsLongDiagnosticLists) {
  std::string source;
  for (int i = 0; i < 30; ++i) source += "NOT_AN_OP\n";
  json result = ok("check_syntax", {{"code", source}});
  EXPECT_EQ(result["diagnostics"].size(), 20u);
  EXPECT_EQ(result["more_diagnostics"], result["errors"].get<int>() + result["warnings"].get<int>() - 20);
}

TEST_F(ToolsTest, ToolsThatNeedAKernelSayWhenThereIsNone) {
  for (const char* name : {"check_syntax", "run_eval", "get_instruction_size", "submit"}) {
    const llm::ToolResult result = call(name);
    EXPECT_TRUE(result.is_error) << name;
    EXPECT_EQ(result.content, "no kernel yet: call write_code first") << name;
  }
  EXPECT_FALSE(context_.submitted);
  EXPECT_EQ(context_.eval_calls, 0);
}

// ---------------------------------------------------------------------------------------------
// run_eval

TEST_F(ToolsTest, RunEvalPassesTheBaselineAndRecordsTheReport) {
  ok("write_code", {{"code", evaluator_.baseline_source()}});
  json result = ok("run_eval");
  EXPECT_EQ(result["passed"], true);
  EXPECT_EQ(result["assembled"], true);
  EXPECT_GT(result["cycles"].get<uint64_t>(), 0u);
  EXPECT_GT(result["instructions"].get<uint64_t>(), 0u);
  EXPECT_GT(result["roofline_cycles"].get<double>(), 0);
  EXPECT_GT(result["sol_percent"].get<double>(), 0);
  EXPECT_FALSE(result.contains("trap"));
  ASSERT_EQ(result["outputs"].size(), 1u);
  EXPECT_EQ(result["outputs"][0]["tensor"], "y");
  EXPECT_EQ(result["outputs"][0]["elements"], 8 * 128);
  EXPECT_EQ(result["outputs"][0]["mismatches"], 0);
  EXPECT_NE(result["note"].get<std::string>().find("hidden"), std::string::npos);

  ASSERT_TRUE(context_.last_eval.has_value());
  EXPECT_EQ(context_.last_eval->seeds.size(), 1u);
  EXPECT_EQ(context_.last_eval->seeds[0].seed, kVisibleSeed);
  EXPECT_EQ(context_.last_eval->cycles, result["cycles"].get<uint64_t>());
  EXPECT_EQ(context_.eval_calls, 1);
  EXPECT_EQ(context_.first_valid_turn, 3);
}

TEST_F(ToolsTest, RunEvalLocatesTheMismatchesOfAWrongKernel) {
  json result = ok("run_eval", {{"code", copy_kernel(evaluator_)}});
  EXPECT_EQ(result["passed"], false);
  EXPECT_EQ(result["assembled"], true);
  const json& y = result["outputs"][0];
  EXPECT_GT(y["mismatches"].get<int>(), 0);
  EXPECT_LT(y["mismatches"].get<int>(), 8 * 128);
  EXPECT_NEAR(y["mismatch_percent"].get<double>(), 100.0 * y["mismatches"].get<double>() / 1024, 1e-3);
  ASSERT_EQ(y["first_mismatches"].size(), 5u);
  for (const json& m : y["first_mismatches"]) {
    EXPECT_EQ(m["coords"].size(), 2u);
    EXPECT_EQ(m["expected"], 0.0);  // relu of a negative input
    EXPECT_LT(m["actual"].get<double>(), 0.0);
  }
  EXPECT_EQ(context_.kernel.version, 1);
  EXPECT_EQ(context_.eval_calls, 1);
  EXPECT_FALSE(context_.first_valid_turn.has_value());
}

TEST_F(ToolsTest, RunEvalGivesDiagnosticsForAKernelThatDoesNotAssemble) {
  json result = ok("run_eval", {{"code", kBrokenSyntax}});
  EXPECT_EQ(result["passed"], false);
  EXPECT_EQ(result["assembled"], false);
  ASSERT_FALSE(result["diagnostics"].empty());
  EXPECT_EQ(result["diagnostics"][0]["line"], 2);
  EXPECT_FALSE(result.contains("cycles"));
}

TEST_F(ToolsTest, NoResultRevealsTheBaselineCycles) {
  // A kernel other than the baseline, so the baseline's cycle count can only leak by mistake.
  const std::string copy = copy_kernel(evaluator_);
  std::string everything = call("run_eval", {{"code", copy}}).content + call("view_output").content +
                           call("get_instruction_size").content + call("check_syntax").content;
  EXPECT_EQ(everything.find("baseline"), std::string::npos) << everything;
  EXPECT_EQ(everything.find("speedup"), std::string::npos) << everything;
  const EvalReport scored = evaluator_.evaluate(copy);  // what the harness computes, with baseline
  ASSERT_TRUE(scored.baseline_cycles.has_value());
  EXPECT_NE(*scored.baseline_cycles, scored.cycles);
  EXPECT_EQ(everything.find("\"cycles\":" + std::to_string(*scored.baseline_cycles)), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// view_output

TEST_F(ToolsTest, ViewOutputNeedsARunThatProducedOutputs) {
  llm::ToolResult result = call("view_output");
  EXPECT_TRUE(result.is_error);
  EXPECT_NE(result.content.find("run run_eval first"), std::string::npos);
  ok("run_eval", {{"code", kBrokenSyntax}});  // assembly fails: nothing ran
  result = call("view_output");
  EXPECT_TRUE(result.is_error);
  EXPECT_NE(result.content.find("run run_eval first"), std::string::npos);
}

TEST_F(ToolsTest, ViewOutputOfTheBaselineMatchesTheGoldenRowByRow) {
  ok("run_eval", {{"code", evaluator_.baseline_source()}});
  json view = ok("view_output");
  EXPECT_EQ(view["tensor"], "y");
  EXPECT_EQ(view["overall"]["rows"], 8);
  EXPECT_EQ(view["overall"]["cols"], 128);
  EXPECT_EQ(view["overall"]["nan"], 0);
  EXPECT_EQ(view["overall"]["mse"], 0.0);
  const std::vector<float>& golden = evaluator_.seed_data(kVisibleSeed).golden[0];
  ASSERT_EQ(view["rows"].size(), 8u);
  for (std::size_t r = 0; r < 8; ++r) {
    const json& row = view["rows"][r];
    EXPECT_EQ(row["row"], r);
    EXPECT_EQ(row["sim_first4"], row["golden_first4"]);
    EXPECT_EQ(row["sim_last4"], row["golden_last4"]);
    EXPECT_EQ(row["mismatches"], 0);
    EXPECT_EQ(row["mse"], 0.0);
    EXPECT_NEAR(row["golden_first4"][0].get<double>(), golden[r * 128], 1e-5 * (1 + std::fabs(golden[r * 128])));
    EXPECT_NEAR(row["golden_last4"][3].get<double>(), golden[r * 128 + 127], 1e-5 * (1 + std::fabs(golden[r * 128 + 127])));
    float lo = golden[r * 128], hi = lo;
    for (int c = 0; c < 128; ++c) lo = std::min(lo, golden[r * 128 + c]), hi = std::max(hi, golden[r * 128 + c]);
    EXPECT_NEAR(row["sim_min"].get<double>(), lo, 1e-5);
    EXPECT_NEAR(row["sim_max"].get<double>(), hi, 1e-5 * (1 + hi));
    EXPECT_EQ(lo, 0.0f);  // relu output
  }
}

TEST_F(ToolsTest, ViewOutputPutsAWrongKernelsMismatchesInTheRightRows) {
  json run = ok("run_eval", {{"code", copy_kernel(evaluator_)}});
  json view = ok("view_output", {{"start_row", 0}, {"num_rows", 8}});
  // Independent count: y = x, golden = max(x, 0), so element j of row r fails when x is below
  // -atol * rms(golden).
  const std::vector<float>& x = evaluator_.seed_data(kVisibleSeed).stored[0];
  const double floor = evaluator_.instance().tolerance_for("bf16").atol * context_.last_eval->seeds[0].outputs[0].golden_rms;
  int64_t total = 0;
  for (int r = 0; r < 8; ++r) {
    int64_t expected = 0;
    for (int c = 0; c < 128; ++c) expected += x[r * 128 + c] < -floor;
    EXPECT_EQ(view["rows"][r]["mismatches"], expected) << "row " << r;
    EXPECT_GT(view["rows"][r]["max_abs_error"].get<double>(), 0.0);
    EXPECT_LT(view["rows"][r]["sim_min"].get<double>(), 0.0);
    total += view["rows"][r]["mismatches"].get<int64_t>();
  }
  EXPECT_EQ(total, run["outputs"][0]["mismatches"].get<int64_t>());
  EXPECT_GT(view["overall"]["mse"].get<double>(), 0.0);
}

TEST_F(ToolsTest, ViewOutputShowsTheRequestedRowsOnly) {
  ok("run_eval", {{"code", evaluator_.baseline_source()}});
  json view = ok("view_output", {{"tensor", "y"}, {"start_row", 6}, {"num_rows", 5}});
  ASSERT_EQ(view["rows"].size(), 2u);  // rows 6 and 7 exist
  EXPECT_EQ(view["rows"][0]["row"], 6);
  EXPECT_EQ(view["rows"][1]["row"], 7);
  view = ok("view_output", {{"num_rows", 3}});
  EXPECT_EQ(view["rows"].size(), 3u);
}

TEST_F(ToolsTest, ViewOutputRejectsUnknownTensorsAndRowsPastTheEnd) {
  ok("run_eval", {{"code", evaluator_.baseline_source()}});
  llm::ToolResult result = call("view_output", {{"tensor", "x"}});
  EXPECT_TRUE(result.is_error);
  EXPECT_EQ(result.content, "unknown output tensor 'x'; outputs are: y");
  result = call("view_output", {{"start_row", 8}});
  EXPECT_TRUE(result.is_error);
  EXPECT_NE(result.content.find("has 8 rows"), std::string::npos) << result.content;
  result = call("view_output", {{"num_rows", 33}});
  EXPECT_TRUE(result.is_error);
  EXPECT_EQ(result.content, "view_output: field 'num_rows' must be <= 32");
  result = call("view_output", {{"start_row", -1}});
  EXPECT_TRUE(result.is_error);
  EXPECT_EQ(result.content, "view_output: field 'start_row' must be >= 0");
}

TEST_F(SoftmaxToolsTest, RunEvalAndViewOutputAgreeOnTheSoftmaxBaseline) {
  json run = ok("run_eval", {{"code", evaluator_.baseline_source()}});
  EXPECT_EQ(run["passed"], true);
  const std::string output = run["outputs"][0]["tensor"];
  json view = ok("view_output", {{"num_rows", 32}});
  EXPECT_EQ(view["tensor"], output);
  const int64_t rows = view["overall"]["rows"], cols = view["overall"]["cols"];
  ASSERT_EQ(static_cast<int64_t>(view["rows"].size()), std::min<int64_t>(rows, 32));
  const std::vector<float>& golden = evaluator_.seed_data(kVisibleSeed).golden[0];
  for (const json& row : view["rows"]) {
    EXPECT_EQ(row["mismatches"], 0);
    // A softmax row sums to one, so its mean is 1 / cols.
    EXPECT_NEAR(row["sim_mean"].get<double>(), 1.0 / static_cast<double>(cols), 0.05 / static_cast<double>(cols));
    const int64_t r = row["row"];
    EXPECT_NEAR(row["golden_first4"][0].get<double>(), golden[r * cols], 1e-6);
    EXPECT_NEAR(row["sim_first4"][0].get<double>(), row["golden_first4"][0].get<double>(),
                0.05 * row["golden_first4"][0].get<double>() + 1e-4);
  }
}

// ---------------------------------------------------------------------------------------------
// get_instruction_size

TEST_F(ToolsTest, GetInstructionSizeCountsLikeTheAssembler) {
  const std::string source = evaluator_.baseline_source();
  json size = ok("get_instruction_size", {{"code", source}});
  const auto program = plena().assemble(source, "default").program;
  ASSERT_TRUE(program);
  EXPECT_EQ(size["ok"], true);
  EXPECT_EQ(size["total"], program->instruction_count());
  uint64_t sum = 0;
  for (const auto& [name, count] : program->instruction_classes()) {
    if (name == "total") continue;  // reported once, at the top
    EXPECT_EQ(size["classes"][name], count) << name;
    sum += count;
  }
  EXPECT_FALSE(size["classes"].contains("total"));
  EXPECT_GE(size["classes"].size(), 2u);  // the baseline uses several units
  EXPECT_EQ(sum, size["total"].get<uint64_t>());
}

TEST_F(ToolsTest, GetInstructionSizeGivesDiagnosticsWhenTheKernelDoesNotAssemble) {
  json size = ok("get_instruction_size", {{"code", kBrokenSyntax}});
  EXPECT_EQ(size["ok"], false);
  EXPECT_FALSE(size.contains("total"));
  EXPECT_EQ(size["diagnostics"][0]["line"], 2);
}

// ---------------------------------------------------------------------------------------------
// grep_docs / read_docs

std::vector<std::string> section_lines(const std::string& id) {
  for (const DocSection& s : plena().docs())
    if (s.id == id) {
      std::vector<std::string> lines;
      std::istringstream in(s.text);
      for (std::string line; std::getline(in, line);) lines.push_back(line);
      return lines;
    }
  return {};
}

TEST_F(ToolsTest, GrepDocsFindsAnInstructionWithSectionAndLine) {
  json found = ok("grep_docs", {{"pattern", "M_MM"}, {"max_matches", 50}});
  ASSERT_GT(found["shown"].get<int>(), 0);
  EXPECT_GE(found["total"].get<int>(), found["shown"].get<int>());
  bool in_matrix_section = false;
  for (const json& m : found["matches"]) {
    const auto lines = section_lines(m["section"]);
    const int line = m["line"];
    ASSERT_GE(line, 1);
    ASSERT_LE(line, static_cast<int>(lines.size()));
    EXPECT_NE(lines[line - 1].find("M_MM"), std::string::npos) << m.dump();
    EXPECT_LE(m["text"].get<std::string>().size(), 200u);
    in_matrix_section = in_matrix_section || m["section"] == "02-matrix";
  }
  EXPECT_TRUE(in_matrix_section);
  // Case-insensitive: the lower-case pattern finds the same lines.
  EXPECT_EQ(ok("grep_docs", {{"pattern", "m_mm"}})["total"], found["total"]);
}

TEST_F(ToolsTest, GrepDocsLimitsTheListButCountsEveryMatch) {
  json found = ok("grep_docs", {{"pattern", "M_MM"}, {"max_matches", 2}});
  EXPECT_EQ(found["shown"], 2);
  EXPECT_EQ(found["matches"].size(), 2u);
  EXPECT_GT(found["total"].get<int>(), 2);
  json none = ok("grep_docs", {{"pattern", "no such words anywhere 12345"}});
  EXPECT_EQ(none["total"], 0);
  EXPECT_TRUE(none["matches"].empty());
}

TEST_F(ToolsTest, GrepDocsRejectsABadPatternNamingIt) {
  llm::ToolResult result = call("grep_docs", {{"pattern", "M_(MM"}});
  EXPECT_TRUE(result.is_error);
  EXPECT_NE(result.content.find("invalid regular expression 'M_(MM'"), std::string::npos) << result.content;
  result = call("grep_docs", {{"pattern", std::string(201, 'a')}});
  EXPECT_TRUE(result.is_error);
  EXPECT_EQ(result.content, "grep_docs: field 'pattern' must be at most 200 characters (it has 201)");
  result = call("grep_docs", {{"pattern", "x"}, {"max_matches", 51}});
  EXPECT_TRUE(result.is_error);
}

TEST_F(ToolsTest, ReadDocsWithoutASectionListsTheContents) {
  json toc = ok("read_docs");
  const auto docs = plena().docs();
  ASSERT_EQ(toc["sections"].size(), docs.size());
  for (std::size_t i = 0; i < docs.size(); ++i) {
    EXPECT_EQ(toc["sections"][i]["section"], docs[i].id);
    EXPECT_EQ(toc["sections"][i]["title"], docs[i].title);
    EXPECT_EQ(toc["sections"][i]["lines"], section_lines(docs[i].id).size());
  }
}

TEST_F(ToolsTest, ReadDocsReturnsTheRequestedSlice) {
  const auto lines = section_lines("02-matrix");
  json slice = ok("read_docs", {{"section", "02-matrix"}, {"start_line", 3}, {"max_lines", 5}});
  EXPECT_EQ(slice["section"], "02-matrix");
  EXPECT_EQ(slice["start_line"], 3);
  EXPECT_EQ(slice["end_line"], 7);
  EXPECT_EQ(slice["total_lines"], lines.size());
  std::string expected;
  for (int i = 2; i < 7; ++i) expected += lines[i] + "\n";
  EXPECT_EQ(slice["text"], expected);
  // The last lines: the slice stops at the end of the section.
  slice = ok("read_docs", {{"section", "02-matrix"}, {"start_line", lines.size()}});
  EXPECT_EQ(slice["end_line"], lines.size());
}

TEST_F(ToolsTest, ReadDocsFindsASectionByItsTitleIgnoringCase) {
  const DocSection section = plena().docs().at(2);
  std::string shouted = section.title;
  for (char& c : shouted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  json slice = ok("read_docs", {{"section", shouted}, {"max_lines", 1}});
  EXPECT_EQ(slice["section"], section.id);
  EXPECT_EQ(slice["title"], section.title);
}

TEST_F(ToolsTest, ReadDocsRejectsUnknownSectionsAndLinesPastTheEnd) {
  llm::ToolResult result = call("read_docs", {{"section", "99-nothing"}});
  EXPECT_TRUE(result.is_error);
  EXPECT_NE(result.content.find("unknown section '99-nothing'; sections are: 00-overview"), std::string::npos)
      << result.content;
  result = call("read_docs", {{"section", "02-matrix"}, {"start_line", 100000}});
  EXPECT_TRUE(result.is_error);
  EXPECT_NE(result.content.find("lines"), std::string::npos);
  result = call("read_docs", {{"section", "02-matrix"}, {"max_lines", 401}});
  EXPECT_EQ(result.content, "read_docs: field 'max_lines' must be <= 400");
}

// ---------------------------------------------------------------------------------------------
// submit

TEST_F(ToolsTest, SubmitMarksTheContextWithTheCurrentKernel) {
  ok("write_code", {{"code", "first"}});
  ok("write_code", {{"code", "second"}});
  json result = ok("submit");
  EXPECT_EQ(result["submitted"], true);
  EXPECT_EQ(result["version"], 2);
  EXPECT_TRUE(context_.submitted);
  EXPECT_EQ(context_.submitted_source, "second");
}

TEST_F(ToolsTest, SubmitWithCodeSavesItFirst) {
  json result = ok("submit", {{"code", "final kernel"}});
  EXPECT_EQ(result["version"], 1);
  EXPECT_TRUE(context_.submitted);
  EXPECT_EQ(context_.submitted_source, "final kernel");
  EXPECT_EQ(context_.kernel.source, "final kernel");
}

// ---------------------------------------------------------------------------------------------
// Toolbox

TEST_F(ToolsTest, TheStandardToolboxOffersTheEightToolsInOrder) {
  std::vector<std::string> names;
  for (const llm::ToolSchema& s : toolbox_.schemas()) {
    names.push_back(s.name);
    EXPECT_FALSE(s.description.empty()) << s.name;
    EXPECT_EQ(s.parameters["type"], "object") << s.name;
    EXPECT_EQ(s.parameters["additionalProperties"], false) << s.name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"write_code", "check_syntax", "run_eval", "view_output",
                                             "get_instruction_size", "grep_docs", "read_docs", "submit"}));
  EXPECT_EQ(toolbox_.max_result_chars(), 12000u);
}

TEST_F(ToolsTest, ToolboxNamesAnUnknownToolAndListsTheRealOnes) {
  const llm::ToolResult result = call("compile");
  EXPECT_TRUE(result.is_error);
  EXPECT_EQ(result.content,
            "unknown tool 'compile'; tools are: write_code, check_syntax, run_eval, view_output, "
            "get_instruction_size, grep_docs, read_docs, submit");
  EXPECT_EQ(result.call_id, "id_compile");
}

TEST_F(ToolsTest, ToolboxReportsArgumentsThatAreNotJsonObjects) {
  llm::ToolResult result = call_raw("write_code", "{\"code\": ");
  EXPECT_TRUE(result.is_error);
  EXPECT_EQ(result.content.rfind("arguments of write_code are not valid JSON: ", 0), 0u) << result.content;
  result = call_raw("write_code", "[1, 2]");
  EXPECT_TRUE(result.is_error);
  EXPECT_EQ(result.content, "arguments of write_code must be a JSON object, not array");
}

TEST_F(ToolsTest, ToolboxTreatsEmptyArgumentsAndNullFieldsAsOmitted) {
  EXPECT_FALSE(call_raw("read_docs", "").is_error);
  EXPECT_FALSE(call_raw("read_docs", "  ").is_error);
  json toc = json::parse(call_raw("read_docs", R"({"section": null})").content);
  EXPECT_TRUE(toc.contains("sections"));
  EXPECT_EQ(call_raw("write_code", R"({"code": null})").content, "write_code: missing required field 'code'");
}

TEST_F(ToolsTest, ToolboxReportsSchemaViolationsNamingTheTool) {
  const llm::ToolResult result = call("grep_docs", {{"pattern", "x"}, {"color", true}});
  EXPECT_TRUE(result.is_error);
  EXPECT_EQ(result.content, "grep_docs: unknown field 'color' (allowed: max_matches, pattern)");
}

TEST_F(ToolsTest, ToolboxCutsLongResultsWithANote) {
  Toolbox small = standard_toolbox(100);
  const llm::ToolResult full = call("read_docs", {{"section", "02-matrix"}});
  const llm::ToolResult cut =
      small.call(llm::ToolCall{"c1", "read_docs", json{{"section", "02-matrix"}}.dump()}, context_);
  EXPECT_FALSE(cut.is_error);
  const std::string note = "\n[truncated: " + std::to_string(full.content.size() - 100) + " more characters; ask for less]";
  EXPECT_EQ(cut.content, full.content.substr(0, 100) + note);
}

class ThrowingTool : public Tool {
 public:
  explicit ThrowingTool(bool input_error) : input_error_(input_error) {
    schema_ = {input_error ? "bad_input" : "crash", "throws", json{{"type", "object"}}};
  }
  const llm::ToolSchema& schema() const override { return schema_; }
  ToolOutcome run(const json&, ToolContext&) override {
    if (input_error_) throw InputError("file x.json: field 'y' is missing");
    throw std::runtime_error("out of cheese");
  }

 private:
  bool input_error_;
  llm::ToolSchema schema_;
};

TEST_F(ToolsTest, ToolboxTurnsThrownErrorsIntoToolErrors) {
  Toolbox box;
  box.add(std::make_unique<ThrowingTool>(true));
  box.add(std::make_unique<ThrowingTool>(false));
  llm::ToolResult result = box.call({"1", "bad_input", "{}"}, context_);
  EXPECT_TRUE(result.is_error);
  EXPECT_EQ(result.content, "bad_input failed: file x.json: field 'y' is missing");
  result = box.call({"2", "crash", ""}, context_);
  EXPECT_TRUE(result.is_error);
  EXPECT_EQ(result.content, "crash failed: out of cheese");
  EXPECT_EQ(result.call_id, "2");
}

}  // namespace
}  // namespace kc::agent
