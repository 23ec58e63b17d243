#include "elf_writer.h"

#include <string>

#include "llvm/BinaryFormat/ELF.h"

namespace coral::assembler {
namespace {

constexpr uint32_t kHeaderBytes = 52;
constexpr uint32_t kProgramHeaderBytes = 32;
constexpr uint32_t kSectionHeaderBytes = 40;

// Little-endian append helpers: the file format is fixed, so no struct punning.
class ByteWriter {
 public:
  void u8(uint8_t value) { bytes_.push_back(value); }
  void u16(uint16_t value) { for (int i = 0; i < 2; ++i) u8(static_cast<uint8_t>(value >> (8 * i))); }
  void u32(uint32_t value) { for (int i = 0; i < 4; ++i) u8(static_cast<uint8_t>(value >> (8 * i))); }
  void append(const std::vector<uint8_t>& data) { bytes_.insert(bytes_.end(), data.begin(), data.end()); }
  void append(const std::string& text) { bytes_.insert(bytes_.end(), text.begin(), text.end()); }
  void pad_to(std::size_t size) { bytes_.resize(std::max(bytes_.size(), size), 0); }
  std::size_t size() const { return bytes_.size(); }
  std::vector<uint8_t> take() { return std::move(bytes_); }

 private:
  std::vector<uint8_t> bytes_;
};

uint32_t align4(std::size_t value) { return static_cast<uint32_t>((value + 3) & ~std::size_t{3}); }

struct Segment {
  uint32_t flags, offset, address, file_bytes, memory_bytes;
};

struct SectionEntry {
  uint32_t name, type, flags, address, offset, size;
};

void write_header(ByteWriter& out, const ExecutableImage& image, uint16_t segments, uint32_t section_table,
                  uint16_t sections) {
  const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', llvm::ELF::ELFCLASS32, llvm::ELF::ELFDATA2LSB, llvm::ELF::EV_CURRENT};
  for (uint8_t byte : ident) out.u8(byte);
  out.u16(llvm::ELF::ET_EXEC);
  out.u16(llvm::ELF::EM_RISCV);
  out.u32(llvm::ELF::EV_CURRENT);
  out.u32(image.entry);
  out.u32(kHeaderBytes);  // program headers follow the ELF header
  out.u32(section_table);
  out.u32(image.flags);
  out.u16(kHeaderBytes);
  out.u16(kProgramHeaderBytes);
  out.u16(segments);
  out.u16(kSectionHeaderBytes);
  out.u16(sections);
  out.u16(static_cast<uint16_t>(sections - 1));  // .shstrtab is last
}

void write_segment(ByteWriter& out, const Segment& segment) {
  out.u32(llvm::ELF::PT_LOAD);
  out.u32(segment.offset);
  out.u32(segment.address);
  out.u32(segment.address);
  out.u32(segment.file_bytes);
  out.u32(segment.memory_bytes);
  out.u32(segment.flags);
  out.u32(4);
}

void write_section(ByteWriter& out, const SectionEntry& entry) {
  out.u32(entry.name);
  out.u32(entry.type);
  out.u32(entry.flags);
  out.u32(entry.address);
  out.u32(entry.offset);
  out.u32(entry.size);
  out.u32(0);  // sh_link
  out.u32(0);  // sh_info
  out.u32(entry.type == llvm::ELF::SHT_NULL ? 0 : entry.type == llvm::ELF::SHT_STRTAB ? 1 : 4);
  out.u32(0);  // sh_entsize
}

}  // namespace

std::vector<uint8_t> write_executable(const ExecutableImage& image) {
  const bool has_data = image.data_memory_bytes > 0;
  const uint16_t segment_count = has_data ? 2 : 1;
  const uint32_t text_offset = align4(kHeaderBytes + kProgramHeaderBytes * segment_count);
  const uint32_t data_offset = align4(text_offset + image.text.size());
  const uint32_t data_end = data_offset + static_cast<uint32_t>(image.data.size());

  // Section table: null, .text, [.data], [.bss], .shstrtab.
  std::string names(1, '\0');
  std::vector<SectionEntry> sections(1, SectionEntry{0, 0, 0, 0, 0, 0});
  auto add_section = [&](const char* name, uint32_t type, uint32_t flags, uint32_t address, uint32_t offset, uint32_t size) {
    sections.push_back(SectionEntry{static_cast<uint32_t>(names.size()), type, flags, address, offset, size});
    names += name;
    names += '\0';
  };
  add_section(".text", llvm::ELF::SHT_PROGBITS, llvm::ELF::SHF_ALLOC | llvm::ELF::SHF_EXECINSTR, image.text_address,
              text_offset, static_cast<uint32_t>(image.text.size()));
  if (!image.data.empty())
    add_section(".data", llvm::ELF::SHT_PROGBITS, llvm::ELF::SHF_ALLOC | llvm::ELF::SHF_WRITE, image.data_address,
                data_offset, static_cast<uint32_t>(image.data.size()));
  if (image.data_memory_bytes > image.data.size())
    add_section(".bss", llvm::ELF::SHT_NOBITS, llvm::ELF::SHF_ALLOC | llvm::ELF::SHF_WRITE,
                image.data_address + static_cast<uint32_t>(image.data.size()), data_end,
                image.data_memory_bytes - static_cast<uint32_t>(image.data.size()));
  add_section(".shstrtab", llvm::ELF::SHT_STRTAB, 0, 0, data_end, 0);
  sections.back().size = static_cast<uint32_t>(names.size());
  const uint32_t section_table = align4(data_end + names.size());

  ByteWriter out;
  write_header(out, image, segment_count, section_table, static_cast<uint16_t>(sections.size()));
  write_segment(out, Segment{llvm::ELF::PF_R | llvm::ELF::PF_X, text_offset, image.text_address,
                             static_cast<uint32_t>(image.text.size()), static_cast<uint32_t>(image.text.size())});
  if (has_data)
    write_segment(out, Segment{llvm::ELF::PF_R | llvm::ELF::PF_W, data_offset, image.data_address,
                               static_cast<uint32_t>(image.data.size()), image.data_memory_bytes});
  out.pad_to(text_offset);
  out.append(image.text);
  out.pad_to(data_offset);
  out.append(image.data);
  out.append(names);
  out.pad_to(section_table);
  for (const SectionEntry& entry : sections) write_section(out, entry);
  return out.take();
}

}  // namespace coral::assembler
