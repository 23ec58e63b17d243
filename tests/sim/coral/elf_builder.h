// Test-only ELF32 writer: code words at an ITCM address, optional data at a DTCM address.
#pragma once

#include <cstdint>
#include <vector>

namespace coral::test {

struct SegmentSpec {
  uint32_t vaddr = 0;
  std::vector<uint8_t> bytes;
  uint32_t mem_size = 0;  // 0: bytes.size()
  bool executable = false;
};

inline void put16(std::vector<uint8_t>& out, std::size_t at, uint32_t value) {
  out[at] = static_cast<uint8_t>(value);
  out[at + 1] = static_cast<uint8_t>(value >> 8);
}
inline void put32(std::vector<uint8_t>& out, std::size_t at, uint32_t value) {
  for (int i = 0; i < 4; ++i) out[at + static_cast<std::size_t>(i)] = static_cast<uint8_t>(value >> (8 * i));
}

inline std::vector<uint8_t> build_elf(uint32_t entry, const std::vector<SegmentSpec>& segments) {
  const std::size_t header = 52, phdr = 32;
  std::size_t offset = header + phdr * segments.size();
  std::vector<uint8_t> out(offset, 0);
  const uint8_t ident[] = {0x7f, 'E', 'L', 'F', 1, 1, 1};
  for (std::size_t i = 0; i < sizeof ident; ++i) out[i] = ident[i];
  put16(out, 16, 2);    // ET_EXEC
  put16(out, 18, 243);  // EM_RISCV
  put32(out, 20, 1);
  put32(out, 24, entry);
  put32(out, 28, 52);   // e_phoff
  put16(out, 40, 52);   // e_ehsize
  put16(out, 42, 32);   // e_phentsize
  put16(out, 44, static_cast<uint32_t>(segments.size()));
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const SegmentSpec& s = segments[i];
    const std::size_t at = header + i * phdr;
    put32(out, at, 1);  // PT_LOAD
    put32(out, at + 4, static_cast<uint32_t>(offset));
    put32(out, at + 8, s.vaddr);
    put32(out, at + 12, s.vaddr);
    put32(out, at + 16, static_cast<uint32_t>(s.bytes.size()));
    put32(out, at + 20, s.mem_size ? s.mem_size : static_cast<uint32_t>(s.bytes.size()));
    put32(out, at + 24, s.executable ? 5u : 6u);  // R+X or R+W
    put32(out, at + 28, 4);
    out.insert(out.end(), s.bytes.begin(), s.bytes.end());
    offset += s.bytes.size();
  }
  return out;
}

inline std::vector<uint8_t> words_to_bytes(const std::vector<uint32_t>& words) {
  std::vector<uint8_t> bytes(words.size() * 4);
  for (std::size_t i = 0; i < words.size(); ++i) put32(bytes, i * 4, words[i]);
  return bytes;
}

}  // namespace coral::test
