// Live progress of a run: a redrawn bar on a terminal, one log line per episode otherwise.
#pragma once

#include <cstdio>
#include <string>

#include "kernelcraft/run/run_executor.h"

namespace kc::cli {

class RunProgressDisplay {
 public:
  // `terminal`: redraw one status line on `stream`; otherwise log each finished episode.
  RunProgressDisplay(std::FILE* stream, bool terminal);
  void update(const run::RunProgress& progress);
  void finish();

  static std::string bar_line(const run::RunProgress& progress, int width);
  static std::string episode_line(const run::RunProgress& progress);

 private:
  std::FILE* stream_;
  bool terminal_;
  bool drawn_ = false;
};

std::string human_count(uint64_t value);  // 1234567 -> "1.2M"
std::string human_duration(double seconds);  // 130 -> "2m10s"

}  // namespace kc::cli
