#include "hart.h"

#include <cstdio>

namespace coral {

std::string hex32(uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", value);
  return text;
}

bool Hart::fail(TrapKind kind, std::string message, std::optional<uint32_t> address) {
  trap = Trap{kind, pc, address, std::move(message)};
  return false;
}

bool Hart::illegal(const Decoded& d, const std::string& why) {
  std::string text = "illegal instruction " + hex32(d.word);
  if (d.def != kNoDef) text += std::string(" (") + instruction_table()[d.def].name + ")";
  return fail(TrapKind::IllegalInstruction, text + ": " + why);
}

namespace {
std::string range_text(uint32_t addr, uint32_t len) {
  return std::to_string(len) + " byte" + (len == 1 ? "" : "s") + " at " + hex32(addr);
}
std::string map_text(const CoralConfig& c) {
  auto region = [](const char* name, uint32_t base, uint32_t size) {
    return std::string(name) + " [" + hex32(base) + ", " + hex32(base + size) + ")";
  };
  return region("ITCM", c.itcm_base, c.itcm_bytes) + ", " + region("DTCM", c.dtcm_base, c.dtcm_bytes) +
         ", " + region("EXT", c.ext_base, c.ext_bytes);
}
}  // namespace

bool Hart::bad_access(uint32_t addr, uint32_t len, bool is_store, const char* what) {
  const Region region = mem.region_of(addr, len);
  const std::string access = std::string(what) + " of " + range_text(addr, len);
  if (is_store && region == Region::Itcm)
    return fail(TrapKind::WriteProtected, access + " writes ITCM, which is read-only (code)", addr);
  if (is_store && region == Region::Ext)
    return fail(TrapKind::WriteProtected,
                access + " writes EXT outside the writable ranges (the output tensors and the "
                         "scratch area); inputs are read-only",
                addr);
  return fail(TrapKind::AddressOutOfRange,
              access + " is outside the memory map (or straddles two regions): " + map_text(config),
              addr);
}

bool Hart::misaligned(uint32_t addr, uint32_t size, bool is_store, const char* what) {
  (void)is_store;
  return fail(TrapKind::MisalignedAddress,
              std::string(what) + " of " + range_text(addr, size) + " is not " + std::to_string(size) +
                  "-byte aligned (accesses must be naturally aligned)",
              addr);
}

}  // namespace coral
