#include "kernelcraft/llm/wire_format.h"

#include <algorithm>
#include <limits>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/llm/secrets.h"
#include "wire_formats.h"

namespace kc::llm {

using nlohmann::json;

std::unique_ptr<WireFormat> make_wire_format(const std::string& name) {
  if (name == "openai") return make_openai_wire();
  if (name == "anthropic") return make_anthropic_wire();
  if (name == "gemini") return make_gemini_wire();
  throw InputError("unknown provider wire format '" + name +
                   "': expected openai, anthropic or gemini");
}

namespace wire {
namespace {

// Cuts at most `limit` bytes without splitting a UTF-8 sequence, so the prefix stays valid text.
std::string utf8_prefix(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

// Deeper than any real reply. Parsing is iterative, but copying or dumping a document recurses
// once per level: a 50,000-deep array in a reply overflowed the stack (found by probing
// tests/fuzz/wire_anthropic.cpp), so such a body is rejected before it is parsed.
constexpr std::size_t kMaxReplyDepth = 512;

std::size_t nesting_depth(const std::string& text) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

// Gemini sometimes wraps its error object in a one-element array.
const json* error_field(const json& parsed) {
  if (parsed.is_object() && parsed.contains("error")) return &parsed.at("error");
  if (parsed.is_array() && !parsed.empty() && parsed.front().is_object() &&
      parsed.front().contains("error"))
    return &parsed.front().at("error");
  return nullptr;
}

}  // namespace

void malformed(const std::string& format, const std::string& what) {
  throw MalformedReply(format + " reply: " + what);
}

json parse_reply(const std::string& body, const std::string& format) {
  if (body.empty()) malformed(format, "empty body (expected a JSON object)");
  if (nesting_depth(body) > kMaxReplyDepth)
    malformed(format, "body nests deeper than " + std::to_string(kMaxReplyDepth) + " levels");
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded())
    malformed(format, "body is not JSON: \"" + utf8_prefix(body, 80) + "\"");
  if (!parsed.is_object()) malformed(format, "body is JSON but not an object");
  return parsed;
}

std::string dump_body(const json& body) {
  return body.dump(-1, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace);
}

std::string trim_base_url(std::string base_url) {
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  return base_url;
}

json arguments_object(const std::string& arguments) {
  json parsed = json::parse(arguments, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) return json::object();
  return parsed;
}

uint64_t count_field(const json& object, const char* key) {
  if (!object.is_object() || !object.contains(key)) return 0;
  const json& value = object.at(key);
  if (value.is_number_unsigned()) return value.get<uint64_t>();
  if (value.is_number_integer()) return value.get<int64_t>() > 0 ? value.get<uint64_t>() : 0;
  if (value.is_number_float()) {
    const double number = value.get<double>();
    if (!(number > 0)) return 0;  // also NaN
    // Converting a double beyond uint64_t's range is undefined behaviour: clamp first.
    constexpr double kLimit = 18446744073709551615.0;
    return number >= kLimit ? std::numeric_limits<uint64_t>::max() : static_cast<uint64_t>(number);
  }
  return 0;
}

std::string optional_string(const json& object, const char* key, const std::string& format,
                            const std::string& where) {
  if (!object.is_object() || !object.contains(key) || object.at(key).is_null()) return "";
  const json& value = object.at(key);
  if (!value.is_string())
    malformed(format, where + "." + key + " is " + value.type_name() + ", expected a string");
  return value.get<std::string>();
}

std::string error_text(const std::string& body) {
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_discarded()) {
    if (const json* error = error_field(parsed)) {
      if (error->is_string()) return redact_secrets(error->get<std::string>());
      if (error->is_object() && error->contains("message") && error->at("message").is_string())
        return redact_secrets(error->at("message").get<std::string>());
    }
  }
  // Redact before cutting: a key split by the cut would no longer match.
  return utf8_prefix(redact_secrets(body), kErrorPrefixChars);
}

ChatResponse JsonWireFormat::decode(const std::string& body) const {
  try {
    return decode_reply(parse_reply(body, name()));
  } catch (const nlohmann::json::exception& error) {
    // Every shape check in the formats should make this unreachable; it keeps the promise anyway.
    malformed(name(), std::string("unexpected structure: ") + error.what());
  }
}

std::string JsonWireFormat::error_message(const std::string& body) const { return error_text(body); }

}  // namespace wire
}  // namespace kc::llm
