// Short fix-it hints for LLVM's assembler messages, chosen by message text.
#pragma once

#include <string>

namespace coral::assembler {

std::string hint_for_message(const std::string& message);

}  // namespace coral::assembler
