#include "kernelcraft/core/text_file.h"

#include <fstream>
#include <sstream>

#include "kernelcraft/core/errors.h"

namespace kc {

std::string read_text_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open " + what);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace kc
