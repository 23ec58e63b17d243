#include "kernelcraft/platform/external_platform.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../isa_docs.h"
#include "command_runner.h"
#include "external_platform_spec.h"
#include "kernelcraft/core/memory_image.h"
#include "kernelcraft/core/text_file.h"
#include "kernelcraft/platform/registry.h"

namespace kc {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;
using external::CommandSpec;
using external::PlatformSpec;

constexpr std::size_t kMaxResultFileBytes = 256u << 20;  // result and image files

// ---- the program an external assembler produced -----------------------------------------------

class ExternalProgram : public AssembledProgram {
 public:
  std::string source;
  std::string program_name;   // file name in the run's work folder ("" : the source is the program)
  std::string program_bytes;
  uint64_t instructions = 0;
  std::map<std::string, uint64_t> classes;
  std::string listing_text;

  std::size_t instruction_count() const override { return instructions; }
  std::string listing() const override { return listing_text.empty() ? source : listing_text; }
  std::string machine_code() const override { return program_name.empty() ? source : program_bytes; }
  std::map<std::string, uint64_t> instruction_classes() const override {
    if (!classes.empty()) return classes;
    return {{"total", instructions}};
  }
};

// ---- a fresh work folder per command ------------------------------------------------------------

class WorkDir {
 public:
  explicit WorkDir(const std::string& platform) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = (fs::path(tmp && *tmp ? tmp : "/tmp") / ("kernelcraft-" + platform + "-XXXXXX")).string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (!::mkdtemp(buffer.data()))
      throw ExternalPlatformError("external platform '" + platform + "': cannot create a work folder " + pattern);
    path_ = buffer.data();
    keep_ = std::getenv("KERNELCRAFT_KEEP_WORKDIR") != nullptr;
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  ~WorkDir() {
    std::error_code ec;
    if (!keep_) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return (fs::path(path_) / name).string(); }
  void write(const std::string& name, const std::string& bytes) const {
    std::ofstream out(file(name), std::ios::binary);
    out << bytes;
    if (!out) throw ExternalPlatformError("cannot write " + file(name));
  }

 private:
  std::string path_;
  bool keep_ = false;
};

std::string quote_argv(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& a : argv) {
    const bool plain = !a.empty() && a.find_first_of(" \t\n'\"\\$`") == std::string::npos;
    out += (out.empty() ? "" : " ") + (plain ? a : json(a).dump());
  }
  return out;
}

// ---- reading what a command wrote ----------------------------------------------------------------

// Field checks on a command's result, every error prefixed with which command wrote it.
class ResultReader {
 public:
  explicit ResultReader(std::string where) : where_(std::move(where)) {}

  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw ExternalPlatformError(where_ + ": field '" + field + "' " + what);
  }
  [[noreturn]] void wrong_type(const std::string& field, const json& value, const std::string& expected) const {
    std::string shown = value.dump();
    if (shown.size() > 60) shown = shown.substr(0, 57) + "...";
    fail(field, std::string("is ") + value.type_name() + " " + shown + ", expected " + expected);
  }

  const json* find(const json& object, const std::string& key) const {
    auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
  }
  bool boolean(const json& object, const std::string& key, const std::string& path) const {
    const json* v = find(object, key);
    if (!v) fail(path, "is missing; expected true or false");
    if (!v->is_boolean()) wrong_type(path, *v, "true or false");
    return v->get<bool>();
  }
  uint64_t count(const json& object, const std::string& key, const std::string& path, bool required) const {
    const json* v = find(object, key);
    if (!v) {
      if (required) fail(path, "is missing; expected a non-negative integer");
      return 0;
    }
    if (!v->is_number_unsigned() && !(v->is_number_integer() && v->get<int64_t>() >= 0))
      wrong_type(path, *v, "a non-negative integer");
    return v->get<uint64_t>();
  }
  std::string text(const json& object, const std::string& key, const std::string& path, bool required) const {
    const json* v = find(object, key);
    if (!v) {
      if (required) fail(path, "is missing; expected a string");
      return "";
    }
    if (!v->is_string()) wrong_type(path, *v, "a string");
    return v->get<std::string>();
  }
  std::map<std::string, uint64_t> counts(const json& object, const std::string& key, const std::string& path) const {
    std::map<std::string, uint64_t> out;
    const json* v = find(object, key);
    if (!v) return out;
    if (!v->is_object()) wrong_type(path, *v, "an object of non-negative integers");
    for (auto it = v->begin(); it != v->end(); ++it) out[it.key()] = count(*v, it.key(), path + "." + it.key(), true);
    return out;
  }
  const std::string& where() const { return where_; }

 private:
  std::string where_;
};

std::string resolve_kernelcraft(const std::string& given) {
  if (!given.empty()) return given;
  if (const char* env = std::getenv("KERNELCRAFT_BINARY"); env && *env) return env;
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    if (self.filename() == "kernelcraft") return self.string();
    const fs::path beside = self.parent_path() / "kernelcraft";
    if (!external::resolve_program(beside.string(), "").empty()) return beside.string();
  }
  return external::resolve_program("kernelcraft", "");
}

bool uses_placeholder(const CommandSpec& c, const std::string& name) {
  auto in = [&](const std::string& t) {
    const auto names = external::template_placeholders(t, "");
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  if (in(c.stdin_template)) return true;
  for (const auto& a : c.argv) {
    if (!a.per_dump && in(a.text)) return true;
    for (const std::string& g : a.group)
      if (in(g)) return true;
  }
  return false;
}

std::string region_spec(const MemoryRegion& r) {
  std::string spec = r.memory + ":" + std::to_string(r.address) + ":" + std::to_string(r.count);
  if (r.encoding != "native" || r.scale_address != 0) {
    spec += ":" + r.encoding;
    if (r.scale_address != 0) spec += "@" + std::to_string(r.scale_address);
  }
  return spec;
}

// ---- the platform ---------------------------------------------------------------------------------

class ExternalPlatform : public Platform {
 public:
  ExternalPlatform(PlatformSpec spec, const ExternalPlatformOptions& options)
      : spec_(std::move(spec)), data_dir_(options.data_dir.empty() ? data_root() : options.data_dir) {
    const auto builtins = builtin_platform_names();
    if (std::find(builtins.begin(), builtins.end(), spec_.layout_platform) == builtins.end()) {
      std::string names;
      for (const std::string& n : builtins) names += (names.empty() ? "" : ", ") + n;
      throw InputError(spec_.path + ": field 'layout': '" + spec_.layout_platform +
                       "' is not a built-in platform; its layout contract must be one of " + names);
    }
    layout_ = make_platform(spec_.layout_platform, data_dir_);
    const auto theirs = layout_->preset_names();
    auto known = [&](const std::string& p) { return std::find(theirs.begin(), theirs.end(), p) != theirs.end(); };
    if (spec_.presets.empty()) {
      for (const std::string& p : theirs) preset_names_.push_back(p);
    } else {
      for (const auto& [name, value] : spec_.presets) preset_names_.push_back(name);
    }
    for (const std::string& p : preset_names_) {
      const std::string mapped = spec_.layout_presets.count(p) ? spec_.layout_presets.at(p) : p;
      if (!known(mapped))
        throw InputError(spec_.path + ": preset '" + p + "' has no layout: the " + spec_.layout_platform +
                         " platform has no preset '" + mapped + "' (map it in \"layout\": {\"presets\": {\"" + p +
                         "\": \"...\"}})");
    }
    if (spec_.default_preset.empty()) {
      const std::string theirs_default = layout_->default_preset();
      spec_.default_preset = std::find(preset_names_.begin(), preset_names_.end(), theirs_default) != preset_names_.end()
                                 ? theirs_default
                                 : preset_names_.front();
    } else if (std::find(preset_names_.begin(), preset_names_.end(), spec_.default_preset) == preset_names_.end()) {
      throw InputError(spec_.path + ": field 'default_preset': '" + spec_.default_preset + "' is not a preset");
    }
    if (uses_placeholder(spec_.assemble, "kernelcraft") || uses_placeholder(spec_.run, "kernelcraft")) {
      kernelcraft_ = resolve_kernelcraft(options.kernelcraft_binary);
      if (kernelcraft_.empty())
        throw ExternalPlatformError(spec_.path + ": the commands use {kernelcraft}, but no kernelcraft binary was found "
                                    "(set KERNELCRAFT_BINARY)");
    }
  }

  std::string name() const override { return spec_.name; }
  std::string task_platform() const override { return spec_.layout_platform; }
  std::string description() const override { return spec_.description; }
  std::vector<std::string> preset_names() const override { return preset_names_; }
  std::string default_preset() const override { return spec_.default_preset; }

  std::string describe_preset(const std::string& preset) const override {
    check_preset(preset);
    if (spec_.presets.empty()) return layout_->describe_preset(preset);
    return spec_.presets.at(preset).dump(2);
  }

  AssembleResult assemble(const std::string& source, const std::string& preset) const override {
    check_preset(preset);
    AssembleResult result;
    if (auto refused = oversized_source(source.size(), "shorten the kernel: use loops instead of unrolled code")) {
      result.diagnostics.push_back(std::move(*refused));
      return result;
    }
    WorkDir work(spec_.name);
    const std::string source_name = "kernel" + spec_.source_extension;
    work.write(source_name, source);
    work.write("preset.json", describe_preset(preset) + "\n");
    auto values = common_values(work, preset, source_name);

    const Outcome outcome = execute(spec_.assemble, values, {}, work);
    if (outcome.timed_out)
      throw ExternalPlatformError(outcome.command + " did not finish within " + seconds(spec_.assemble.timeout_seconds) +
                                  " and was killed (assemble.timeout_seconds)");
    const ResultReader reader(outcome.command + ": result (" + outcome.result_source + ")");
    const json j = parse_result(outcome, reader);
    const bool ok = reader.boolean(j, "ok", "ok");
    if (ok && outcome.exit_code != 0)
      throw ExternalPlatformError(outcome.command + " exited with code " + std::to_string(outcome.exit_code) +
                                  " (a kernel-failure code) but its result says \"ok\": true");

    if (const json* diags = reader.find(j, "diagnostics")) {
      if (!diags->is_array()) reader.wrong_type("diagnostics", *diags, "an array of {line, column, message, hint}");
      for (std::size_t i = 0; i < diags->size(); ++i) {
        const json& d = (*diags)[i];
        const std::string at = "diagnostics[" + std::to_string(i) + "]";
        if (!d.is_object()) reader.wrong_type(at, d, "an object {line, column, message, hint}");
        SourceDiagnostic diagnostic;
        diagnostic.severity = reader.text(d, "severity", at + ".severity", false);
        if (diagnostic.severity.empty()) diagnostic.severity = "error";
        if (diagnostic.severity != "error" && diagnostic.severity != "warning")
          reader.fail(at + ".severity", "is \"" + diagnostic.severity + "\", expected \"error\" or \"warning\"");
        diagnostic.line = static_cast<uint32_t>(std::min<uint64_t>(reader.count(d, "line", at + ".line", false), UINT32_MAX));
        diagnostic.column =
            static_cast<uint32_t>(std::min<uint64_t>(reader.count(d, "column", at + ".column", false), UINT32_MAX));
        diagnostic.message = reader.text(d, "message", at + ".message", true);
        diagnostic.hint = reader.text(d, "hint", at + ".hint", false);
        result.diagnostics.push_back(std::move(diagnostic));
      }
    }
    if (!ok) {
      const bool has_error = std::any_of(result.diagnostics.begin(), result.diagnostics.end(),
                                         [](const SourceDiagnostic& d) { return d.severity == "error"; });
      if (!has_error)
        result.diagnostics.push_back({"error", 0, 0, "the " + spec_.name + " assembler refused the kernel without a diagnostic", ""});
      return result;
    }

    auto program = std::make_shared<ExternalProgram>();
    program->source = source;
    program->instructions = reader.count(j, "instructions", "instructions", false);
    program->classes = reader.counts(j, "instruction_classes", "instruction_classes");
    program->listing_text = reader.text(j, "listing", "listing", false);
    const std::string program_file = reader.text(j, "program_file", "program_file", false);
    if (!program_file.empty()) {
      const fs::path file = fs::path(program_file).is_absolute() ? fs::path(program_file) : fs::path(work.file(program_file));
      std::error_code ec;
      if (!fs::is_regular_file(file, ec))
        throw ExternalPlatformError(outcome.command + ": its result names program_file \"" + program_file +
                                    "\", but the command did not write that file (expected it in the work folder)");
      if (fs::file_size(file, ec) > kMaxResultFileBytes)
        throw ExternalPlatformError(outcome.command + ": program_file \"" + program_file + "\" is larger than 256 MiB");
      program->program_bytes = read_text_file(file.string(), "program file");
      program->program_name = file.filename().string();
      if (program->program_name == source_name) program->program_name = "program-" + program->program_name;
    }
    result.program = std::move(program);
    return result;
  }

  SimReport run(const AssembledProgram& program, const std::string& preset, const MemoryImage& input,
                const std::vector<MemoryRegion>& dumps, const RunLimits& limits) const override {
    const auto* external_program = dynamic_cast<const ExternalProgram*>(&program);
    if (!external_program) throw std::logic_error("external platform " + spec_.name + " given another platform's program");
    check_preset(preset);
    WorkDir work(spec_.name);
    const std::string source_name = "kernel" + spec_.source_extension;
    work.write(source_name, external_program->source);
    std::string program_name = source_name;
    if (!external_program->program_name.empty()) {
      program_name = external_program->program_name;
      work.write(program_name, external_program->program_bytes);
    }
    work.write("preset.json", describe_preset(preset) + "\n");
    work.write("image_in.json", to_json_text(input));
    json regions = json::array();
    for (const MemoryRegion& r : dumps)
      regions.push_back({{"memory", r.memory}, {"address", r.address}, {"count", r.count},
                         {"encoding", r.encoding}, {"scale_address", r.scale_address}, {"spec", region_spec(r)}});
    work.write("dumps.json", json{{"regions", regions}}.dump(1) + "\n");
    json writable = json::array();
    for (const MemoryRange& range : limits.writable_offchip)
      writable.push_back({{"memory", range.memory}, {"begin", range.begin}, {"end", range.end}});
    work.write("limits.json", json{{"max_cycles", limits.max_cycles},
                                   {"max_instructions", limits.max_instructions},
                                   {"writable_offchip", writable},
                                   {"poison_seed", limits.poison_seed ? json(*limits.poison_seed) : json(nullptr)}}
                                      .dump(1) + "\n");

    auto values = common_values(work, preset, source_name);
    values["program"] = work.file(program_name);
    values["image_in"] = work.file("image_in.json");
    values["image_out"] = work.file("image_out.json");
    values["dumps_file"] = work.file("dumps.json");
    values["limits_file"] = work.file("limits.json");
    values["max_cycles"] = std::to_string(limits.max_cycles);
    values["max_instructions"] = std::to_string(limits.max_instructions);

    const Outcome outcome = execute(spec_.run, values, dumps, work);
    SimReport report;
    if (outcome.timed_out) {
      if (!spec_.run.timeout_is_trap)
        throw ExternalPlatformError(outcome.command + " did not finish within " + seconds(spec_.run.timeout_seconds) +
                                    " and was killed (run.timeout_seconds)");
      report.trap = TrapInfo{"timeout", 0, 0, "", 0,
                             "the run did not finish within " + seconds(spec_.run.timeout_seconds) + " and was stopped"};
      return report;
    }
    const ResultReader reader(outcome.command + ": result (" + outcome.result_source + ")");
    const json j = parse_result(outcome, reader);
    report.cycles = reader.count(j, "cycles", "cycles", true);
    report.instructions = reader.count(j, "instructions", "instructions", false);
    if (const json* units = reader.find(j, "units")) {
      if (!units->is_object()) reader.wrong_type("units", *units, "an object: unit -> {busy, stall}");
      for (auto it = units->begin(); it != units->end(); ++it) {
        const std::string at = "units." + it.key();
        if (!it->is_object()) reader.wrong_type(at, *it, "an object {busy, stall}");
        report.units[it.key()] = {reader.count(*it, "busy", at + ".busy", false),
                                  reader.count(*it, "stall", at + ".stall", false)};
      }
    }
    report.instruction_mix = reader.counts(j, "instruction_mix", "instruction_mix");
    report.counters = reader.counts(j, "counters", "counters");
    if (const json* b = reader.find(j, "stopped_by_break")) {
      if (!b->is_boolean()) reader.wrong_type("stopped_by_break", *b, "true or false");
      report.stopped_by_break = b->get<bool>();
    }
    if (const json* trap = reader.find(j, "trap")) {
      if (!trap->is_object()) reader.wrong_type("trap", *trap, "null or an object {kind, pc, line, message}");
      TrapInfo t;
      t.kind = reader.text(*trap, "kind", "trap.kind", true);
      t.pc = reader.count(*trap, "pc", "trap.pc", false);
      t.line = static_cast<uint32_t>(std::min<uint64_t>(reader.count(*trap, "line", "trap.line", false), UINT32_MAX));
      t.memory = reader.text(*trap, "memory", "trap.memory", false);
      t.address = reader.count(*trap, "address", "trap.address", false);
      t.message = reader.text(*trap, "message", "trap.message", false);
      report.trap = std::move(t);
    }
    if (!report.trap && outcome.exit_code != 0)
      throw ExternalPlatformError(outcome.command + " exited with code " + std::to_string(outcome.exit_code) +
                                  " (a kernel-failure code) but its result reports no trap");
    report.dumped = read_image_out(outcome, work, dumps, report.trap.has_value());
    return report;
  }

  std::vector<DocSection> docs() const override {
    if (spec_.docs.empty()) return layout_->docs();
    fs::path dir = external::expand_template(spec_.docs, {{"data_dir", data_dir_}, {"declaration_dir", spec_.dir}});
    if (dir.is_relative()) dir = fs::path(spec_.dir) / dir;
    return load_isa_docs(dir.string());
  }

  WorkloadLayout layout(const TaskInstance& instance, const std::string& preset) const override {
    return layout_->layout(instance, layout_preset(preset));
  }
  std::vector<float> stored_values(const TensorPlacement& placement, const std::vector<float>& values) const override {
    return layout_->stored_values(placement, values);
  }
  PeakRates peak_rates(const std::string& preset) const override { return layout_->peak_rates(layout_preset(preset)); }

 private:
  struct Outcome {
    std::string command;        // "external platform 'x': run command 'sim.sh'"
    std::string result_source;  // "stdout" or the result file's name
    std::string result_text;
    int exit_code = 0;
    bool kernel_failure_exit = false;
    bool timed_out = false;
  };

  static std::string seconds(double s) {
    std::ostringstream out;
    out << s << " s";
    return out.str();
  }

  void check_preset(const std::string& preset) const {
    if (std::find(preset_names_.begin(), preset_names_.end(), preset) != preset_names_.end()) return;
    std::string known;
    for (const std::string& p : preset_names_) known += (known.empty() ? "" : ", ") + p;
    throw InputError("unknown " + spec_.name + " hardware preset '" + preset + "'; available: " + known);
  }

  std::string layout_preset(const std::string& preset) const {
    check_preset(preset);
    auto it = spec_.layout_presets.find(preset);
    return it == spec_.layout_presets.end() ? preset : it->second;
  }

  std::map<std::string, std::string> common_values(const WorkDir& work, const std::string& preset,
                                                   const std::string& source_name) const {
    return {{"source", work.file(source_name)},
            {"preset", preset},
            {"preset_file", work.file("preset.json")},
            {"workdir", work.path()},
            {"result", work.file("result.json")},
            {"kernelcraft", kernelcraft_},
            {"data_dir", data_dir_},
            {"declaration_dir", spec_.dir}};
  }

  // Runs the command; returns only when it exited with 0 or a declared kernel-failure code (its
  // result then read into `result_text`), or timed out. Everything else throws.
  Outcome execute(const CommandSpec& c, std::map<std::string, std::string> values,
                  const std::vector<MemoryRegion>& dumps, const WorkDir& work) const {
    std::vector<std::string> argv;
    for (const external::ArgTemplate& a : c.argv) {
      if (!a.per_dump) {
        argv.push_back(external::expand_template(a.text, values));
        continue;
      }
      for (const MemoryRegion& region : dumps) {
        values["dump"] = region_spec(region);
        for (const std::string& g : a.group) argv.push_back(external::expand_template(g, values));
      }
    }
    Outcome outcome;
    outcome.command = "external platform '" + spec_.name + "': " + c.stage + " command '" + argv[0] + "'";
    const std::string program = external::resolve_program(argv[0], spec_.dir);
    if (program.empty())
      throw ExternalPlatformError(outcome.command + " was not found" +
                                  (argv[0].find('/') == std::string::npos
                                       ? " on PATH"
                                       : " (no executable file at that path; relative paths start at " + spec_.dir + ")") +
                                  "; declared in " + spec_.path + " (" + c.stage + ".argv[0])");
    argv[0] = program;
    std::string stdin_path;
    if (!c.stdin_template.empty()) {
      stdin_path = external::expand_template(c.stdin_template, values);
      if (fs::path(stdin_path).is_relative()) stdin_path = (fs::path(work.path()) / stdin_path).string();
    }
    external::CommandLimits limits;
    limits.wall_seconds = c.timeout_seconds;
    limits.max_stdout_bytes = c.max_stdout_bytes;
    const external::CommandOutcome ran = external::run_command(argv, work.path(), stdin_path, limits);
    const std::string stderr_text = external::first_lines(ran.err);
    const std::string stderr_part = stderr_text.empty() ? " (no stderr)" : "; stderr: " + stderr_text;
    if (!ran.started)
      throw ExternalPlatformError(outcome.command + " could not be started: " + ran.error + " (argv: " + quote_argv(argv) + ")");
    if (ran.timed_out) {
      outcome.timed_out = true;
      return outcome;
    }
    if (ran.output_too_large)
      throw ExternalPlatformError(outcome.command + " printed more than " + std::to_string(c.max_stdout_bytes) +
                                  " bytes on stdout and was killed (" + c.stage + ".max_stdout_bytes)");
    if (ran.signal != 0)
      throw ExternalPlatformError(outcome.command + " was ended by signal " + std::to_string(ran.signal) + " (" +
                                  strsignal(ran.signal) + ")" + stderr_part);
    outcome.exit_code = ran.exit_code;
    if (ran.exit_code != 0) {
      if (!c.kernel_failure_exit_codes.count(ran.exit_code))
        throw ExternalPlatformError(outcome.command + " exited with code " + std::to_string(ran.exit_code) +
                                    stderr_part + " (argv: " + quote_argv(argv) + ")");
      outcome.kernel_failure_exit = true;
    }
    if (c.result_on_stdout) {
      outcome.result_source = "stdout";
      outcome.result_text = ran.out;
    } else {
      outcome.result_source = "result.json";
      const std::string file = work.file("result.json");
      std::error_code ec;
      if (!fs::is_regular_file(file, ec))
        throw ExternalPlatformError(outcome.command + " exited with code " + std::to_string(ran.exit_code) +
                                    " but did not write its result file {result} (" + file +
                                    "); expected a JSON object there" + stderr_part);
      if (fs::file_size(file, ec) > kMaxResultFileBytes)
        throw ExternalPlatformError(outcome.command + ": result file is larger than 256 MiB");
      outcome.result_text = read_text_file(file, "result file");
    }
    return outcome;
  }

  static json parse_result(const Outcome& outcome, const ResultReader& reader) {
    json j;
    try {
      j = json::parse(outcome.result_text);
    } catch (const json::exception& e) {
      std::string start = external::first_lines(outcome.result_text, 2);
      if (start.size() > 120) start = start.substr(0, 117) + "...";
      throw ExternalPlatformError(reader.where() + " is not JSON (" + e.what() + ")" +
                                  (start.empty() ? "; it is empty" : "; it starts: " + start));
    }
    if (!j.is_object()) throw ExternalPlatformError(reader.where() + " is " + j.type_name() + ", expected a JSON object");
    return j;
  }

  MemoryImage read_image_out(const Outcome& outcome, const WorkDir& work, const std::vector<MemoryRegion>& dumps,
                             bool trapped) const {
    const std::string file = work.file("image_out.json");
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
      if (dumps.empty() || trapped) return {};
      throw ExternalPlatformError(outcome.command + " did not write the output memory image {image_out} (" + file +
                                  "); expected a \"kernelcraft-memory-image/1\" file with " +
                                  std::to_string(dumps.size()) + " segment(s), one per dump region");
    }
    if (fs::file_size(file, ec) > kMaxResultFileBytes)
      throw ExternalPlatformError(outcome.command + ": output memory image is larger than 256 MiB");
    MemoryImage image;
    try {
      image = parse_memory_image(read_text_file(file, "output memory image"), "image_out.json");
    } catch (const InputError& e) {
      throw ExternalPlatformError(outcome.command + ": output memory image: " + e.what());
    }
    if (image.segments.size() != dumps.size()) {
      if (trapped) return {};
      throw ExternalPlatformError(outcome.command + ": output memory image has " + std::to_string(image.segments.size()) +
                                  " segment(s); expected " + std::to_string(dumps.size()) +
                                  ", one per dump region in request order");
    }
    for (std::size_t i = 0; i < dumps.size(); ++i) {
      MemorySegment& seg = image.segments[i];
      const MemoryRegion& want = dumps[i];
      if (seg.memory != want.memory || seg.address != want.address || seg.values.size() != want.count)
        throw ExternalPlatformError(outcome.command + ": output memory image segments[" + std::to_string(i) + "] is " +
                                    seg.memory + ":" + std::to_string(seg.address) + " with " +
                                    std::to_string(seg.values.size()) + " values; expected " + want.memory + ":" +
                                    std::to_string(want.address) + " with " + std::to_string(want.count) +
                                    " values (dump region " + region_spec(want) + ")");
      seg.encoding = want.encoding;
      seg.scale_address = want.scale_address;
    }
    return image;
  }

  PlatformSpec spec_;
  std::string data_dir_;
  std::unique_ptr<Platform> layout_;
  std::vector<std::string> preset_names_;
  std::string kernelcraft_;
};

}  // namespace

bool is_platform_declaration_path(const std::string& name) {
  const std::string suffix = ".json";
  return name.find('/') != std::string::npos ||
         (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0);
}

std::string find_platform_declaration(const std::string& name, const std::string& data_dir) {
  std::error_code ec;
  const fs::path given(name);
  if (given.is_absolute()) {
    if (fs::is_regular_file(given, ec)) return given.string();
    throw InputError("platform declaration " + name + " does not exist");
  }
  if (fs::is_regular_file(given, ec)) return fs::absolute(given).lexically_normal().string();
  const fs::path in_data = fs::path(data_dir) / given;
  if (!data_dir.empty() && fs::is_regular_file(in_data, ec)) return in_data.lexically_normal().string();
  throw InputError("platform declaration " + name + " does not exist (looked in the current folder and in " +
                   data_dir + ")");
}

std::unique_ptr<Platform> load_external_platform(const std::string& path, const ExternalPlatformOptions& options) {
  PlatformSpec spec = external::parse_platform_spec(read_text_file(path, "platform declaration"), path);
  return std::make_unique<ExternalPlatform>(std::move(spec), options);
}

}  // namespace kc
