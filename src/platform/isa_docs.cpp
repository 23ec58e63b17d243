#include "isa_docs.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "kernelcraft/core/text_file.h"

namespace kc {

namespace fs = std::filesystem;

std::vector<DocSection> load_isa_docs(const std::string& isa_dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (fs::is_directory(isa_dir, ec))
    for (const auto& entry : fs::directory_iterator(isa_dir))
      if (entry.path().extension() == ".md" && entry.path().filename() != "README.md")
        files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<DocSection> sections;
  for (const fs::path& file : files) {
    DocSection section{file.stem().string(), "", read_text_file(file.string(), "ISA documentation")};
    std::istringstream lines(section.text);
    for (std::string line; std::getline(lines, line);)
      if (line.rfind("# ", 0) == 0) {
        section.title = line.substr(2);
        break;
      }
    sections.push_back(std::move(section));
  }
  return sections;
}

}  // namespace kc
