// The public entry points: screen -> LLVM MC -> link -> ELF, listing and line table.
#include "coral/asm/assembler.h"

#include <algorithm>

#include "elf_writer.h"
#include "line_table.h"
#include "linker.h"
#include "listing.h"
#include "mc_assembler.h"
#include "relocatable_object.h"
#include "source_screen.h"

namespace coral::assembler {
namespace {

// Section-relative line ranges -> linked addresses, sorted and without overlaps.
std::vector<LineRange> linked_line_table(const std::vector<SectionLineRange>& ranges, const SectionLayout& layout) {
  std::vector<LineRange> table;
  for (const SectionLineRange& range : ranges) {
    if (range.section >= layout.section_address.size() || !layout.section_address[range.section]) continue;
    const uint32_t base = *layout.section_address[range.section];
    table.push_back(LineRange{base + range.begin, base + range.end, range.line});
  }
  std::sort(table.begin(), table.end(), [](const LineRange& a, const LineRange& b) { return a.begin < b.begin; });
  std::vector<LineRange> disjoint;
  for (const LineRange& range : table) {
    if (!disjoint.empty() && range.begin < disjoint.back().end) continue;
    disjoint.push_back(range);
  }
  return disjoint;
}

SourceLineLookup section_line_lookup(const std::vector<SectionLineRange>& ranges) {
  return [&ranges](uint32_t section, uint32_t offset) -> uint32_t {
    for (const SectionLineRange& range : ranges)
      if (range.section == section && range.begin <= offset && offset < range.end) return range.line;
    return 0;
  };
}

void link_into(const std::vector<uint8_t>& object_bytes, const AssembleOptions& options, bool read_lines,
               Assembly& result) {
  const auto object = read_relocatable_object(object_bytes, result.diagnostics);
  if (!object) return;
  const std::vector<SectionLineRange> ranges = read_lines ? read_line_ranges(object_bytes) : std::vector<SectionLineRange>{};
  const auto linked = link_program(*object, options, section_line_lookup(ranges), result.diagnostics);
  if (!linked || result.error_count() != 0) return;

  ExecutableImage image;
  image.flags = linked->flags;
  image.entry = linked->entry;
  image.text_address = options.itcm_base;
  image.text = linked->text;
  image.data_address = options.dtcm_base;
  image.data = linked->data;
  image.data_memory_bytes = linked->data_memory_bytes;
  result.elf = write_executable(image);
  result.entry = linked->entry;
  result.text_bytes = static_cast<uint32_t>(linked->text.size());
  result.data_bytes = linked->data_memory_bytes;
  result.line_table = linked_line_table(ranges, linked->layout);
  result.listing = make_listing(linked->text, options.itcm_base,
                                [&result](uint32_t address) { return result.line_of(address); });
  result.ok = true;
}

}  // namespace

std::string Diagnostic::to_string() const {
  std::string text = std::to_string(line) + ":" + std::to_string(column) + ": " + severity + ": " + message;
  if (!hint.empty()) text += " (hint: " + hint + ")";
  return text;
}

uint32_t Assembly::line_of(uint32_t address) const {
  auto after = std::upper_bound(line_table.begin(), line_table.end(), address,
                                [](uint32_t value, const LineRange& range) { return value < range.begin; });
  if (after == line_table.begin()) return 0;
  --after;
  return address < after->end ? after->line : 0;
}

std::size_t Assembly::error_count() const {
  return static_cast<std::size_t>(std::count_if(diagnostics.begin(), diagnostics.end(),
                                                [](const Diagnostic& d) { return d.severity == "error"; }));
}

Assembly assemble(const std::string& source, const AssembleOptions& options) {
  Assembly result;
  const ScreenResult screen = screen_source(source, options);
  if (!screen.errors.empty()) {
    result.diagnostics = screen.errors;
    return result;
  }
  // Sources with their own .loc lines describe some other file; their lines are not ours.
  const bool generate_lines = !screen.has_own_line_directives;
  ObjectAssembly object = assemble_to_object(source, options.source_name, generate_lines);
  result.diagnostics = std::move(object.diagnostics);
  if (object.object.empty()) return result;
  link_into(object.object, options, generate_lines, result);
  return result;
}

Assembly link_object(const std::vector<uint8_t>& object, const AssembleOptions& options) {
  Assembly result;
  link_into(object, options, /*read_lines=*/true, result);
  return result;
}

}  // namespace coral::assembler
