#include "run_progress.h"

#include <spdlog/spdlog.h>

#include <cmath>

namespace kc::cli {

std::string human_count(uint64_t value) {
  char text[32];
  if (value >= 1'000'000) std::snprintf(text, sizeof text, "%.1fM", value / 1e6);
  else if (value >= 1'000) std::snprintf(text, sizeof text, "%.1fk", value / 1e3);
  else std::snprintf(text, sizeof text, "%llu", static_cast<unsigned long long>(value));
  return text;
}

std::string human_duration(double seconds) {
  const long total = std::lround(std::max(0.0, seconds));
  char text[32];
  if (total >= 3600) std::snprintf(text, sizeof text, "%ldh%02ldm", total / 3600, total % 3600 / 60);
  else if (total >= 60) std::snprintf(text, sizeof text, "%ldm%02lds", total / 60, total % 60);
  else std::snprintf(text, sizeof text, "%lds", total);
  return text;
}

namespace {

uint64_t all_tokens(const agent::TokenTotals& t) { return t.system + t.input + t.reasoning + t.output; }

std::string eta(const run::RunProgress& p) {
  if (p.done == 0 || p.done >= p.total) return "";
  return " ETA " + human_duration(p.elapsed_s / static_cast<double>(p.done) * static_cast<double>(p.total - p.done));
}

}  // namespace

RunProgressDisplay::RunProgressDisplay(std::FILE* stream, bool terminal) : stream_(stream), terminal_(terminal) {}

std::string RunProgressDisplay::bar_line(const run::RunProgress& p, int width) {
  const int filled = p.total == 0 ? width : static_cast<int>(width * p.done / p.total);
  std::string bar = "[" + std::string(filled, '#') + std::string(width - filled, '.') + "]";
  char tail[200];
  std::snprintf(tail, sizeof tail, " %zu/%zu  pass %zu  fail %zu  infra %zu  tokens %s  $%.2f  %s%s", p.done, p.total,
                p.passed, p.failed, p.infra_errors, human_count(all_tokens(p.tokens)).c_str(), p.cost_usd,
                human_duration(p.elapsed_s).c_str(), eta(p).c_str());
  return bar + tail;
}

std::string RunProgressDisplay::episode_line(const run::RunProgress& p) {
  const agent::EpisodeRecord& r = *p.last;
  char speed[64] = "";
  if (r.status == "pass" && r.speedup > 0) std::snprintf(speed, sizeof speed, ", %.2fx", r.speedup);
  char text[512];
  std::snprintf(text, sizeof text, "[%zu/%zu] %s %s %s %s %s s%d: %s%s (%d turns, %.1f s)%s", p.done, p.total,
                r.agent.c_str(), r.platform.c_str(), r.task.c_str(), r.config.c_str(), r.preset.c_str(), r.sample,
                r.status.c_str(), speed, r.turns, r.wall_s, eta(p).c_str());
  return text;
}

void RunProgressDisplay::update(const run::RunProgress& progress) {
  if (!terminal_) {
    if (progress.last != nullptr) spdlog::info("{}", episode_line(progress));
    return;
  }
  std::fprintf(stream_, "\r\033[K%s", bar_line(progress, 30).c_str());
  std::fflush(stream_);
  drawn_ = true;
}

void RunProgressDisplay::finish() {
  if (terminal_ && drawn_) std::fputc('\n', stream_);
  drawn_ = false;
}

}  // namespace kc::cli
