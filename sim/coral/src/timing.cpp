#include "timing.h"

namespace coral {
namespace {

// ceil(a / b); unit counts and beat sizes are usually powers of two, where a shift is far
// cheaper than a division in this hot path.
inline uint32_t ceil_div(uint32_t a, uint32_t b) {
  if ((b & (b - 1)) == 0) return (a + b - 1) >> __builtin_ctz(b);
  return (a + b - 1) / b;
}

}  // namespace

const char* unit_name(Unit unit) {
  static const char* const kNames[kUnitCount] = {
      "alu", "branch", "mul", "div", "lsu", "fpu", "fdiv", "csr", "vector_dispatch",
      "valu", "vmac", "vdiv", "vfalu", "vfdiv", "vperm", "vlsu"};
  return kNames[static_cast<std::size_t>(unit)];
}

TimingModel::TimingModel(const TimingConfig& config) : c_(config) {
  build_rows();
  reset();
}

void TimingModel::build_rows() {
  auto set = [this](Timing kind, Path path, Unit unit, uint32_t latency, uint32_t occupancy) {
    rows_[static_cast<std::size_t>(kind)] = Row{path, unit, latency, occupancy};
  };
  set(Timing::Alu, Path::Simple, Unit::Alu, c_.alu_latency, 0);
  set(Timing::Mul, Path::Simple, Unit::Mul, c_.mul_latency, 1);
  set(Timing::Div, Path::Simple, Unit::Div, c_.div_latency, c_.div_latency);
  set(Timing::FpArith, Path::Simple, Unit::Fpu, c_.fpu_latency, 1);
  set(Timing::FpConvert, Path::Simple, Unit::Fpu, c_.fpu_convert_compare_latency, 1);
  set(Timing::FpDivSqrt, Path::Simple, Unit::Fdiv, c_.fdiv_sqrt_latency, c_.fdiv_sqrt_latency);
  set(Timing::Csr, Path::Simple, Unit::Csr, c_.csr_latency, 1);
  set(Timing::System, Path::Simple, Unit::Csr, c_.csr_latency, 1);
  set(Timing::VectorConfig, Path::Simple, Unit::Csr, c_.csr_latency, 1);
  set(Timing::Load, Path::Load, Unit::Lsu, c_.tcm_load_to_use, 1);
  set(Timing::Store, Path::Store, Unit::Lsu, 1, 1);
  set(Timing::Branch, Path::Branch, Unit::Branch, c_.branch_latency, 0);
  set(Timing::Jal, Path::Branch, Unit::Branch, c_.branch_latency, 0);
  set(Timing::Jalr, Path::Branch, Unit::Branch, c_.branch_latency, 0);
  set(Timing::Vector, Path::Vector, Unit::VectorDispatch, 1, 1);
}

void TimingModel::reset() {
  cycle_ = 0;
  slots_ = 0;
  horizon_ = 0;
  ready_.fill(0);
  unit_free_.fill(0);
  counters_.fill(UnitCounters{});
  vready_.fill(0);
  queue_leave_.assign(c_.vector_queue_depth, 0);
  queue_slot_ = 0;
  vector_next_start_ = 0;
}

void TimingModel::memory(const Decoded& d, const Hart& hart, bool is_load) {
  const uint64_t t = dispatch(d, Unit::Lsu);
  if (hart.last_region == Region::Ext) {
    // The LSU streams the beats; the data arrives after the EXT latency.
    const uint32_t beats = ceil_div(hart.last_bytes, c_.ext_bytes_per_cycle);
    complete(d, t, Unit::Lsu, is_load ? static_cast<uint32_t>(ext_cycles(hart.last_bytes)) : 1, beats);
  } else {
    complete(d, t, Unit::Lsu, is_load ? c_.tcm_load_to_use : 1, 1);
  }
}

void TimingModel::branch(const Decoded& d, const Hart& hart) {
  const uint64_t t = dispatch(d, Unit::Branch);
  complete(d, t, Unit::Branch, c_.branch_latency, 0);
  const bool taken = hart.next_pc != hart.pc + 4;
  bool mispredicted = false;
  if (d.timing == Timing::Jalr) mispredicted = true;
  else if (d.timing == Timing::Branch) mispredicted = taken != (d.imm < 0);
  if (mispredicted) redirect(t + 1 + c_.branch_mispredict_penalty);
  else if (taken) redirect(t + 1);
}

void TimingModel::vector(const Decoded& d, const Hart& hart) {
  const VectorEffect& e = hart.vfx;
  // Scalar side: wait for the scalar operands and for a free command-queue slot.
  const std::size_t slot = queue_slot_;
  const uint64_t t = dispatch(d, Unit::VectorDispatch, queue_leave_[slot]);
  complete(d, t, Unit::VectorDispatch, 1, 1);

  // Vector side: in order, after its source registers and its unit are ready.
  const Unit unit = static_cast<Unit>(static_cast<int>(Unit::Valu) + static_cast<int>(e.unit));
  const std::size_t u = static_cast<std::size_t>(unit);
  uint64_t start = std::max({t + 1, vector_next_start_, unit_free_[u]});
  const uint64_t waiting_from = std::max(t + 1, vector_next_start_);
  // Read-after-write waits; write-after-write only keeps completions in order (below).
  for (uint32_t regs = e.reads; regs; regs &= regs - 1)
    start = std::max(start, vready_[static_cast<std::size_t>(__builtin_ctz(regs))]);

  uint64_t occupancy = 0, latency = 0;
  const uint32_t uops = std::max<uint32_t>(e.uops, 1);
  auto spread = [&](uint32_t units) { return ceil_div(uops, units); };
  switch (e.unit) {
    case VUnit::Valu: occupancy = spread(c_.valu_units); latency = c_.valu_latency; break;
    case VUnit::Vmac: occupancy = spread(c_.vmac_units); latency = c_.vmac_latency; break;
    case VUnit::Vfalu: occupancy = spread(c_.vfalu_units); latency = c_.vfalu_latency; break;
    case VUnit::Vdiv: occupancy = uint64_t{uops} * c_.vdiv_cycles_per_uop; latency = 1; break;
    case VUnit::Vfdiv: occupancy = uint64_t{uops} * c_.vfdiv_cycles_per_uop; latency = 1; break;
    case VUnit::Vperm:
      occupancy = uops;
      latency = c_.vperm_latency;
      if (e.reduction) {
        uint32_t levels = 0;
        while ((1u << levels) < std::max<uint32_t>(e.elements, 1)) ++levels;
        latency += levels;
      }
      break;
    case VUnit::Vlsu: {
      const uint32_t beats = ceil_div(e.mem_bytes, c_.vlsu_tcm_bytes_per_cycle);
      occupancy = e.strided ? std::max<uint32_t>(e.mem_elements, 1) : std::max<uint32_t>(beats, 1);
      // EXT: the latency once per instruction, then the beats (or elements) stream.
      latency = e.ext ? c_.ext_latency + 1 : c_.vlsu_tcm_latency;
      break;
    }
  }
  uint64_t done = start + occupancy - 1 + latency;
  for (uint32_t regs = e.writes; regs; regs &= regs - 1)
    done = std::max(done, vready_[static_cast<std::size_t>(__builtin_ctz(regs))]);
  unit_free_[u] = start + occupancy;
  vector_next_start_ = start + 1;
  queue_leave_[slot] = start;
  if (++queue_slot_ == queue_leave_.size()) queue_slot_ = 0;
  for (uint32_t regs = e.writes; regs; regs &= regs - 1)
    vready_[static_cast<std::size_t>(__builtin_ctz(regs))] = done;
  if (d.dst != kSinkReg) ready_[d.dst] = done + 1;  // scalar result crosses back to the core
  counters_[u].busy += occupancy;
  counters_[u].stall += start - waiting_from;
  ++counters_[u].instructions;
  horizon_ = std::max(horizon_, done + 1);
}

void TimingModel::export_counters(std::map<std::string, UnitCounters>& out) const {
  for (int u = 0; u < kUnitCount; ++u)
    if (counters_[static_cast<std::size_t>(u)].instructions)
      out[unit_name(static_cast<Unit>(u))] = counters_[static_cast<std::size_t>(u)];
}

}  // namespace coral
