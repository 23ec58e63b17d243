#include "plena/assembler.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>
#include <optional>
#include <utility>

namespace plena {
namespace {

// The result lists at most this many diagnostics; the last slot summarises what was left out.
constexpr std::size_t kMaxDiagnostics = 100;

// ---------------------------------------------------------------------------------------------
// Small text helpers.

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_digit_value(char c) {
  if (is_digit(c)) return c - '0';
  const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && upper(text.substr(0, prefix.size())) == upper(prefix);
}

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// A piece of one source line and the 1-based column of its first character.
struct Token {
  std::string_view text;
  uint32_t column = 0;
};

uint32_t column_of(std::size_t index_in_line) { return static_cast<uint32_t>(index_in_line + 1); }

// ---------------------------------------------------------------------------------------------
// Literals.

// Far outside every field, so out-of-range values stay out of range instead of wrapping.
constexpr int64_t kSaturatedMagnitude = int64_t{1} << 40;

// Decimal, negative decimal or 0x-hex. Huge values saturate; callers print the source text.
std::optional<int64_t> parse_integer(std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty()) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    const int digit = base == 16 ? hex_digit_value(c) : (is_digit(c) ? c - '0' : -1);
    if (digit < 0) return std::nullopt;
    value = std::min(value * base + digit, kSaturatedMagnitude);
  }
  return negative ? -value : value;
}

struct RegisterClass {
  OperandKind kind;
  const char* prefix;
  unsigned count;
};

constexpr RegisterClass kRegisterClasses[] = {
    {OperandKind::Gp, "gp", kGpRegs},
    {OperandKind::Fp, "f", kFpRegs},
    {OperandKind::Addr, "a", kAddrRegs},
};

const RegisterClass& register_class(OperandKind kind) {
  const OperandKind wanted = kind == OperandKind::GpOrZero ? OperandKind::Gp : kind;
  for (const RegisterClass& cls : kRegisterClasses)
    if (cls.kind == wanted) return cls;
  return kRegisterClasses[0];
}

std::string register_range_text(const RegisterClass& cls) {
  return std::string(cls.prefix) + "0-" + cls.prefix + std::to_string(cls.count - 1);
}

struct RegisterName {
  const RegisterClass* cls;
  int64_t index;  // may exceed the class's count; the caller reports that
};

// "gp3", "F1", "a12": a class prefix followed by decimal digits.
std::optional<RegisterName> parse_register_name(std::string_view text) {
  for (const RegisterClass& cls : kRegisterClasses) {
    const std::string_view prefix(cls.prefix);
    if (!starts_with_ignoring_case(text, prefix)) continue;
    const std::string_view digits = text.substr(prefix.size());
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), is_digit)) continue;
    return RegisterName{&cls, *parse_integer(digits)};
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Instruction syntax text used in messages.

std::string operand_list(const InstrDef& def, std::size_t from, std::size_t to) {
  std::string text;
  for (std::size_t i = from; i < to; ++i)
    text += (i == from ? "" : ", ") + std::string(def.operands[i].role);
  return text;
}

// "M_MM 0, matrix addr, vector addr"; optional trailing operands in brackets.
std::string usage(const InstrDef& def) {
  const std::size_t required = def.required_operand_count();
  const std::size_t total = def.operand_count();
  std::string text = def.mnemonic;
  if (required > 0) text += " " + operand_list(def, 0, required);
  if (total > required)
    text += (required == 0 ? " [" : " [, ") + operand_list(def, required, total) + "]";
  return text;
}

std::string count_text(std::size_t count) {
  return std::to_string(count) + (count == 1 ? " operand" : " operands");
}

std::string expected_count_text(const InstrDef& def) {
  const std::size_t required = def.required_operand_count();
  const std::size_t total = def.operand_count();
  if (required == total) return count_text(total);
  return std::to_string(required) + " to " + count_text(total);
}

// ---------------------------------------------------------------------------------------------
// Diagnostics, capped at kMaxDiagnostics.

class Diagnostics {
 public:
  void error(uint32_t line, uint32_t column, std::string message, std::string hint) {
    add({Diagnostic::Severity::Error, line, column, std::move(message), std::move(hint)});
  }
  void warning(uint32_t line, uint32_t column, std::string message, std::string hint) {
    add({Diagnostic::Severity::Warning, line, column, std::move(message), std::move(hint)});
  }

  // Sorted by position, plus one summary entry when some were left out.
  std::vector<Diagnostic> finish() {
    std::stable_sort(list_.begin(), list_.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::make_pair(a.line, a.column) < std::make_pair(b.line, b.column);
    });
    if (dropped_errors_ + dropped_warnings_ > 0) list_.push_back(summary_of_dropped());
    return std::move(list_);
  }

 private:
  void add(Diagnostic diagnostic) {
    if (list_.size() < kMaxDiagnostics - 1) {
      list_.push_back(std::move(diagnostic));
      return;
    }
    if (dropped_errors_ + dropped_warnings_ == 0) first_dropped_line_ = diagnostic.line;
    ++(diagnostic.severity == Diagnostic::Severity::Error ? dropped_errors_ : dropped_warnings_);
  }

  // An Error whenever an error was dropped, so ok() never hides one.
  Diagnostic summary_of_dropped() const {
    Diagnostic summary;
    summary.severity =
        dropped_errors_ > 0 ? Diagnostic::Severity::Error : Diagnostic::Severity::Warning;
    summary.line = first_dropped_line_;
    summary.column = 1;
    summary.message = "too many diagnostics: " + std::to_string(dropped_errors_) +
                      " more errors and " + std::to_string(dropped_warnings_) +
                      " more warnings from this line on are not shown";
    summary.hint = "fix the problems above and assemble again";
    return summary;
  }

  std::vector<Diagnostic> list_;
  std::size_t dropped_errors_ = 0;
  std::size_t dropped_warnings_ = 0;
  uint32_t first_dropped_line_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Lexing one line into a mnemonic and comma-separated operand tokens.

struct LexedLine {
  Token mnemonic;
  std::vector<Token> operands;
  bool operands_ok = true;  // false after a comma/spacing error: operand positions are unreliable
};

std::string_view strip_comment(std::string_view line) {
  return line.substr(0, std::min(line.find_first_of(";#"), line.size()));
}

std::size_t skip_spaces(std::string_view text, std::size_t pos) {
  while (pos < text.size() && is_space(text[pos])) ++pos;
  return pos;
}

std::size_t skip_word(std::string_view text, std::size_t pos) {
  while (pos < text.size() && !is_space(text[pos]) && text[pos] != ',') ++pos;
  return pos;
}

class LineLexer {
 public:
  LineLexer(std::string_view code, uint32_t line, Diagnostics& diagnostics)
      : code_(code), line_(line), diagnostics_(diagnostics) {}

  // nullopt for a blank or comment-only line.
  std::optional<LexedLine> lex() {
    const std::size_t start = skip_spaces(code_, 0);
    if (start == code_.size()) return std::nullopt;
    const std::size_t end = skip_word(code_, start);
    out_.mnemonic = {code_.substr(start, end - start), column_of(start)};
    if (skip_spaces(code_, end) < code_.size()) split_operands(end);
    return std::move(out_);
  }

 private:
  void split_operands(std::size_t pos) {
    for (bool first = true;; first = false) {
      const std::size_t comma = code_.find(',', pos);
      const bool last = comma == std::string_view::npos;
      const std::size_t end = last ? code_.size() : comma;
      lex_operand(pos, end, first, last);
      if (last) return;
      pos = comma + 1;
    }
  }

  // One comma-separated piece [begin, end): exactly one word is an operand.
  void lex_operand(std::size_t begin, std::size_t end, bool first, bool last) {
    const std::string_view piece = code_.substr(0, end);
    const std::size_t word = skip_spaces(piece, begin);
    if (word == end) return report_empty_operand(begin, end, first, last);
    const std::size_t word_end = skip_word(piece, word);
    out_.operands.push_back({piece.substr(word, word_end - word), column_of(word)});
    const std::size_t next = skip_spaces(piece, word_end);
    if (next < end) report_missing_comma(word, word_end, next, skip_word(piece, next));
  }

  void report_empty_operand(std::size_t begin, std::size_t end, bool first, bool last) {
    out_.operands_ok = false;
    if (last)
      return diagnostics_.error(line_, column_of(begin - 1), "trailing ',' after the last operand",
                                "remove the ',' at the end of the instruction");
    if (first)
      return diagnostics_.error(
          line_, column_of(end), "unexpected ',' before the first operand",
          "write the mnemonic, a space, then the operands: MNEMONIC op1, op2");
    diagnostics_.error(line_, column_of(end), "empty operand: two ',' in a row",
                       "remove the extra ','");
  }

  void report_missing_comma(std::size_t word, std::size_t word_end, std::size_t next,
                            std::size_t next_end) {
    out_.operands_ok = false;
    const std::string_view left = code_.substr(word, word_end - word);
    const std::string_view right = code_.substr(next, next_end - next);
    diagnostics_.error(
        line_, column_of(next), "missing ',' between " + quoted(left) + " and " + quoted(right),
        "separate operands with commas: " + std::string(left) + ", " + std::string(right));
  }

  std::string_view code_;
  uint32_t line_;
  Diagnostics& diagnostics_;
  LexedLine out_;
};

// ---------------------------------------------------------------------------------------------
// Operand parsing against the instruction table.

// What the assembler says for each register operand kind.
struct RegisterKindText {
  OperandKind kind;
  const char* expected;       // "expected ... (role)"
  const char* wrong_class;    // hint when another register class or a word was written
  const char* constant_hint;  // hint when a number was written
};

constexpr RegisterKindText kRegisterKindTexts[] = {
    {OperandKind::Gp, "a gp register",
     "this operand is one of the integer registers gp0-gp15 (f registers hold BF16 values, a "
     "registers HBM base addresses)",
     "this operand names the gp register that holds the value, not the value itself: set a "
     "register first (e.g. S_ADDI_INT gp1, gp0, 64) and write gp1 here"},
    {OperandKind::GpOrZero, "a gp register or 0",
     "this operand is one of the integer registers gp0-gp15, or 0 for no offset",
     "write 0 for no offset; any other offset must be in a gp register (e.g. S_ADDI_INT gp1, "
     "gp0, 64 and write gp1 here)"},
    {OperandKind::Fp, "an f register", "this operand is one of the BF16 scalar registers f0-f7",
     "the scalar comes from an f register, not a constant: load it first (e.g. S_LD_FP f1, gp0, "
     "<FP SRAM address>) and write f1 here"},
    {OperandKind::Addr, "an a register",
     "this operand is one of the HBM base address registers a0-a7",
     "set an address register first with C_SET_ADDR_REG a0, gp_high, gp_low and write a0 here"},
};

const RegisterKindText& register_kind_text(OperandKind kind) {
  for (const RegisterKindText& text : kRegisterKindTexts)
    if (text.kind == kind) return text;
  return kRegisterKindTexts[0];
}

struct FlagText {
  const char* role;
  const char* meaning;
};

constexpr FlagText kFlagTexts[] = {
    {"rmask", "rmask 1 applies the V_MASK register (set by C_SET_V_MASK_REG), 0 uses every lane"},
    {"rorder", "rorder 0 computes vector - scalar, 1 computes scalar - vector"},
    {"rstride", "rstride 1 steps HBM rows by STRIDE_REG, 0 transfers one contiguous row/tile"},
    {"precision", "precision 0 is the weight/activation format, 1 the KV-cache format"},
};

std::string flag_hint(std::string_view role) {
  for (const FlagText& text : kFlagTexts)
    if (role == text.role) return text.meaning;
  return "flags are the literals 0 or 1";
}

std::string range_hint(OperandKind kind) {
  switch (kind) {
    case OperandKind::ImmS18:
      return "signed 18-bit immediate; build larger constants with S_LUI_INT (upper 20 bits, "
             "shifted left by 12) followed by S_ADDI_INT for the low 12 bits";
    case OperandKind::ImmU20:
      return "S_LUI_INT shifts its immediate left by 12 (gp = imm << 12), so imm must be below "
             "2^20 = 1048576: write the constant shifted right by 12, e.g. 0x12345 for 0x12345000";
    case OperandKind::ImmU22:
      return "iteration counts must be below 2^22 = 4194304; split the loop into two nested loops";
    default:
      return "unsigned 18-bit offset; add larger offsets to the base register first with "
             "S_ADDI_INT or S_LUI_INT";
  }
}

const char* ordinal(std::size_t index) {
  static constexpr const char* kOrdinals[] = {"first", "second", "third", "fourth", "fifth"};
  return kOrdinals[std::min(index, std::size(kOrdinals) - 1)];
}

// Parses one operand token per its table row; reports and returns nullopt when invalid.
class OperandParser {
 public:
  OperandParser(const InstrDef& def, uint32_t line, Diagnostics& diagnostics)
      : def_(def), line_(line), diagnostics_(diagnostics) {}

  std::optional<int64_t> parse(std::size_t index, Token token) {
    switch (def_.operands[index].kind) {
      case OperandKind::Gp:
      case OperandKind::GpOrZero:
      case OperandKind::Fp:
      case OperandKind::Addr:
        return parse_register(index, token);
      case OperandKind::Zero:
        return parse_placeholder(index, token);
      case OperandKind::Flag:
        return parse_flag(index, token);
      case OperandKind::None:
        break;
      default:
        return parse_immediate(index, token);
    }
    return std::nullopt;
  }

 private:
  std::string where(std::size_t index) const {
    return "operand " + std::to_string(index + 1) + " of " + def_.mnemonic;
  }
  std::string where_with_role(std::size_t index) const {
    return where(index) + " (" + def_.operands[index].role + ")";
  }

  std::optional<int64_t> fail(Token token, std::string message, std::string hint) {
    diagnostics_.error(line_, token.column, std::move(message), std::move(hint));
    return std::nullopt;
  }

  std::optional<int64_t> parse_register(std::size_t index, Token token) {
    const OperandSpec& spec = def_.operands[index];
    const std::optional<int64_t> number = parse_integer(token.text);
    if (spec.kind == OperandKind::GpOrZero && number == 0) return 0;
    const RegisterClass& wanted = register_class(spec.kind);
    const std::optional<RegisterName> name = parse_register_name(token.text);
    if (!name || name->cls != &wanted) {
      const RegisterKindText& text = register_kind_text(spec.kind);
      return fail(token,
                  where(index) + ": expected " + text.expected + " (" + spec.role + "), found " +
                      quoted(token.text),
                  number ? text.constant_hint : text.wrong_class);
    }
    if (name->index >= wanted.count)
      return fail(token,
                  where_with_role(index) + ": register " + quoted(token.text) + " does not exist",
                  "registers are " + register_range_text(wanted));
    return name->index;
  }

  std::optional<int64_t> parse_placeholder(std::size_t index, Token token) {
    const std::optional<RegisterName> name = parse_register_name(token.text);
    const bool is_gp0 = name && name->cls->kind == OperandKind::Gp && name->index == 0;
    if (parse_integer(token.text) == 0 || is_gp0) return 0;
    return fail(token,
                std::string(ordinal(index)) + " operand of " + def_.mnemonic +
                    " is a placeholder and must be 0, found " + quoted(token.text),
                "write 0 in this position; the syntax is " + usage(def_));
  }

  std::optional<int64_t> parse_flag(std::size_t index, Token token) {
    const std::optional<int64_t> value = parse_integer(token.text);
    if (value == 0 || value == 1) return value;
    return fail(token, where_with_role(index) + ": expected 0 or 1, found " + quoted(token.text),
                flag_hint(def_.operands[index].role));
  }

  std::optional<int64_t> parse_immediate(std::size_t index, Token token) {
    const OperandSpec& spec = def_.operands[index];
    const std::optional<int64_t> value = parse_integer(token.text);
    if (!value) {
      const bool looks_like_register = parse_register_name(token.text).has_value();
      return fail(
          token,
          where_with_role(index) + ": expected an integer immediate, found " + quoted(token.text),
          std::string("immediates are decimal (42, -5) or hex (0x2a)") +
              (looks_like_register ? "; this position takes a constant, not a register" : ""));
    }
    const ImmRange range = immediate_range(spec.kind);
    if (*value < range.min || *value > range.max)
      return fail(token,
                  where_with_role(index) + ": " + std::string(token.text) +
                      " is out of range; allowed " + std::to_string(range.min) + ".." +
                      std::to_string(range.max),
                  range_hint(spec.kind));
    return value;
  }

  const InstrDef& def_;
  uint32_t line_;
  Diagnostics& diagnostics_;
};

// ---------------------------------------------------------------------------------------------
// Static loop-structure checks. PLENA has no branches, so the C_LOOP_START/C_LOOP_END pairing
// is fully known at assembly time. Slots count instruction lines, valid or not, so one bad line
// does not shift the body-length arithmetic.

struct LoopOperand {
  std::optional<int64_t> value;
  uint32_t column = 0;
};

// Where an instruction is: source position of its mnemonic and its instruction slot.
struct InstructionSite {
  uint32_t line = 0;
  uint32_t column = 0;
  std::size_t slot = 0;
};

std::string gp_name(int64_t index) { return "gp" + std::to_string(index); }

class LoopChecker {
 public:
  LoopChecker(const HardwareConfig& config, Diagnostics& diagnostics)
      : config_(config), diagnostics_(diagnostics) {}

  void open(const InstructionSite& site, const LoopOperand& counter, const LoopOperand& count) {
    if (count.value == 0)
      diagnostics_.error(site.line, count.column,
                         "C_LOOP_START with 0 iterations: the body would run once before the "
                         "counter is checked, and the decremented counter would wrap, so 0 is "
                         "not allowed (the simulator traps with loop_structure)",
                         "remove the loop (its C_LOOP_START and C_LOOP_END) if the body should "
                         "not run; otherwise use a count of 1 or more");
    if (counter.value == 0)
      diagnostics_.error(site.line, counter.column,
                         "C_LOOP_START cannot count in gp0: gp0 always reads 0 and ignores writes",
                         "use a free register as the loop counter, e.g. C_LOOP_START " +
                             gp_name(free_counter()) + ", " +
                             std::to_string(count.value.value_or(1)));
    else if (counter.value)
      check_counter_is_free(site, counter);
    if (open_.size() >= config_.max_loop_depth)
      diagnostics_.error(site.line, site.column,
                         "loop nesting depth " + std::to_string(open_.size() + 1) +
                             " exceeds the preset's max_loop_depth of " +
                             std::to_string(config_.max_loop_depth),
                         "flatten the nest: merge inner loops or unroll the innermost one");
    open_.push_back({site, counter.value});
  }

  void close(const InstructionSite& site, const LoopOperand& counter) {
    if (open_.empty())
      return diagnostics_.error(site.line, site.column, "C_LOOP_END without an open C_LOOP_START",
                                "each C_LOOP_END closes the innermost open loop; remove this one "
                                "or add C_LOOP_START gpN, count before the loop body");
    const OpenLoop innermost = open_.back();
    if (counter.value && innermost.counter && *counter.value != *innermost.counter)
      return close_mismatched(site, counter);
    check_body_length(innermost, site);
    open_.pop_back();
  }

  void finish() {
    for (const OpenLoop& loop : open_)
      diagnostics_.error(
          loop.site.line, loop.site.column,
          "C_LOOP_START" + counter_suffix(loop) + " is never closed",
          "add C_LOOP_END" + counter_suffix(loop) + " after the last instruction of the loop body");
  }

 private:
  struct OpenLoop {
    InstructionSite site;
    std::optional<int64_t> counter;
  };

  static std::string counter_suffix(const OpenLoop& loop) {
    return loop.counter ? " " + gp_name(*loop.counter) : "";
  }

  void check_counter_is_free(const InstructionSite& site, const LoopOperand& counter) {
    for (const OpenLoop& loop : open_) {
      if (loop.counter != counter.value) continue;
      diagnostics_.error(site.line, counter.column,
                         "C_LOOP_START counter " + gp_name(*counter.value) +
                             " is already the counter of the enclosing loop opened on line " +
                             std::to_string(loop.site.line),
                         "each nested loop needs its own counter register; use one no enclosing "
                         "loop uses, e.g. " +
                             gp_name(free_counter()));
      return;
    }
  }

  // Lowest gp1..gp15 no open loop counts with (gp0 ignores writes, so it cannot count).
  int64_t free_counter() const {
    for (int64_t index = 1; index < kGpRegs; ++index) {
      const bool used = std::any_of(open_.begin(), open_.end(), [index](const OpenLoop& loop) {
        return loop.counter == index;
      });
      if (!used) return index;
    }
    return kGpRegs - 1;
  }

  // Recovers by closing up to the loop the register names (when an enclosing loop uses it),
  // otherwise just the innermost, so one mistake does not cascade into more reports.
  void close_mismatched(const InstructionSite& site, const LoopOperand& counter) {
    const OpenLoop innermost = open_.back();
    const auto named = std::find_if(open_.rbegin(), open_.rend(), [&](const OpenLoop& loop) {
      return loop.counter == counter.value;
    });
    const std::string inner = gp_name(*innermost.counter);
    diagnostics_.error(site.line, counter.column,
                       "C_LOOP_END " + gp_name(*counter.value) +
                           " does not match the innermost open loop, whose counter is " + inner +
                           " (C_LOOP_START on line " + std::to_string(innermost.site.line) + ")",
                       named != open_.rend()
                           ? "loops must nest: close the inner loop first with C_LOOP_END " + inner
                           : "write C_LOOP_END " + inner + " to close the innermost loop");
    const std::size_t keep = named != open_.rend()
                                 ? static_cast<std::size_t>(open_.rend() - named) - 1
                                 : open_.size() - 1;
    open_.resize(keep);
  }

  void check_body_length(const OpenLoop& loop, const InstructionSite& end) {
    const std::size_t body = end.slot - loop.site.slot - 1;
    if (body <= config_.max_loop_body) return;
    diagnostics_.error(loop.site.line, loop.site.column,
                       "loop body has " + std::to_string(body) + " instructions (lines " +
                           std::to_string(loop.site.line) + "-" + std::to_string(end.line) +
                           "), more than the preset's max_loop_body of " +
                           std::to_string(config_.max_loop_body),
                       "split the body into consecutive loops or nest a loop for repeated parts");
  }

  const HardwareConfig& config_;
  Diagnostics& diagnostics_;
  std::vector<OpenLoop> open_;
};

// ---------------------------------------------------------------------------------------------
// Unknown-mnemonic suggestions.

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitution});
    }
  }
  return row[b.size()];
}

// Levenshtein distance, except that an abbreviation (S_ADDI for S_ADDI_INT) or a reordering of
// the same letters (M_MMT for M_TMM) also counts as one edit: both are typical slips.
std::size_t mnemonic_distance(const std::string& typed, std::string_view candidate) {
  std::size_t distance = edit_distance(typed, candidate);
  const bool abbreviation = typed.size() >= 3 && candidate.substr(0, typed.size()) == typed;
  std::string sorted_typed = typed;
  std::string sorted_candidate(candidate);
  std::sort(sorted_typed.begin(), sorted_typed.end());
  std::sort(sorted_candidate.begin(), sorted_candidate.end());
  if (abbreviation || sorted_typed == sorted_candidate)
    distance = std::min<std::size_t>(distance, 1);
  return distance;
}

// The nearest mnemonics (ties in table order, at most three), or none when nothing is close.
std::vector<std::string> nearest_mnemonics(const std::string& typed) {
  constexpr std::size_t kMaxSuggestions = 3;
  const auto& table = instruction_table();
  std::array<std::size_t, kInstructionCount> distances{};
  for (std::size_t i = 0; i < table.size(); ++i)
    distances[i] = mnemonic_distance(typed, table[i].mnemonic);
  const std::size_t best = *std::min_element(distances.begin(), distances.end());
  if (best > std::max<std::size_t>(2, typed.size() / 3)) return {};
  std::vector<std::string> names;
  for (std::size_t i = 0; i < table.size() && names.size() < kMaxSuggestions; ++i)
    if (distances[i] == best) names.push_back(table[i].mnemonic);
  return names;
}

bool is_later_extension(const std::string& name) {
  return name == "V_TOPK" || name == "V_FMA_VF" || name.rfind("L_", 0) == 0;
}

std::string unknown_mnemonic_hint(std::string_view text) {
  const std::string name = upper(text);
  if (!name.empty() && (name.back() == ':' || name.front() == '.'))
    return "PLENA assembly has no labels or directives (there are no branches); repeat code with "
           "C_LOOP_START/C_LOOP_END";
  if (is_later_extension(name))
    return name + " belongs to a later PLENA extension that this ISA version does not include";
  const std::vector<std::string> names = nearest_mnemonics(name);
  if (names.empty())
    return "instruction names start with M_ (matrix), V_ (vector), S_ (scalar), H_ (HBM) or C_ "
           "(control), e.g. M_MM, V_ADD_VV, S_ADDI_INT, H_PREFETCH_V, C_LOOP_START";
  std::string hint = "did you mean " + names[0];
  for (std::size_t i = 1; i < names.size(); ++i)
    hint += (i + 1 == names.size() ? " or " : ", ") + names[i];
  return hint + "?";
}

// ---------------------------------------------------------------------------------------------
// Legal but almost certainly wrong: writing the register that is hard-wired to zero.

constexpr Opcode kWritesFirstOperand[] = {
    Opcode::S_ADD_INT, Opcode::S_ADDI_INT, Opcode::S_SUB_INT, Opcode::S_MUL_INT,
    Opcode::S_LUI_INT, Opcode::S_LD_INT,   Opcode::S_ADD_FP,  Opcode::S_SUB_FP,
    Opcode::S_MAX_FP,  Opcode::S_MUL_FP,   Opcode::S_EXP_FP,  Opcode::S_RECI_FP,
    Opcode::S_SQRT_FP, Opcode::S_LD_FP,    Opcode::V_RED_SUM, Opcode::V_RED_MAX,
};

bool writes_first_operand(Opcode opcode) {
  return std::find(std::begin(kWritesFirstOperand), std::end(kWritesFirstOperand), opcode) !=
         std::end(kWritesFirstOperand);
}

// ---------------------------------------------------------------------------------------------
// The assembler proper.

struct ParsedOperands {
  std::array<std::optional<int64_t>, kMaxOperands> values{};
  bool complete = false;  // every operand valid and the count right
};

class Assembler {
 public:
  explicit Assembler(const HardwareConfig& config)
      : config_(config), loops_(config, diagnostics_) {}

  AssemblyResult run(std::string_view source) {
    uint32_t line = 0;
    for (std::size_t start = 0; start <= source.size(); ++line) {
      const std::size_t end = std::min(source.find('\n', start), source.size());
      assemble_line(source.substr(start, end - start), line + 1);
      start = end + 1;
    }
    loops_.finish();
    report_program_length();
    if (slots_ == 0)
      diagnostics_.warning(1, 1, "the program contains no instructions",
                           "write one instruction per line, e.g. S_ADDI_INT gp1, gp0, 5");
    return result();
  }

 private:
  void assemble_line(std::string_view text, uint32_t line) {
    std::optional<LexedLine> lexed = LineLexer(strip_comment(text), line, diagnostics_).lex();
    if (!lexed) return;
    const std::size_t slot = slots_++;
    if (slot == config_.max_program_instructions)
      first_excess_ = InstructionSite{line, lexed->mnemonic.column, slot};
    const InstrDef* def = find_instruction(lexed->mnemonic.text);
    if (!def)
      return diagnostics_.error(line, lexed->mnemonic.column,
                                "unknown instruction " + quoted(lexed->mnemonic.text),
                                unknown_mnemonic_hint(lexed->mnemonic.text));
    const ParsedOperands parsed = parse_operands(*def, *lexed, line);
    track_loops(*def, *lexed, parsed, {line, lexed->mnemonic.column, slot});
    if (parsed.complete) append_instruction(*def, *lexed, parsed, line);
  }

  ParsedOperands parse_operands(const InstrDef& def, const LexedLine& lexed, uint32_t line) {
    ParsedOperands parsed;
    if (!lexed.operands_ok || !check_operand_count(def, lexed, line)) return parsed;
    OperandParser parser(def, line, diagnostics_);
    parsed.complete = true;
    for (std::size_t i = 0; i < lexed.operands.size(); ++i) {
      parsed.values[i] = parser.parse(i, lexed.operands[i]);
      parsed.complete = parsed.complete && parsed.values[i].has_value();
    }
    return parsed;
  }

  bool check_operand_count(const InstrDef& def, const LexedLine& lexed, uint32_t line) {
    const std::size_t found = lexed.operands.size();
    const bool too_many = found > def.operand_count();
    if (!too_many && found >= def.required_operand_count()) return true;
    const uint32_t column =
        too_many ? lexed.operands[def.operand_count()].column : lexed.mnemonic.column;
    diagnostics_.error(line, column,
                       std::string(def.mnemonic) + " expects " + expected_count_text(def) +
                           ", found " + std::to_string(found),
                       "syntax: " + usage(def));
    return false;
  }

  void track_loops(const InstrDef& def, const LexedLine& lexed, const ParsedOperands& parsed,
                   const InstructionSite& site) {
    auto operand = [&](std::size_t i) {
      const uint32_t column = i < lexed.operands.size() ? lexed.operands[i].column : site.column;
      return LoopOperand{parsed.values[i], column};
    };
    if (def.opcode == Opcode::C_LOOP_START) loops_.open(site, operand(0), operand(1));
    if (def.opcode == Opcode::C_LOOP_END) loops_.close(site, operand(0));
  }

  void append_instruction(const InstrDef& def, const LexedLine& lexed, const ParsedOperands& parsed,
                          uint32_t line) {
    Instruction inst;
    inst.def = &def;
    inst.source_line = line;
    for (std::size_t i = 0; i < lexed.operands.size(); ++i)
      set_field_value(inst, def.operands[i].field, *parsed.values[i]);
    warn_if_result_discarded(inst, lexed);
    program_.instructions.push_back(inst);
    program_.words.push_back(encode(inst));
  }

  void warn_if_result_discarded(const Instruction& inst, const LexedLine& lexed) {
    if (!writes_first_operand(inst.opcode()) || inst.rd != 0) return;
    const bool is_fp = inst.def->operands[0].kind == OperandKind::Fp;
    const std::string zero = is_fp ? "f0" : "gp0";
    diagnostics_.warning(
        inst.source_line, lexed.operands[0].column,
        std::string(inst.def->mnemonic) + " writes " + zero + ", which always reads " +
            (is_fp ? "0.0" : "0") + ": the result is discarded",
        std::string("use another destination register (") + (is_fp ? "f1-f7" : "gp1-gp15") + ")");
  }

  void report_program_length() {
    if (!first_excess_) return;
    diagnostics_.error(
        first_excess_->line, first_excess_->column,
        "program has " + std::to_string(slots_) + " instructions; the preset allows at most " +
            std::to_string(config_.max_program_instructions) + " (max_program_instructions)",
        "repeat code with C_LOOP_START/C_LOOP_END instead of unrolling it");
  }

  // The program is only handed out when there are no errors, so nobody runs half of one.
  AssemblyResult result() {
    AssemblyResult out;
    out.diagnostics = diagnostics_.finish();
    if (out.ok()) out.program = std::move(program_);
    return out;
  }

  const HardwareConfig& config_;
  Diagnostics diagnostics_;
  LoopChecker loops_;
  Program program_;
  std::size_t slots_ = 0;  // lines holding an instruction, valid or not
  std::optional<InstructionSite>
      first_excess_;  // first instruction beyond max_program_instructions
};

// ---------------------------------------------------------------------------------------------
// Disassembly.

std::string format_operand(const OperandSpec& spec, int64_t value) {
  switch (spec.kind) {
    case OperandKind::Zero:
      return "0";
    case OperandKind::Gp:
    case OperandKind::GpOrZero:
    case OperandKind::Fp:
    case OperandKind::Addr:
      return register_class(spec.kind).prefix + std::to_string(value);
    default:
      return std::to_string(value);
  }
}

}  // namespace

std::string Diagnostic::to_string() const {
  std::string text = std::to_string(line) + ":" + std::to_string(column) + ": " +
                     (severity == Severity::Error ? "error" : "warning") + ": " + message;
  if (!hint.empty()) text += " (hint: " + hint + ")";
  return text;
}

std::size_t AssemblyResult::error_count() const {
  return static_cast<std::size_t>(
      std::count_if(diagnostics.begin(), diagnostics.end(),
                    [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::Error; }));
}

std::size_t AssemblyResult::warning_count() const { return diagnostics.size() - error_count(); }

bool AssemblyResult::ok() const { return error_count() == 0; }

AssemblyResult assemble(std::string_view source, const HardwareConfig& config) {
  return Assembler(config).run(source);
}

std::string disassemble(const Instruction& inst) {
  const InstrDef& def = *inst.def;
  std::string text = def.mnemonic;
  for (std::size_t i = 0; i < def.required_operand_count(); ++i)
    text += (i == 0 ? " " : ", ") +
            format_operand(def.operands[i], field_value(inst, def.operands[i].field));
  return text;
}

std::string disassemble(const Program& program) {
  std::string text;
  for (const Instruction& inst : program.instructions) text += disassemble(inst) + "\n";
  return text;
}

}  // namespace plena
