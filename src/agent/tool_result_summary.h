// One line per tool result for the live log: the verdict of run_eval, the error count of
// check_syntax, the first line of an error.
#pragma once

#include <string>

#include "kernelcraft/llm/chat.h"

namespace kc::agent {

std::string summarize_tool_result(const llm::ToolResult& result);

}  // namespace kc::agent
