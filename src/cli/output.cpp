#include "output.h"

#include <fstream>
#include <iomanip>
#include <sstream>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/core/text_file.h"
#include "kernelcraft/core/memory_image.h"
#include "kernelcraft/eval/eval_report_json.h"

namespace kc::cli {

std::string read_file_or_throw(const std::string& path) { return read_text_file(path); }

void write_file_or_throw(const std::string& path, const std::string& text) {
  // Write beside the target and rename, so a failure never leaves a truncated file behind.
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(path + ": cannot write file");
    out << text;
    out.flush();
    if (!out) throw InputError(path + ": write failed (disk full?)");
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    throw InputError(path + ": cannot replace file");
  }
}

void print_diagnostics(std::ostream& os, const std::string& file,
                       const std::vector<SourceDiagnostic>& diagnostics) {
  for (const SourceDiagnostic& d : diagnostics) {
    os << file << ':' << d.line << ':' << d.column << ": " << d.severity << ": " << d.message
       << '\n';
    if (!d.hint.empty()) os << "  hint: " << d.hint << '\n';
  }
}

nlohmann::json diagnostics_json(const std::vector<SourceDiagnostic>& diagnostics) {
  return to_json(diagnostics);
}

void print_sim_report(std::ostream& os, const SimReport& report) {
  if (report.trap) {
    const TrapInfo& t = *report.trap;
    os << "trap: " << t.kind << " at instruction " << t.pc;
    if (t.line) os << " (line " << t.line << ")";
    os << ": " << t.message << '\n';
  } else if (report.stopped_by_break) {
    os << "stopped by C_BREAK\n";
  }
  os << "cycles: " << report.cycles << '\n' << "instructions: " << report.instructions << '\n';
  os << "units:          busy        stall\n";
  for (const auto& [unit, activity] : report.units)
    os << "  " << std::left << std::setw(8) << unit << std::right << std::setw(12) << activity.busy
       << std::setw(13) << activity.stall << '\n';
  for (const auto& [name, value] : report.counters) os << name << ": " << value << '\n';
  os << "instruction mix:\n";
  for (const auto& [mnemonic, count] : report.instruction_mix)
    os << "  " << std::left << std::setw(18) << mnemonic << std::right << count << '\n';
}

nlohmann::json sim_report_json(const SimReport& report) {
  const nlohmann::json units = units_json(report.units);
  const nlohmann::json trap = report.trap ? to_json(*report.trap) : nlohmann::json();
  return {{"ok", report.ok()},
          {"cycles", report.cycles},
          {"instructions", report.instructions},
          {"units", units},
          {"instruction_mix", report.instruction_mix},
          {"counters", report.counters},
          {"stopped_by_break", report.stopped_by_break},
          {"trap", trap},
          {"dumped", to_json(report.dumped)}};
}

}  // namespace kc::cli
