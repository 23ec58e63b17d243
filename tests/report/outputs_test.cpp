// The report files: markdown tables, CSV that parses back, JUnit counts, a self-contained and
// escaped HTML page, write_report's five files, and loading run folders.
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <unistd.h>

#include <gtest/gtest.h>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/report/report.h"
#include "kernelcraft/run/results_store.h"

namespace kc::report {
namespace {

namespace fs = std::filesystem;
using agent::EpisodeRecord;
using nlohmann::json;

EpisodeRecord episode(const std::string& agent, const std::string& task, int level, const std::string& config,
                      const std::string& status, double speedup = 0) {
  EpisodeRecord r;
  r.agent = agent;
  r.provider = "mock";
  r.model = agent + "-model";
  r.platform = "plena";
  r.task = task;
  r.level = level;
  r.config = config;
  r.preset = "default";
  r.status = status;
  r.end = status == "infra_error" ? "infra_error" : "submitted";
  r.speedup = speedup;
  r.cycles = 1000;
  if (speedup > 0) r.baseline_cycles = static_cast<uint64_t>(1000 * speedup);
  r.tokens = {200, 3000, 100, 50, 450, 4, 0};
  r.cost_usd = 0.0125;
  r.wall_s = 12.5;
  if (status == "fail") r.failure = "hidden seed 7919: 46.3% of elements do not match";
  if (status == "infra_error") r.failure = "HTTP 503 after 5 retries";
  return r;
}

// Two agents on PLENA: silu (L1) solved 2/5 by "alpha", 0/5 by "beta"; ffn (L2) 1/5 by alpha.
ReportInput sample_input() {
  ReportInput input;
  const std::vector<std::string> configs{"C1", "C2", "C3", "C4", "C5"};
  for (std::size_t i = 0; i < configs.size(); ++i) {
    input.episodes.push_back(episode("alpha", "silu", 1, configs[i], i < 2 ? "pass" : "fail", i == 0 ? 1.23 : 0.92));
    input.episodes.push_back(episode("beta", "silu", 1, configs[i], i == 4 ? "no_kernel" : "fail"));
    input.episodes.push_back(episode("alpha", "ffn", 2, configs[i], i == 2 ? "pass" : "fail", 2.5));
  }
  input.episodes.push_back(episode("beta", "ffn", 2, "C1", "infra_error"));
  input.runs.push_back({{"run_id", "nightly-42"}});
  input.run_directories.push_back("results/nightly-42");
  return input;
}

std::string unique_dir(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) /
                       ("kc_report_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir.string();
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// An RFC 4180 reader, written from the RFC's grammar, to check the writer against.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    std::string& field = rows.back().back();
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().emplace_back();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;
      rows.emplace_back(1);
    } else {
      field += c;
    }
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}

TEST(ReportOutputs, MarkdownHasTheSuccessSpeedupAndAgentTables) {
  const ReportInput input = sample_input();
  const std::string md = leaderboard_markdown(input, summarize(input));
  EXPECT_NE(md.find("# KernelCraft leaderboard: nightly-42"), std::string::npos);
  EXPECT_NE(md.find("## Platform plena"), std::string::npos);
  EXPECT_NE(md.find("| Level | Task | alpha | beta |"), std::string::npos) << md;
  EXPECT_NE(md.find("| L1 | silu | 2/5 | 0/5 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| **L1 total** |  | **2/5** | **0/5** |"), std::string::npos) << md;
  // beta's only ffn episode was an infra error: nothing scored, so no x/y at all.
  EXPECT_NE(md.find("| L2 | ffn | 1/5 | – |"), std::string::npos) << md;
  EXPECT_NE(md.find("| **Total** |  | **3/10** | **0/5** |"), std::string::npos) << md;
  // Best of agents per configuration: silu C1 1.23 by alpha, C3..C5 failed by everyone.
  EXPECT_NE(md.find("| Task | C1 | C2 | C3 | C4 | C5 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| silu | 1.23× (alpha) | 0.92× (alpha) | ✗ | ✗ | ✗ |"), std::string::npos) << md;
  EXPECT_NE(md.find("| ffn | ✗ | ✗ | 2.50× (alpha) | ✗ | ✗ |"), std::string::npos) << md;
  EXPECT_NE(md.find("≥2×: 1, 1–2×: 1, <1×: 1, failed: 7"), std::string::npos) << md;
  // Agent rows: alpha 10 episodes, 3 passed -> 30.0%; tokens per run 200/3.0k/100/50/400.
  EXPECT_NE(md.find("| alpha | 10 | 3 | 0 | 30.0% |"), std::string::npos) << md;
  EXPECT_NE(md.find("| beta | 6 | 0 | 1 | 0.0% |"), std::string::npos) << md;
  EXPECT_NE(md.find("| alpha | 200 | 3.0k | 100 | 50 | 450 | 3.7k | $0.1250 | $0.0125 | 125.0 s | 12.5 s |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("1 episode ended in `infra_error`"), std::string::npos) << md;
}

TEST(ReportOutputs, MarkdownEscapesTableBreakingNames) {
  ReportInput input = sample_input();
  input.episodes[0].task = "a|b<i>";
  const std::string md = leaderboard_markdown(input, summarize(input));
  EXPECT_NE(md.find("a\\|b&lt;i&gt;"), std::string::npos);
  EXPECT_EQ(md.find("<i>"), std::string::npos);
}

TEST(ReportOutputs, CsvHasEveryFieldAndParsesBack) {
  ReportInput input = sample_input();
  input.episodes[3].failure = "mismatch at (0, 1), expected \"1.5\"\nsecond line";
  input.episodes[4].agent = "agent,with comma";
  const std::string csv = results_csv(input);
  const auto rows = parse_csv(csv);
  ASSERT_EQ(rows.size(), input.episodes.size() + 1);
  const auto& header = rows[0];
  // Every field of the record, tokens flattened.
  const json record = agent::to_json(input.episodes[0]);
  for (const auto& [key, value] : record.items()) {
    if (key == "schema") continue;
    if (value.is_object()) {
      for (const auto& [inner, ignored] : value.items())
        EXPECT_NE(std::find(header.begin(), header.end(), key + "_" + inner), header.end()) << key << "_" << inner;
    } else {
      EXPECT_NE(std::find(header.begin(), header.end(), key), header.end()) << key;
    }
  }
  const auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  for (const auto& row : rows) ASSERT_EQ(row.size(), header.size());
  EXPECT_EQ(rows[4][column("failure")], input.episodes[3].failure);
  EXPECT_EQ(rows[5][column("agent")], "agent,with comma");
  EXPECT_EQ(rows[1][column("tokens_input")], "3000");
  EXPECT_EQ(rows[1][column("speedup")], "1.23");
  EXPECT_EQ(rows[2][column("baseline_cycles")], "");  // null
  EXPECT_EQ(rows[1][column("status")], "pass");
  EXPECT_NE(csv.find("\"mismatch at (0, 1), expected \"\"1.5\"\"\nsecond line\""), std::string::npos);
  EXPECT_EQ(csv.substr(csv.size() - 2), "\r\n");
}

TEST(ReportOutputs, JunitCountsFailuresAndErrorsPerAgentAndPlatform) {
  ReportInput input = sample_input();
  input.episodes[1].failure = "kernel <bad> & \"worse\"";
  const std::string xml = junit_xml(input);
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 0), 0u);
  EXPECT_NE(xml.find("<testsuites name=\"kernelcraft\" tests=\"16\" failures=\"12\" errors=\"1\""), std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testsuite name=\"alpha.plena\" tests=\"10\" failures=\"7\" errors=\"0\""), std::string::npos);
  EXPECT_NE(xml.find("<testsuite name=\"beta.plena\" tests=\"6\" failures=\"5\" errors=\"1\""), std::string::npos);
  EXPECT_EQ(count(xml, "<testcase "), 16u);
  EXPECT_EQ(count(xml, "<failure "), 12u);
  EXPECT_EQ(count(xml, "<error "), 1u);
  EXPECT_NE(xml.find("<testcase classname=\"alpha.plena.silu\" name=\"C1.default.s0\" time=\"12.500\"/>"),
            std::string::npos);
  EXPECT_NE(xml.find("message=\"kernel &lt;bad&gt; &amp; &quot;worse&quot;\" type=\"fail\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<error message=\"HTTP 503 after 5 retries\" type=\"infra_error\">"), std::string::npos);
  EXPECT_NE(xml.find("<failure message=\"no kernel was written\" type=\"no_kernel\">"), std::string::npos);
  EXPECT_EQ(xml.find("<bad>"), std::string::npos);
}

TEST(ReportOutputs, HtmlIsSelfContainedAndEscapesNames) {
  ReportInput input = sample_input();
  for (auto& e : input.episodes)
    if (e.task == "ffn") e.task = "<script>x</script>";
  input.episodes[0].agent = "al\"pha' <b>";
  const std::string html = report_html(input, summarize(input));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  // No resource or link leaves the file.
  const std::regex external(R"re((src|href)\s*=\s*["']?\s*(https?:)?//)re", std::regex::icase);
  EXPECT_FALSE(std::regex_search(html, external));
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;x&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("al&quot;pha&#39; &lt;b&gt;"), std::string::npos);
  for (const char* id : {"id=\"plot-success-heatmap\"", "id=\"plot-speedup\"", "id=\"plot-turns\"",
                         "id=\"plot-tokens\"", "id=\"success-plena\"", "id=\"speedup-plena\"",
                         "id=\"agents-results\"", "id=\"agents-tokens\""})
    EXPECT_EQ(count(html, id), 1u) << id;
}

TEST(ReportOutputs, HtmlWithoutEpisodesStillRenders) {
  const ReportInput empty;
  const std::string html = report_html(empty, summarize(empty));
  EXPECT_NE(html.find("id=\"plot-speedup\""), std::string::npos);
  EXPECT_NE(html.find("no episodes to plot"), std::string::npos);
}

TEST(ReportOutputs, WriteReportWritesFiveFilesAtomically) {
  const ReportInput input = sample_input();
  const std::string dir = unique_dir("write") + "/nested/report";
  for (int round = 0; round < 2; ++round) {  // the second round replaces the first
    const auto written = write_report(input, dir);
    ASSERT_EQ(written.size(), 5u);
    std::set<std::string> names;
    for (const auto& path : written) {
      EXPECT_GT(fs::file_size(path), 100u) << path;
      names.insert(fs::path(path).filename().string());
    }
    EXPECT_EQ(names, (std::set<std::string>{"leaderboard.md", "report.html", "results.csv", "summary.json",
                                            "junit.xml"}));
    std::size_t entries = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
      ++entries;
      EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << entry.path();
    }
    EXPECT_EQ(entries, 5u);
  }
  EXPECT_EQ(json::parse(read(fs::path(dir) / "summary.json")), summarize(input));
  EXPECT_EQ(read(fs::path(dir) / "results.csv"), results_csv(input));
  fs::remove_all(fs::path(dir).parent_path().parent_path());
}

TEST(ReportOutputs, WriteReportIntoAFileFailsWithTheFolderNamed) {
  const std::string dir = unique_dir("blocked");
  fs::create_directories(dir);
  std::ofstream(fs::path(dir) / "file") << "x";
  try {
    write_report(sample_input(), (fs::path(dir) / "file").string());
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("file"), std::string::npos) << error.what();
  }
  fs::remove_all(dir);
}

TEST(ReportOutputs, LoadReportInputReadsRunFoldersInOrder) {
  const std::string root = unique_dir("load");
  const ReportInput sample = sample_input();
  for (const char* id : {"run-1", "run-2"}) {
    run::ResultsStore store = run::ResultsStore::create(root + "/" + id, {{"run_id", id}});
    for (std::size_t i = 0; i < 4; ++i) {
      EpisodeRecord r = sample.episodes[i];
      r.preset = id;  // distinct keys per run
      store.append(r);
    }
  }
  const ReportInput input = load_report_input({root + "/run-2", root + "/run-1"});
  ASSERT_EQ(input.episodes.size(), 8u);
  EXPECT_EQ(input.episodes.front().preset, "run-2");
  EXPECT_EQ(input.episodes.back().preset, "run-1");
  ASSERT_EQ(input.runs.size(), 2u);
  EXPECT_EQ(input.runs[0].at("run_id"), "run-2");
  EXPECT_EQ(input.run_directories[1], root + "/run-1");
  EXPECT_EQ(summarize(input).at("runs")[0].at("id"), "run-2");

  for (const std::string& bad : {root + "/missing", root}) {
    try {
      load_report_input({bad});
      FAIL() << "expected InputError for " << bad;
    } catch (const InputError& error) {
      EXPECT_NE(std::string(error.what()).find(bad), std::string::npos) << error.what();
    }
  }
  EXPECT_THROW(load_report_input({}), InputError);
  fs::remove_all(root);
}

}  // namespace
}  // namespace kc::report
