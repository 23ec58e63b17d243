#include "dma_engine.h"

#include <algorithm>

namespace plena {

DmaEngine::DmaEngine(const HardwareConfig& config)
    // A zero depth or bandwidth can only come from a hand-built config; clamp rather than
    // divide by zero or deadlock.
    : ring_(std::max<uint32_t>(config.dma_queue_depth, 1)),
      hbm_latency_(config.hbm_latency),
      bytes_per_cycle_(std::max<uint32_t>(config.hbm_bytes_per_cycle, 1)) {}

void DmaEngine::retire_until(uint64_t t) {
  while (count_ > 0 && ring_[head_].done <= t) {
    head_ = (head_ + 1) % ring_.size();
    --count_;
  }
}

uint64_t DmaEngine::ready_time(Memory memory, uint64_t lo, uint64_t hi, uint64_t now) {
  if (memory_done_[static_cast<std::size_t>(memory)] <= now) return now;
  retire_until(now);
  uint64_t ready = now;
  for (std::size_t i = 0; i < count_; ++i) {
    const Transfer& transfer = slot(i);
    if (transfer.done <= ready) continue;  // waiting for it would not change anything
    for (const PendingRange& range : transfer.ranges) {
      if (range.memory == memory && range.lo < hi && lo < range.hi) {
        ready = transfer.done;
        break;
      }
    }
  }
  return ready;
}

uint64_t DmaEngine::slot_free_time(uint64_t t) {
  retire_until(t);
  if (count_ < ring_.size()) return t;
  const uint64_t oldest_done = ring_[head_].done;
  retire_until(oldest_done);
  return oldest_done;
}

void DmaEngine::begin_transfer() {
  // Callers wait for a free slot first; this only guards the ring against misuse.
  if (count_ == ring_.size()) retire_until(ring_[head_].done);
  slot(count_).ranges.clear();
}

void DmaEngine::add_pending(Memory memory, uint64_t lo, uint64_t hi) {
  if (lo >= hi) return;
  std::vector<PendingRange>& ranges = slot(count_).ranges;
  // Rows of a transfer are usually back to back; merging keeps overlap checks short.
  if (!ranges.empty()) {
    PendingRange& last = ranges.back();
    if (last.memory == memory && lo <= last.hi && last.lo <= hi) {
      last.lo = std::min(last.lo, lo);
      last.hi = std::max(last.hi, hi);
      return;
    }
  }
  ranges.push_back(PendingRange{memory, lo, hi});
}

uint64_t DmaEngine::commit_transfer(uint64_t issue_end, uint64_t bytes) {
  const uint64_t start = std::max(issue_end, channel_free_);
  channel_free_ = start + (bytes + bytes_per_cycle_ - 1) / bytes_per_cycle_;
  Transfer& transfer = slot(count_);
  transfer.done = channel_free_ + hbm_latency_;
  for (const PendingRange& range : transfer.ranges) {
    uint64_t& done = memory_done_[static_cast<std::size_t>(range.memory)];
    done = std::max(done, transfer.done);
  }
  ++count_;
  last_done_ = transfer.done;
  return transfer.done;
}

}  // namespace plena
