// Private: the cycle model. Instructions execute functionally in program order; this model
// computes when each would dispatch, issue and complete on the Coral NPU pipeline:
//
// - scalar core: in-order dispatch of up to `dispatch_width` instructions per cycle; an
//   instruction issues when its source registers are ready (register scoreboard) and its
//   unit can accept it; pipelined units accept one instruction per cycle, non-pipelined ones
//   (div, fdiv/fsqrt) are busy for their whole latency; ALU and branch are not a limit beyond
//   the dispatch width. Static branch prediction (backward taken, forward not taken); a
//   mispredict, and every jalr (its target is not predicted), delays the next dispatch by the
//   penalty. A taken branch or jump ends the dispatch group.
// - vector engine: the scalar core pushes each vector instruction into a command queue
//   (dispatch stalls while it is full). The engine starts instructions in order, at most one
//   per cycle; each runs as `uops` micro-ops on its unit class (one uop per cycle per unit
//   copy), waiting for its source vector registers (scoreboard on whole registers). Scalar
//   results of vector instructions (vmv.x.s, vcpop.m, ...) are scoreboarded like loads.
// - the run's cycle count is when ebreak retires and everything in flight has completed.
// Memory ordering between the vector LSU and scalar loads/stores is not modelled (functional
// execution is in program order, so values are always right).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "coral/config.h"
#include "coral/machine.h"
#include "decoded.h"
#include "hart.h"

namespace coral {

enum class Unit : uint8_t {
  Alu, Branch, Mul, Div, Lsu, Fpu, Fdiv, Csr, VectorDispatch,
  Valu, Vmac, Vdiv, Vfalu, Vfdiv, Vperm, Vlsu,
};
constexpr int kUnitCount = 16;
const char* unit_name(Unit unit);

class TimingModel {
 public:
  explicit TimingModel(const TimingConfig& config);
  void reset();

  // Cycle at which `d` would issue now (for reading mcycle/cycle).
  uint64_t preview_issue(const Decoded& d) const {
    return std::max(operands_ready(d), earliest_dispatch());
  }

  // Charges one executed instruction. `hart` holds its side outputs (memory region, vector
  // effect, next pc for branches).
  void charge(const Decoded& d, const Hart& hart) {
    const Row& row = rows_[static_cast<std::size_t>(d.timing)];
    switch (row.path) {
      case Path::Simple: complete(d, dispatch(d, row.unit), row.unit, row.latency, row.occupancy); break;
      case Path::Load: memory(d, hart, true); break;
      case Path::Store: memory(d, hart, false); break;
      case Path::Branch: branch(d, hart); break;
      case Path::Vector: vector(d, hart); break;
    }
  }

  // Cycles so far if the run stopped now (trap): the current dispatch cycle.
  uint64_t now() const { return cycle_; }
  // Cycles when the last instruction (ebreak) has retired and everything has drained.
  uint64_t drained() const { return std::max(horizon_, cycle_ + 1); }

  void export_counters(std::map<std::string, UnitCounters>& out) const;

 private:
  uint64_t earliest_dispatch() const { return slots_ >= c_.dispatch_width ? cycle_ + 1 : cycle_; }
  uint64_t operands_ready(const Decoded& d) const {
    return std::max({ready_[d.src[0]], ready_[d.src[1]], ready_[d.src[2]]});
  }

  // Dispatches at the first cycle >= every constraint; returns the issue cycle.
  uint64_t dispatch(const Decoded& d, Unit unit, uint64_t extra_ready = 0) {
    const uint64_t earliest = earliest_dispatch();
    const std::size_t u = static_cast<std::size_t>(unit);
    const uint64_t t = std::max({earliest, operands_ready(d), unit_free_[u], extra_ready});
    if (t != cycle_) {
      cycle_ = t;
      slots_ = 0;
    }
    ++slots_;
    counters_[u].stall += t - earliest;
    ++counters_[u].instructions;
    return t;
  }

  void complete(const Decoded& d, uint64_t t, Unit unit, uint32_t latency, uint32_t occupancy) {
    const std::size_t u = static_cast<std::size_t>(unit);
    ready_[d.dst] = t + latency;
    ready_[kNoReg] = 0;
    if (occupancy) unit_free_[u] = t + occupancy;
    counters_[u].busy += std::max<uint32_t>(occupancy, 1);
    horizon_ = std::max(horizon_, t + latency);
  }

  void memory(const Decoded& d, const Hart& hart, bool is_load);
  void branch(const Decoded& d, const Hart& hart);
  void vector(const Decoded& d, const Hart& hart);

  // Pending end of dispatch for the next instruction after a redirect.
  void redirect(uint64_t next_cycle) {
    cycle_ = next_cycle;
    slots_ = 0;
  }

  uint64_t ext_cycles(uint32_t bytes) const {
    return c_.ext_latency + (bytes + c_.ext_bytes_per_cycle - 1) / c_.ext_bytes_per_cycle;
  }

  // How each Timing kind is charged: its unit, result latency and how long it occupies the
  // unit (0: no structural limit beyond the dispatch width; 1: pipelined; latency: blocking).
  enum class Path : uint8_t { Simple, Load, Store, Branch, Vector };
  struct Row {
    Path path = Path::Simple;
    Unit unit = Unit::Alu;
    uint32_t latency = 1;
    uint32_t occupancy = 1;
  };
  static constexpr std::size_t kTimingKinds = static_cast<std::size_t>(Timing::Vector) + 1;
  void build_rows();

  TimingConfig c_;
  std::array<Row, kTimingKinds> rows_{};
  uint64_t cycle_ = 0;   // current dispatch cycle
  uint32_t slots_ = 0;   // instructions dispatched in cycle_
  uint64_t horizon_ = 0; // latest completion of anything issued
  std::array<uint64_t, kScoreboardSlots> ready_{};
  std::array<uint64_t, kUnitCount> unit_free_{};
  std::array<UnitCounters, kUnitCount> counters_{};

  // Vector engine.
  std::array<uint64_t, 32> vready_{};
  std::vector<uint64_t> queue_leave_;  // ring: when each of the last `depth` commands started
  std::size_t queue_slot_ = 0;         // ring index of the next command
  uint64_t vector_next_start_ = 0;
};

}  // namespace coral
