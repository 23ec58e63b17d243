// The instruction table (isa.h) and the small name tables that go with it.
#include <algorithm>
#include <cctype>
#include <deque>
#include <initializer_list>
#include <string>

#include "aie/isa.h"

namespace aie {
namespace {

using K = OperandKind;
using G = ExecGroup;
using L = LatencyClass;
using T = ElemType;
using O = AluOp;

OperandSpec dst(K kind, const char* role = "destination") { return {kind, role, true, false}; }
OperandSpec src(K kind, const char* role) { return {kind, role, false, false}; }
OperandSpec opt(K kind, const char* role) { return {kind, role, false, true}; }

struct Range {
  int64_t lo = 0, hi = 0;
};
constexpr Range kNoImm{0, 0};
constexpr Range kAluImm{-(1 << 19), (1 << 19) - 1};          // signed 20-bit
constexpr Range kMovImm{-2147483648LL, 4294967295LL};        // any 32-bit pattern
constexpr Range kMemImm{-4096, 4095};                         // byte offsets
constexpr Range kPaddImm{-65536, 65535};
constexpr Range kLockImm{1, 63};
constexpr Range kLoopImm{1, 1 << 20};
constexpr Range kWordImm{-2147483648LL, 4294967295LL};

InstrDef row(const char* mnemonic, G group, Slot slot, L latency, T type, O op,
             std::initializer_list<OperandSpec> operands, Range imm, uint32_t bytes,
             const char* summary, uint8_t slots_used = 1) {
  InstrDef def{mnemonic, group, slot, slots_used, latency, type, op, {}, imm.lo, imm.hi,
               bytes, summary};
  std::size_t i = 0;
  for (const OperandSpec& spec : operands) def.operands[i++] = spec;
  return def;
}

void add_scalar(std::vector<InstrDef>& t) {
  const std::initializer_list<OperandSpec> rrr = {dst(K::R), src(K::R, "first source"),
                                                  src(K::ROrImm, "second source")};
  struct AluRow { const char* name; O op; L lat; const char* summary; };
  const AluRow alu[] = {
      {"add", O::Add, L::ScalarAlu, "rD = rA + (rB | imm), wrapping"},
      {"sub", O::Sub, L::ScalarAlu, "rD = rA - (rB | imm), wrapping"},
      {"and", O::And, L::ScalarAlu, "bitwise and"},
      {"or", O::Or, L::ScalarAlu, "bitwise or"},
      {"xor", O::Xor, L::ScalarAlu, "bitwise xor"},
      {"shl", O::Shl, L::ScalarAlu, "shift left by (amount & 31)"},
      {"shr", O::Shr, L::ScalarAlu, "logical shift right by (amount & 31)"},
      {"sra", O::Sra, L::ScalarAlu, "arithmetic shift right by (amount & 31)"},
      {"mul", O::Mul, L::ScalarMul, "low 32 bits of rA * (rB | imm); 2-cycle latency"},
      {"lt", O::Lt, L::ScalarAlu, "rD = 1 if rA < src (signed) else 0"},
      {"ltu", O::Ltu, L::ScalarAlu, "rD = 1 if rA < src (unsigned) else 0"},
      {"eq", O::Eq, L::ScalarAlu, "rD = 1 if rA == src else 0"},
      {"ne", O::Ne, L::ScalarAlu, "rD = 1 if rA != src else 0"},
  };
  for (const AluRow& a : alu)
    t.push_back(row(a.name, G::ScalarAlu, Slot::Scalar, a.lat, T::I32, a.op, rrr, kAluImm, 0,
                    a.summary));
}

void add_move(std::vector<InstrDef>& t) {
  t.push_back(row("mov", G::Mov, Slot::Move, L::Move, T::I32, O::None,
                  {dst(K::ScalarReg), src(K::ScalarReg, "source")}, kNoImm, 0,
                  "copy between any r, p, m registers"));
  t.push_back(row("movi", G::MovImm, Slot::Move, L::Move, T::I32, O::None,
                  {dst(K::ScalarReg), src(K::Imm, "value")}, kMovImm, 0,
                  "load a 32-bit immediate into an r, p or m register"));
  t.push_back(row("vmov", G::VecMove, Slot::Move, L::Move, T::None, O::None,
                  {dst(K::X), src(K::X, "source")}, kNoImm, 0, "copy a 512-bit register"));
  struct Lanes { const char* bcst; const char* ext; T type; int64_t lanes; };
  const Lanes lanes[] = {{"vbcst.i8", "vext.i8", T::I8, 64},
                         {"vbcst.i16", "vext.i16", T::I16, 32},
                         {"vbcst.i32", "vext.i32", T::I32, 16},
                         {"vbcst.bf16", "vext.bf16", T::Bf16, 32}};
  for (const Lanes& l : lanes) {
    t.push_back(row(l.bcst, G::VecBroadcast, Slot::Move, L::Move, l.type, O::None,
                    {dst(K::X), src(K::R, "scalar")}, kNoImm, 0,
                    "every lane of xD = the low bits of rS"));
    t.push_back(row(l.ext, G::VecExtract, Slot::Move, L::Move, l.type, O::None,
                    {dst(K::R), src(K::X, "vector"), src(K::Imm, "lane")}, {0, l.lanes - 1}, 0,
                    "rD = lane of xS (integers sign-extended, bf16 as raw bits)"));
  }
}

void add_load_store(std::vector<InstrDef>& t) {
  struct Mem { const char* name; T type; uint32_t bytes; };
  const Mem loads[] = {{"ld", T::I32, 4}, {"ld.s16", T::I16, 2}, {"ld.u16", T::U16, 2},
                       {"ld.s8", T::I8, 1}, {"ld.u8", T::U8, 1}};
  for (const Mem& m : loads)
    t.push_back(row(m.name, G::ScalarLoad, Slot::Load, L::Load, m.type, O::None,
                    {dst(K::R), src(K::Mem, "address")}, kMemImm, m.bytes,
                    "scalar load from data memory"));
  t.push_back(row("vld", G::VecLoad, Slot::Load, L::Load, T::None, O::None,
                  {dst(K::W), src(K::Mem, "address")}, kMemImm, 32,
                  "load 256 bits into wlN or whN (32-byte aligned)"));
  t.push_back(row("vldx", G::VecLoad, Slot::Load, L::Load, T::None, O::None,
                  {dst(K::X), src(K::Mem, "address")}, kMemImm, 64,
                  "load 512 bits into xN (64-byte aligned); uses both load slots", 2));
  t.push_back(row("padd", G::PointerAdd, Slot::Load, L::PointerUpdate, T::None, O::None,
                  {dst(K::P, "pointer"), src(K::MOrImm, "amount")}, kPaddImm, 0,
                  "pN += mK or immediate (an AGU operation on a load slot)"));
  const Mem stores[] = {{"st", T::I32, 4}, {"st.16", T::I16, 2}, {"st.8", T::I8, 1}};
  for (const Mem& m : stores)
    t.push_back(row(m.name, G::ScalarStore, Slot::Store, L::PointerUpdate, m.type, O::None,
                    {src(K::R, "value"), src(K::Mem, "address")}, kMemImm, m.bytes,
                    "scalar store of the low bytes of rS"));
  t.push_back(row("vst", G::VecStore, Slot::Store, L::PointerUpdate, T::None, O::None,
                  {src(K::W, "value"), src(K::Mem, "address")}, kMemImm, 32,
                  "store 256 bits from wlN or whN (32-byte aligned)"));
}

void add_vector(std::vector<InstrDef>& t) {
  struct Elem { const char* base; O op; };
  const Elem ops[] = {{"vadd", O::Add}, {"vsub", O::Sub}, {"vmul", O::Mul}, {"vmax", O::Max},
                      {"vmin", O::Min}};
  struct Ty { const char* suffix; T type; };
  const Ty types[] = {{".i8", T::I8}, {".i16", T::I16}, {".i32", T::I32}, {".bf16", T::Bf16}};
  static std::deque<std::string> names;  // owns the composed mnemonics; addresses stay put
  auto name = [](const std::string& s) {
    names.push_back(s);
    return names.back().c_str();
  };
  const std::initializer_list<OperandSpec> xxx = {dst(K::X), src(K::X, "first source"),
                                                  src(K::X, "second source")};
  for (const Elem& e : ops)
    for (const Ty& ty : types)
      t.push_back(row(name(std::string(e.base) + ty.suffix), G::VecElementwise, Slot::Vector,
                      ty.type == T::Bf16 ? L::VecFloat : L::VecInt, ty.type, e.op, xxx, kNoImm, 0,
                      ty.type == T::Bf16 ? "lane-wise, computed in fp32, rounded to bf16 (RNE)"
                                         : "lane-wise, wrapping (max/min signed)"));
  const Elem cmps[] = {{"vlt", O::Lt}, {"vge", O::Ge}, {"veq", O::Eq}};
  const Ty cmp_types[] = {{".i16", T::I16}, {".i32", T::I32}, {".bf16", T::Bf16}};
  for (const Elem& e : cmps)
    for (const Ty& ty : cmp_types)
      t.push_back(row(name(std::string(e.base) + ty.suffix), G::VecCompare, Slot::Vector,
                      L::VecCompare, ty.type, e.op,
                      {dst(K::R, "mask"), src(K::X, "first source"), src(K::X, "second source")},
                      kNoImm, 0, "rD bit i = (lane i of xA op lane i of xB)"));
  for (const Ty& ty : cmp_types)
    t.push_back(row(name(std::string("vsel") + ty.suffix), G::VecSelect, Slot::Vector, L::VecInt,
                    ty.type, O::None,
                    {dst(K::X), src(K::X, "when bit clear"), src(K::X, "when bit set"),
                     src(K::R, "mask")},
                    kNoImm, 0, "lane i = bit i of rM ? xB : xA"));
  t.push_back(row("vshift", G::VecShift, Slot::Vector, L::VecInt, T::None, O::None,
                  {dst(K::X), src(K::X, "low part"), src(K::X, "high part"),
                   src(K::ROrImm, "byte count")},
                  {0, 64}, 0, "xD = bytes [s, s+64) of the 128-byte concatenation xA:xB"));
  const Elem nonlinear[] = {{"vexp2.bf16", O::Exp2}, {"vinv.bf16", O::Inv},
                            {"vrsqrt.bf16", O::Rsqrt}};
  for (const Elem& e : nonlinear)
    t.push_back(row(e.base, G::VecNonLinear, Slot::Vector, L::VecNonLinear, T::Bf16, e.op,
                    {dst(K::X), src(K::X, "source")}, kNoImm, 0,
                    "lane-wise 2^x, 1/x or 1/sqrt(x) in fp32, rounded to bf16 (model stand-in)"));
  t.push_back(row("vcvt.bf16.i16", G::VecConvert, Slot::Vector, L::VecFloat, T::Bf16, O::None,
                  {dst(K::X), src(K::X, "source")}, kNoImm, 0,
                  "32 int16 lanes -> 32 bf16 lanes (RNE)"));
  t.push_back(row("vcvt.i16.bf16", G::VecConvert, Slot::Vector, L::VecFloat, T::I16, O::None,
                  {dst(K::X), src(K::X, "source")}, kNoImm, 0,
                  "32 bf16 lanes -> 32 int16 lanes (RNE, saturating, NaN -> 0)"));
}

void add_mac(std::vector<InstrDef>& t) {
  struct Mac { const char* name; T type; O op; L lat; const char* summary; };
  const Mac macs[] = {
      {"mmul.i8", T::I8, O::Overwrite, L::MacInt, "cmD = A(4x8 int8) * B(8x8 int8), acc32"},
      {"mmac.i8", T::I8, O::Accumulate, L::MacInt, "cmD += A(4x8 int8) * B(8x8 int8), acc32"},
      {"mmul.i16", T::I16, O::Overwrite, L::MacInt, "cmD = A(4x4 int16) * B(4x4 int16), acc64"},
      {"mmac.i16", T::I16, O::Accumulate, L::MacInt, "cmD += A(4x4 int16) * B(4x4 int16), acc64"},
      {"mmul.bf16", T::Bf16, O::Overwrite, L::MacBf16, "cmD = A(4x8 bf16) * B(8x4 bf16), fp32"},
      {"mmac.bf16", T::Bf16, O::Accumulate, L::MacBf16, "cmD += A(4x8 bf16) * B(8x4 bf16), fp32"},
  };
  for (const Mac& m : macs)
    t.push_back(row(m.name, G::MatMul, Slot::Vector, m.lat, m.type, m.op,
                    {dst(K::Cm), src(K::X, "A"), src(K::X, "B")}, kNoImm, 0, m.summary));
  t.push_back(row("vadd.acc", G::AccAddSub, Slot::Vector, L::Ups, T::None, O::Add,
                  {dst(K::Cm), src(K::Cm, "first source"), src(K::Cm, "second source")}, kNoImm,
                  0, "lane-wise sum of two accumulators of the same type"));
  t.push_back(row("vsub.acc", G::AccAddSub, Slot::Vector, L::Ups, T::None, O::Sub,
                  {dst(K::Cm), src(K::Cm, "first source"), src(K::Cm, "second source")}, kNoImm,
                  0, "lane-wise difference of two accumulators of the same type"));
}

void add_srs_ups(std::vector<InstrDef>& t) {
  t.push_back(row("vsrs.i8", G::Srs, Slot::Vector, L::Srs, T::I8, O::None,
                  {dst(K::X), src(K::Cm, "accumulator"), src(K::Imm, "shift"),
                   opt(K::RoundMode, "rounding")},
                  {0, 63}, 0, "acc32/acc64 lanes >> shift, rounded, saturated to int8"));
  t.push_back(row("vsrs.i16", G::Srs, Slot::Vector, L::Srs, T::I16, O::None,
                  {dst(K::X), src(K::Cm, "accumulator"), src(K::Imm, "shift"),
                   opt(K::RoundMode, "rounding")},
                  {0, 63}, 0, "acc32/acc64 lanes >> shift, rounded, saturated to int16"));
  t.push_back(row("vsrs.bf16", G::Srs, Slot::Vector, L::Srs, T::Bf16, O::None,
                  {dst(K::X), src(K::Cm, "accumulator")}, kNoImm, 0,
                  "32 fp32 lanes -> 32 bf16 lanes (RNE)"));
  t.push_back(row("vups.i8", G::Ups, Slot::Vector, L::Ups, T::I8, O::None,
                  {dst(K::Cm), src(K::X, "source"), src(K::Imm, "shift")}, {0, 31}, 0,
                  "32 int8 lanes (low half of xS) << shift -> acc32"));
  t.push_back(row("vups.i16", G::Ups, Slot::Vector, L::Ups, T::I16, O::None,
                  {dst(K::Cm), src(K::X, "source"), src(K::Imm, "shift")}, {0, 31}, 0,
                  "32 int16 lanes << shift -> acc32"));
  t.push_back(row("vups.bf16", G::Ups, Slot::Vector, L::Ups, T::Bf16, O::None,
                  {dst(K::Cm), src(K::X, "source")}, kNoImm, 0, "32 bf16 lanes -> fp32 (exact)"));
}

void add_control(std::vector<InstrDef>& t) {
  t.push_back(row("j", G::Jump, Slot::Scalar, L::Control, T::None, O::None,
                  {src(K::Label, "target")}, kNoImm, 0, "jump (taken-branch penalty)"));
  t.push_back(row("jz", G::Branch, Slot::Scalar, L::Control, T::None, O::BranchIfZero,
                  {src(K::R, "condition"), src(K::Label, "target")}, kNoImm, 0,
                  "jump when rS == 0"));
  t.push_back(row("jnz", G::Branch, Slot::Scalar, L::Control, T::None, O::BranchIfNonZero,
                  {src(K::R, "condition"), src(K::Label, "target")}, kNoImm, 0,
                  "jump when rS != 0"));
  t.push_back(row("loop", G::Loop, Slot::Scalar, L::Control, T::None, O::None,
                  {src(K::ROrImm, "count"), src(K::Label, "end")}, kLoopImm, 0,
                  "zero-overhead loop: run the next bundles up to (not including) END count times"));
  t.push_back(row("done", G::Done, Slot::Scalar, L::Control, T::None, O::None, {}, kNoImm, 0,
                  "end of kernel (DMA traffic drains first)"));
  t.push_back(row("acq", G::LockAcquire, Slot::Scalar, L::Control, T::None, O::None,
                  {src(K::CoreLock, "lock"), src(K::Imm, "value")}, kLockImm, 0,
                  "wait until lock >= value, then subtract value"));
  t.push_back(row("rel", G::LockRelease, Slot::Scalar, L::Control, T::None, O::None,
                  {src(K::CoreLock, "lock"), src(K::Imm, "value")}, kLockImm, 0,
                  "add value to the lock"));
  t.push_back(row("dma.start", G::DmaStart, Slot::Scalar, L::Control, T::None, O::None,
                  {src(K::Channel, "channel"), src(K::Bd, "bd")}, kNoImm, 0,
                  "queue BD (and its chain) on a channel; waits while the queue is full"));
  t.push_back(row("dma.wait", G::DmaWait, Slot::Scalar, L::Control, T::None, O::None,
                  {src(K::Channel, "channel")}, kNoImm, 0,
                  "wait until the channel is idle with nothing queued"));
  t.push_back(row("bd.set", G::BdSet, Slot::Scalar, L::Control, T::None, O::None,
                  {src(K::Bd, "bd"), src(K::BdField, "field"), src(K::ROrImm, "value")},
                  kWordImm, 0, "change one field of a BD that no channel is using"));
}

std::vector<InstrDef> build_table() {
  std::vector<InstrDef> t;
  add_scalar(t);
  add_move(t);
  add_load_store(t);
  add_vector(t);
  add_mac(t);
  add_srs_ups(t);
  add_control(t);
  return t;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::size_t InstrDef::operand_count() const {
  std::size_t n = 0;
  while (n < kMaxOperands && operands[n].kind != OperandKind::None) ++n;
  return n;
}

std::size_t InstrDef::required_operand_count() const {
  std::size_t n = 0;
  while (n < kMaxOperands && operands[n].kind != OperandKind::None && !operands[n].optional) ++n;
  return n;
}

const std::vector<InstrDef>& instruction_table() {
  static const std::vector<InstrDef> table = build_table();
  return table;
}

int find_instruction(std::string_view mnemonic) {
  const std::string key = lower(mnemonic);
  const auto& table = instruction_table();
  for (std::size_t i = 0; i < table.size(); ++i)
    if (key == table[i].mnemonic) return static_cast<int>(i);
  return -1;
}

std::string_view slot_name(Slot slot) {
  static constexpr std::string_view names[] = {"load", "store", "scalar", "vector", "move"};
  return names[static_cast<std::size_t>(slot)];
}

std::string_view latency_class_name(LatencyClass cls) {
  static constexpr std::string_view names[] = {
      "scalar_alu", "scalar_mul", "move", "load", "pointer_update", "vec_int", "vec_float",
      "vec_compare", "vec_nonlinear", "mac_int", "mac_bf16", "srs", "ups", "control"};
  return names[static_cast<std::size_t>(cls)];
}

std::size_t elem_bytes(ElemType type) {
  static constexpr std::size_t bytes[] = {0, 1, 1, 2, 2, 4, 2};
  return bytes[static_cast<std::size_t>(type)];
}

std::string_view bd_field_name(BdField field) {
  static constexpr std::string_view names[] = {
      "src_addr",    "dst_addr",    "size0",       "size1",       "size2",
      "src_stride0", "src_stride1", "src_stride2", "dst_stride0", "dst_stride1",
      "dst_stride2", "next",        "acq_value",   "rel_value"};
  return names[static_cast<std::size_t>(field)];
}

bool parse_bd_field(std::string_view name, BdField& out) {
  const std::string key = lower(name);
  for (std::size_t i = 0; i < kBdFieldCount; ++i)
    if (key == bd_field_name(static_cast<BdField>(i))) {
      out = static_cast<BdField>(i);
      return true;
    }
  return false;
}

std::string_view round_mode_name(RoundMode mode) {
  static constexpr std::string_view names[] = {"floor", "rne", "rna"};
  return names[static_cast<std::size_t>(mode)];
}

}  // namespace aie
