// Private to src/llm: the three wire formats' factories and the few JSON chores they share
// (reading a reply defensively, dumping a body deterministically, bounding error text).
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "kernelcraft/llm/wire_format.h"

namespace kc::llm {

std::unique_ptr<WireFormat> make_openai_wire();
std::unique_ptr<WireFormat> make_anthropic_wire();
std::unique_ptr<WireFormat> make_gemini_wire();

namespace wire {

// The JSON wire formats share how a reply body is parsed and how a stray JSON error still
// becomes MalformedReply (decode never throws anything else).
class JsonWireFormat : public WireFormat {
 public:
  ChatResponse decode(const std::string& body) const final;
  std::string error_message(const std::string& body) const override;

 protected:
  virtual ChatResponse decode_reply(const nlohmann::json& reply) const = 0;
};

// Throws MalformedReply("<format> reply: <what>").
[[noreturn]] void malformed(const std::string& format, const std::string& what);

// The parsed body; MalformedReply when it is empty, not JSON or not a JSON object.
nlohmann::json parse_reply(const std::string& body, const std::string& format);

// The request body. Invalid UTF-8 (e.g. raw bytes in a tool result) is replaced instead of
// throwing, and object keys come out sorted, so equal requests give equal bytes.
std::string dump_body(const nlohmann::json& body);

// base_url without trailing slashes, so "<base>/" and "<base>" build the same URL.
std::string trim_base_url(std::string base_url);

// Tool-call arguments as a JSON object for formats that send parsed arguments; invalid JSON or
// a non-object becomes {} (the model's bad text is still visible in the transcript).
nlohmann::json arguments_object(const std::string& arguments);

// A token count: a non-negative number under `key`, else 0 (usage is advisory, never fatal).
uint64_t count_field(const nlohmann::json& object, const char* key);

// The string under `key`, "" when missing or null; MalformedReply when it has another type.
std::string optional_string(const nlohmann::json& object, const char* key,
                            const std::string& format, const std::string& where);

// error.message, or error when it is a string, else at most kErrorPrefixChars of the body.
// Secrets are redacted: this text ends up in logs and records.
std::string error_text(const std::string& body);
constexpr std::size_t kErrorPrefixChars = 300;

}  // namespace wire
}  // namespace kc::llm
