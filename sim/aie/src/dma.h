// DMA channels running buffer-descriptor chains, with lock acquire/release per BD.
//
// Channels shim0.. move data between DDR and the memory tile; tile0.. move data between the
// memory tile and data memory. A BD starts by acquiring its acquire-lock (waiting while the
// lock is too low), spends bd_setup_cycles, moves dma_bytes_per_cycle per cycle, releases its
// release-lock, and then runs its `next` BD or the channel's next queued BD.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "aie/config.h"
#include "aie/machine.h"
#include "aie/simulator.h"
#include "aie/trap.h"

namespace aie {

std::string channel_name(unsigned channel, const HardwareConfig& config);  // "shim0", "tile1"
bool parse_channel_name(const std::string& text, const HardwareConfig& config, unsigned& out);

class DmaEngine {
 public:
  DmaEngine(MachineState& state, const HardwareConfig& config, const Limits& limits,
            SimResult& result);

  bool queue_full(unsigned channel) const;
  bool quiet(unsigned channel) const;  // idle with nothing queued
  bool bd_in_use(uint32_t bd) const;   // running or queued on any channel
  void enqueue(unsigned channel, uint32_t bd);

  // Advances every channel by one cycle. False with `trap` filled (kind, memory, address,
  // message; the caller adds pc and line) when a BD is invalid or an access is not allowed.
  bool step(Trap& trap);
  // True when some channel can do something this cycle (used for deadlock detection).
  bool can_progress() const;
  std::string summary() const;  // one clause per channel: what it is doing or waiting for

 private:
  enum class Phase : uint8_t { Idle, WaitLock, Setup, Transfer };
  struct Channel {
    Phase phase = Phase::Idle;
    int32_t bd = -1;
    BufferDescriptor active;  // snapshot taken when the BD started
    uint32_t countdown = 0;
    std::array<uint32_t, 3> index{};
    uint64_t remaining = 0;
    std::vector<uint32_t> queue;
  };

  bool begin(Channel& ch, unsigned number, uint32_t bd, Trap& trap);
  bool transfer(Channel& ch, Trap& trap);
  bool finish(Channel& ch, unsigned number, Trap& trap);
  bool check_extent(const BufferDescriptor& bd, bool source, uint32_t number, Trap& trap) const;
  bool ddr_writable(uint64_t address) const;

  MachineState& state_;
  const HardwareConfig& config_;
  const Limits& limits_;
  SimResult& result_;
  std::vector<Channel> channels_;
};

}  // namespace aie
