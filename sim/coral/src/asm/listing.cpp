#include "listing.h"

#include <memory>
#include <string>

#include "llvm/MC/MCContext.h"
#include "llvm/MC/MCDisassembler/MCDisassembler.h"
#include "llvm/MC/MCInst.h"
#include "llvm/MC/MCInstPrinter.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm_target.h"

namespace coral::assembler {
namespace {

std::string hex_word(uint32_t word, int digits) {
  static const char kDigits[] = "0123456789abcdef";
  std::string text = "0x";
  for (int i = digits - 1; i >= 0; --i) text += kDigits[(word >> (4 * i)) & 0xf];
  return text;
}

// LLVM prints "\tmnemonic\toperands"; the listing wants "mnemonic operands".
std::string tidy(const std::string& printed) {
  std::string text;
  for (char c : printed) {
    if (c == '\t') {
      if (!text.empty() && text.back() != ' ') text += ' ';
    } else {
      text += c;
    }
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace

std::vector<ListingLine> make_listing(const std::vector<uint8_t>& text, uint32_t base_address,
                                      const std::function<uint32_t(uint32_t address)>& line_of) {
  TargetDescription target = describe_target();
  llvm::MCContext context(target.triple, target.asm_info.get(), target.registers.get(), target.subtarget.get());
  std::unique_ptr<llvm::MCDisassembler> disassembler(target.target->createMCDisassembler(*target.subtarget, context));
  std::unique_ptr<llvm::MCInstPrinter> printer(target.target->createMCInstPrinter(
      target.triple, 0, *target.asm_info, *target.instructions, *target.registers));
  printer->setPrintBranchImmAsAddress(true);

  std::vector<ListingLine> listing;
  for (std::size_t offset = 0; offset < text.size(); offset += 4) {
    ListingLine line;
    line.address = base_address + static_cast<uint32_t>(offset);
    const std::size_t available = std::min<std::size_t>(4, text.size() - offset);
    for (std::size_t i = 0; i < available; ++i) line.word |= uint32_t{text[offset + i]} << (8 * i);
    llvm::MCInst instruction;
    uint64_t size = 0;
    const auto status = available == 4 ? disassembler->getInstruction(instruction, size, llvm::ArrayRef<uint8_t>(&text[offset], 4),
                                                                       line.address, llvm::nulls())
                                       : llvm::MCDisassembler::Fail;
    if (status == llvm::MCDisassembler::Success && size == 4) {
      std::string printed;
      llvm::raw_string_ostream stream(printed);
      printer->printInst(&instruction, line.address, "", *target.subtarget, stream);
      stream.flush();
      line.text = tidy(printed);
    } else {
      line.text = available == 4 ? ".word " + hex_word(line.word, 8) : ".byte (partial word " + hex_word(line.word, 2 * available) + ")";
    }
    line.line = line_of(line.address);
    listing.push_back(std::move(line));
  }
  return listing;
}

}  // namespace coral::assembler
