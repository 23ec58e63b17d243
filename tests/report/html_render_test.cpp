// report.html in a real browser: headless Chromium parses it (--dump-dom) and paints it
// (--screenshot). Checks that the tables and the four plots survive HTML parsing with their
// elements, that a hostile task name stays text, and that the plots put colour on the page.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include <png.h>

#include <gtest/gtest.h>

#include "kernelcraft/report/report.h"

namespace kc::report {
namespace {

namespace fs = std::filesystem;
using agent::EpisodeRecord;

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr int kWidth = 1280, kHeight = 2400;

// Three agents of different strength on PLENA (8 tasks, 5 configurations, 2 samples) and a few
// CORAL tasks; one task name is an injection attempt.
ReportInput synthetic_input() {
  const std::vector<std::pair<std::string, int>> tasks{{"silu", 1},    {"gelu", 1},      {"softmax", 1},
                                                       {"gemm", 1},    {"linear", 1},    {"ffn", 2},
                                                       {"swiglu", 2},  {"<script>x</script>", 3}};
  const std::vector<std::string> agents{"gpt-like", "gemini-like", "weak-model"};
  ReportInput input;
  int n = 0;
  for (const char* platform : {"plena", "coral"}) {
    for (std::size_t t = 0; t < tasks.size(); ++t) {
      if (std::string(platform) == "coral" && t % 3 != 0) continue;
      for (std::size_t a = 0; a < agents.size(); ++a) {
        for (int c = 1; c <= 5; ++c) {
          for (int sample = 0; sample < 2; ++sample, ++n) {
            EpisodeRecord r;
            r.agent = agents[a];
            r.provider = "mock";
            r.model = agents[a];
            r.platform = platform;
            r.task = tasks[t].first;
            r.level = tasks[t].second;
            r.config = "C" + std::to_string(c);
            r.preset = "default";
            r.sample = sample;
            // Stronger agents, smaller configurations and lower levels pass more often.
            const int difficulty = static_cast<int>(a) * 3 + c + tasks[t].second * 2 + sample;
            r.status = n % 29 == 0 ? "infra_error" : difficulty < 8 ? "pass" : n % 7 == 0 ? "no_kernel" : "fail";
            r.speedup = r.status == "pass" ? 0.4 + 0.45 * ((n * 7) % 11) : 0;
            if (r.status == "pass" || r.status == "fail") r.first_valid_turn = 1 + (n % 9);
            r.turns = 12;
            r.tokens = {40000 + 1000 * a, 150000 + 20000 * a, 90000, a == 0 ? 60000u : 0u, 25000, 12, 0};
            r.cost_usd = 0.05 + 0.1 * static_cast<double>(a);
            r.wall_s = 30 + n % 17;
            if (r.status != "pass") r.failure = "hidden seed 7919: elements do not match";
            input.episodes.push_back(r);
          }
        }
      }
    }
  }
  input.runs.push_back({{"run_id", "render-test"}});
  input.run_directories.push_back("results/render-test");
  return input;
}

struct Outcome {
  int status = -1;
  bool timed_out = false;
};

// Runs argv with stdout/stderr into files, in its own process group so that on timeout the
// browser and every helper process it started are killed, and nothing else.
Outcome run_with_timeout(const std::vector<std::string>& argv, const fs::path& out, const fs::path& err,
                         std::chrono::seconds limit) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return {};
  if (pid == 0) {
    ::setpgid(0, 0);
    const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out_fd < 0 || err_fd < 0) ::_exit(126);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also here, so the group exists before any kill below
  std::promise<int> exited;
  std::future<int> status = exited.get_future();
  std::thread waiter([pid, &exited] {
    int s = 0;
    while (::waitpid(pid, &s, 0) < 0 && errno == EINTR) {
    }
    exited.set_value(s);
  });
  Outcome outcome;
  if (status.wait_for(limit) == std::future_status::timeout) {
    outcome.timed_out = true;
    ::kill(-pid, SIGKILL);
  }
  waiter.join();
  outcome.status = status.get();
  ::kill(-pid, SIGKILL);  // helpers the browser left behind in its group, if any
  return outcome;
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

// The markup of the element <svg id="id">…</svg> in the serialised DOM.
std::string svg_element(const std::string& dom, const std::string& id) {
  const std::size_t start = dom.find("<svg id=\"" + id + "\"");
  if (start == std::string::npos) return "";
  const std::size_t end = dom.find("</svg>", start);
  return end == std::string::npos ? "" : dom.substr(start, end - start);
}

struct Rgba {
  std::vector<unsigned char> pixels;
  unsigned width = 0, height = 0;
  std::string error;
};

Rgba read_png(const fs::path& path) {
  Rgba out;
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&image, path.c_str())) {
    out.error = image.message;
    return out;
  }
  image.format = PNG_FORMAT_RGBA;
  out.pixels.resize(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, out.pixels.data(), 0, nullptr)) {
    out.error = image.message;
    png_image_free(&image);
    return out;
  }
  out.width = image.width;
  out.height = image.height;
  return out;
}

// Pixels within `tolerance` of a colour ("#rrggbb"), and the topmost row holding one.
std::pair<std::size_t, long> colour_pixels(const Rgba& image, const std::string& hex, int tolerance = 6) {
  const int r = std::stoi(hex.substr(1, 2), nullptr, 16), g = std::stoi(hex.substr(3, 2), nullptr, 16),
            b = std::stoi(hex.substr(5, 2), nullptr, 16);
  std::size_t n = 0;
  long top = -1;
  for (std::size_t i = 0; i + 3 < image.pixels.size(); i += 4) {
    if (std::abs(image.pixels[i] - r) <= tolerance && std::abs(image.pixels[i + 1] - g) <= tolerance &&
        std::abs(image.pixels[i + 2] - b) <= tolerance) {
      ++n;
      if (top < 0) top = static_cast<long>(i / 4 / image.width);
    }
  }
  return {n, top};
}

class HtmlRender : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kChromium))
      GTEST_FAIL() << kChromium << " not found: the render test needs headless Chromium; run "
                   << "`scripts/install-deps.sh --tests` to install it";
    dir_ = fs::path(::testing::TempDir()) / ("kc_report_render_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    write_report(synthetic_input(), (dir_ / "report").string());
    html_ = dir_ / "report" / "report.html";
  }
  void TearDown() override {
    if (!std::getenv("KC_KEEP_RENDER")) fs::remove_all(dir_);  // set it to look at the files
  }

  Outcome chromium(const std::vector<std::string>& extra, const std::string& name) {
    std::vector<std::string> argv{kChromium,
                                  "--headless",
                                  "--no-sandbox",
                                  "--disable-gpu",
                                  "--disable-dev-shm-usage",
                                  "--no-first-run",
                                  "--no-default-browser-check",
                                  "--disable-extensions",
                                  "--disable-breakpad",
                                  "--disable-crash-reporter",
                                  "--hide-scrollbars",
                                  "--force-color-profile=srgb",
                                  "--user-data-dir=" + (dir_ / ("profile-" + name)).string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back("file://" + fs::absolute(html_).string());
    return run_with_timeout(argv, dir_ / (name + ".out"), dir_ / (name + ".err"), std::chrono::seconds(60));
  }

  fs::path dir_, html_;
};

TEST_F(HtmlRender, DomHoldsTheTablesAndTheFourPlots) {
  const Outcome run = chromium({"--dump-dom"}, "dom");
  ASSERT_FALSE(run.timed_out) << "chromium --dump-dom took over 60 s";
  ASSERT_TRUE(WIFEXITED(run.status) && WEXITSTATUS(run.status) == 0) << read(dir_ / "dom.err");
  const std::string dom = read(dir_ / "dom.out");
  ASSERT_GT(dom.size(), 1000u) << read(dir_ / "dom.err");

  for (const char* table : {"success-plena", "speedup-plena", "success-coral", "speedup-coral", "agents-results",
                            "agents-tokens"})
    EXPECT_NE(dom.find(std::string("<table id=\"") + table + "\""), std::string::npos) << table;
  // 8 tasks + 3 level totals + the overall total on PLENA.
  const std::size_t start = dom.find("<table id=\"success-plena\"");
  const std::string success = dom.substr(start, dom.find("</table>", start) - start);
  EXPECT_EQ(count(success, "<tr"), 1u + 8 + 3 + 1);

  struct Expected {
    const char* id;
    std::size_t rects, texts, lines;
  };
  // Heat map: 11 task rows x 3 agents cells (+ legend), labels and values, no axes; speedup: a
  // bar per passing configuration, axes, grid and the 1x line; turns: a bar and a median tick
  // per agent; tokens: 4 segments + cached per agent.
  for (const Expected& e : {Expected{"plot-success-heatmap", 33, 33 + 11 + 3, 0}, Expected{"plot-speedup", 40, 20, 8},
                            Expected{"plot-turns", 3, 3 + 3, 2 + 3}, Expected{"plot-tokens", 15, 3 + 3, 2}}) {
    const std::string svg = svg_element(dom, e.id);
    ASSERT_FALSE(svg.empty()) << e.id << " missing from the DOM";
    EXPECT_GE(count(svg, "<rect"), e.rects) << e.id;
    EXPECT_GE(count(svg, "<text"), e.texts) << e.id;
    EXPECT_GE(count(svg, "<line") + count(svg, "<path"), e.lines) << e.id << ": axes or marks missing";
    EXPECT_NE(svg.find("<title"), std::string::npos) << e.id << ": no accessible title";
  }
  EXPECT_NE(svg_element(dom, "plot-speedup").find("1× = baseline"), std::string::npos);
  EXPECT_NE(svg_element(dom, "plot-speedup").find(">✗<"), std::string::npos);
  EXPECT_NE(svg_element(dom, "plot-success-heatmap").find(">5/5<"), std::string::npos);
  // The task called "<script>x</script>" is text: the parsed page has no script element at all.
  EXPECT_EQ(dom.find("<script"), std::string::npos);
  EXPECT_NE(dom.find("&lt;script&gt;x&lt;/script&gt;"), std::string::npos);
}

TEST_F(HtmlRender, ScreenshotShowsThePlotColours) {
  const fs::path png = dir_ / "page.png";
  const Outcome run = chromium({"--screenshot=" + png.string(),
                                "--window-size=" + std::to_string(kWidth) + "," + std::to_string(kHeight)},
                               "shot");
  ASSERT_FALSE(run.timed_out) << "chromium --screenshot took over 60 s";
  ASSERT_TRUE(WIFEXITED(run.status) && WEXITSTATUS(run.status) == 0) << read(dir_ / "shot.err");
  ASSERT_TRUE(fs::exists(png)) << read(dir_ / "shot.err");
  const Rgba image = read_png(png);
  ASSERT_TRUE(image.error.empty()) << image.error;
  EXPECT_EQ(image.width, static_cast<unsigned>(kWidth));
  EXPECT_EQ(image.height, static_cast<unsigned>(kHeight));

  std::size_t non_white = 0;
  for (std::size_t i = 0; i + 3 < image.pixels.size(); i += 4)
    non_white += (image.pixels[i] < 235 || image.pixels[i + 1] < 235 || image.pixels[i + 2] < 235) ? 1 : 0;
  const double share = static_cast<double>(non_white) / (static_cast<double>(image.width) * image.height);
  EXPECT_GT(share, 0.05) << "the page is almost blank";

  // Each plot paints a colour of its own: the heat map's solved and unsolved ends, the speedup
  // plot's "< 1x" bars, the turns/tokens blue and the tokens plot's reasoning segments.
  const auto solved = colour_pixels(image, "#1a9850");
  const auto unsolved = colour_pixels(image, "#d73027");
  const auto slower = colour_pixels(image, "#e8a33d");
  const auto blue = colour_pixels(image, "#4c78a8");
  const auto reasoning = colour_pixels(image, "#f58518");
  EXPECT_GT(solved.first, 1000u) << "heat map: no fully solved cells painted";
  EXPECT_GT(unsolved.first, 1000u) << "heat map: no unsolved cells painted";
  EXPECT_GT(slower.first, 100u) << "speedup plot: no < 1x bars painted";
  EXPECT_GT(blue.first, 1000u) << "turns/tokens plots: no bars painted";
  EXPECT_GT(reasoning.first, 100u) << "tokens plot: no reasoning segments painted";
  // The plots come in page order: heat map, speedup, then turns and tokens.
  EXPECT_LT(solved.second, slower.second);
  EXPECT_LT(slower.second, reasoning.second);
}

}  // namespace
}  // namespace kc::report
