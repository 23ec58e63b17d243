// Whole-file reads with errors that name the file and say what it was for.
#pragma once

#include <string>

namespace kc {

// The file's bytes; an unreadable file throws InputError "<path>: cannot open <what>".
std::string read_text_file(const std::string& path, const std::string& what = "file");

}  // namespace kc
