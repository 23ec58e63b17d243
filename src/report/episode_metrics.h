// The metrics of one set of episodes (a cell, a level, a platform, an agent, a whole run), as
// defined in docs/metrics.md "Leaderboards". infra_error episodes are counted but never enter a
// rate or a mean; sums (tokens, cost, wall time) count them, since the run spent them.
#pragma once

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "report_order.h"

namespace kc::report::detail {

inline bool is_infra_error(const agent::EpisodeRecord& record) { return record.status == "infra_error"; }

// Unbiased pass@k, 1 - C(n-c, k) / C(n, k), as the product 1 - prod_{i=n-c+1..n} (1 - k/i):
// no factorials, so no overflow or cancellation for large n. A cell left with fewer than k scored
// samples (infra errors) counts as solved exactly when one of them passed.
inline double pass_at_k(int n, int c, int k) {
  if (c == 0) return 0.0;
  if (n - c < k) return 1.0;
  double all_fail = 1.0;
  for (int i = n - c + 1; i <= n; ++i) all_fail *= 1.0 - static_cast<double>(k) / i;
  return 1.0 - all_fail;
}

inline nlohmann::json mean_or_null(double sum, std::size_t count) {
  return count == 0 ? nlohmann::json(nullptr) : nlohmann::json(sum / static_cast<double>(count));
}

inline nlohmann::json median_or_null(std::vector<double> values) {
  if (values.empty()) return nullptr;
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
}

// The thresholds of fast_p; keys in the JSON are these numbers as written here.
inline const std::vector<std::pair<std::string, double>>& fast_thresholds() {
  static const std::vector<std::pair<std::string, double>> thresholds{{"0", 0.0}, {"1", 1.0}, {"1.5", 1.5}, {"2", 2.0}};
  return thresholds;
}

// pass@k averaged over the (agent, platform, task, config) cells of `scored` that hold at least
// one scored episode. Only reported when a cell can hold more than one sample.
inline nlohmann::json pass_at_k_json(const Episodes& scored, int samples) {
  nlohmann::json out = nlohmann::json::object();
  if (samples <= 1) return out;
  std::map<std::tuple<std::string, std::string, std::string, std::string>, std::pair<int, int>> cells;
  for (const auto* e : scored) {
    auto& [n, c] = cells[{e->agent, e->platform, e->task, e->config}];
    ++n;
    c += e->passed() ? 1 : 0;
  }
  for (const int k : {1, samples}) {
    if (cells.empty()) {
      out[std::to_string(k)] = nullptr;
      continue;
    }
    double sum = 0;
    for (const auto& entry : cells) sum += pass_at_k(entry.second.first, entry.second.second, k);
    out[std::to_string(k)] = sum / static_cast<double>(cells.size());
  }
  return out;
}

inline nlohmann::json tokens_json(const Episodes& episodes, std::size_t divisor) {
  double system = 0, input = 0, cached = 0, reasoning = 0, output = 0;
  for (const auto* e : episodes) {
    system += static_cast<double>(e->tokens.system);
    input += static_cast<double>(e->tokens.input);
    cached += static_cast<double>(e->tokens.cached);
    reasoning += static_cast<double>(e->tokens.reasoning);
    output += static_cast<double>(e->tokens.output);
  }
  // cached is a part of the prompt tokens (system + input), so it is not added to the total.
  const double total = system + input + reasoning + output;
  if (divisor == 0) {
    return {{"system", nullptr}, {"input", nullptr},  {"cached", nullptr},
            {"reasoning", nullptr}, {"output", nullptr}, {"total", nullptr}};
  }
  const double d = static_cast<double>(divisor);
  return {{"system", system / d}, {"input", input / d},   {"cached", cached / d},
          {"reasoning", reasoning / d}, {"output", output / d}, {"total", total / d}};
}

inline nlohmann::json metrics_json(const Episodes& episodes, int samples) {
  Episodes scored;
  for (const auto* e : episodes)
    if (!is_infra_error(*e)) scored.push_back(e);
  std::size_t passed = 0, speedup_count = 0;
  double log_speedup_sum = 0;
  for (const auto* e : scored) {
    if (!e->passed()) continue;
    ++passed;
    if (e->speedup > 0 && std::isfinite(e->speedup)) {
      ++speedup_count;
      log_speedup_sum += std::log(e->speedup);
    }
  }

  nlohmann::json fast = nlohmann::json::object();
  for (const auto& [key, p] : fast_thresholds()) {
    std::size_t count = 0;
    for (const auto* e : scored) count += (e->passed() && e->speedup > p) ? 1 : 0;
    fast[key] = mean_or_null(static_cast<double>(count), scored.size());
  }

  std::vector<double> first_valid;
  for (const auto* e : scored)
    if (e->first_valid_turn) first_valid.push_back(*e->first_valid_turn);
  double first_valid_sum = 0;
  for (const double t : first_valid) first_valid_sum += t;

  double cost_all = 0, cost_scored = 0, wall_all = 0, wall_scored = 0;
  for (const auto* e : episodes) {
    cost_all += e->cost_usd;
    wall_all += e->wall_s;
    if (!is_infra_error(*e)) {
      cost_scored += e->cost_usd;
      wall_scored += e->wall_s;
    }
  }

  return {
      {"episodes", episodes.size()},
      {"scored", scored.size()},
      {"passed", passed},
      {"failed", scored.size() - passed},
      {"infra_errors", episodes.size() - scored.size()},
      {"success_rate", mean_or_null(static_cast<double>(passed), scored.size())},
      {"pass_at_k", pass_at_k_json(scored, samples)},
      {"fast_p", fast},
      {"geomean_speedup",
       speedup_count == 0 ? nlohmann::json(nullptr) : nlohmann::json(std::exp(log_speedup_sum / speedup_count))},
      {"speedup_episodes", speedup_count},
      {"turns_to_first_valid",
       {{"episodes", first_valid.size()},
        {"mean", mean_or_null(first_valid_sum, first_valid.size())},
        {"median", median_or_null(first_valid)}}},
      {"tokens_mean", tokens_json(scored, scored.size())},
      {"tokens_total", tokens_json(episodes, 1)},  // a divisor of 1 gives the sums
      {"cost_usd", {{"sum", cost_all}, {"mean", mean_or_null(cost_scored, scored.size())}}},
      {"wall_s", {{"sum", wall_all}, {"mean", mean_or_null(wall_scored, scored.size())}}},
  };
}

}  // namespace kc::report::detail
