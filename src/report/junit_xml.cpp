// junit.xml for CI: a testsuite per (agent, platform), a testcase per episode. A model's failing
// kernel is a <failure>; an infra_error is an <error>, so CI can tell "the prompt got worse"
// from "the provider was down".
#include <map>
#include <sstream>

#include "episode_metrics.h"
#include "kernelcraft/report/report.h"
#include "report_text.h"

namespace kc::report {
namespace {

using detail::Episodes;
using detail::markup_escape;
using detail::xml_attribute;

struct Counts {
  std::size_t tests = 0, failures = 0, errors = 0;
  double time = 0;
  void add(const agent::EpisodeRecord& e) {
    ++tests;
    failures += (!e.passed() && !detail::is_infra_error(e)) ? 1 : 0;
    errors += detail::is_infra_error(e) ? 1 : 0;
    time += e.wall_s;
  }
};

std::string counts_attributes(const Counts& c) {
  return "tests=\"" + std::to_string(c.tests) + "\" failures=\"" + std::to_string(c.failures) + "\" errors=\"" +
         std::to_string(c.errors) + "\" skipped=\"0\" time=\"" + detail::fixed(c.time, 3) + "\"";
}

// The first line says what happened in a CI summary; the body keeps the whole failure text.
std::string failure_message(const agent::EpisodeRecord& e) {
  const std::string first_line = e.failure.substr(0, e.failure.find('\n'));
  if (e.status == "no_kernel") return first_line.empty() ? "no kernel was written" : "no kernel: " + first_line;
  return first_line.empty() ? "status " + e.status : first_line;
}

void testcase(std::ostream& os, const agent::EpisodeRecord& e) {
  os << "    <testcase classname=\"" << xml_attribute(e.agent + "." + e.platform + "." + e.task) << "\" name=\""
     << xml_attribute(e.config + "." + e.preset + ".s" + std::to_string(e.sample)) << "\" time=\""
     << detail::fixed(e.wall_s, 3) << "\"";
  if (e.passed()) {
    os << "/>\n";
    return;
  }
  const bool infra = detail::is_infra_error(e);
  const char* element = infra ? "error" : "failure";
  os << ">\n      <" << element << " message=\"" << xml_attribute(failure_message(e)) << "\" type=\""
     << xml_attribute(e.status) << "\">" << markup_escape(e.failure) << "</" << element << ">\n    </testcase>\n";
}

}  // namespace

std::string junit_xml(const ReportInput& input) {
  std::map<std::pair<std::string, std::string>, Episodes> suites;
  for (const auto* e : detail::canonical_order(input.episodes)) suites[{e->agent, e->platform}].push_back(e);

  Counts all;
  std::ostringstream body;
  for (const auto& [key, episodes] : suites) {
    Counts counts;
    for (const auto* e : episodes) {
      counts.add(*e);
      all.add(*e);
    }
    body << "  <testsuite name=\"" << xml_attribute(key.first + "." + key.second) << "\" " << counts_attributes(counts)
         << ">\n";
    for (const auto* e : episodes) testcase(body, *e);
    body << "  </testsuite>\n";
  }
  std::ostringstream os;
  os << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
     << "<testsuites name=\"kernelcraft\" " << counts_attributes(all) << ">\n"
     << body.str() << "</testsuites>\n";
  return os.str();
}

}  // namespace kc::report
