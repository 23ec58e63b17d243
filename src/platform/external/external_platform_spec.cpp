#include "external_platform_spec.h"

#include <cctype>
#include <filesystem>
#include <stdexcept>

#include "kernelcraft/core/errors.h"

namespace kc::external {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw InputError(path_ + ": field '" + field + "': " + what);
  }

  void only(const json& object, const std::string& where, const std::set<std::string>& allowed) const {
    for (auto it = object.begin(); it != object.end(); ++it)
      if (!allowed.count(it.key())) {
        std::string names;
        for (const std::string& a : allowed) names += (names.empty() ? "" : ", ") + a;
        fail(join(where, it.key()), "unknown field; expected one of " + names);
      }
  }

  const json* find(const json& object, const std::string& key) const {
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
  }

  std::string string(const json& object, const std::string& where, const std::string& key, bool required,
                     const std::string& fallback = "") const {
    const json* v = find(object, key);
    if (!v) {
      if (required) fail(join(where, key), "missing; expected a string");
      return fallback;
    }
    if (!v->is_string()) fail(join(where, key), std::string("is ") + v->type_name() + ", expected a string");
    return v->get<std::string>();
  }

  static std::string join(const std::string& where, const std::string& key) {
    return where.empty() ? key : where + "." + key;
  }

 private:
  std::string path_;
};

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) return false;
  return name.find(".json") == std::string::npos;
}

void check_placeholders(const Reader& r, const std::string& text, const std::string& field,
                        const std::set<std::string>& allowed) {
  for (const std::string& p : template_placeholders(text, field)) {
    if (allowed.count(p)) continue;
    std::string names;
    for (const std::string& a : allowed) names += (names.empty() ? "{" : ", {") + a + "}";
    r.fail(field, "unknown placeholder {" + p + "}; this template may use " + names);
  }
}

CommandSpec parse_command(const Reader& r, const json& root, const std::string& stage) {
  const json* node = r.find(root, stage);
  if (!node) r.fail(stage, "missing; expected an object with \"argv\"");
  if (!node->is_object()) r.fail(stage, std::string("is ") + node->type_name() + ", expected an object");
  const json& c = *node;
  std::set<std::string> fields = {"argv", "result", "stdin", "timeout_seconds", "max_stdout_bytes",
                                  "kernel_failure_exit_codes"};
  if (stage == "run") fields.insert("on_timeout");
  r.only(c, stage, fields);

  CommandSpec spec;
  spec.stage = stage;
  spec.timeout_seconds = stage == "run" ? 600 : 60;
  std::set<std::string> allowed = placeholders_for(stage);
  allowed.erase("dump");
  std::set<std::string> in_group = placeholders_for(stage);

  const json* argv = r.find(c, "argv");
  if (!argv || !argv->is_array() || argv->empty())
    r.fail(stage + ".argv", "expected a non-empty array of strings (the program, then its arguments)");
  for (std::size_t i = 0; i < argv->size(); ++i) {
    const json& a = (*argv)[i];
    const std::string field = stage + ".argv[" + std::to_string(i) + "]";
    if (a.is_string()) {
      check_placeholders(r, a.get<std::string>(), field, allowed);
      spec.argv.push_back({a.get<std::string>(), false, {}});
      continue;
    }
    if (stage == "run" && a.is_object() && a.size() == 1 && a.contains("for_each_dump")) {
      const json& group = a["for_each_dump"];
      if (!group.is_array() || group.empty())
        r.fail(field + ".for_each_dump", "expected a non-empty array of strings");
      ArgTemplate t;
      t.per_dump = true;
      for (std::size_t k = 0; k < group.size(); ++k) {
        const std::string gfield = field + ".for_each_dump[" + std::to_string(k) + "]";
        if (!group[k].is_string()) r.fail(gfield, std::string("is ") + group[k].type_name() + ", expected a string");
        check_placeholders(r, group[k].get<std::string>(), gfield, in_group);
        t.group.push_back(group[k].get<std::string>());
      }
      spec.argv.push_back(std::move(t));
      continue;
    }
    if (i == 0 || stage != "run")
      r.fail(field, std::string("is ") + a.type_name() + ", expected a string");
    r.fail(field, std::string("is ") + a.type_name() +
                      ", expected a string or {\"for_each_dump\": [\"--dump\", \"{dump}\"]}");
  }
  if (spec.argv[0].per_dump) r.fail(stage + ".argv[0]", "the program must be a string");

  const std::string result = r.string(c, stage, "result", false, "file");
  if (result != "file" && result != "stdout") r.fail(stage + ".result", "expected \"file\" or \"stdout\"");
  spec.result_on_stdout = result == "stdout";
  spec.stdin_template = r.string(c, stage, "stdin", false);
  check_placeholders(r, spec.stdin_template, stage + ".stdin", allowed);

  if (const json* t = r.find(c, "timeout_seconds")) {
    if (!t->is_number() || t->get<double>() <= 0 || t->get<double>() > 86400)
      r.fail(stage + ".timeout_seconds", "expected a number of seconds in (0, 86400]");
    spec.timeout_seconds = t->get<double>();
  }
  if (const json* m = r.find(c, "max_stdout_bytes")) {
    if (!m->is_number_unsigned() || m->get<uint64_t>() == 0 || m->get<uint64_t>() > (1ull << 30))
      r.fail(stage + ".max_stdout_bytes", "expected a positive integer of at most 1073741824");
    spec.max_stdout_bytes = m->get<std::size_t>();
  }
  if (const json* codes = r.find(c, "kernel_failure_exit_codes")) {
    if (!codes->is_array()) r.fail(stage + ".kernel_failure_exit_codes", "expected an array of exit codes 1..255");
    for (const json& code : *codes) {
      if (!code.is_number_integer() || code.get<int64_t>() < 1 || code.get<int64_t>() > 255)
        r.fail(stage + ".kernel_failure_exit_codes", "expected an array of exit codes 1..255");
      spec.kernel_failure_exit_codes.insert(code.get<int>());
    }
  }
  if (stage == "run") {
    const std::string on_timeout = r.string(c, stage, "on_timeout", false, "error");
    if (on_timeout != "error" && on_timeout != "trap") r.fail("run.on_timeout", "expected \"error\" or \"trap\"");
    spec.timeout_is_trap = on_timeout == "trap";
  }
  return spec;
}

}  // namespace

const std::set<std::string>& placeholders_for(const std::string& stage) {
  static const std::set<std::string> assemble = {"source", "preset", "preset_file", "workdir", "result",
                                                 "kernelcraft", "data_dir", "declaration_dir"};
  static const std::set<std::string> run = {"source", "program", "preset", "preset_file", "workdir", "result",
                                            "image_in", "image_out", "dumps_file", "limits_file", "max_cycles",
                                            "max_instructions", "kernelcraft", "data_dir", "declaration_dir",
                                            "dump"};
  static const std::set<std::string> docs = {"data_dir", "declaration_dir"};
  if (stage == "assemble") return assemble;
  if (stage == "run") return run;
  return docs;
}

std::vector<std::string> template_placeholders(const std::string& text, const std::string& where) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((text[i] == '{' || text[i] == '}') && i + 1 < text.size() && text[i + 1] == text[i]) {
      ++i;
      continue;
    }
    if (text[i] == '}') throw InputError(where + ": unmatched '}' in \"" + text + "\" (write }} for a literal brace)");
    if (text[i] != '{') continue;
    const std::size_t close = text.find('}', i);
    if (close == std::string::npos || close == i + 1)
      throw InputError(where + ": unclosed or empty placeholder in \"" + text + "\" (write {{ for a literal brace)");
    names.push_back(text.substr(i + 1, close - i - 1));
    i = close;
  }
  return names;
}

std::string expand_template(const std::string& text, const std::map<std::string, std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((text[i] == '{' || text[i] == '}') && i + 1 < text.size() && text[i + 1] == text[i]) {
      out += text[i++];
      continue;
    }
    if (text[i] != '{') {
      out += text[i];
      continue;
    }
    const std::size_t close = text.find('}', i);
    const std::string name = text.substr(i + 1, close - i - 1);
    auto it = values.find(name);
    if (it == values.end()) throw std::logic_error("external platform template: no value for {" + name + "}");
    out += it->second;
    i = close;
  }
  return out;
}

PlatformSpec parse_platform_spec(const std::string& json_text, const std::string& path) {
  json root;
  try {
    root = json::parse(json_text);
  } catch (const json::exception& e) {
    throw InputError(path + ": invalid JSON: " + e.what());
  }
  Reader r(path);
  if (!root.is_object()) r.fail("$", "expected an object with \"format\": \"kernelcraft-platform/1\"");
  r.only(root, "", {"format", "name", "description", "layout", "docs", "presets", "default_preset",
                    "source_extension", "assemble", "run"});
  if (r.string(root, "", "format", true) != kDeclarationFormat)
    r.fail("format", std::string("expected \"") + kDeclarationFormat + "\"");

  PlatformSpec spec;
  spec.path = path;
  spec.dir = fs::absolute(fs::path(path)).parent_path().lexically_normal().string();
  spec.name = r.string(root, "", "name", true);
  if (!valid_name(spec.name))
    r.fail("name", "'" + spec.name + "' is not a platform name: 1-64 letters, digits, '_', '-' or '.', no \".json\"");
  spec.description = r.string(root, "", "description", false, "external platform " + spec.name);

  const json* layout = r.find(root, "layout");
  if (!layout) r.fail("layout", "missing; expected a built-in platform name such as \"plena\", or {\"platform\": ..., \"presets\": {...}}");
  if (layout->is_string()) {
    spec.layout_platform = layout->get<std::string>();
  } else if (layout->is_object()) {
    r.only(*layout, "layout", {"platform", "presets"});
    spec.layout_platform = r.string(*layout, "layout", "platform", true);
    if (const json* map = r.find(*layout, "presets")) {
      if (!map->is_object()) r.fail("layout.presets", "expected an object: own preset name -> layout platform preset name");
      for (auto it = map->begin(); it != map->end(); ++it) {
        if (!it->is_string()) r.fail("layout.presets." + it.key(), "expected a preset name string");
        spec.layout_presets[it.key()] = it->get<std::string>();
      }
    }
  } else {
    r.fail("layout", std::string("is ") + layout->type_name() + ", expected a string or an object");
  }

  spec.docs = r.string(root, "", "docs", false);
  check_placeholders(r, spec.docs, "docs", placeholders_for("docs"));

  if (const json* presets = r.find(root, "presets")) {
    if (!presets->is_object() || presets->empty())
      r.fail("presets", "expected a non-empty object: preset name -> JSON object given to the commands");
    for (auto it = presets->begin(); it != presets->end(); ++it) {
      if (!valid_name(it.key())) r.fail("presets." + it.key(), "not a preset name (letters, digits, '_', '-', '.')");
      if (!it->is_object()) r.fail("presets." + it.key(), std::string("is ") + it->type_name() + ", expected an object");
      spec.presets[it.key()] = *it;
    }
  }
  for (const auto& [own, theirs] : spec.layout_presets)
    if (!spec.presets.empty() && !spec.presets.count(own))
      r.fail("layout.presets." + own, "names no preset of this declaration");
  spec.default_preset = r.string(root, "", "default_preset", false);
  if (!spec.default_preset.empty() && !spec.presets.empty() && !spec.presets.count(spec.default_preset))
    r.fail("default_preset", "'" + spec.default_preset + "' is not one of \"presets\"");

  spec.source_extension = r.string(root, "", "source_extension", false, ".asm");
  if (spec.source_extension.size() < 2 || spec.source_extension[0] != '.' ||
      spec.source_extension.find('/') != std::string::npos)
    r.fail("source_extension", "expected a file extension such as \".asm\" or \".s\"");

  spec.assemble = parse_command(r, root, "assemble");
  spec.run = parse_command(r, root, "run");
  return spec;
}

}  // namespace kc::external
