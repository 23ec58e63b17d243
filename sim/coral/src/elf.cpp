#include "coral/elf.h"

#include <string>

namespace coral {
namespace {

constexpr uint16_t kEtExec = 2;
constexpr uint16_t kEmRiscv = 243;
constexpr uint32_t kPtLoad = 1;
constexpr uint32_t kPfX = 1;
constexpr uint32_t kPfW = 2;
constexpr std::size_t kEhdrSize = 52;
constexpr std::size_t kPhdrSize = 32;

// Little-endian field reads at offsets already checked against the buffer size.
class Reader {
 public:
  explicit Reader(const std::vector<uint8_t>& bytes) : bytes_(bytes) {}
  uint16_t u16(std::size_t at) const {
    return static_cast<uint16_t>(bytes_[at] | (bytes_[at + 1] << 8));
  }
  uint32_t u32(std::size_t at) const {
    return static_cast<uint32_t>(bytes_[at]) | (static_cast<uint32_t>(bytes_[at + 1]) << 8) |
           (static_cast<uint32_t>(bytes_[at + 2]) << 16) | (static_cast<uint32_t>(bytes_[at + 3]) << 24);
  }

 private:
  const std::vector<uint8_t>& bytes_;
};

[[noreturn]] void fail(const std::string& message) { throw ElfError("ELF: " + message); }

std::string hex(uint64_t value) {
  static const char* digits = "0123456789abcdef";
  std::string text;
  do {
    text.insert(text.begin(), digits[value & 15]);
    value >>= 4;
  } while (value);
  return "0x" + text;
}

void check_ident(const std::vector<uint8_t>& b) {
  if (b.size() < kEhdrSize)
    fail("file is " + std::to_string(b.size()) + " bytes, shorter than the 52-byte ELF32 header");
  if (b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F')
    fail("bad magic: expected 7f 45 4c 46 ('\\x7fELF')");
  if (b[4] != 1) fail("e_ident[EI_CLASS] is " + std::to_string(b[4]) + ", expected 1 (ELF32)");
  if (b[5] != 1)
    fail("e_ident[EI_DATA] is " + std::to_string(b[5]) + ", expected 1 (little-endian)");
  if (b[6] != 1) fail("e_ident[EI_VERSION] is " + std::to_string(b[6]) + ", expected 1");
}

ElfSegment read_segment(const std::vector<uint8_t>& bytes, const Reader& r, std::size_t at,
                        std::size_t index) {
  const std::string name = "program header " + std::to_string(index);
  const uint32_t offset = r.u32(at + 4);
  const uint32_t vaddr = r.u32(at + 8);
  const uint32_t filesz = r.u32(at + 16);
  const uint32_t memsz = r.u32(at + 20);
  const uint32_t flags = r.u32(at + 24);
  if (filesz > memsz)
    fail(name + ": p_filesz " + std::to_string(filesz) + " exceeds p_memsz " + std::to_string(memsz));
  if (uint64_t{offset} + filesz > bytes.size())
    fail(name + ": file bytes [" + hex(offset) + ", " + hex(uint64_t{offset} + filesz) +
         ") run past the end of the " + std::to_string(bytes.size()) + "-byte file");
  if (uint64_t{vaddr} + memsz > (1ull << 32))
    fail(name + ": p_vaddr " + hex(vaddr) + " + p_memsz " + hex(memsz) +
         " wraps past the 32-bit address space");
  ElfSegment segment;
  segment.vaddr = vaddr;
  segment.mem_size = memsz;
  segment.executable = (flags & kPfX) != 0;
  segment.writable = (flags & kPfW) != 0;
  segment.data.assign(bytes.begin() + offset, bytes.begin() + offset + filesz);
  return segment;
}

}  // namespace

ElfImage parse_elf(const std::vector<uint8_t>& bytes) {
  check_ident(bytes);
  const Reader r(bytes);
  const uint16_t type = r.u16(16);
  const uint16_t machine = r.u16(18);
  const uint32_t version = r.u32(20);
  if (type != kEtExec) fail("e_type is " + std::to_string(type) + ", expected 2 (ET_EXEC)");
  if (machine != kEmRiscv)
    fail("e_machine is " + std::to_string(machine) + ", expected 243 (EM_RISCV)");
  if (version != 1) fail("e_version is " + std::to_string(version) + ", expected 1");
  const uint32_t phoff = r.u32(28);
  const uint16_t ehsize = r.u16(40);
  const uint16_t phentsize = r.u16(42);
  const uint16_t phnum = r.u16(44);
  if (ehsize != kEhdrSize) fail("e_ehsize is " + std::to_string(ehsize) + ", expected 52");
  if (phnum == 0) fail("e_phnum is 0: the file has no program headers to load");
  if (phentsize != kPhdrSize)
    fail("e_phentsize is " + std::to_string(phentsize) + ", expected 32");
  if (uint64_t{phoff} + uint64_t{phnum} * kPhdrSize > bytes.size())
    fail("program header table [" + hex(phoff) + ", " + hex(uint64_t{phoff} + phnum * kPhdrSize) +
         ") runs past the end of the " + std::to_string(bytes.size()) + "-byte file");

  ElfImage image;
  image.entry = r.u32(24);
  for (std::size_t i = 0; i < phnum; ++i) {
    const std::size_t at = phoff + i * kPhdrSize;
    if (r.u32(at) != kPtLoad) continue;
    image.segments.push_back(read_segment(bytes, r, at, i));
  }
  if (image.segments.empty()) fail("no PT_LOAD program header: nothing to load");
  return image;
}

}  // namespace coral
