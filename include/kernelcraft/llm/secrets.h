// Secret values (API keys read from the environment) known to this process, and the redaction
// every writer of logs, transcripts, records and error messages applies before writing.
#pragma once

#include <string>

namespace kc::llm {

// Remembers `value` as a secret (empty and very short values are ignored).
void register_secret(const std::string& value);
// `text` with every registered secret replaced by "[redacted]".
std::string redact_secrets(std::string text);

}  // namespace kc::llm
