// The parsed form of a "kernelcraft-platform/1" declaration (docs/external-platforms.md).
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kc::external {

inline constexpr const char kDeclarationFormat[] = "kernelcraft-platform/1";

// One argv element: a template string, or (run only) a group repeated once per dump region
// with {dump} bound to the region ("for_each_dump": ["--dump", "{dump}"]).
struct ArgTemplate {
  std::string text;
  bool per_dump = false;
  std::vector<std::string> group;
};

struct CommandSpec {
  std::string stage;  // "assemble" | "run"
  std::vector<ArgTemplate> argv;
  bool result_on_stdout = false;  // "result": "stdout"; else the command writes {result}
  std::string stdin_template;     // "stdin": a template naming a file; empty: /dev/null
  double timeout_seconds = 60;
  std::size_t max_stdout_bytes = 64u << 20;
  std::set<int> kernel_failure_exit_codes;  // besides 0, the exits whose result is still read
  bool timeout_is_trap = false;             // run only: "on_timeout": "trap"
};

struct PlatformSpec {
  std::string path;             // the declaration file
  std::string dir;              // its folder ({declaration_dir})
  std::string name;
  std::string description;
  std::string layout_platform;  // the built-in platform whose layout contract applies
  std::map<std::string, std::string> layout_presets;  // own preset -> layout platform's preset
  std::string docs;             // template: folder of markdown sections ("" : the layout platform's)
  std::map<std::string, nlohmann::json> presets;  // empty: the layout platform's presets
  std::string default_preset;   // "" : decided when the layout platform is known
  std::string source_extension = ".asm";
  CommandSpec assemble, run;
};

// Placeholders each stage's templates may use ("dump" only inside for_each_dump).
const std::set<std::string>& placeholders_for(const std::string& stage);

// Strict: unknown fields, wrong types and unknown placeholders throw InputError naming `path`
// and the field.
PlatformSpec parse_platform_spec(const std::string& json_text, const std::string& path);

// Replaces every {name} in `text` by values.at(name); "{{" and "}}" stand for literal braces.
// A placeholder missing from `values` throws std::logic_error (the spec parser checked them).
std::string expand_template(const std::string& text, const std::map<std::string, std::string>& values);

// The placeholder names used in `text` (InputError for an unclosed or empty brace).
std::vector<std::string> template_placeholders(const std::string& text, const std::string& where);

}  // namespace kc::external
