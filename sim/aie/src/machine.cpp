// MachineState construction and small accessors.
#include "aie/machine.h"

#include "aie/poison.h"

namespace aie {

const char* memory_name(MemoryKind memory) {
  static const char* const names[] = {"dm", "mem", "ddr"};
  return names[static_cast<std::size_t>(memory)];
}

bool parse_memory_name(const std::string& name, MemoryKind& out) {
  for (MemoryKind kind : {MemoryKind::Dm, MemoryKind::MemTile, MemoryKind::Ddr})
    if (name == memory_name(kind)) {
      out = kind;
      return true;
    }
  return false;
}

const char* acc_type_name(AccType type) {
  static const char* const names[] = {"acc32", "acc64", "fp32"};
  return names[static_cast<std::size_t>(type)];
}

std::size_t acc_lanes(AccType type) { return type == AccType::Acc64 ? 16 : 32; }

MachineState::MachineState(const HardwareConfig& config, uint64_t poison_seed)
    : dm(config.dm_bytes),
      memtile(config.memtile_bytes),
      ddr(config.ddr_bytes),
      locks(config.lock_count(), 0),
      bds(config.bd_count) {
  for (MemoryKind kind : {MemoryKind::Dm, MemoryKind::MemTile, MemoryKind::Ddr})
    poison_fill(memory(kind), poison_seed, kind);
}

std::vector<uint8_t>& MachineState::memory(MemoryKind kind) {
  return kind == MemoryKind::Dm ? dm : kind == MemoryKind::MemTile ? memtile : ddr;
}

const std::vector<uint8_t>& MachineState::memory(MemoryKind kind) const {
  return kind == MemoryKind::Dm ? dm : kind == MemoryKind::MemTile ? memtile : ddr;
}

void MachineState::set_r(unsigned index, uint32_t value) {
  if (index >= kScalarRegs) return;
  r[index] = value;
  r_init[index] = true;
}

void MachineState::set_p(unsigned index, uint32_t value) {
  if (index >= kPointerRegs) return;
  p[index] = value;
  p_init[index] = true;
}

void MachineState::set_m(unsigned index, uint32_t value) {
  if (index >= kModifierRegs) return;
  m[index] = value;
  m_init[index] = true;
}

}  // namespace aie
