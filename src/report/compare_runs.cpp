// The regression gate CI runs on agent prompts: metrics of a candidate run against a base run,
// checked against "<metric><op><number>" thresholds (docs/metrics.md "Comparing runs").
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <limits>
#include <map>
#include <sstream>
#include <tuple>

#include "episode_metrics.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/report/report.h"
#include "report_text.h"

namespace kc::report {
namespace {

using nlohmann::json;

struct Threshold {
  std::string text, metric, op;
  double limit = 0;
};

// One compared metric: its value (what thresholds test) and the base/new numbers behind it.
struct Measure {
  std::string name;
  double value = 0;
  std::string base, candidate;
  bool integer = false;
};

const std::vector<std::string>& metric_names() {
  static const std::vector<std::string> names{"success_rate_drop", "geomean_speedup_drop", "new_failures",
                                              "infra_errors", "cost_increase"};
  return names;
}

std::string known_metrics_text() {
  std::string out;
  for (const auto& name : metric_names()) out += (out.empty() ? "" : ", ") + name;
  return out;
}

Threshold parse_threshold(const std::string& text) {
  std::string compact;
  for (const char ch : text)
    if (ch != ' ' && ch != '\t') compact += ch;
  const auto syntax_error = [&]() {
    return InputError("--fail-if '" + text + "': expected <metric><op><number> with op one of > >= < <=, e.g. " +
                      "success_rate_drop>0.05");
  };
  std::size_t i = 0;
  while (i < compact.size() && ((compact[i] >= 'a' && compact[i] <= 'z') || compact[i] == '_')) ++i;
  Threshold t;
  t.text = text;
  t.metric = compact.substr(0, i);
  for (const char* op : {">=", "<=", ">", "<"}) {
    if (compact.compare(i, std::string(op).size(), op) == 0) {
      t.op = op;
      break;
    }
  }
  if (t.metric.empty() || t.op.empty()) throw syntax_error();
  const std::string number = compact.substr(i + t.op.size());
  char* end = nullptr;
  t.limit = std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size() || !std::isfinite(t.limit)) throw syntax_error();
  bool known = false;
  for (const auto& name : metric_names()) known = known || name == t.metric;
  if (!known)
    throw InputError("--fail-if '" + text + "': unknown metric '" + t.metric + "'; known metrics: " +
                     known_metrics_text());
  return t;
}

bool broken(const Threshold& t, double value) {
  if (t.op == ">") return value > t.limit;
  if (t.op == ">=") return value >= t.limit;
  if (t.op == "<") return value < t.limit;
  return value <= t.limit;
}

std::string number_text(double value, bool integer) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return integer ? std::to_string(static_cast<long long>(value)) : detail::fixed(value, 4);
}

std::string limit_text(double limit) {
  std::ostringstream os;
  os << limit;  // as the user would write it: 0.05, 0, 2
  return os.str();
}

std::string number_or_dash(const json& value) {
  return value.is_number() ? detail::fixed(value.get<double>(), 4) : "–";
}

double number_or_zero(const json& value) { return value.is_number() ? value.get<double>() : 0.0; }

using Key = std::tuple<std::string, std::string, std::string, std::string, std::string, int>;

Key key_of(const agent::EpisodeRecord& e) { return {e.agent, e.platform, e.task, e.config, e.preset, e.sample}; }

// Episodes that passed in the base and were scored as failures in the candidate. An episode
// missing from the candidate, or an infra_error there, is not a model failure (the latter is
// what the infra_errors metric counts).
std::size_t count_new_failures(const ReportInput& base, const ReportInput& candidate) {
  std::map<Key, bool> base_passed;
  for (const auto& e : base.episodes) base_passed[key_of(e)] = base_passed[key_of(e)] || e.passed();
  std::map<Key, std::pair<bool, bool>> candidate_state;  // (scored, passed)
  for (const auto& e : candidate.episodes) {
    auto& [scored, passed] = candidate_state[key_of(e)];
    scored = scored || !detail::is_infra_error(e);
    passed = passed || e.passed();
  }
  std::size_t count = 0;
  for (const auto& [key, state] : candidate_state) {
    const auto it = base_passed.find(key);
    if (it != base_passed.end() && it->second && state.first && !state.second) ++count;
  }
  return count;
}

// A relative drop 1 - new/base; nothing to drop from (no base value) is no drop.
double relative_drop(const json& base, const json& candidate) {
  const double b = number_or_zero(base);
  if (b <= 0) return 0;
  return 1.0 - number_or_zero(candidate) / b;
}

// A relative increase new/base - 1; any cost against a free base is an infinite increase.
double relative_increase(const json& base, const json& candidate) {
  const double b = number_or_zero(base), c = number_or_zero(candidate);
  if (b <= 0) return c > 0 ? std::numeric_limits<double>::infinity() : 0.0;
  return c / b - 1.0;
}

std::vector<Measure> measure(const ReportInput& base, const ReportInput& candidate) {
  const json b = summarize(base).at("overall");
  const json c = summarize(candidate).at("overall");
  const json& b_rate = b.at("success_rate");
  const json& c_rate = c.at("success_rate");
  const double new_failures = static_cast<double>(count_new_failures(base, candidate));
  return {
      {"success_rate_drop", number_or_zero(b_rate) - number_or_zero(c_rate), number_or_dash(b_rate),
       number_or_dash(c_rate), false},
      {"geomean_speedup_drop", relative_drop(b.at("geomean_speedup"), c.at("geomean_speedup")),
       number_or_dash(b.at("geomean_speedup")), number_or_dash(c.at("geomean_speedup")), false},
      {"new_failures", new_failures, "", "", true},
      {"infra_errors", c.at("infra_errors").get<double>(), b.at("infra_errors").dump(), c.at("infra_errors").dump(),
       true},
      {"cost_increase", relative_increase(b.at("cost_usd").at("mean"), c.at("cost_usd").at("mean")),
       number_or_dash(b.at("cost_usd").at("mean")), number_or_dash(c.at("cost_usd").at("mean")), false},
  };
}

std::string table_text(const std::vector<Measure>& measures) {
  std::ostringstream os;
  os << std::left << std::setw(22) << "metric" << std::setw(12) << "base" << std::setw(12) << "new" << "value\n";
  for (const auto& m : measures)
    os << std::setw(22) << m.name << std::setw(12) << (m.base.empty() ? "-" : m.base) << std::setw(12)
       << (m.candidate.empty() ? "-" : m.candidate) << number_text(m.value, m.integer) << '\n';
  return os.str();
}

}  // namespace

CompareResult compare_runs(const ReportInput& base, const ReportInput& candidate,
                           const std::vector<std::string>& fail_if) {
  std::vector<Threshold> thresholds;
  for (const auto& text : fail_if) thresholds.push_back(parse_threshold(text));  // all checked before any work

  const std::vector<Measure> measures = measure(base, candidate);
  CompareResult result;
  for (const auto& t : thresholds) {
    for (const auto& m : measures) {
      if (m.name != t.metric || !broken(t, m.value)) continue;
      std::string line = t.metric + " = " + number_text(m.value, m.integer) + " " + t.op + " " +
                         limit_text(t.limit);
      if (!m.base.empty()) line += " (base " + m.base + ", new " + m.candidate + ")";
      result.violations.push_back(line);
    }
  }
  result.regression = !result.violations.empty();
  result.text = table_text(measures);
  result.text += result.regression ? "REGRESSION:\n" : "no regression (" + std::to_string(thresholds.size()) +
                                                           " threshold" + (thresholds.size() == 1 ? "" : "s") +
                                                           " checked)\n";
  for (const auto& v : result.violations) result.text += "  " + v + "\n";
  return result;
}

}  // namespace kc::report
