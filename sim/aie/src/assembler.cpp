// Text -> Program. Pass 1 reads lines into bundles (labels, directives, operands); pass 2
// resolves labels and checks what needs the whole program: slots, duplicate writes, loop
// structure and program size. Every problem becomes a Diagnostic; nothing throws.
#include "aie/assembler.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

#include "decoder.h"
#include "dma.h"
#include "expression.h"
#include "locks.h"

namespace aie {

std::string Diagnostic::to_string() const {
  std::string s = std::to_string(line) + ":" + std::to_string(column) + ": error: " + message;
  if (!hint.empty()) s += " (hint: " + hint + ")";
  return s;
}

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '.'; }
bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; }

// A piece of a line with the 1-based column where it starts.
struct Piece {
  std::string text;
  uint32_t column = 1;
};

Piece trim(const Piece& p) {
  std::size_t b = 0, e = p.text.size();
  while (b < e && std::isspace(static_cast<unsigned char>(p.text[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(p.text[e - 1]))) --e;
  return {p.text.substr(b, e - b), p.column + static_cast<uint32_t>(b)};
}

// Splits at `sep` outside square brackets and parentheses.
std::vector<Piece> split_top(const Piece& p, std::string_view sep) {
  std::vector<Piece> out;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < p.text.size(); ++i) {
    const char c = p.text[i];
    if (c == '[' || c == '(') ++depth;
    if ((c == ']' || c == ')') && depth > 0) --depth;
    if (depth == 0 && p.text.compare(i, sep.size(), sep) == 0) {
      out.push_back(trim({p.text.substr(start, i - start), p.column + static_cast<uint32_t>(start)}));
      start = i + sep.size();
      i += sep.size() - 1;
    }
  }
  out.push_back(trim({p.text.substr(start), p.column + static_cast<uint32_t>(start)}));
  return out;
}

// Parses "<prefix><n>" with n < count (case-insensitive); -1 when it does not match.
int parse_indexed(std::string_view text, std::string_view prefix, unsigned count) {
  const std::string t = lower(text);
  if (t.size() <= prefix.size() || t.size() > prefix.size() + 3 || t.compare(0, prefix.size(), prefix) != 0)
    return -1;
  unsigned n = 0;
  for (std::size_t i = prefix.size(); i < t.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(t[i]))) return -1;
    n = n * 10 + static_cast<unsigned>(t[i] - '0');
  }
  if (t.size() > prefix.size() + 1 && t[prefix.size()] == '0') return -1;  // no leading zeros
  return n < count ? static_cast<int>(n) : -1;
}

// True when the text looks like a register of some file even if its index is out of range,
// so "r40" gets "no such register" rather than "unknown symbol".
bool looks_like_register(std::string_view text, std::string_view prefix) {
  const std::string t = lower(text);
  if (t.size() <= prefix.size() || t.compare(0, prefix.size(), prefix) != 0) return false;
  return std::all_of(t.begin() + static_cast<std::ptrdiff_t>(prefix.size()), t.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string kind_text(OperandKind kind) {
  static const char* const names[] = {
      "nothing", "an r register (r0..r31)", "a pointer (p0..p7)", "a modifier (m0..m7)",
      "an r, p or m register", "a vector register (x0..x11)",
      "a 256-bit half (wl0..wl11 or wh0..wh11)", "an accumulator (cm0..cm7)",
      "a tile lock (l0..l15)", "a buffer descriptor (bdN)", "a DMA channel (shimN or tileN)",
      "an immediate", "an r register or an immediate", "a modifier or an immediate",
      "a label", "a memory operand ([pN], [pN, imm], [pN], imm or [pN], mK)",
      "a BD field name", "a rounding mode (floor, rne, rna)"};
  return names[static_cast<std::size_t>(kind)];
}

struct LabelFixup {
  std::size_t bundle;
  std::size_t instr;
  std::size_t operand;
  std::string name;
  uint32_t line, column;
};

class Assembler {
 public:
  Assembler(std::string_view source, const HardwareConfig& config)
      : source_(source), config_(config) {}

  AssemblyResult run() {
    if (source_.size() > kMaxSourceBytes) {
      error(1, 1, "source is " + std::to_string(source_.size()) + " bytes; the limit is " +
                      std::to_string(kMaxSourceBytes), "a kernel this large cannot fit program memory anyway");
      return std::move(result_);
    }
    read_lines();
    if (in_brace_) error(brace_line_, brace_column_, "'{' is never closed", "end the bundle with '}'");
    resolve_labels();
    check_bundles();
    check_loops();
    check_size();
    return std::move(result_);
  }

 private:
  // ---- diagnostics ----
  void error(uint32_t line, uint32_t column, std::string message, std::string hint = "") {
    if (result_.diagnostics.size() >= kMaxDiagnostics) return;
    if (result_.diagnostics.size() + 1 == kMaxDiagnostics) {
      result_.diagnostics.push_back({line, column, "too many errors; stopping here", ""});
      return;
    }
    result_.diagnostics.push_back({line, column, std::move(message), std::move(hint)});
  }
  Program& program() { return result_.program; }

  // ---- pass 1: lines ----
  void read_lines() {
    std::size_t pos = 0;
    uint32_t line = 0;
    while (pos <= source_.size()) {
      std::size_t end = source_.find('\n', pos);
      if (end == std::string_view::npos) end = source_.size();
      ++line;
      std::string text(source_.substr(pos, end - pos));
      if (!text.empty() && text.back() == '\r') text.pop_back();
      read_line(text, line);
      if (end == source_.size()) break;
      pos = end + 1;
    }
  }

  void read_line(std::string text, uint32_t line) {
    if (const std::size_t c = text.find("//"); c != std::string::npos) text.resize(c);
    for (std::size_t i = 0; i < text.size(); ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      if ((c < 0x20 && c != '\t') || c >= 0x7F) {
        error(line, static_cast<uint32_t>(i + 1), "unexpected character (byte " + std::to_string(c) + ")",
              "kernels are plain ASCII; comments start with //");
        return;
      }
    }
    Piece rest = trim({text, 1});
    if (in_brace_) {
      read_brace_content(rest, line);
      return;
    }
    rest = read_labels(rest, line);
    if (rest.text.empty()) return;
    if (rest.text[0] == '.') {
      read_directive(rest, line);
      return;
    }
    if (rest.text[0] == '{') {
      in_brace_ = true;
      brace_line_ = line;
      brace_column_ = rest.column;
      open_bundle(line);
      read_brace_content(trim({rest.text.substr(1), rest.column + 1}), line);
      return;
    }
    if (rest.text[0] == '}') {
      error(line, rest.column, "'}' without a matching '{'");
      return;
    }
    if (split_top(rest, ";").size() > 1) {
      error(line, rest.column, "';' separates instructions only inside { }",
            "write { a ; b } or a || b for a bundle of several instructions");
      return;
    }
    open_bundle(line);
    for (const Piece& p : split_top(rest, "||")) add_instruction(p, line);
    close_bundle();
  }

  Piece read_labels(Piece rest, uint32_t line) {
    for (;;) {
      std::size_t i = 0;
      if (rest.text.empty() || !is_ident_start(rest.text[0])) return rest;
      while (i < rest.text.size() && is_ident_char(rest.text[i])) ++i;
      if (i >= rest.text.size() || rest.text[i] != ':') return rest;
      define_label(rest.text.substr(0, i), line, rest.column);
      rest = trim({rest.text.substr(i + 1), rest.column + static_cast<uint32_t>(i + 1)});
    }
  }

  void define_label(const std::string& name, uint32_t line, uint32_t column) {
    if (program().labels.count(name) || symbols_.count(name)) {
      error(line, column, "'" + name + "' is already defined", "pick a different label name");
      return;
    }
    program().labels[name] = static_cast<uint32_t>(program().bundles.size());
  }

  void read_brace_content(const Piece& rest, uint32_t line) {
    const std::size_t close = rest.text.find('}');
    const Piece inside = trim({rest.text.substr(0, close), rest.column});
    if (!inside.text.empty()) {
      if (inside.text.find('{') != std::string::npos)
        error(line, inside.column, "'{' inside a bundle", "close the bundle with '}' first");
      else
        for (const Piece& p : split_top(inside, ";"))
          if (!p.text.empty())
            for (const Piece& q : split_top(p, "||")) add_instruction(q, line);
    }
    if (close == std::string::npos) return;
    in_brace_ = false;
    close_bundle();
    const Piece after = trim({rest.text.substr(close + 1), rest.column + static_cast<uint32_t>(close + 1)});
    if (!after.text.empty())
      error(line, after.column, "text after '}'", "put the next bundle on its own line");
  }

  void open_bundle(uint32_t line) {
    current_ = Bundle{};
    current_.line = line;
  }

  void close_bundle() { program().bundles.push_back(std::move(current_)); }

  // ---- instructions ----
  void add_instruction(const Piece& piece, uint32_t line) {
    if (piece.text.empty()) {
      error(line, piece.column, "empty instruction", "remove the extra '||' or ';'");
      return;
    }
    std::size_t m = 0;
    while (m < piece.text.size() && !std::isspace(static_cast<unsigned char>(piece.text[m]))) ++m;
    const std::string mnemonic = lower(piece.text.substr(0, m));
    const Piece operands = trim({piece.text.substr(m), piece.column + static_cast<uint32_t>(m)});
    if (mnemonic == "nop") {
      if (!operands.text.empty()) error(line, operands.column, "`nop` takes no operands");
      return;
    }
    const int def_index = find_instruction(mnemonic);
    if (def_index < 0) {
      error(line, piece.column, "unknown mnemonic '" + mnemonic + "'", suggest(mnemonic));
      return;
    }
    const InstrDef& def = instruction_table()[static_cast<std::size_t>(def_index)];
    if (current_.line == 0 || current_.instrs.empty()) current_.line = line;
    Instruction instr;
    instr.def = static_cast<uint16_t>(def_index);
    instr.column = piece.column;
    std::vector<Piece> tokens;
    if (!operands.text.empty()) tokens = split_top(operands, ",");
    if (parse_operands(def, tokens, instr, line, piece.column))
      current_.instrs.push_back(instr);
  }

  std::string suggest(const std::string& mnemonic) const {
    std::string best;
    std::size_t best_d = 3;
    for (const InstrDef& d : instruction_table()) {
      const std::size_t dist = edit_distance(mnemonic, d.mnemonic);
      if (dist < best_d) best_d = dist, best = d.mnemonic;
    }
    return best.empty() ? "see the instruction tables in isa/aie/" : "did you mean `" + best + "`?";
  }

  std::string usage(const InstrDef& def) const {
    std::string s = std::string("`") + def.mnemonic;
    for (std::size_t i = 0; i < def.operand_count(); ++i) {
      s += (i ? ", " : " ");
      s += def.operands[i].optional ? "[" + std::string(def.operands[i].role) + "]" : def.operands[i].role;
    }
    return s + "`";
  }

  bool parse_operands(const InstrDef& def, const std::vector<Piece>& tokens, Instruction& instr,
                      uint32_t line, uint32_t column) {
    const std::size_t count = def.operand_count();
    const bool has_mem = count > 0 && def.operands[count - 1].kind == OperandKind::Mem;
    std::size_t max_tokens = count + (has_mem ? 1 : 0);
    const std::size_t min_tokens = def.required_operand_count();
    if (tokens.size() < min_tokens || tokens.size() > max_tokens) {
      error(line, column,
            "`" + std::string(def.mnemonic) + "` expects " + std::to_string(min_tokens) +
                (max_tokens != min_tokens ? ".." + std::to_string(max_tokens) : "") +
                " operand(s), got " + std::to_string(tokens.size()),
            "usage: " + usage(def));
      return false;
    }
    bool ok = true;
    for (std::size_t i = 0; i < count && i < tokens.size(); ++i) {
      const OperandSpec& spec = def.operands[i];
      if (spec.kind == OperandKind::Mem) {
        const Piece* post = i + 1 < tokens.size() ? &tokens[i + 1] : nullptr;
        ok = parse_mem(def, tokens[i], post, instr.ops[i], line) && ok;
        break;
      }
      ok = parse_operand(def, spec, tokens[i], instr.ops[i], line) && ok;
      if (ok && spec.kind == OperandKind::Label) {
        fixups_.push_back({program().bundles.size(), current_.instrs.size(), i, tokens[i].text,
                           line, tokens[i].column});
      }
    }
    return ok;
  }

  bool expression(const Piece& token, int64_t& out, uint32_t line) {
    std::string text = token.text;
    uint32_t column = token.column;
    if (!text.empty() && text[0] == '#') text.erase(0, 1), ++column;
    if (text.empty()) {
      error(line, token.column, "missing value");
      return false;
    }
    const ExprResult r = evaluate_expression(text, symbols_);
    if (!r.ok) {
      error(line, column + static_cast<uint32_t>(r.error_offset), r.error,
            r.error.rfind("unknown symbol", 0) == 0 ? "define it with .equ before this line" : "");
      return false;
    }
    out = r.value;
    return true;
  }

  bool immediate(const InstrDef& def, const Piece& token, int64_t& out, uint32_t line) {
    if (!expression(token, out, line)) return false;
    if (out < def.imm_min || out > def.imm_max) {
      error(line, token.column,
            "immediate " + std::to_string(out) + " is out of range for `" + def.mnemonic +
                "`: allowed " + std::to_string(def.imm_min) + ".." + std::to_string(def.imm_max),
            "put larger values in a register first (movi)");
      return false;
    }
    return true;
  }

  bool wrong_kind(const OperandSpec& spec, const Piece& token, uint32_t line, const InstrDef& def) {
    std::string message = "operand '" + std::string(spec.role) + "' of `" + def.mnemonic +
                          "` must be " + kind_text(spec.kind) + ", got '" + token.text + "'";
    std::string hint = "usage: " + usage(def);
    for (std::string_view p : {"r", "p", "m", "x", "wl", "wh", "cm", "l"})
      if (looks_like_register(token.text, p)) hint = "no such register here; usage: " + usage(def);
    error(line, token.column, std::move(message), std::move(hint));
    return false;
  }

  bool parse_operand(const InstrDef& def, const OperandSpec& spec, const Piece& token,
                     Operand& op, uint32_t line) {
    op.kind = spec.kind;
    const std::string t = lower(token.text);
    auto reg = [&](std::string_view prefix, unsigned count) {
      op.reg = parse_indexed(t, prefix, count);
      return op.reg >= 0 ? true : wrong_kind(spec, token, line, def);
    };
    switch (spec.kind) {
      case OperandKind::R: return reg("r", kScalarRegs);
      case OperandKind::P: return reg("p", kPointerRegs);
      case OperandKind::M: return reg("m", kModifierRegs);
      case OperandKind::X: return reg("x", kVectorRegs);
      case OperandKind::Cm: return reg("cm", kAccRegs);
      case OperandKind::W: {
        const int lo = parse_indexed(t, "wl", kVectorRegs), hi = parse_indexed(t, "wh", kVectorRegs);
        if (lo < 0 && hi < 0) return wrong_kind(spec, token, line, def);
        op.reg = lo >= 0 ? 2 * lo : 2 * hi + 1;
        return true;
      }
      case OperandKind::ScalarReg: {
        const std::array<std::pair<const char*, ScalarFile>, 3> files = {
            {{"r", ScalarFile::R}, {"p", ScalarFile::P}, {"m", ScalarFile::M}}};
        for (const auto& [prefix, file] : files) {
          const unsigned n = file == ScalarFile::R ? kScalarRegs : kPointerRegs;
          if ((op.reg = parse_indexed(t, prefix, n)) >= 0) {
            op.file = file;
            return true;
          }
        }
        return wrong_kind(spec, token, line, def);
      }
      case OperandKind::CoreLock: {
        uint32_t lock = 0;
        if (!parse_lock_name(t, config_, lock) || lock >= config_.tile_locks) {
          if (t.rfind("ml", 0) == 0)
            error(line, token.column, "the core may only use tile locks l0..l" +
                                          std::to_string(config_.tile_locks - 1) + ", got '" + token.text + "'",
                  "memory-tile locks (mlN) are for BDs only");
          else
            wrong_kind(spec, token, line, def);
          return false;
        }
        op.reg = static_cast<int32_t>(lock);
        return true;
      }
      case OperandKind::Bd: return parse_bd_ref(token, op.reg, line);
      case OperandKind::Channel: {
        unsigned ch = 0;
        if (!parse_channel_name(t, config_, ch)) {
          error(line, token.column, "unknown DMA channel '" + token.text + "'",
                "channels are shim0..shim" + std::to_string(config_.shim_channels - 1) +
                    " (ddr <-> mem) and tile0..tile" + std::to_string(config_.tile_channels - 1) +
                    " (mem <-> dm)");
          return false;
        }
        op.reg = static_cast<int32_t>(ch);
        return true;
      }
      case OperandKind::Imm: return immediate(def, token, op.imm, line);
      case OperandKind::ROrImm:
      case OperandKind::MOrImm: {
        const char* prefix = spec.kind == OperandKind::ROrImm ? "r" : "m";
        const unsigned n = spec.kind == OperandKind::ROrImm ? kScalarRegs : kModifierRegs;
        if ((op.reg = parse_indexed(t, prefix, n)) >= 0) return true;
        if (looks_like_register(t, prefix)) return wrong_kind(spec, token, line, def);
        op.is_imm = true;
        return immediate(def, token, op.imm, line);
      }
      case OperandKind::Label: {
        if (token.text.empty() || !is_ident_start(token.text[0])) {
          error(line, token.column, "expected a label name, got '" + token.text + "'");
          return false;
        }
        return true;  // resolved in pass 2
      }
      case OperandKind::BdField: {
        BdField f;
        if (!parse_bd_field(t, f)) {
          std::string names;
          for (std::size_t i = 0; i < kBdFieldCount; ++i)
            names += (i ? ", " : "") + std::string(bd_field_name(static_cast<BdField>(i)));
          error(line, token.column, "unknown BD field '" + token.text + "'", "fields: " + names);
          return false;
        }
        op.reg = static_cast<int32_t>(f);
        return true;
      }
      case OperandKind::RoundMode: {
        for (int m = 0; m < 3; ++m)
          if (t == round_mode_name(static_cast<RoundMode>(m))) {
            op.imm = m;
            return true;
          }
        return wrong_kind(spec, token, line, def);
      }
      default: return wrong_kind(spec, token, line, def);
    }
  }

  bool parse_bd_ref(const Piece& token, int32_t& out, uint32_t line) {
    const std::string t = lower(token.text);
    int64_t n = parse_indexed(t, "bd", 1u << 16);
    if (n < 0 && !looks_like_register(t, "bd") && !expression(token, n, line)) return false;
    if (n < 0 || n >= static_cast<int64_t>(config_.bd_count)) {
      error(line, token.column, "buffer descriptor '" + token.text + "' does not exist",
            "this preset has bd0..bd" + std::to_string(config_.bd_count - 1));
      return false;
    }
    out = static_cast<int32_t>(n);
    return true;
  }

  bool parse_mem(const InstrDef& def, const Piece& token, const Piece* post, Operand& op,
                 uint32_t line) {
    op.kind = OperandKind::Mem;
    const std::string& t = token.text;
    const std::string hint = "addressing forms: [pN], [pN, imm], [pN], imm and [pN], mK";
    if (t.size() < 3 || t.front() != '[' || t.back() != ']') {
      error(line, token.column, "expected a memory operand in brackets, got '" + t + "'", hint);
      return false;
    }
    const std::vector<Piece> inner = split_top({t.substr(1, t.size() - 2), token.column + 1}, ",");
    if (inner.size() > 2) {
      error(line, token.column, "too many parts inside [ ]", hint);
      return false;
    }
    op.reg = parse_indexed(inner[0].text, "p", kPointerRegs);
    if (op.reg < 0) {
      error(line, inner[0].column, "the base of a memory operand must be a pointer p0..p7, got '" +
                                       inner[0].text + "'", "load addresses into pN with movi or mov");
      return false;
    }
    if (inner.size() == 2 && post) {
      error(line, post->column, "an offset and a post-modify cannot be combined", hint);
      return false;
    }
    const Piece* amount = inner.size() == 2 ? &inner[1] : post;
    op.mode = inner.size() == 2 ? MemMode::Offset : post ? MemMode::PostImm : MemMode::Offset;
    if (!amount) return true;
    if (post && (op.mod = parse_indexed(post->text, "m", kModifierRegs)) >= 0) {
      op.mode = MemMode::PostMod;
      return true;
    }
    if (!expression(*amount, op.imm, line)) return false;
    if (op.imm < def.imm_min || op.imm > def.imm_max) {
      error(line, amount->column, "address offset " + std::to_string(op.imm) + " is out of range " +
                                      std::to_string(def.imm_min) + ".." + std::to_string(def.imm_max),
            "use a modifier register (mN) or padd for larger steps");
      return false;
    }
    if (op.imm % def.access_bytes != 0) {
      error(line, amount->column, "address offset " + std::to_string(op.imm) +
                                      " is not a multiple of " + std::to_string(def.access_bytes) +
                                      " (the access size of `" + def.mnemonic + "`)",
            "accesses must stay aligned to their size");
      return false;
    }
    return true;
  }

  // ---- directives ----
  void read_directive(const Piece& rest, uint32_t line) {
    std::size_t n = 0;
    while (n < rest.text.size() && !std::isspace(static_cast<unsigned char>(rest.text[n]))) ++n;
    const std::string name = lower(rest.text.substr(0, n));
    const Piece args = trim({rest.text.substr(n), rest.column + static_cast<uint32_t>(n)});
    if (name == ".equ") return directive_equ(args, line);
    if (name == ".lock") return directive_lock(args, line);
    if (name == ".bd") return directive_bd(args, line);
    error(line, rest.column, "unknown directive '" + name + "'", "directives are .equ, .lock and .bd");
  }

  void directive_equ(const Piece& args, uint32_t line) {
    const std::vector<Piece> parts = split_top(args, ",");
    if (parts.size() != 2 || parts[0].text.empty()) {
      error(line, args.column, "`.equ` expects NAME, value", "example: .equ N, 64");
      return;
    }
    const std::string& name = parts[0].text;
    if (!is_ident_start(name[0]) || !std::all_of(name.begin(), name.end(), is_ident_char)) {
      error(line, parts[0].column, "'" + name + "' is not a valid symbol name");
      return;
    }
    if (symbols_.count(name) || program().labels.count(name)) {
      error(line, parts[0].column, "'" + name + "' is already defined");
      return;
    }
    int64_t v = 0;
    if (expression(parts[1], v, line)) symbols_[name] = v;
  }

  void directive_lock(const Piece& args, uint32_t line) {
    const std::vector<Piece> parts = split_top(args, ",");
    uint32_t lock = 0;
    if (parts.size() != 2 || !parse_lock_name(lower(parts[0].text), config_, lock)) {
      error(line, args.column, "`.lock` expects a lock (lN or mlN) and an initial value",
            "example: .lock l0, 2");
      return;
    }
    int64_t v = 0;
    if (!expression(parts[1], v, line)) return;
    if (v < 0 || v > config_.lock_max) {
      error(line, parts[1].column, "lock value must be 0.." + std::to_string(config_.lock_max));
      return;
    }
    program().locks.push_back({lock, static_cast<uint32_t>(v)});
  }

  // key=value items; a value runs to the next " key=" so it may contain spaces.
  std::vector<std::pair<Piece, Piece>> bd_items(const Piece& text, uint32_t line) {
    std::vector<std::pair<Piece, Piece>> items;
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i < text.text.size(); ++i) {
      if (i > 0 && !std::isspace(static_cast<unsigned char>(text.text[i - 1]))) continue;
      std::size_t j = i;
      while (j < text.text.size() && is_ident_char(text.text[j])) ++j;
      if (j > i && j < text.text.size() && text.text[j] == '=') starts.push_back(i);
    }
    if (starts.empty() || trim({text.text.substr(0, starts[0]), text.column}).text.size() > 0) {
      error(line, text.column, "expected key=value items after the BD number",
            "example: .bd 0 src=ddr:0 dst=mem:0 size=64");
      return {};
    }
    for (std::size_t k = 0; k < starts.size(); ++k) {
      const std::size_t b = starts[k], e = k + 1 < starts.size() ? starts[k + 1] : text.text.size();
      const std::size_t eq = text.text.find('=', b);
      items.push_back({{lower(text.text.substr(b, eq - b)), text.column + static_cast<uint32_t>(b)},
                       trim({text.text.substr(eq + 1, e - eq - 1), text.column + static_cast<uint32_t>(eq + 1)})});
    }
    return items;
  }

  bool bd_endpoint(const Piece& value, MemoryKind& mem, uint32_t& addr, uint32_t line) {
    const std::size_t colon = value.text.find(':');
    if (colon == std::string::npos || !parse_memory_name(lower(value.text.substr(0, colon)), mem)) {
      error(line, value.column, "expected MEMORY:ADDRESS with MEMORY ddr, mem or dm, got '" + value.text + "'",
            "example: src=ddr:IN_A");
      return false;
    }
    int64_t v = 0;
    if (!expression({value.text.substr(colon + 1), value.column + static_cast<uint32_t>(colon + 1)}, v, line))
      return false;
    if (v < 0 || v > UINT32_MAX) {
      error(line, value.column, "address out of range");
      return false;
    }
    addr = static_cast<uint32_t>(v);
    return true;
  }

  template <typename T>
  bool bd_triple(const Piece& value, std::array<T, 3>& out, int64_t lo, uint32_t line) {
    const std::vector<Piece> parts = split_top(value, ",");
    if (parts.size() > 3) {
      error(line, value.column, "at most 3 dimensions");
      return false;
    }
    for (std::size_t i = 0; i < parts.size(); ++i) {
      int64_t v = 0;
      if (!expression(parts[i], v, line)) return false;
      if (v < lo || v > (1ll << 26)) {
        error(line, parts[i].column, "value " + std::to_string(v) + " out of range " +
                                         std::to_string(lo) + ".." + std::to_string(1ll << 26));
        return false;
      }
      out[i] = static_cast<T>(v);
    }
    return true;
  }

  bool bd_lock(const Piece& value, int32_t& lock, uint32_t& amount, uint32_t line) {
    const std::size_t colon = value.text.find(':');
    uint32_t l = 0;
    if (colon == std::string::npos || !parse_lock_name(lower(value.text.substr(0, colon)), config_, l)) {
      error(line, value.column, "expected LOCK:VALUE with LOCK lN or mlN, got '" + value.text + "'",
            "example: acq=ml0:1");
      return false;
    }
    int64_t v = 0;
    if (!expression({value.text.substr(colon + 1), value.column + static_cast<uint32_t>(colon + 1)}, v, line))
      return false;
    if (v < 1 || v > config_.lock_max) {
      error(line, value.column, "lock value must be 1.." + std::to_string(config_.lock_max));
      return false;
    }
    lock = static_cast<int32_t>(l);
    amount = static_cast<uint32_t>(v);
    return true;
  }

  void directive_bd(const Piece& args, uint32_t line) {
    std::size_t n = 0;
    while (n < args.text.size() && !std::isspace(static_cast<unsigned char>(args.text[n]))) ++n;
    int32_t index = -1;
    if (n == 0 || !parse_bd_ref({args.text.substr(0, n), args.column}, index, line)) {
      if (n == 0) error(line, args.column, "`.bd` expects a BD number", "example: .bd 0 src=ddr:0 dst=mem:0 size=64");
      return;
    }
    for (const auto& [i, bd] : program().bds)
      if (static_cast<int32_t>(i) == index) {
        error(line, args.column, "bd" + std::to_string(index) + " is defined twice");
        return;
      }
    BufferDescriptor bd;
    bd.valid = true;
    std::set<std::string> seen;
    bool ok = true;
    for (const auto& [key, value] : bd_items(trim({args.text.substr(n), args.column + static_cast<uint32_t>(n)}), line)) {
      if (!seen.insert(key.text).second) {
        error(line, key.column, "'" + key.text + "' given twice");
        ok = false;
      } else if (key.text == "src") ok = bd_endpoint(value, bd.src_mem, bd.src_addr, line) && ok;
      else if (key.text == "dst") ok = bd_endpoint(value, bd.dst_mem, bd.dst_addr, line) && ok;
      else if (key.text == "size") ok = bd_triple(value, bd.size, 1, line) && ok;
      else if (key.text == "src_stride") ok = bd_triple(value, bd.src_stride, -(1ll << 26), line) && ok;
      else if (key.text == "dst_stride") ok = bd_triple(value, bd.dst_stride, -(1ll << 26), line) && ok;
      else if (key.text == "acq") ok = bd_lock(value, bd.acq_lock, bd.acq_value, line) && ok;
      else if (key.text == "rel") ok = bd_lock(value, bd.rel_lock, bd.rel_value, line) && ok;
      else if (key.text == "next") {
        if (lower(value.text) != "none") ok = parse_bd_ref(value, bd.next, line) && ok;
      } else {
        error(line, key.column, "unknown BD key '" + key.text + "'",
              "keys: src, dst, size, src_stride, dst_stride, acq, rel, next");
        ok = false;
      }
    }
    // Omitted strides mean "contiguous": dimension d steps over the words of dimensions < d.
    const std::array<int32_t, 3> contiguous = {1, static_cast<int32_t>(bd.size[0]),
                                               static_cast<int32_t>(int64_t{bd.size[0]} * bd.size[1])};
    if (!seen.count("src_stride")) bd.src_stride = contiguous;
    if (!seen.count("dst_stride")) bd.dst_stride = contiguous;
    for (const char* required : {"src", "dst", "size"})
      if (ok && !seen.count(required)) {
        error(line, args.column, std::string("`.bd` needs ") + required + "=", "example: .bd 0 src=ddr:0 dst=mem:0 size=64");
        ok = false;
      }
    if (ok) program().bds.emplace_back(static_cast<uint32_t>(index), bd);
  }

  // ---- pass 2 ----
  void resolve_labels() {
    for (const LabelFixup& f : fixups_) {
      auto it = program().labels.find(f.name);
      if (it == program().labels.end()) {
        error(f.line, f.column, "undefined label '" + f.name + "'", "define it with '" + f.name + ":' before a bundle");
        continue;
      }
      if (f.bundle < program().bundles.size() && f.instr < program().bundles[f.bundle].instrs.size())
        program().bundles[f.bundle].instrs[f.instr].ops[f.operand].imm = it->second;
    }
  }

  void check_bundles() {
    const auto& table = instruction_table();
    for (const Bundle& b : program().bundles) {
      std::array<unsigned, kSlotCount> used{};
      std::vector<std::pair<std::pair<RegFile, unsigned>, const Instruction*>> written;
      for (const Instruction& in : b.instrs) {
        const InstrDef& def = table[in.def];
        const auto slot = static_cast<std::size_t>(def.slot);
        used[slot] += def.slots_used;
        if (used[slot] > kSlotCapacity[slot]) {
          std::string names;
          for (const Instruction& o : b.instrs)
            if (table[o.def].slot == def.slot) names += (names.empty() ? "`" : ", `") + std::string(table[o.def].mnemonic) + "`";
          error(b.line, in.column,
                "too many " + std::string(slot_name(def.slot)) + "-slot instructions in one bundle (" +
                    names + "); a bundle has " + std::to_string(kSlotCapacity[slot]) + " " +
                    std::string(slot_name(def.slot)) + " slot(s)",
                def.slot == Slot::Load ? "vldx and padd use load slots too; move one to another bundle"
                                       : "move one of them to another bundle");
        }
        for (const auto& d : destinations(in)) {
          for (const auto& w : written)
            if (w.first == d)
              error(b.line, in.column,
                    register_name(d.first, d.second) + " is written twice in one bundle (by `" +
                        table[w.second->def].mnemonic + "` and `" + def.mnemonic + "`)",
                    "slots of a bundle run in parallel; write each register once per bundle");
          written.push_back({d, &in});
        }
      }
    }
  }

  struct LoopInfo {
    uint32_t at, end, line, column;
  };

  void check_loops() {
    const auto& table = instruction_table();
    std::vector<LoopInfo> loops;
    std::vector<std::pair<uint32_t, const Instruction*>> branches;
    for (uint32_t pc = 0; pc < program().bundles.size(); ++pc)
      for (const Instruction& in : program().bundles[pc].instrs) {
        const ExecGroup g = table[in.def].group;
        if (g == ExecGroup::Loop) loops.push_back({pc, static_cast<uint32_t>(in.ops[1].imm), program().bundles[pc].line, in.column});
        if (g == ExecGroup::Jump || g == ExecGroup::Branch) branches.push_back({pc, &in});
      }
    for (const LoopInfo& l : loops) {
      if (l.end <= l.at + 1) {
        error(l.line, l.column, "the loop body is empty: its end label must come after at least one bundle",
              "syntax: loop COUNT, END  /  body bundles  /  END:");
        return;
      }
      int depth = 1;
      for (const LoopInfo& o : loops) {
        if (&o == &l) continue;
        const bool disjoint = o.end <= l.at || l.end <= o.at;
        const bool inside_o = l.at > o.at && l.end <= o.end;
        const bool contains_o = o.at > l.at && o.end <= l.end;
        if (!disjoint && !inside_o && !contains_o) {
          error(l.line, l.column, "loop bodies overlap without nesting", "an inner loop must end inside the outer body");
          return;
        }
        depth += inside_o ? 1 : 0;
      }
      if (depth > static_cast<int>(config_.max_loop_depth))
        error(l.line, l.column, "loops nest " + std::to_string(depth) + " deep; the preset allows " +
                                    std::to_string(config_.max_loop_depth),
              "use a counter with jnz for outer loops");
    }
    for (const auto& [pc, in] : branches) {
      const InstrDef& def = table[in->def];
      const auto target = static_cast<uint32_t>(in->ops[def.group == ExecGroup::Jump ? 0 : 1].imm);
      const uint32_t line = program().bundles[pc].line;
      for (const LoopInfo& l : loops) {
        const bool from = pc > l.at && pc < l.end, to = target > l.at && target < l.end;
        if (from != to)
          error(line, in->column,
                from ? "branch leaves the body of the loop at line " + std::to_string(l.line)
                     : "branch enters the body of the loop at line " + std::to_string(l.line) + " from outside",
                "zero-overhead loops end only by running out; restructure with a counter and jnz");
        else if (from && pc + 1 == l.end)
          error(line, in->column, "a branch may not sit in the last bundle of a loop body",
                "move it earlier or add a bundle after it");
      }
    }
  }

  void check_size() {
    // An empty program would run off its end at once; a kernel must say something.
    if (program().bundles.empty()) {
      const uint32_t last_line = static_cast<uint32_t>(std::count(source_.begin(), source_.end(), '\n')) + 1;
      error(last_line, 1, "the program has no bundles", "write the kernel's instructions and end it with `done`");
      return;
    }
    const std::size_t max = config_.max_bundles();
    if (program().bundles.size() <= max) return;
    error(program().bundles[max].line, 1,
          "program too large: " + std::to_string(program().bundles.size()) + " bundles, but program memory (" +
              std::to_string(config_.program_bytes) + " bytes at " + std::to_string(config_.bundle_bytes) +
              " bytes per bundle) holds " + std::to_string(max),
          "use loops instead of unrolling");
  }

  std::string_view source_;
  const HardwareConfig& config_;
  AssemblyResult result_;
  std::map<std::string, int64_t> symbols_;
  std::vector<LabelFixup> fixups_;
  Bundle current_;
  bool in_brace_ = false;
  uint32_t brace_line_ = 0, brace_column_ = 0;
};

}  // namespace

AssemblyResult assemble(std::string_view source, const HardwareConfig& config) {
  return Assembler(source, config).run();
}

}  // namespace aie
