#include "dma.h"

#include <algorithm>
#include <cstring>

#include "locks.h"

namespace aie {
namespace {

bool route_allowed(unsigned channel, const HardwareConfig& config, const BufferDescriptor& bd) {
  const bool shim = channel < config.shim_channels;
  const MemoryKind far = shim ? MemoryKind::Ddr : MemoryKind::Dm;
  const auto ok = [&](MemoryKind k) { return k == far || k == MemoryKind::MemTile; };
  return bd.src_mem != bd.dst_mem && ok(bd.src_mem) && ok(bd.dst_mem);
}

Trap dma_trap(TrapKind kind, std::string message) {
  Trap t;
  t.kind = kind;
  t.message = std::move(message);
  return t;
}

}  // namespace

std::string channel_name(unsigned channel, const HardwareConfig& config) {
  if (channel < config.shim_channels) return "shim" + std::to_string(channel);
  return "tile" + std::to_string(channel - config.shim_channels);
}

bool parse_channel_name(const std::string& text, const HardwareConfig& config, unsigned& out) {
  for (unsigned c = 0; c < config.channel_count(); ++c)
    if (text == channel_name(c, config)) {
      out = c;
      return true;
    }
  return false;
}

DmaEngine::DmaEngine(MachineState& state, const HardwareConfig& config, const Limits& limits,
                     SimResult& result)
    : state_(state), config_(config), limits_(limits), result_(result),
      channels_(config.channel_count()) {}

bool DmaEngine::queue_full(unsigned channel) const {
  return channels_[channel].queue.size() >= config_.dma_queue_depth;
}

bool DmaEngine::quiet(unsigned channel) const {
  return channels_[channel].phase == Phase::Idle && channels_[channel].queue.empty();
}

bool DmaEngine::bd_in_use(uint32_t bd) const {
  for (const Channel& ch : channels_) {
    if (ch.phase != Phase::Idle && ch.bd == static_cast<int32_t>(bd)) return true;
    if (std::find(ch.queue.begin(), ch.queue.end(), bd) != ch.queue.end()) return true;
  }
  return false;
}

void DmaEngine::enqueue(unsigned channel, uint32_t bd) { channels_[channel].queue.push_back(bd); }

bool DmaEngine::check_extent(const BufferDescriptor& bd, bool source, uint32_t number,
                             Trap& trap) const {
  const MemoryKind mem = source ? bd.src_mem : bd.dst_mem;
  const uint32_t base = source ? bd.src_addr : bd.dst_addr;
  const auto& stride = source ? bd.src_stride : bd.dst_stride;
  const char* side = source ? "source" : "destination";
  if (base % 4 != 0) {
    trap = dma_trap(TrapKind::MisalignedAddress,
                    "bd" + std::to_string(number) + " " + side + " address " +
                        std::to_string(base) + " is not a multiple of 4 (DMA moves 32-bit words)");
    trap.memory = mem;
    trap.address = base;
    return false;
  }
  // The pattern is linear in each index, so its extremes are at the corners.
  int64_t low = 0, high = 0;
  for (int d = 0; d < 3; ++d) {
    const int64_t span = int64_t{bd.size[d] - 1} * stride[d];
    low += std::min<int64_t>(0, span);
    high += std::max<int64_t>(0, span);
  }
  const int64_t first = int64_t{base} + 4 * low;
  const int64_t end = int64_t{base} + 4 * high + 4;
  const int64_t capacity = static_cast<int64_t>(state_.memory(mem).size());
  if (first < 0 || end > capacity) {
    trap = dma_trap(TrapKind::AddressOutOfRange,
                    "bd" + std::to_string(number) + " " + side + " pattern covers bytes [" +
                        std::to_string(first) + ", " + std::to_string(end) + ") of " +
                        memory_name(mem) + ", which has " + std::to_string(capacity) + " bytes");
    trap.memory = mem;
    trap.address = static_cast<uint64_t>(first < 0 ? 0 : first);
    return false;
  }
  return true;
}

bool DmaEngine::begin(Channel& ch, unsigned number, uint32_t bd_index, Trap& trap) {
  const std::string name = channel_name(number, config_);
  const std::string bd_name = "bd" + std::to_string(bd_index);
  if (bd_index >= state_.bds.size() || !state_.bds[bd_index].valid) {
    trap = dma_trap(TrapKind::DmaError,
                    name + " was asked to run " + bd_name + ", which no .bd directive defined");
    return false;
  }
  const BufferDescriptor& bd = state_.bds[bd_index];
  if (!route_allowed(number, config_, bd)) {
    trap = dma_trap(TrapKind::DmaError,
                    bd_name + " moves " + memory_name(bd.src_mem) + " -> " +
                        memory_name(bd.dst_mem) + " but " + name + " only connects " +
                        (number < config_.shim_channels ? "ddr and mem" : "mem and dm"));
    return false;
  }
  if (bd.size[0] == 0 || bd.size[1] == 0 || bd.size[2] == 0 || bd.words() > (1ull << 26)) {
    trap = dma_trap(TrapKind::DmaError,
                    bd_name + " has a size of zero or more than 2^26 words in some dimension");
    return false;
  }
  const auto bad_lock = [&](int32_t lock, uint32_t value) {
    return lock >= 0 && (static_cast<uint32_t>(lock) >= state_.locks.size() ||
                         value > config_.lock_max);
  };
  if (bad_lock(bd.acq_lock, bd.acq_value) || bad_lock(bd.rel_lock, bd.rel_value)) {
    trap = dma_trap(TrapKind::DmaError, bd_name + " names a lock or lock value out of range");
    return false;
  }
  if (!check_extent(bd, true, bd_index, trap) || !check_extent(bd, false, bd_index, trap))
    return false;
  ch.bd = static_cast<int32_t>(bd_index);
  ch.active = bd;
  ch.index = {0, 0, 0};
  ch.remaining = bd.words();
  if (bd.acq_lock >= 0) {
    ch.phase = Phase::WaitLock;
  } else {
    ch.phase = config_.bd_setup_cycles > 0 ? Phase::Setup : Phase::Transfer;
    ch.countdown = config_.bd_setup_cycles;
  }
  return true;
}

bool DmaEngine::ddr_writable(uint64_t address) const {
  if (limits_.ddr_writable.empty()) return true;
  for (const DdrRange& r : limits_.ddr_writable)
    if (address >= r.begin && address + 4 <= r.end) return true;
  return false;
}

bool DmaEngine::transfer(Channel& ch, Trap& trap) {
  const BufferDescriptor& bd = ch.active;
  std::vector<uint8_t>& src = state_.memory(bd.src_mem);
  std::vector<uint8_t>& dst = state_.memory(bd.dst_mem);
  uint64_t budget = config_.dma_bytes_per_cycle / 4;
  while (budget > 0 && ch.remaining > 0) {
    int64_t so = 0, d_o = 0;
    for (int d = 0; d < 3; ++d) {
      so += int64_t{ch.index[d]} * bd.src_stride[d];
      d_o += int64_t{ch.index[d]} * bd.dst_stride[d];
    }
    const uint64_t from = static_cast<uint64_t>(int64_t{bd.src_addr} + 4 * so);
    const uint64_t to = static_cast<uint64_t>(int64_t{bd.dst_addr} + 4 * d_o);
    if (bd.dst_mem == MemoryKind::Ddr && !ddr_writable(to)) {
      trap = dma_trap(TrapKind::WriteProtected,
                      "bd" + std::to_string(ch.bd) + " writes DDR byte " + std::to_string(to) +
                          ", outside the kernel's output ranges");
      trap.memory = MemoryKind::Ddr;
      trap.address = to;
      return false;
    }
    std::memcpy(dst.data() + to, src.data() + from, 4);
    result_.dma_bytes += 4;
    if (bd.src_mem == MemoryKind::Ddr) result_.ddr_bytes_read += 4;
    if (bd.dst_mem == MemoryKind::Ddr) result_.ddr_bytes_written += 4;
    --ch.remaining;
    --budget;
    for (int d = 0; d < 3; ++d) {  // odometer: dimension 0 runs fastest
      if (++ch.index[d] < bd.size[d]) break;
      ch.index[d] = 0;
    }
  }
  return true;
}

bool DmaEngine::finish(Channel& ch, unsigned number, Trap& trap) {
  const BufferDescriptor& bd = ch.active;
  if (bd.rel_lock >= 0 &&
      !lock_release(state_, config_, static_cast<uint32_t>(bd.rel_lock), bd.rel_value)) {
    trap = dma_trap(TrapKind::LockOverflow,
                    "bd" + std::to_string(ch.bd) + " on " + channel_name(number, config_) +
                        " released " + lock_name(static_cast<uint32_t>(bd.rel_lock), config_) +
                        " by " + std::to_string(bd.rel_value) + " above its maximum " +
                        std::to_string(config_.lock_max));
    return false;
  }
  ch.phase = Phase::Idle;
  ch.bd = -1;
  if (bd.next >= 0) return begin(ch, number, static_cast<uint32_t>(bd.next), trap);
  if (!ch.queue.empty()) {
    const uint32_t next = ch.queue.front();
    ch.queue.erase(ch.queue.begin());
    return begin(ch, number, next, trap);
  }
  return true;
}

bool DmaEngine::step(Trap& trap) {
  for (unsigned n = 0; n < channels_.size(); ++n) {
    Channel& ch = channels_[n];
    switch (ch.phase) {
      case Phase::Idle:
        if (!ch.queue.empty()) {
          const uint32_t bd = ch.queue.front();
          ch.queue.erase(ch.queue.begin());
          if (!begin(ch, n, bd, trap)) return false;
        }
        break;
      case Phase::WaitLock:
        if (lock_can_acquire(state_, static_cast<uint32_t>(ch.active.acq_lock),
                             ch.active.acq_value)) {
          lock_acquire(state_, static_cast<uint32_t>(ch.active.acq_lock), ch.active.acq_value);
          ch.countdown = config_.bd_setup_cycles;
          ch.phase = ch.countdown > 0 ? Phase::Setup : Phase::Transfer;
        }
        break;
      case Phase::Setup:
        if (--ch.countdown == 0) ch.phase = Phase::Transfer;
        break;
      case Phase::Transfer:
        if (!transfer(ch, trap)) return false;
        if (ch.remaining == 0 && !finish(ch, n, trap)) return false;
        break;
    }
  }
  return true;
}

bool DmaEngine::can_progress() const {
  for (const Channel& ch : channels_) {
    if (ch.phase == Phase::Setup || ch.phase == Phase::Transfer) return true;
    if (ch.phase == Phase::Idle && !ch.queue.empty()) return true;
    if (ch.phase == Phase::WaitLock &&
        lock_can_acquire(state_, static_cast<uint32_t>(ch.active.acq_lock), ch.active.acq_value))
      return true;
  }
  return false;
}

std::string DmaEngine::summary() const {
  std::string out;
  for (unsigned n = 0; n < channels_.size(); ++n) {
    const Channel& ch = channels_[n];
    if (!out.empty()) out += "; ";
    out += channel_name(n, config_) + " ";
    switch (ch.phase) {
      case Phase::Idle: out += ch.queue.empty() ? "idle" : "starting"; break;
      case Phase::WaitLock: {
        const auto lock = static_cast<uint32_t>(ch.active.acq_lock);
        out += "bd" + std::to_string(ch.bd) + " waits for " + lock_name(lock, config_) +
               " >= " + std::to_string(ch.active.acq_value) + " (it is " +
               std::to_string(state_.locks[lock]) + ")";
        break;
      }
      case Phase::Setup:
      case Phase::Transfer: out += "bd" + std::to_string(ch.bd) + " moving data"; break;
    }
  }
  return out;
}

}  // namespace aie
