// Rendering of diagnostics and simulation reports, as text for people and JSON for tools.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kernelcraft/core/platform.h"

namespace kc::cli {

std::string read_file_or_throw(const std::string& path);
void write_file_or_throw(const std::string& path, const std::string& text);

// "FILE:LINE:COL: error: message\n  hint: ..." lines, like a compiler.
void print_diagnostics(std::ostream& os, const std::string& file,
                       const std::vector<SourceDiagnostic>& diagnostics);
nlohmann::json diagnostics_json(const std::vector<SourceDiagnostic>& diagnostics);

void print_sim_report(std::ostream& os, const SimReport& report);
nlohmann::json sim_report_json(const SimReport& report);

}  // namespace kc::cli
