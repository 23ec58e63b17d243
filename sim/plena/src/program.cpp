#include "plena/program.h"

#include <cstdio>
#include <string_view>
#include <utility>

namespace plena {
namespace {

constexpr std::size_t kHexDigitsPerWord = 8;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string_view strip_comment(std::string_view line) {
  const std::size_t start = line.find_first_of("#;");
  return start == std::string_view::npos ? line : line.substr(0, start);
}

int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Exactly eight hex digits, optionally after "0x": a word written with fewer digits is more
// likely a hand-edited mistake than an intended value, so it is rejected rather than padded.
bool parse_word(std::string_view text, uint32_t& word) {
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    text.remove_prefix(2);
  if (text.size() != kHexDigitsPerWord) return false;
  word = 0;
  for (char c : text) {
    const int digit = hex_digit_value(c);
    if (digit < 0) return false;
    word = (word << 4) | static_cast<uint32_t>(digit);
  }
  return true;
}

std::string line_error(std::size_t line_number, const std::string& reason) {
  return "line " + std::to_string(line_number) + ": " + reason;
}

}  // namespace

std::string to_mem_text(const Program& program) {
  std::string text;
  text.reserve(program.words.size() * (kHexDigitsPerWord + 1));
  char buffer[kHexDigitsPerWord + 2];
  for (uint32_t word : program.words) {
    std::snprintf(buffer, sizeof buffer, "%08x\n", word);
    text += buffer;
  }
  return text;
}

bool from_mem_text(const std::string& text, Program& program, std::string& error) {
  Program parsed;
  std::size_t line_number = 0;
  std::size_t line_start = 0;
  while (line_start <= text.size()) {
    std::size_t line_end = text.find('\n', line_start);
    if (line_end == std::string::npos) line_end = text.size();
    const std::string_view raw(text.data() + line_start, line_end - line_start);
    line_start = line_end + 1;
    ++line_number;

    const std::string_view content = trim(strip_comment(raw));
    if (content.empty()) continue;
    uint32_t word = 0;
    if (!parse_word(content, word)) {
      error =
          line_error(line_number, "expected one 8-digit hex word (optional 0x prefix), found '" +
                                      std::string(content) + "'");
      return false;
    }
    Instruction inst;
    std::string decode_error;
    if (!decode(word, inst, decode_error)) {
      error = line_error(line_number, decode_error);
      return false;
    }
    parsed.instructions.push_back(inst);
    parsed.words.push_back(word);
  }
  program = std::move(parsed);
  return true;
}

}  // namespace plena
