// What a semantic function sees while one bundle executes.
//
// All slots of a bundle read their operands before any of them writes: reads go to the
// machine state (checked against the scoreboard), writes are buffered and applied by
// commit() after the bank-conflict stall is known. The first trap wins; after it, reads
// return zeros and writes are dropped, and the simulator stops at the end of the bundle.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aie/config.h"
#include "aie/machine.h"
#include "aie/program.h"
#include "aie/simulator.h"
#include "banks.h"
#include "dma.h"
#include "timing.h"

namespace aie {

using Vec = std::array<uint8_t, kVectorBytes>;
using Half = std::array<uint8_t, kHalfBytes>;

struct LoopFrame {
  uint32_t start = 0;  // first bundle of the body
  uint32_t end = 0;    // first bundle after the body
  uint64_t remaining = 0;
};

class ExecContext {
 public:
  ExecContext(const Program& program, MachineState& state, const HardwareConfig& config,
              const Limits& limits, SimResult& result, DmaEngine& dma);

  const Program& program;
  MachineState& state;
  const HardwareConfig& config;
  const Limits& limits;
  SimResult& result;
  DmaEngine& dma;
  Scoreboard scoreboard;
  std::vector<LoopFrame> loops;

  // ---- bundle scope ----
  void begin_bundle(uint32_t pc, uint64_t cycle);
  uint32_t pc() const { return pc_; }
  uint64_t cycle() const { return cycle_; }
  const InstrDef& current_def() const;
  void set_current(const Instruction& instr) { current_ = &instr; }

  bool failed() const { return result.trap.has_value(); }
  void fail(TrapKind kind, std::string message);
  void fail_memory(TrapKind kind, MemoryKind memory, uint64_t address, std::string message);

  // ---- reads (checked: initialised and not still in flight) ----
  uint32_t read_scalar(ScalarFile file, unsigned index);
  uint32_t read_r(unsigned index) { return read_scalar(ScalarFile::R, index); }
  uint32_t read_operand_value(const Operand& op);  // ROrImm / MOrImm / ScalarReg
  Half read_half(unsigned half);
  Vec read_x(unsigned index);
  Vec read_x_low(unsigned index);  // only the low half is read (and checked); high = 0
  // `chain`: the reader is an mmac accumulating onto this register, which may follow the
  // mmul/mmac writing it back to back (the accumulator feedback path).
  const Accumulator& read_acc(unsigned index, bool chain = false);

  // ---- buffered writes ----
  void write_scalar(ScalarFile file, unsigned index, uint32_t value);
  // A post-modify or padd pointer update: readable after the pointer_update latency.
  void write_pointer(unsigned index, uint32_t value);
  void write_half(unsigned half, const Half& bytes);
  void write_x(unsigned index, const Vec& bytes);
  void write_acc(unsigned index, const Accumulator& value);

  // ---- data memory ----
  // Checks range and alignment and records the access for the bank model.
  bool dm_access(uint32_t address, uint32_t bytes, bool store);
  void dm_store(uint32_t address, const uint8_t* bytes, uint32_t count);

  // ---- control ----
  void jump(uint32_t target);
  void halt() { halted_ = true; }
  bool halted() const { return halted_; }
  std::optional<uint32_t> jump_target() const { return jump_; }

  // Applies the buffered writes: results become readable at issue + stall + latency.
  void commit(uint32_t stall);
  const std::vector<BankAccess>& accesses() const { return accesses_; }

  std::string where(uint32_t pc) const;  // "bundle 7 (line 20)"

 private:
  struct PendingWrite {
    RegFile file;
    uint8_t index;
    LatencyClass latency;
    uint16_t def;
    uint32_t scalar;
    Half half;
  };
  struct PendingStore {
    uint32_t address;
    uint32_t count;
    Half bytes;
  };
  bool check_read(RegFile file, unsigned index, bool initialised, bool chain = false);
  bool record_write(RegFile file, unsigned index, LatencyClass latency, uint16_t def,
                    uint32_t stall);

  const Instruction* current_ = nullptr;
  uint32_t pc_ = 0;
  uint64_t cycle_ = 0;
  bool halted_ = false;
  std::optional<uint32_t> jump_;
  std::vector<PendingWrite> writes_;
  std::optional<std::pair<uint8_t, Accumulator>> acc_write_;
  uint16_t acc_write_def_ = 0;
  std::vector<PendingStore> stores_;
  std::vector<BankAccess> accesses_;
};

using ExecFn = void (*)(ExecContext&, const Instruction&, const InstrDef&);

// Semantic functions, one per ExecGroup (decoder.cpp binds them).
void exec_scalar_alu(ExecContext&, const Instruction&, const InstrDef&);
void exec_mov(ExecContext&, const Instruction&, const InstrDef&);
void exec_mov_imm(ExecContext&, const Instruction&, const InstrDef&);
void exec_scalar_load(ExecContext&, const Instruction&, const InstrDef&);
void exec_scalar_store(ExecContext&, const Instruction&, const InstrDef&);
void exec_vec_load(ExecContext&, const Instruction&, const InstrDef&);
void exec_vec_store(ExecContext&, const Instruction&, const InstrDef&);
void exec_pointer_add(ExecContext&, const Instruction&, const InstrDef&);
void exec_vec_elementwise(ExecContext&, const Instruction&, const InstrDef&);
void exec_vec_compare(ExecContext&, const Instruction&, const InstrDef&);
void exec_vec_select(ExecContext&, const Instruction&, const InstrDef&);
void exec_vec_shift(ExecContext&, const Instruction&, const InstrDef&);
void exec_vec_broadcast(ExecContext&, const Instruction&, const InstrDef&);
void exec_vec_extract(ExecContext&, const Instruction&, const InstrDef&);
void exec_vec_move(ExecContext&, const Instruction&, const InstrDef&);
void exec_vec_nonlinear(ExecContext&, const Instruction&, const InstrDef&);
void exec_vec_convert(ExecContext&, const Instruction&, const InstrDef&);
void exec_matmul(ExecContext&, const Instruction&, const InstrDef&);
void exec_acc_add_sub(ExecContext&, const Instruction&, const InstrDef&);
void exec_srs(ExecContext&, const Instruction&, const InstrDef&);
void exec_ups(ExecContext&, const Instruction&, const InstrDef&);
void exec_jump(ExecContext&, const Instruction&, const InstrDef&);
void exec_branch(ExecContext&, const Instruction&, const InstrDef&);
void exec_loop(ExecContext&, const Instruction&, const InstrDef&);
void exec_done(ExecContext&, const Instruction&, const InstrDef&);
void exec_lock_acquire(ExecContext&, const Instruction&, const InstrDef&);
void exec_lock_release(ExecContext&, const Instruction&, const InstrDef&);
void exec_dma_start(ExecContext&, const Instruction&, const InstrDef&);
void exec_dma_wait(ExecContext&, const Instruction&, const InstrDef&);
void exec_bd_set(ExecContext&, const Instruction&, const InstrDef&);

// Why the bundle cannot issue this cycle (lock too low, DMA queue full, channel busy), or
// nullptr. Such bundles stall whole; `cause` selects the stall counter.
enum class WaitCause : uint8_t { None, Lock, Dma };
WaitCause bundle_wait(ExecContext& ctx, const Bundle& bundle);

}  // namespace aie
