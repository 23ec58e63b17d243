#include "assembly_codec.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace coral::assembler {
namespace {

using nlohmann::json;

// Reads an unsigned field of at most 32 bits; anything else names the field.
uint32_t u32(const json& object, const char* field) {
  const auto it = object.find(field);
  if (it == object.end() || !it->is_number_unsigned() || it->get<uint64_t>() > 0xFFFFFFFFull)
    throw std::runtime_error(std::string("field '") + field + "' must be an unsigned 32-bit integer");
  return it->get<uint32_t>();
}

std::string text(const json& object, const char* field) {
  const auto it = object.find(field);
  if (it == object.end() || !it->is_string())
    throw std::runtime_error(std::string("field '") + field + "' must be a string");
  return it->get<std::string>();
}

const json& array(const json& object, const char* field) {
  const auto it = object.find(field);
  if (it == object.end() || !it->is_array())
    throw std::runtime_error(std::string("field '") + field + "' must be an array");
  return *it;
}

std::string to_hex(const std::vector<uint8_t>& bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::vector<uint8_t> from_hex(const std::string& hex) {
  if (hex.size() % 2 != 0) throw std::runtime_error("field 'elf' must hold an even number of hex digits");
  std::vector<uint8_t> bytes(hex.size() / 2);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) throw std::runtime_error("field 'elf' must hold lowercase hex digits only");
    bytes[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return bytes;
}

json options_json(const AssembleOptions& o) {
  return {{"itcm_base", o.itcm_base}, {"itcm_size", o.itcm_size}, {"dtcm_base", o.dtcm_base},
          {"dtcm_size", o.dtcm_size}, {"stack_reserve", o.stack_reserve}, {"source_name", o.source_name}};
}

// Messages may quote kernel text that is not UTF-8; JSON needs valid UTF-8.
std::string dump(const json& document) { return document.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

std::string encode_request(const std::string& source, const AssembleOptions& options) {
  return dump(options_json(options)) + "\n" + source;
}

void decode_request(const std::string& request, std::string& source, AssembleOptions& options) {
  const std::size_t newline = request.find('\n');
  if (newline == std::string::npos) throw std::runtime_error("request has no options line");
  const json header = json::parse(request.substr(0, newline), nullptr, false);
  if (!header.is_object()) throw std::runtime_error("request options line is not a JSON object");
  options.itcm_base = u32(header, "itcm_base");
  options.itcm_size = u32(header, "itcm_size");
  options.dtcm_base = u32(header, "dtcm_base");
  options.dtcm_size = u32(header, "dtcm_size");
  options.stack_reserve = u32(header, "stack_reserve");
  options.source_name = text(header, "source_name");
  source = request.substr(newline + 1);
}

std::string encode_assembly(const Assembly& a) {
  json diagnostics = json::array(), listing = json::array(), lines = json::array();
  for (const auto& d : a.diagnostics)
    diagnostics.push_back({{"severity", d.severity}, {"line", d.line}, {"column", d.column},
                           {"message", d.message}, {"hint", d.hint}});
  for (const auto& l : a.listing)
    listing.push_back({{"address", l.address}, {"word", l.word}, {"text", l.text}, {"line", l.line}});
  for (const auto& r : a.line_table) lines.push_back({{"begin", r.begin}, {"end", r.end}, {"line", r.line}});
  return dump({{"ok", a.ok}, {"diagnostics", diagnostics}, {"elf", to_hex(a.elf)}, {"entry", a.entry},
               {"text_bytes", a.text_bytes}, {"data_bytes", a.data_bytes}, {"listing", listing},
               {"line_table", lines}});
}

Assembly decode_assembly(const std::string& document) {
  const json doc = json::parse(document, nullptr, false);
  if (!doc.is_object()) throw std::runtime_error("the output is not a JSON object");
  const auto ok = doc.find("ok");
  if (ok == doc.end() || !ok->is_boolean()) throw std::runtime_error("field 'ok' must be a boolean");
  Assembly a;
  a.ok = ok->get<bool>();
  for (const json& d : array(doc, "diagnostics")) {
    if (!d.is_object()) throw std::runtime_error("field 'diagnostics' must hold objects");
    a.diagnostics.push_back({text(d, "severity"), u32(d, "line"), u32(d, "column"), text(d, "message"), text(d, "hint")});
  }
  a.elf = from_hex(text(doc, "elf"));
  a.entry = u32(doc, "entry");
  a.text_bytes = u32(doc, "text_bytes");
  a.data_bytes = u32(doc, "data_bytes");
  for (const json& l : array(doc, "listing")) {
    if (!l.is_object()) throw std::runtime_error("field 'listing' must hold objects");
    a.listing.push_back({u32(l, "address"), u32(l, "word"), text(l, "text"), u32(l, "line")});
  }
  for (const json& r : array(doc, "line_table")) {
    if (!r.is_object()) throw std::runtime_error("field 'line_table' must hold objects");
    a.line_table.push_back({u32(r, "begin"), u32(r, "end"), u32(r, "line")});
  }
  return a;
}

}  // namespace coral::assembler
