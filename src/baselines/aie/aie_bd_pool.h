// Buffer-descriptor numbers of one AMD NPU baseline kernel. A preset has a fixed pool of BDs
// (bd_count), but a stage needs its descriptors only while it runs: every stage ends with all DMA
// channels idle, so the numbers it used may be reprogrammed (`bd.set`) for the next stage. The pool
// follows what every number holds along the program (generation order = execution order at stage
// level) and answers a request with, in order of preference:
//   1. a number that already holds the requested spec (nothing to emit),
//   2. a number never used so far (a new `.bd` header line),
//   3. a free number of the same shape (memories and locks, which `bd.set` cannot change) that
//      differs in the fewest fields, plus the `bd.set`s that turn it into the request.
// New numbers cost nothing at run time, but with few BDs they run out before every shape has one;
// `recycle_first` swaps 2 and 3 for such presets.
// A DDR endpoint written as `ddr:0` means "the stage sets this address with bd.set before every
// start"; it matches any held value and is never reprogrammed.
#pragma once

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "aie/config.h"

namespace kc::aie_baseline {

class BdPool {
 public:
  // What bd.set can change, in its field order.
  static constexpr std::size_t kFields = 14;
  static const std::array<const char*, kFields> kFieldNames;

  struct Grant {
    int number = 0;
    std::string definition;                                  // non-empty: a new `.bd` line
    std::vector<std::pair<std::string, std::string>> sets;   // (field, value) to emit before use
  };

  explicit BdPool(const aie::HardwareConfig& hw) : hw_(hw) {}
  void recycle_first(bool on) { recycle_first_ = on; }

  // `spec` is a `.bd` spec without the number. Throws InputError when the spec's data-memory or
  // memory-tile extent exceeds the preset, or when no number is left for it.
  Grant take(const std::string& spec);
  // Keeps `number` out of recycling for the rest of the kernel (a BD of shared code).
  void reserve(int number);
  // The (field, value) bd.sets that make `number` hold `spec` (same shape required).
  std::vector<std::pair<std::string, std::string>> reprogram(int number, const std::string& spec);
  // A `bd.set` with a run-time value: the pool no longer knows what the field holds.
  void set_at_run_time(int number, const std::string& field);

  // Numbers taken inside a stage (outermost begin/end pair) become free when it ends; numbers taken
  // outside any stage stay reserved for the whole kernel.
  void begin_stage(const std::string& name);
  void end_stage();
  // Names what needs a BD outside any stage in errors ("the gemv C1 kernel").
  void name_kernel(const std::string& name) { kernel_ = name; }

 private:
  struct Content {
    std::string mem[2];                      // source and destination memory: ddr, mem, dm
    std::string shape;                       // memories and lock names: what bd.set cannot change
    std::array<std::string, kFields> field;  // "" = set at run time (requests), "?" = unknown (held)
  };
  struct Slot {
    Content held;
    bool in_use = false, reserved = false;
  };

  Content parse(const std::string& spec) const;
  void check_extent(const Content& c) const;
  static bool matches(const std::string& held, const std::string& wanted) {
    return wanted.empty() || held == wanted;
  }
  static int differences(const Content& held, const Content& wanted);
  static Content held_after(const Content& wanted);
  int claim(int number);
  int best_free(const Content& wanted) const;  // -1: none of this shape
  std::string who() const { return stage_.empty() ? kernel_ : stage_; }

  const aie::HardwareConfig& hw_;
  std::vector<Slot> slots_;
  int depth_ = 0;
  bool recycle_first_ = false;
  std::string stage_, kernel_ = "the kernel";
};

}  // namespace kc::aie_baseline
