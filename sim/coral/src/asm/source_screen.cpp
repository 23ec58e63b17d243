#include "source_screen.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <cstdio>
#include <optional>
#include <set>
#include <string>

#include "constant_expression.h"
#include "statement_scanner.h"

namespace coral::assembler {
namespace {

constexpr uint64_t kSaturated = UINT64_MAX / 4;
constexpr uint64_t kStatementBytes = 8;  // upper bound of one instruction or pseudo-instruction
constexpr int64_t kMaxSubsection = 8192;  // LLVM 16's own bound (MCObjectStreamer)

uint64_t saturating_add(uint64_t a, uint64_t b) { return std::min(kSaturated, a + std::min(b, kSaturated)); }
uint64_t saturating_mul(uint64_t a, uint64_t b) {
  if (a == 0 || b == 0) return 0;
  return a > kSaturated / b ? kSaturated : a * b;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string unquote(const std::string& text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') return text.substr(1, text.size() - 2);
  return text;
}

Diagnostic error_at(const Statement& statement, std::string message, std::string hint = {}) {
  Diagnostic diagnostic;
  diagnostic.severity = "error";
  diagnostic.line = statement.line;
  diagnostic.column = statement.column;
  diagnostic.message = std::move(message);
  diagnostic.hint = std::move(hint);
  return diagnostic;
}

// Directives refused outright, with the reason the agent sees.
const std::map<std::string, std::string>& refused_directives() {
  static const std::map<std::string, std::string> table = {
      {".include", "it would read a host file; put everything in one source"},
      {".incbin", "it would read a host file; write the data with .word/.byte instead"},
      {".print", "it writes to the host's standard output; use .warning to report a value"},
      {".secure_log_unique", "it writes a host file"},
      {".secure_log_reset", "it touches a host file"},
      {".altmacro", "alternate macro mode can build directive names; use plain .macro"},
  };
  return table;
}

// Words that may not appear inside macro or .irp arguments (they could become a directive).
const char* const kForbiddenArgumentWords[] = {".include", ".incbin", ".print", ".secure_log", ".altmacro"};

bool is_single_parameter_reference(const std::string& text) {
  if (text.size() < 2 || text[0] != '\\') return false;
  if (!(std::isalpha(static_cast<unsigned char>(text[1])) || text[1] == '_')) return false;
  return std::all_of(text.begin() + 1, text.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// Extensions an `.attribute arch` string may name without leaving the Coral target.
bool is_allowed_extension(const std::string& name) {
  static const std::set<std::string> allowed = {"i",       "m",       "f",      "zicsr",  "zifencei", "zmmul",
                                                "zve32x",  "zve32f",  "zvl32b", "zvl64b", "zvl128b"};
  return allowed.count(name) != 0;
}

std::string strip_version(std::string name) {
  // "zve32f1p0" -> "zve32f": drop trailing digits, an optional 'p' and more digits.
  auto drop_digits = [&name] {
    while (!name.empty() && std::isdigit(static_cast<unsigned char>(name.back()))) name.pop_back();
  };
  const std::string original = name;
  drop_digits();
  if (!name.empty() && name.back() == 'p' && name.size() < original.size()) {
    name.pop_back();
    drop_digits();
  }
  return name;
}

// Returns the first extension outside the Coral set, or "" when the string is acceptable.
std::string foreign_extension(const std::string& arch) {
  const std::string text = lower(unquote(arch));
  if (text.rfind("rv32", 0) != 0) return text.empty() ? "(empty)" : text;
  std::vector<std::string> parts;
  std::size_t start = 4;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('_', start), text.size());
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  // The first part is single-letter extensions with optional versions: "i2p1m2p0f2p2".
  const std::string& letters = parts.front();
  for (std::size_t i = 0; i < letters.size(); ++i) {
    const char c = letters[i];
    if (std::isdigit(static_cast<unsigned char>(c)) || (c == 'p' && i > 0 && std::isdigit(static_cast<unsigned char>(letters[i - 1]))))
      continue;
    if (!is_allowed_extension(std::string(1, c))) return std::string(1, c);
  }
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::string name = strip_version(parts[i]);
    if (!is_allowed_extension(name)) return name.empty() ? "(empty)" : name;
  }
  return "";
}

struct MacroDefinition {
  std::vector<Statement> body;
  const Statement* definition = nullptr;
};

// Pass 1 checks each statement on its own and collects macro bodies; pass 2 (ExpansionBudget)
// bounds what the top level expands to.
// `.equ NAME, EXPR` (also .set/.equiv/.eqv) or `NAME = EXPR`: the name and the expression.
std::optional<std::pair<std::string, std::string>> constant_definition(const Statement& statement) {
  static const std::set<std::string> kDefiners = {".equ", ".set", ".equiv", ".eqv"};
  if (kDefiners.count(lower(statement.head))) {
    const auto operands = split_operands(statement.operands);
    if (operands.size() == 2) return std::make_pair(operands[0], operands[1]);
    return std::nullopt;
  }
  if (!statement.operands.empty() && statement.operands[0] == '=' && statement.operands.compare(0, 2, "==") != 0)
    return std::make_pair(statement.head, statement.operands.substr(1));
  return std::nullopt;
}

// The named constants sizes and counts may use: names defined exactly once, outside every macro
// and repetition body, by an expression constant over the names defined before them. A name a
// loop or a second definition could change stays non-constant, so the screen never
// under-estimates what LLVM will expand.
SymbolValues constant_symbols(const std::vector<Statement>& statements) {
  struct Definition {
    std::string name, expression;
    bool top_level;
  };
  std::vector<Definition> definitions;
  std::map<std::string, int> times_defined;
  int depth = 0;
  for (const Statement& statement : statements) {
    const std::string head = lower(statement.head);
    if (head == ".macro" || head == ".rept" || head == ".irp" || head == ".irpc") ++depth;
    if ((head == ".endm" || head == ".endr") && depth > 0) --depth;
    if (const auto definition = constant_definition(statement)) {
      ++times_defined[definition->first];
      definitions.push_back({definition->first, definition->second, depth == 0});
    }
  }
  SymbolValues values;
  for (const Definition& d : definitions) {
    if (!d.top_level || times_defined[d.name] != 1) continue;
    if (const auto value = evaluate_constant(d.expression, &values)) values[d.name] = *value;
  }
  return values;
}

class SourceScreen {
 public:
  SourceScreen(const AssembleOptions& options, const SymbolValues& symbols, ScreenResult& result)
      : options_(options),
        symbols_(symbols),
        result_(result),
        largest_memory_(std::max(options.itcm_size, options.dtcm_size)) {}

  void check(const std::vector<Statement>& statements) {
    for (const Statement& statement : statements) {
      check_statement(statement);
      route(statement);
    }
  }

  const std::map<std::string, MacroDefinition>& macros() const { return macros_; }
  const std::vector<Statement>& top_level() const { return top_level_; }

 private:
  void route(const Statement& statement) {
    const std::string head = lower(statement.head);
    if (head == ".macro") {
      if (current_macro_ != nullptr) {
        fail(statement, "nested .macro definitions are not supported", "define each macro at the top level");
        return;
      }
      const auto operands = split_operands(statement.operands);
      std::string name = operands.empty() ? "" : operands.front();
      name = name.substr(0, name.find_first_of(" \t"));
      current_macro_ = &macros_[name];
      current_macro_->body.clear();
      current_macro_->definition = &statement;
      return;
    }
    if (head == ".endm" || head == ".endmacro") {
      current_macro_ = nullptr;
      return;
    }
    if (current_macro_ != nullptr) current_macro_->body.push_back(statement);
    else top_level_.push_back(statement);
  }

  void fail(const Statement& statement, std::string message, std::string hint = {}) {
    result_.errors.push_back(error_at(statement, std::move(message), std::move(hint)));
  }

  void check_statement(const Statement& statement) {
    const std::string head = lower(statement.head);
    if (head.find('\\') != std::string::npos && !is_single_parameter_reference(statement.head)) {
      fail(statement, "'" + statement.head + "': a mnemonic or directive may not be built from macro arguments",
           "pass the whole mnemonic as one argument (\\op) or write it out");
      return;
    }
    // `. = EXPR` moves the location counter; LLVM 16 dereferences a null fragment on some forms
    // of it (a crash, found by fuzz_coral_assembler: regress-location-counter.s). .org and .space
    // say the same thing and are screened.
    if (const auto definition = constant_definition(statement); definition && definition->first == ".") {
      fail(statement, "assigning to the location counter '.' is not supported", "use .org or .space instead");
      return;
    }
    // LLVM 16 aborts ("unable to evaluate offset for variable") on such a value instead of
    // reporting it (found by fuzz_coral_assembler: regress-equ-division-by-zero.s).
    if (const auto definition = constant_definition(statement);
        definition && divides_by_constant_zero(definition->second, &symbols_)) {
      fail(statement, "the value of '" + definition->first + "' divides by zero", "fix the expression's divisor");
      return;
    }
    const auto refused = refused_directives().find(head);
    if (refused != refused_directives().end()) {
      fail(statement, "'" + statement.head + "' is not allowed: " + refused->second);
      return;
    }
    if (head == ".macro" || head == ".irp" || head == ".irpc" || macros_.count(statement.head) != 0)
      check_arguments(statement);
    const auto handler = directive_checks().find(head);
    if (handler != directive_checks().end()) (this->*handler->second)(statement);
  }

  void check_arguments(const Statement& statement) {
    const std::string text = lower(statement.operands);
    for (const char* word : kForbiddenArgumentWords) {
      if (text.find(word) != std::string::npos) {
        fail(statement, std::string("'") + word + "' may not be passed as a macro or .irp argument");
        return;
      }
    }
    for (const std::string& argument : split_operands(statement.operands)) {
      if (argument.find('\\') == std::string::npos || is_single_parameter_reference(argument)) continue;
      if (argument[0] == '.' || argument[0] == '\\') {
        fail(statement, "argument '" + argument + "' glues text to a macro parameter in a way that could form a directive",
             "pass plain values, or a single \\parameter");
        return;
      }
    }
  }

  using Check = void (SourceScreen::*)(const Statement&);
  static const std::map<std::string, Check>& directive_checks() {
    static const std::map<std::string, Check> table = {
        {".space", &SourceScreen::check_size}, {".skip", &SourceScreen::check_size},
        {".zero", &SourceScreen::check_size},  {".org", &SourceScreen::check_size},
        {".fill", &SourceScreen::check_fill},  {".rept", &SourceScreen::check_repeat_count},
        {".align", &SourceScreen::check_power_alignment}, {".p2align", &SourceScreen::check_power_alignment},
        {".p2alignw", &SourceScreen::check_power_alignment}, {".p2alignl", &SourceScreen::check_power_alignment},
        {".balign", &SourceScreen::check_byte_alignment}, {".balignw", &SourceScreen::check_byte_alignment},
        {".balignl", &SourceScreen::check_byte_alignment}, {".option", &SourceScreen::check_option},
        {".attribute", &SourceScreen::check_attribute}, {".loc", &SourceScreen::note_line_directive},
        {".file", &SourceScreen::check_file},
        // Every ELF section-switch directive of LLVM 16 takes an optional subsection operand.
        {".text", &SourceScreen::check_subsection}, {".data", &SourceScreen::check_subsection},
        {".bss", &SourceScreen::check_subsection}, {".rodata", &SourceScreen::check_subsection},
        {".tdata", &SourceScreen::check_subsection}, {".tbss", &SourceScreen::check_subsection},
        {".data.rel", &SourceScreen::check_subsection}, {".data.rel.ro", &SourceScreen::check_subsection},
        {".eh_frame", &SourceScreen::check_subsection}, {".subsection", &SourceScreen::check_subsection},
        {".pushsection", &SourceScreen::check_pushsection_subsection},
    };
    return table;
  }

  std::optional<int64_t> constant_operand(const Statement& statement, std::size_t index, const char* what) {
    const auto operands = split_operands(statement.operands);
    if (index >= operands.size()) return 0;
    const auto value = evaluate_constant(operands[index], &symbols_);
    if (!value) {
      fail(statement, statement.head + " needs a constant " + what + ", got '" + operands[index] + "'",
           "write the " + std::string(what) + " as a number or a name given once by .equ (labels, macro "
           "arguments and redefined names are not accepted here)");
    }
    return value;
  }

  void check_size(const Statement& statement) {
    const auto size = constant_operand(statement, 0, "size");
    if (size && (*size < 0 || static_cast<uint64_t>(*size) > largest_memory_))
      fail(statement, statement.head + " of " + std::to_string(*size) + " bytes is larger than any memory (ITCM " +
                          std::to_string(options_.itcm_size) + " bytes, DTCM " + std::to_string(options_.dtcm_size) + " bytes)");
  }

  void check_fill(const Statement& statement) {
    const auto repeat = constant_operand(statement, 0, "repeat count");
    const auto size = constant_operand(statement, 1, "size");
    if (!repeat || !size) return;
    const uint64_t bytes = saturating_mul(static_cast<uint64_t>(std::max<int64_t>(*repeat, 0)),
                                          static_cast<uint64_t>(std::clamp<int64_t>(*size, 1, 8)));
    if (*repeat < 0 || bytes > largest_memory_)
      fail(statement, ".fill of " + std::to_string(*repeat) + " items is larger than any memory (" +
                          std::to_string(largest_memory_) + " bytes)");
  }

  void check_repeat_count(const Statement& statement) {
    const auto count = constant_operand(statement, 0, "repeat count");
    if (count && (*count < 0 || static_cast<uint64_t>(*count) > kMaxRepeatProduct))
      fail(statement, ".rept count " + std::to_string(*count) + " is out of range [0, " + std::to_string(kMaxRepeatProduct) + "]");
  }

  void check_alignment(const Statement& statement, bool is_power) {
    const auto value = constant_operand(statement, 0, "alignment");
    if (!value) return;
    const bool too_large = is_power ? (*value < 0 || *value > 16) : (*value < 0 || *value > int64_t{kMaxAlignment});
    if (too_large)
      fail(statement, statement.head + " " + std::to_string(*value) + " asks for more than " +
                          std::to_string(kMaxAlignment) + "-byte alignment");
  }
  void check_power_alignment(const Statement& statement) { check_alignment(statement, true); }
  void check_byte_alignment(const Statement& statement) { check_alignment(statement, false); }

  // LLVM 16 aborts the process (report_fatal_error) on a subsection number it cannot evaluate
  // or outside [0, 8192]; both must be refused here, as an ordinary assembly error.
  void check_subsection_at(const Statement& statement, std::size_t index) {
    const auto operands = split_operands(statement.operands);
    if (index >= operands.size()) return;
    const auto value = constant_operand(statement, index, "subsection number");
    if (value && (*value < 0 || *value > kMaxSubsection))
      fail(statement, statement.head + " subsection " + std::to_string(*value) + " is out of range [0, " +
                          std::to_string(kMaxSubsection) + "]");
  }
  void check_subsection(const Statement& statement) { check_subsection_at(statement, 0); }
  // `.pushsection NAME, SUBSECTION`; a string there is the flags argument instead.
  void check_pushsection_subsection(const Statement& statement) {
    const auto operands = split_operands(statement.operands);
    if (operands.size() > 1 && operands[1].front() != '"') check_subsection_at(statement, 1);
  }

  void check_option(const Statement& statement) {
    static const std::map<std::string, std::string> refused = {
        {"rvc", "compressed instructions are not part of the Coral target"},
        {"relax", "linker relaxation is not supported by the Coral linker"},
        {"pic", "position-independent code needs a GOT, which the Coral linker does not build"},
        {"arch", "the Coral target's extensions are fixed"},
    };
    const auto operands = split_operands(statement.operands);
    if (operands.empty()) return;
    const std::string option = lower(operands.front());
    const auto found = refused.find(option);
    if (found != refused.end()) fail(statement, ".option " + option + " is not allowed: " + found->second);
  }

  void check_attribute(const Statement& statement) {
    const auto operands = split_operands(statement.operands);
    if (operands.size() < 2) return;
    const std::string tag = lower(operands[0]);
    if (tag != "arch" && tag != "tag_riscv_arch" && tag != "5") return;
    const std::string foreign = foreign_extension(operands[1]);
    if (!foreign.empty())
      fail(statement, ".attribute arch names '" + foreign + "', which is outside the Coral target",
           "the Coral target is rv32imf with zicsr, zifencei, zve32x, zve32f and zvl128b");
  }

  void note_line_directive(const Statement&) { result_.has_own_line_directives = true; }
  void check_file(const Statement& statement) {
    const auto operands = split_operands(statement.operands);
    const std::string first = operands.empty() ? "" : operands.front();
    if (!first.empty() && std::isdigit(static_cast<unsigned char>(first[0]))) result_.has_own_line_directives = true;
  }

  const AssembleOptions& options_;
  const SymbolValues& symbols_;
  ScreenResult& result_;
  const uint64_t largest_memory_;
  std::map<std::string, MacroDefinition> macros_;
  MacroDefinition* current_macro_ = nullptr;
  std::vector<Statement> top_level_;
};

// Estimates (from above) the bytes a statement list expands to, refusing what exceeds bounds.
class ExpansionBudget {
 public:
  ExpansionBudget(const std::map<std::string, MacroDefinition>& macros, const SymbolValues& symbols, uint64_t budget,
                  ScreenResult& result)
      : macros_(macros), symbols_(symbols), budget_(budget), result_(result) {}

  void check_top_level(const std::vector<Statement>& statements) {
    const uint64_t total = expand(statements, nullptr);
    if (total > budget_ && !failed_)
      report(statements.empty() ? Statement{} : statements.front(), total);
  }

 private:
  struct Frame {
    uint64_t multiplier = 1;
    uint64_t bytes = 0;
    const Statement* opener = nullptr;
  };

  uint64_t expand(const std::vector<Statement>& statements, const Statement* invocation) {
    std::vector<Frame> frames(1);
    uint64_t product = 1;
    for (const Statement& statement : statements) {
      if (failed_) return kSaturated;
      const std::string head = lower(statement.head);
      if (head == ".rept" || head == ".irp" || head == ".irpc") {
        const uint64_t count = repeat_count(head, statement);
        product = saturating_mul(product, std::max<uint64_t>(count, 1));
        if (product > kMaxRepeatProduct) {
          fail(invocation ? *invocation : statement, "nested repetitions multiply to more than " +
                                                         std::to_string(kMaxRepeatProduct) + " copies");
          return kSaturated;
        }
        frames.push_back(Frame{count, 0, &statement});
        continue;
      }
      if (head == ".endr" && frames.size() > 1) {
        const Frame done = frames.back();
        frames.pop_back();
        product /= std::max<uint64_t>(done.multiplier, 1);
        frames.back().bytes = saturating_add(frames.back().bytes, saturating_mul(done.multiplier, done.bytes));
        continue;
      }
      frames.back().bytes = saturating_add(frames.back().bytes, statement_bytes(statement, head));
      if (saturating_mul(product, frames.back().bytes) > budget_) {
        const Statement& culprit = invocation ? *invocation : (frames.size() > 1 ? *frames[1].opener : statement);
        report(culprit, saturating_mul(product, frames.back().bytes));
        return kSaturated;
      }
    }
    while (frames.size() > 1) {  // an unclosed block; LLVM reports it, we still bound it
      const Frame done = frames.back();
      frames.pop_back();
      frames.back().bytes = saturating_add(frames.back().bytes, saturating_mul(done.multiplier, done.bytes));
    }
    return frames.front().bytes;
  }

  uint64_t repeat_count(const std::string& head, const Statement& statement) const {
    if (head == ".rept") {
      const auto value = evaluate_constant(statement.operands, &symbols_);
      return value && *value > 0 ? static_cast<uint64_t>(*value) : 0;
    }
    const auto operands = split_operands(statement.operands);
    if (head == ".irp") return operands.size() > 1 ? operands.size() - 1 : 1;
    return operands.size() > 1 ? unquote(operands[1]).size() : 1;
  }

  uint64_t statement_bytes(const Statement& statement, const std::string& head) {
    const auto macro = macros_.find(statement.head);
    if (macro != macros_.end()) return macro_bytes(macro->first, macro->second, statement);
    if (head == ".space" || head == ".skip" || head == ".zero" || head == ".org") {
      const auto operands = split_operands(statement.operands);
      const auto size = operands.empty() ? std::nullopt : evaluate_constant(operands[0], &symbols_);
      return size && *size > 0 ? static_cast<uint64_t>(*size) : 0;
    }
    if (head == ".fill") {
      const auto operands = split_operands(statement.operands);
      const auto repeat = operands.empty() ? std::nullopt : evaluate_constant(operands[0], &symbols_);
      return repeat && *repeat > 0 ? saturating_mul(static_cast<uint64_t>(*repeat), 8) : 0;
    }
    // Data directives emit at most 8 bytes per operand character; instructions at most 8 bytes.
    return kStatementBytes + (head[0] == '.' ? saturating_mul(8, statement.operands.size()) : 0);
  }

  uint64_t macro_bytes(const std::string& name, const MacroDefinition& macro, const Statement& invocation) {
    const auto known = macro_cost_.find(name);
    if (known != macro_cost_.end()) return known->second;
    if (!expanding_.insert(name).second) {
      fail(invocation, "macro '" + name + "' invokes itself; recursive macros are not supported",
           "unroll with .rept or write the cases out");
      return kSaturated;
    }
    const uint64_t cost = expand(macro.body, &invocation);
    expanding_.erase(name);
    macro_cost_[name] = cost;
    return cost;
  }

  void report(const Statement& statement, uint64_t bytes) {
    fail(statement, "this expands to about " + (bytes >= kSaturated ? std::string("unbounded") : std::to_string(bytes)) +
                        " bytes of output, more than the limit of " + std::to_string(budget_) + " bytes",
         "use loops in the kernel instead of assembler repetition");
  }

  void fail(const Statement& statement, std::string message, std::string hint = {}) {
    if (failed_) return;
    failed_ = true;
    result_.errors.push_back(error_at(statement, std::move(message), std::move(hint)));
  }

  const std::map<std::string, MacroDefinition>& macros_;
  const SymbolValues& symbols_;
  const uint64_t budget_;
  ScreenResult& result_;
  std::map<std::string, uint64_t> macro_cost_;
  std::set<std::string> expanding_;
  bool failed_ = false;
};

}  // namespace

// Control characters other than tab, CR and LF have no use in assembly, and some reach paths of
// LLVM 16's parser that leak memory; the first one is refused with its line and column.
std::optional<Diagnostic> control_character(const std::string& source) {
  uint32_t line = 1, column = 1;
  for (const char c : source) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t' && c != '\r' && c != '\n') || byte == 0x7F) {
      char code[8];
      std::snprintf(code, sizeof code, "0x%02X", byte);
      Statement where;
      where.line = line;
      where.column = column;
      return error_at(where, std::string("control character ") + code + " in the source",
                      "remove it; only tab, CR and LF are allowed");
    }
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::nullopt;
}

ScreenResult screen_source(const std::string& source, const AssembleOptions& options) {
  ScreenResult result;
  if (auto refused = control_character(source)) {
    result.errors.push_back(std::move(*refused));
    return result;
  }
  const std::vector<Statement> statements = scan_statements(source);
  const SymbolValues symbols = constant_symbols(statements);
  SourceScreen screen(options, symbols, result);
  screen.check(statements);
  if (!result.errors.empty()) return result;
  // The estimate counts 8 bytes per instruction, so twice the memories still admits any
  // program that could fit, while refusing expansions LLVM would spend seconds on.
  const uint64_t budget = 2 * (uint64_t{options.itcm_size} + options.dtcm_size) + (1u << 16);
  ExpansionBudget(screen.macros(), symbols, budget, result).check_top_level(screen.top_level());
  return result;
}

}  // namespace coral::assembler
