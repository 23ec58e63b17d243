// Timing model of PLENA's HBM channel (docs/plena-model.md, "Timing").
//
// One channel serves transfers in issue order: a transfer starts when both its instruction has
// issued and the channel is free, occupies the channel for ceil(bytes / bandwidth) cycles and
// completes hbm_latency cycles after that. Until completion its destination ranges are pending:
// any instruction touching them must wait. At most `queue_depth` transfers are in flight.
//
// Completion times are non-decreasing in issue order (the channel is FIFO and the latency is
// constant), so the in-flight set is a ring buffer whose front is always the first to finish,
// and completed transfers are retired lazily from the front.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "plena/hardware_config.h"
#include "plena/machine_state.h"

namespace plena {

struct PendingRange {
  Memory memory;
  uint64_t lo, hi;  // [lo, hi) in the memory's address unit
};

class DmaEngine {
 public:
  explicit DmaEngine(const HardwareConfig& config);

  // Completion time of the last transfer ever queued (0 when none was).
  uint64_t last_done() const { return last_done_; }
  // True when some transfer is still in flight at time t; the cheap early-out for the common
  // case of compute instructions running while no transfer is outstanding.
  bool in_flight_at(uint64_t t) const { return last_done_ > t; }

  // Latest completion time among transfers in flight at `now` whose pending ranges overlap
  // [lo, hi) of `memory`; `now` when there is none.
  uint64_t ready_time(Memory memory, uint64_t lo, uint64_t hi, uint64_t now);

  // Earliest time >= t at which the queue has room for one more transfer.
  uint64_t slot_free_time(uint64_t t);

  // Building a transfer: begin, add its pending ranges, then commit. Call only after every
  // check of the issuing instruction has passed (a trapped instruction queues nothing) and
  // with a slot free at the issue time (see slot_free_time).
  void begin_transfer();
  void add_pending(Memory memory, uint64_t lo, uint64_t hi);
  // Queues the transfer whose issue ends at `issue_end`; returns its completion time.
  uint64_t commit_transfer(uint64_t issue_end, uint64_t bytes);

 private:
  struct Transfer {
    uint64_t done = 0;
    std::vector<PendingRange> ranges;  // capacity is kept across reuse of the slot
  };

  void retire_until(uint64_t t);
  // i < ring size; a compare instead of a modulo, as ready_time visits every in-flight slot.
  Transfer& slot(std::size_t i) {
    const std::size_t at = head_ + i;
    return ring_[at < ring_.size() ? at : at - ring_.size()];
  }

  std::vector<Transfer> ring_;
  std::size_t head_ = 0, count_ = 0;
  // Latest completion among transfers with a pending range in each memory: an access to a
  // memory no transfer in flight touches needs no scan of the ring.
  std::array<uint64_t, kMemoryCount> memory_done_{};
  uint64_t channel_free_ = 0, last_done_ = 0;
  uint64_t hbm_latency_;
  uint64_t bytes_per_cycle_;
};

}  // namespace plena
