#include "relocatable_object.h"

#include "llvm/Object/ELF.h"
#include "llvm/Support/Error.h"

namespace coral::assembler {
namespace {

using ElfFile = llvm::object::ELFFile<llvm::object::ELF32LE>;

void add_error(std::vector<Diagnostic>& diagnostics, std::string message) {
  Diagnostic diagnostic;
  diagnostic.severity = "error";
  diagnostic.message = std::move(message);
  diagnostics.push_back(std::move(diagnostic));
}

// Turns an llvm::Expected into a value or a diagnostic that says what was being read.
template <typename T>
std::optional<T> take(llvm::Expected<T> value, const std::string& what, std::vector<Diagnostic>& diagnostics) {
  if (value) return std::move(*value);
  add_error(diagnostics, "object file: cannot read " + what + ": " + llvm::toString(value.takeError()));
  return std::nullopt;
}

bool check_header(const ElfFile& file, std::size_t size, std::vector<Diagnostic>& diagnostics) {
  const auto& header = file.getHeader();
  if (size < 4 || header.e_ident[0] != 0x7f || header.e_ident[1] != 'E') {
    add_error(diagnostics, "object file: not an ELF file (expected an ELF32 RISC-V relocatable object)");
    return false;
  }
  if (header.e_ident[llvm::ELF::EI_CLASS] != llvm::ELF::ELFCLASS32 ||
      header.e_ident[llvm::ELF::EI_DATA] != llvm::ELF::ELFDATA2LSB) {
    add_error(diagnostics, "object file: expected ELF32 little-endian");
    return false;
  }
  if (header.e_machine != llvm::ELF::EM_RISCV || header.e_type != llvm::ELF::ET_REL) {
    add_error(diagnostics, "object file: expected a RISC-V (e_machine 243) relocatable (ET_REL) object, got e_machine " +
                               std::to_string(header.e_machine) + ", e_type " + std::to_string(header.e_type));
    return false;
  }
  return true;
}

bool read_sections(const ElfFile& file, RelocatableObject& object, std::vector<Diagnostic>& diagnostics) {
  auto sections = take(file.sections(), "section headers", diagnostics);
  if (!sections) return false;
  for (const auto& header : *sections) {
    ObjectSection section;
    auto name = take(file.getSectionName(header), "a section name", diagnostics);
    if (!name) return false;
    section.name = name->str();
    section.type = header.sh_type;
    section.flags = header.sh_flags;
    section.alignment = header.sh_addralign == 0 ? 1 : header.sh_addralign;
    section.size = header.sh_size;
    if ((section.alignment & (section.alignment - 1)) != 0) {
      add_error(diagnostics, "object file: section " + section.name + " has alignment " +
                                 std::to_string(section.alignment) + ", expected a power of two");
      return false;
    }
    if (header.sh_type != llvm::ELF::SHT_NOBITS && (header.sh_flags & llvm::ELF::SHF_ALLOC) != 0) {
      auto contents = take(file.getSectionContents(header), "contents of " + section.name, diagnostics);
      if (!contents) return false;
      section.bytes.assign(contents->begin(), contents->end());
    }
    object.sections.push_back(std::move(section));
  }
  return true;
}

bool read_symbols(const ElfFile& file, RelocatableObject& object, std::vector<Diagnostic>& diagnostics) {
  auto sections = take(file.sections(), "section headers", diagnostics);
  if (!sections) return false;
  for (const auto& header : *sections) {
    if (header.sh_type != llvm::ELF::SHT_SYMTAB) continue;
    auto symbols = take(file.symbols(&header), "the symbol table", diagnostics);
    auto names = take(file.getStringTableForSymtab(header), "the symbol names", diagnostics);
    if (!symbols || !names) return false;
    for (const auto& entry : *symbols) {
      ObjectSymbol symbol;
      auto name = take(entry.getName(*names), "a symbol name", diagnostics);
      if (!name) return false;
      symbol.name = name->str();
      symbol.section = entry.st_shndx;
      symbol.value = entry.st_value;
      symbol.size = entry.st_size;
      symbol.binding = entry.getBinding();
      symbol.type = entry.getType();
      object.symbols.push_back(std::move(symbol));
    }
    return true;  // an ET_REL object has one symbol table
  }
  return true;
}

bool read_relocations(const ElfFile& file, RelocatableObject& object, std::vector<Diagnostic>& diagnostics) {
  auto sections = take(file.sections(), "section headers", diagnostics);
  if (!sections) return false;
  for (const auto& header : *sections) {
    if (header.sh_type != llvm::ELF::SHT_RELA && header.sh_type != llvm::ELF::SHT_REL) continue;
    if (header.sh_info >= object.sections.size()) {
      add_error(diagnostics, "object file: a relocation section names section " + std::to_string(header.sh_info) +
                                 ", which does not exist");
      return false;
    }
    auto add = [&](uint32_t offset, uint32_t type, uint32_t symbol, int64_t addend) {
      object.relocations.push_back(ObjectRelocation{header.sh_info, offset, type, symbol, addend});
    };
    if (header.sh_type == llvm::ELF::SHT_RELA) {
      auto entries = take(file.relas(header), "relocations", diagnostics);
      if (!entries) return false;
      for (const auto& entry : *entries) add(entry.r_offset, entry.getType(false), entry.getSymbol(false), entry.r_addend);
    } else {
      auto entries = take(file.rels(header), "relocations", diagnostics);
      if (!entries) return false;
      for (const auto& entry : *entries) add(entry.r_offset, entry.getType(false), entry.getSymbol(false), 0);
    }
  }
  for (const ObjectRelocation& relocation : object.relocations) {
    if (relocation.symbol >= object.symbols.size() && relocation.symbol != 0) {
      add_error(diagnostics, "object file: a relocation names symbol " + std::to_string(relocation.symbol) +
                                 ", which does not exist");
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<RelocatableObject> read_relocatable_object(const std::vector<uint8_t>& bytes,
                                                         std::vector<Diagnostic>& diagnostics) {
  if (bytes.size() < sizeof(ElfFile::Elf_Ehdr)) {
    add_error(diagnostics, "object file: " + std::to_string(bytes.size()) +
                               " bytes is too small for an ELF header (expected an ELF32 RISC-V relocatable object)");
    return std::nullopt;
  }
  const llvm::StringRef view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  auto file = take(ElfFile::create(view), "the ELF header", diagnostics);
  if (!file || !check_header(*file, bytes.size(), diagnostics)) return std::nullopt;
  RelocatableObject object;
  object.flags = file->getHeader().e_flags;
  if (!read_sections(*file, object, diagnostics) || !read_symbols(*file, object, diagnostics) ||
      !read_relocations(*file, object, diagnostics))
    return std::nullopt;
  return object;
}

}  // namespace coral::assembler
