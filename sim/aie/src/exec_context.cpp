#include "exec_context.h"

#include <algorithm>
#include <cstring>

namespace aie {

ExecContext::ExecContext(const Program& prog, MachineState& st, const HardwareConfig& cfg,
                         const Limits& lim, SimResult& res, DmaEngine& engine)
    : program(prog), state(st), config(cfg), limits(lim), result(res), dma(engine) {
  writes_.reserve(8);
  stores_.reserve(2);
  accesses_.reserve(4);
}

void ExecContext::begin_bundle(uint32_t pc, uint64_t cycle) {
  pc_ = pc;
  cycle_ = cycle;
  jump_.reset();
  writes_.clear();
  acc_write_.reset();
  stores_.clear();
  accesses_.clear();
}

const InstrDef& ExecContext::current_def() const {
  return instruction_table()[current_ ? current_->def : 0];
}

std::string ExecContext::where(uint32_t pc) const {
  const uint32_t line = pc < program.bundles.size() ? program.bundles[pc].line : 0;
  std::string s = "bundle " + std::to_string(pc);
  if (line) s += " (line " + std::to_string(line) + ")";
  return s;
}

void ExecContext::fail(TrapKind kind, std::string message) {
  if (failed()) return;
  Trap t;
  t.kind = kind;
  t.pc = pc_;
  t.source_line = pc_ < program.bundles.size() ? program.bundles[pc_].line : 0;
  t.message = std::move(message);
  result.trap = std::move(t);
}

void ExecContext::fail_memory(TrapKind kind, MemoryKind memory, uint64_t address,
                              std::string message) {
  if (failed()) return;
  fail(kind, std::move(message));
  result.trap->memory = memory;
  result.trap->address = address;
}

// ---------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------

bool ExecContext::check_read(RegFile file, unsigned index, bool initialised, bool chain) {
  if (failed()) return false;
  const WriteRecord& rec = scoreboard.at(file, index);
  if (initialised && (rec.ready <= cycle_ || (chain && rec.mac_chain))) return true;
  // Only a failing read pays for building the message.
  const std::string reader = std::string("`") + current_def().mnemonic + "` in " + where(pc_);
  if (!initialised) {
    fail(TrapKind::UninitializedRegister,
         register_name(file, index) + " is read by " + reader +
             " but nothing has written it; set it first");
    return false;
  }
  fail(TrapKind::Hazard,
       reader + " reads " + register_name(file, index) + " at cycle " + std::to_string(cycle_) +
           ", but `" + instruction_table()[rec.writer_def].mnemonic + "` in " +
           where(rec.writer_pc) + " writes it at cycle " + std::to_string(rec.ready) + ": " +
           std::to_string(rec.ready - cycle_) +
           " cycle(s) missing; put independent work or nops between them");
  return false;
}

uint32_t ExecContext::read_scalar(ScalarFile file, unsigned index) {
  switch (file) {
    case ScalarFile::R:
      return check_read(RegFile::R, index, state.r_init[index]) ? state.r[index] : 0;
    case ScalarFile::P:
      return check_read(RegFile::P, index, state.p_init[index]) ? state.p[index] : 0;
    case ScalarFile::M:
      return check_read(RegFile::M, index, state.m_init[index]) ? state.m[index] : 0;
  }
  return 0;
}

uint32_t ExecContext::read_operand_value(const Operand& op) {
  if (op.is_imm) return static_cast<uint32_t>(op.imm);
  switch (op.kind) {
    case OperandKind::MOrImm:
    case OperandKind::M: return read_scalar(ScalarFile::M, static_cast<unsigned>(op.reg));
    case OperandKind::ScalarReg: return read_scalar(op.file, static_cast<unsigned>(op.reg));
    default: return read_scalar(ScalarFile::R, static_cast<unsigned>(op.reg));
  }
}

Half ExecContext::read_half(unsigned half) {
  if (!check_read(RegFile::W, half, state.w_init[half])) return Half{};
  return state.w[half];
}

Vec ExecContext::read_x(unsigned index) {
  Vec v{};
  const Half lo = read_half(2 * index);
  const Half hi = read_half(2 * index + 1);
  std::memcpy(v.data(), lo.data(), kHalfBytes);
  std::memcpy(v.data() + kHalfBytes, hi.data(), kHalfBytes);
  return v;
}

Vec ExecContext::read_x_low(unsigned index) {
  Vec v{};
  const Half lo = read_half(2 * index);
  std::memcpy(v.data(), lo.data(), kHalfBytes);
  return v;
}

const Accumulator& ExecContext::read_acc(unsigned index, bool chain) {
  static const Accumulator kZero{};
  if (!check_read(RegFile::Cm, index, state.acc_init[index], chain)) return kZero;
  return state.acc[index];
}

// ---------------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------------

void ExecContext::write_scalar(ScalarFile file, unsigned index, uint32_t value) {
  const RegFile rf = file == ScalarFile::R ? RegFile::R : file == ScalarFile::P ? RegFile::P
                                                                                 : RegFile::M;
  writes_.push_back({rf, static_cast<uint8_t>(index), current_def().latency,
                     current_ ? current_->def : uint16_t{0}, value, Half{}});
}

void ExecContext::write_pointer(unsigned index, uint32_t value) {
  writes_.push_back({RegFile::P, static_cast<uint8_t>(index), LatencyClass::PointerUpdate,
                     current_ ? current_->def : uint16_t{0}, value, Half{}});
}

void ExecContext::write_half(unsigned half, const Half& bytes) {
  writes_.push_back({RegFile::W, static_cast<uint8_t>(half), current_def().latency,
                     current_ ? current_->def : uint16_t{0}, 0, bytes});
}

void ExecContext::write_x(unsigned index, const Vec& bytes) {
  Half lo, hi;
  std::memcpy(lo.data(), bytes.data(), kHalfBytes);
  std::memcpy(hi.data(), bytes.data() + kHalfBytes, kHalfBytes);
  write_half(2 * index, lo);
  write_half(2 * index + 1, hi);
}

void ExecContext::write_acc(unsigned index, const Accumulator& value) {
  acc_write_ = std::make_pair(static_cast<uint8_t>(index), value);
  acc_write_def_ = current_ ? current_->def : uint16_t{0};
}

bool ExecContext::record_write(RegFile file, unsigned index, LatencyClass latency, uint16_t def,
                               uint32_t stall) {
  WriteRecord& rec = scoreboard.at(file, index);
  const uint64_t ready = cycle_ + stall + config.latency_of(latency);
  if (rec.ready > cycle_ && rec.ready >= ready) {
    // The earlier, slower write would land after this one and silently undo it.
    fail(TrapKind::Hazard,
         "`" + std::string(instruction_table()[def].mnemonic) + "` in " + where(pc_) +
             " writes " + register_name(file, index) + " (ready at cycle " +
             std::to_string(ready) + ") while `" + instruction_table()[rec.writer_def].mnemonic +
             "` in " + where(rec.writer_pc) + " is still writing it (ready at cycle " +
             std::to_string(rec.ready) + "); wait " + std::to_string(rec.ready - ready + 1) +
             " more cycle(s)");
    return false;
  }
  rec.ready = ready;
  rec.writer_pc = pc_;
  rec.writer_line = pc_ < program.bundles.size() ? program.bundles[pc_].line : 0;
  rec.writer_def = def;
  rec.mac_chain = instruction_table()[def].group == ExecGroup::MatMul;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Data memory
// ---------------------------------------------------------------------------------------------

bool ExecContext::dm_access(uint32_t address, uint32_t bytes, bool store) {
  if (failed()) return false;
  if (range_within(address, bytes, state.dm.size()) && address % bytes == 0) {
    accesses_.push_back({address, bytes});
    return true;
  }
  const std::string who = std::string("`") + current_def().mnemonic + "` in " + where(pc_);
  if (!range_within(address, bytes, state.dm.size())) {
    fail_memory(TrapKind::AddressOutOfRange, MemoryKind::Dm, address,
                who + (store ? " stores to" : " loads from") + " data-memory bytes [" +
                    std::to_string(address) + ", " + std::to_string(uint64_t{address} + bytes) +
                    "); data memory has " + std::to_string(state.dm.size()) + " bytes");
    return false;
  }
  if (address % bytes != 0) {
    fail_memory(TrapKind::MisalignedAddress, MemoryKind::Dm, address,
                who + " uses address " + std::to_string(address) + ", which is not a multiple of " +
                    std::to_string(bytes) + " (the access size)");
    return false;
  }
  accesses_.push_back({address, bytes});
  return true;
}

void ExecContext::dm_store(uint32_t address, const uint8_t* bytes, uint32_t count) {
  PendingStore s{address, count, Half{}};
  std::memcpy(s.bytes.data(), bytes, std::min<uint32_t>(count, kHalfBytes));
  stores_.push_back(s);
}

void ExecContext::jump(uint32_t target) { jump_ = target; }

void ExecContext::commit(uint32_t stall) {
  if (failed()) return;
  for (const PendingWrite& w : writes_) {
    if (!record_write(w.file, w.index, w.latency, w.def, stall)) return;
    switch (w.file) {
      case RegFile::R: state.r[w.index] = w.scalar; state.r_init[w.index] = true; break;
      case RegFile::P: state.p[w.index] = w.scalar; state.p_init[w.index] = true; break;
      case RegFile::M: state.m[w.index] = w.scalar; state.m_init[w.index] = true; break;
      case RegFile::W: state.w[w.index] = w.half; state.w_init[w.index] = true; break;
      case RegFile::Cm: break;
    }
  }
  if (acc_write_) {
    const LatencyClass lat = instruction_table()[acc_write_def_].latency;
    if (!record_write(RegFile::Cm, acc_write_->first, lat, acc_write_def_, stall)) return;
    state.acc[acc_write_->first] = acc_write_->second;
    state.acc_init[acc_write_->first] = true;
  }
  for (const PendingStore& s : stores_)
    std::memcpy(state.dm.data() + s.address, s.bytes.data(), s.count);
}

}  // namespace aie
