// Private to the simulator: the state one simulate() call works on, shared by the per-unit
// semantic files (exec_matrix.cpp, exec_vector.cpp, exec_scalar.cpp, exec_memory.cpp,
// exec_control.cpp).
//
// Every instruction has one semantic function `bool exec_x(ExecContext&, const Instruction&)`.
// It first checks everything that can trap (alignment, bounds, accumulator use) and records
// how long pending DMA data delays it, and only then changes state, so a trapped instruction
// leaves the machine untouched. It returns false exactly when it trapped. The issue loop in
// simulator.cpp charges the latency afterwards.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "dma_engine.h"
#include "plena/hardware_config.h"
#include "plena/hbm_codec.h"
#include "plena/machine_state.h"
#include "plena/numerics.h"
#include "plena/simulator.h"

namespace plena {

class ExecContext;
using ExecFn = bool (*)(ExecContext&, const Instruction&);

// Opcodes are 6 bits, so a 64-entry table covers every possible value.
constexpr std::size_t kOpcodeSlots = 64;
using DispatchTable = std::array<ExecFn, kOpcodeSlots>;

// Each unit's file registers its semantic functions here.
void register_matrix_ops(DispatchTable& table);
void register_vector_ops(DispatchTable& table);
void register_scalar_ops(DispatchTable& table);
void register_memory_ops(DispatchTable& table);
void register_control_ops(DispatchTable& table);

// One program instruction with everything the issue loop needs resolved up front.
struct ResolvedOp {
  ExecFn fn = nullptr;
  const Instruction* inst = nullptr;
  const InstrDef* def = nullptr;  // the table's row; nullptr for an unknown opcode
  uint32_t latency = 0;           // class latency, plus the systolic overhead for MatMul
  uint8_t unit = 0;
  uint8_t table_index = 0;        // row in instruction_table(), the instruction-mix key
};

// A problem found while resolving (bad register index, illegal field value). It is raised only
// if the instruction is actually reached, like a hardware decode fault.
struct StaticFault {
  uint64_t pc;
  TrapKind kind;
  std::string message;
};

enum class Access : uint8_t { Read, Write };

// Who owns the shared block accumulator (M_MM/M_TMM vs. the batched matmuls) and the row
// accumulator (M_MV/M_TMV vs. the batched matrix-vector ops). Mixing owners without a
// write-out in between is an accumulator_misuse trap.
enum class AccOwner : uint8_t { Empty, Block, BatchedMm, BatchedTmm };
enum class VaccOwner : uint8_t { Empty, Row, BatchedMv, BatchedTmv };

struct LoopFrame {
  uint8_t counter;      // gp register index
  uint64_t start_pc;    // index of the C_LOOP_START
};

class ExecContext {
 public:
  ExecContext(MachineState& machine, const HardwareConfig& hw, SimResult& out);

  MachineState& state;
  const HardwareConfig& config;
  SimResult& result;

  // Geometry as 64-bit values so address arithmetic never overflows 32 bits.
  const uint64_t mlen, blen, vlen, hlen, heads;

  // Current instruction.
  uint64_t pc = 0;
  uint64_t next_pc = 0;
  const ResolvedOp* op = nullptr;
  uint64_t program_size = 0;

  // Timing: `now` is when the current instruction may start issuing; `ready` is when its
  // pending operands (and, for H_*, a DMA queue slot) allow it to start (>= now).
  uint64_t now = 0;
  uint64_t ready = 0;
  DmaEngine dma;

  // Accumulators (float32; rounded to BF16 only on write-out).
  std::vector<float> acc;   // BLEN x BLEN block, or heads x BLEN x MLEN batched
  AccOwner acc_owner = AccOwner::Empty;
  std::vector<float> vacc;  // MLEN row, or heads x MLEN batched
  VaccOwner vacc_owner = VaccOwner::Empty;
  std::vector<float> scratch;  // one vector row, for in-place shifts

  const std::vector<HbmRange>* hbm_writable = nullptr;  // from Limits; null/empty: no limit

  std::vector<HbmSpan> row_spans;  // the HBM unit's per-row spans, kept to reuse the allocation

  std::vector<LoopFrame> loops;
  std::vector<StaticFault> static_faults;  // sorted by pc
  bool stopped = false;                    // C_BREAK executed

  const char* mnemonic() const { return op && op->def ? op->def->mnemonic : "instruction"; }

  // Registers. Indices were validated when the program was resolved.
  uint32_t gp(uint8_t r) const { return state.gp[r]; }
  void set_gp(uint8_t r, uint32_t value) {
    if (r != 0) state.gp[r] = value;  // gp0 is hard-wired to zero
  }
  float fp(uint8_t r) const { return state.fp[r]; }
  void set_fp(uint8_t r, float value) {
    if (r != 0) state.fp[r] = numerics::round_to_bf16(value);  // f0 is hard-wired to 0.0
  }

  float* vsram() { return state.vector_sram.data(); }
  float* msram() { return state.matrix_sram.data(); }

  uint64_t capacity(Memory memory) const { return capacity_[static_cast<std::size_t>(memory)]; }

  // Bounds-checks [addr, addr + len) of `memory` and, when a transfer is in flight, delays the
  // instruction until the range is no longer pending. False (with a trap) when out of range.
  bool access(Memory memory, uint64_t addr, uint64_t len, Access kind) {
    const uint64_t cap = capacity(memory);
    if (!range_within(addr, len, cap)) return out_of_range(memory, addr, len, kind);
    if (kind == Access::Write && memory == Memory::Hbm && !hbm_write_allowed(addr, len)) return false;
    if (dma.in_flight_at(now)) ready = std::max(ready, dma.ready_time(memory, addr, addr + len, now));
    return true;
  }

  // Traps with write_protected unless [addr, addr + len) lies inside one writable HBM range.
  bool hbm_write_allowed(uint64_t addr, uint64_t len);

  // Traps with misaligned_address unless addr % alignment == 0.
  bool aligned(Memory memory, uint64_t addr, uint64_t alignment, const char* what,
               const char* alignment_name) {
    // Alignments are powers of two on every valid preset: a mask instead of a division.
    const bool ok = (alignment & (alignment - 1)) == 0 ? (addr & (alignment - 1)) == 0 : addr % alignment == 0;
    if (alignment != 0 && ok) return true;
    return misaligned(memory, addr, alignment, what, alignment_name);
  }

  // The a-register's value, or an uninitialized_address_register trap.
  bool address_register(uint8_t index, uint64_t& out);

  // Record a trap for the current instruction; always returns false so callers can
  // `return fail(...)`.
  bool fail(TrapKind kind, std::string message);
  bool fail_at(TrapKind kind, Memory memory, uint64_t address, std::string message);

  bool out_of_range(Memory memory, uint64_t addr, uint64_t len, Access kind);
  bool misaligned(Memory memory, uint64_t addr, uint64_t alignment, const char* what,
                  const char* alignment_name);

 private:
  std::array<uint64_t, kMemoryCount> capacity_{};
};

// Human-readable memory name and address unit, for trap messages.
const char* memory_display_name(Memory memory);
const char* memory_unit(Memory memory);

}  // namespace plena
