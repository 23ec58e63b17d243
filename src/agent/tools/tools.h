// The eight agent tools (one file each) and the few helpers they share: saving a kernel version,
// resolving the optional "code" argument, diagnostics as JSON, compact number formatting.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kernelcraft/agent/tool.h"

namespace kc::agent {

std::unique_ptr<Tool> make_write_code_tool();
std::unique_ptr<Tool> make_check_syntax_tool();
std::unique_ptr<Tool> make_run_eval_tool();
std::unique_ptr<Tool> make_view_output_tool();
std::unique_ptr<Tool> make_get_instruction_size_tool();
std::unique_ptr<Tool> make_grep_docs_tool();
std::unique_ptr<Tool> make_read_docs_tool();
std::unique_ptr<Tool> make_submit_tool();

namespace tool_support {

// Kernels longer than this are refused: nothing a turn budget can simulate needs more, and a
// runaway model must not fill the disk.
constexpr std::size_t kMaxCodeChars = 1'000'000;

// JSON Schema of the "code" argument (required for write_code, optional elsewhere; write_code.cpp).
nlohmann::json code_property(const std::string& description);

// The parameters of a tool whose only argument is an optional "code" (write_code.cpp).
nlohmann::json optional_code_parameters(const std::string& description);

// Saves `code` as the next kernel version (write_code's behaviour; defined in write_code.cpp).
// Throws InputError when the file cannot be written; the workspace is unchanged then.
void save_kernel_version(const std::string& code, KernelWorkspace& kernel);

// The source a tool works on: the "code" argument (saved first as a new version) or the current
// kernel. False with `error` set when there is neither (write_code.cpp).
bool resolve_source(const nlohmann::json& arguments, ToolContext& context, std::string& source,
                    std::string& error);

// Diagnostics as JSON objects (severity, line, column, message, hint), at most `limit`; defined
// in check_syntax.cpp.
nlohmann::json diagnostics_json(const std::vector<SourceDiagnostic>& diagnostics, std::size_t limit);
// Adds "diagnostics" (the first `limit`) and, when some were cut, "more_diagnostics" to `result`.
void add_diagnostics(nlohmann::json& result, const std::vector<SourceDiagnostic>& diagnostics, std::size_t limit);

// A number rounded to ~6 significant digits, or null when it is not finite (JSON has no NaN;
// run_eval.cpp).
nlohmann::json compact_number(double value);

// Compact JSON text; invalid UTF-8 (e.g. echoed from a kernel) is replaced, never thrown
// (toolbox.cpp, like utf8_prefix).
std::string dump(const nlohmann::json& value);

// `text` cut to at most `max_bytes` bytes without splitting a UTF-8 character.
std::string utf8_prefix(const std::string& text, std::size_t max_bytes);

// An integer argument (schema-checked already, so it may be an integral float), or `fallback`;
// huge values are clamped rather than overflowing (argument_check.cpp).
long long integer_argument(const nlohmann::json& arguments, const char* name, long long fallback);

inline ToolOutcome error_outcome(std::string message) { return ToolOutcome{std::move(message), true}; }
inline ToolOutcome json_outcome(const nlohmann::json& value) { return ToolOutcome{dump(value), false}; }

}  // namespace tool_support
}  // namespace kc::agent
