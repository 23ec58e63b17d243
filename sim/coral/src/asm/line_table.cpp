#include "line_table.h"

#include "llvm/DebugInfo/DWARF/DWARFContext.h"
#include "llvm/DebugInfo/DWARF/DWARFDebugLine.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

namespace coral::assembler {
namespace {

// DWARF problems only cost us line numbers; they must never reach stderr.
void ignore_error(llvm::Error error) { llvm::consumeError(std::move(error)); }

void add_sequence(const llvm::DWARFDebugLine::LineTable& table, const llvm::DWARFDebugLine::Sequence& sequence,
                  std::vector<SectionLineRange>& ranges) {
  for (unsigned i = sequence.FirstRowIndex; i + 1 < sequence.LastRowIndex && i + 1 < table.Rows.size(); ++i) {
    const auto& row = table.Rows[i];
    const auto& next = table.Rows[i + 1];
    if (row.EndSequence || next.Address.Address <= row.Address.Address || row.Line == 0) continue;
    ranges.push_back(SectionLineRange{static_cast<uint32_t>(sequence.SectionIndex),
                                      static_cast<uint32_t>(row.Address.Address),
                                      static_cast<uint32_t>(next.Address.Address), row.Line});
  }
}

}  // namespace

std::vector<SectionLineRange> read_line_ranges(const std::vector<uint8_t>& object) {
  std::vector<SectionLineRange> ranges;
  const llvm::MemoryBufferRef buffer(
      llvm::StringRef(reinterpret_cast<const char*>(object.data()), object.size()), "object");
  auto file = llvm::object::ObjectFile::createObjectFile(buffer);
  if (!file) {
    ignore_error(file.takeError());
    return ranges;
  }
  auto context = llvm::DWARFContext::create(**file, llvm::DWARFContext::ProcessDebugRelocations::Process, nullptr,
                                            "", ignore_error, ignore_error);
  for (const auto& unit : context->compile_units()) {
    auto table = context->getLineTableForUnit(unit.get(), ignore_error);
    if (!table) {
      ignore_error(table.takeError());
      continue;
    }
    if (*table == nullptr) continue;
    for (const auto& sequence : (*table)->Sequences) add_sequence(**table, sequence, ranges);
  }
  return ranges;
}

}  // namespace coral::assembler
