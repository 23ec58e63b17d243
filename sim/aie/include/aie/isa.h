// The AIE-ML tile model's instruction set as data: one row per mnemonic.
//
// This is KernelCraft's own assembly-level model of an AIE-ML compute tile (isa/aie/), not
// AMD's binary format or syntax. The assembler, the bundle checker and the simulator's
// dispatch all read this table, so adding an instruction means adding one row here and, when
// it needs new behaviour, one semantic function in an exec_*.cpp file.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace aie {

// Issue slots of a VLIW bundle. A bundle holds at most two Load-slot, one Store, one Scalar,
// one Vector and one Move instruction (kSlotCapacity).
enum class Slot : uint8_t { Load, Store, Scalar, Vector, Move };
constexpr std::size_t kSlotCount = 5;
constexpr std::array<uint8_t, kSlotCount> kSlotCapacity = {2, 1, 1, 1, 1};
std::string_view slot_name(Slot slot);  // "load", "store", "scalar", "vector", "move"

// Latency classes; the cycles of each live in the hardware preset (config.h).
enum class LatencyClass : uint8_t {
  ScalarAlu, ScalarMul, Move, Load, PointerUpdate, VecInt, VecFloat, VecCompare,
  VecNonLinear, MacInt, MacBf16, Srs, Ups, Control,
};
constexpr std::size_t kLatencyClassCount = 14;
std::string_view latency_class_name(LatencyClass cls);  // snake_case, the preset's JSON key

// What a textual operand must look like.
enum class OperandKind : uint8_t {
  None,
  R,          // r0..r31
  P,          // p0..p7 (pointers into data memory)
  M,          // m0..m7 (modifiers: post-modify amounts)
  ScalarReg,  // any of r, p, m
  X,          // x0..x11, 512-bit vector register
  W,          // wl0..wl11 / wh0..wh11, the low / high 256-bit half of xN
  Cm,         // cm0..cm7, 1024-bit accumulator
  CoreLock,   // l0..l15: a compute-tile lock (the only locks the core may touch)
  Bd,         // bd0..bdN, or a plain number: a DMA buffer descriptor
  Channel,    // shim0.., tile0..: a DMA channel
  Imm,        // integer expression, range-checked against the row's imm_min/imm_max
  ROrImm,     // rN or an integer expression
  MOrImm,     // mN or an integer expression
  Label,      // a label defined somewhere in the program
  Mem,        // [pN] | [pN, imm] | [pN], imm | [pN], mK  (always the last operand)
  BdField,    // a runtime-settable BD field name (src_addr, size0, next, ...)
  RoundMode,  // floor | rne | rna
};

enum class ElemType : uint8_t { None, I8, U8, I16, U16, I32, Bf16 };
std::size_t elem_bytes(ElemType type);

// Which semantic function runs an instruction (the simulator's dispatch table key).
enum class ExecGroup : uint8_t {
  ScalarAlu, Mov, MovImm,
  ScalarLoad, ScalarStore, VecLoad, VecStore, PointerAdd,
  VecElementwise, VecCompare, VecSelect, VecShift, VecBroadcast, VecExtract, VecMove,
  VecNonLinear, VecConvert,
  MatMul, AccAddSub, Srs, Ups,
  Jump, Branch, Loop, Done, LockAcquire, LockRelease, DmaStart, DmaWait, BdSet,
};
constexpr std::size_t kExecGroupCount = 30;

// The operation a generic group performs (ALU, elementwise, compare, non-linear, MAC).
enum class AluOp : uint8_t {
  None, Add, Sub, And, Or, Xor, Shl, Shr, Sra, Mul, Lt, Ltu, Eq, Ne, Ge, Max, Min,
  Exp2, Inv, Rsqrt, Accumulate, Overwrite, BranchIfZero, BranchIfNonZero,
};

struct OperandSpec {
  OperandKind kind = OperandKind::None;
  const char* role = "";  // short name for diagnostics and docs, e.g. "destination"
  bool written = false;   // the operand is a destination register
  bool optional = false;  // a trailing operand that may be omitted
};

constexpr std::size_t kMaxOperands = 4;

struct InstrDef {
  const char* mnemonic;
  ExecGroup group;
  Slot slot;
  uint8_t slots_used;  // 2 for vldx, which takes both load slots; 1 otherwise
  LatencyClass latency;
  ElemType type;       // element type of vector ops / width of scalar memory ops
  AluOp op;
  std::array<OperandSpec, kMaxOperands> operands;
  int64_t imm_min;     // range of the Imm / ROrImm / MOrImm operand (and Mem offsets)
  int64_t imm_max;
  uint32_t access_bytes;  // bytes a memory instruction moves; its required alignment too
  const char* summary;    // one line, used by listings and docs

  std::size_t operand_count() const;
  std::size_t required_operand_count() const;
};

// Every instruction, in documentation order. Indices are stable within one build.
const std::vector<InstrDef>& instruction_table();
// Case-insensitive lookup by mnemonic; -1 when unknown.
int find_instruction(std::string_view mnemonic);

// Register files.
constexpr unsigned kScalarRegs = 32;
constexpr unsigned kPointerRegs = 8;
constexpr unsigned kModifierRegs = 8;
constexpr unsigned kVectorRegs = 12;      // x0..x11 (512-bit)
constexpr unsigned kVectorHalves = 24;    // wl/wh: half 2n is wlN, 2n+1 is whN
constexpr unsigned kAccRegs = 8;          // cm0..cm7 (1024-bit)
constexpr unsigned kVectorBytes = 64;
constexpr unsigned kHalfBytes = 32;
constexpr unsigned kAccLanes = 32;

// Runtime-settable BD fields (bd.set).
enum class BdField : uint8_t {
  SrcAddr, DstAddr, Size0, Size1, Size2, SrcStride0, SrcStride1, SrcStride2,
  DstStride0, DstStride1, DstStride2, Next, AcqValue, RelValue,
};
constexpr std::size_t kBdFieldCount = 14;
std::string_view bd_field_name(BdField field);
bool parse_bd_field(std::string_view name, BdField& out);

enum class RoundMode : uint8_t { Floor, Rne, Rna };
std::string_view round_mode_name(RoundMode mode);

}  // namespace aie
