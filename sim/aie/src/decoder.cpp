#include "decoder.h"

#include <array>

namespace aie {
namespace {

// Indexed by ExecGroup.
constexpr std::array<ExecFn, kExecGroupCount> kDispatch = {
    exec_scalar_alu,    exec_mov,           exec_mov_imm,       exec_scalar_load,
    exec_scalar_store,  exec_vec_load,      exec_vec_store,     exec_pointer_add,
    exec_vec_elementwise, exec_vec_compare, exec_vec_select,    exec_vec_shift,
    exec_vec_broadcast, exec_vec_extract,   exec_vec_move,      exec_vec_nonlinear,
    exec_vec_convert,   exec_matmul,        exec_acc_add_sub,   exec_srs,
    exec_ups,           exec_jump,          exec_branch,        exec_loop,
    exec_done,          exec_lock_acquire,  exec_lock_release,  exec_dma_start,
    exec_dma_wait,      exec_bd_set,
};
static_assert(static_cast<std::size_t>(ExecGroup::BdSet) + 1 == kExecGroupCount,
              "every ExecGroup needs a dispatch entry");

bool in_range(int64_t v, int64_t lo, int64_t hi) { return v >= lo && v <= hi; }

unsigned scalar_file_size(ScalarFile f) {
  return f == ScalarFile::R ? kScalarRegs : f == ScalarFile::P ? kPointerRegs : kModifierRegs;
}

// Register-index bound of each register-like kind (0 for kinds that are not registers).
int64_t register_bound(OperandKind kind, const HardwareConfig& config) {
  switch (kind) {
    case OperandKind::R: return kScalarRegs;
    case OperandKind::P: return kPointerRegs;
    case OperandKind::M: return kModifierRegs;
    case OperandKind::X: return kVectorRegs;
    case OperandKind::W: return kVectorHalves;
    case OperandKind::Cm: return kAccRegs;
    case OperandKind::CoreLock: return config.tile_locks;
    case OperandKind::Bd: return config.bd_count;
    case OperandKind::Channel: return config.channel_count();
    case OperandKind::BdField: return kBdFieldCount;
    default: return 0;
  }
}

std::string check_operand(const InstrDef& def, const OperandSpec& spec, const Operand& op,
                          const HardwareConfig& config, std::size_t program_size) {
  const std::string what = std::string("operand '") + spec.role + "' of `" + def.mnemonic + "`";
  if (op.kind != spec.kind) return what + " has the wrong kind";
  switch (op.kind) {
    case OperandKind::Imm:
      return in_range(op.imm, def.imm_min, def.imm_max) ? "" : what + " is out of range";
    case OperandKind::ROrImm:
    case OperandKind::MOrImm: {
      if (op.is_imm) return in_range(op.imm, def.imm_min, def.imm_max) ? "" : what + " is out of range";
      const int64_t bound = op.kind == OperandKind::ROrImm ? kScalarRegs : kModifierRegs;
      return in_range(op.reg, 0, bound - 1) ? "" : what + " names no register";
    }
    case OperandKind::ScalarReg:
      return in_range(op.reg, 0, scalar_file_size(op.file) - 1) ? "" : what + " names no register";
    case OperandKind::Label:
      return in_range(op.imm, 0, static_cast<int64_t>(program_size)) ? "" : what + " is no bundle";
    case OperandKind::RoundMode: return in_range(op.imm, 0, 2) ? "" : what + " is no rounding mode";
    case OperandKind::Mem: {
      if (!in_range(op.reg, 0, kPointerRegs - 1)) return what + " names no pointer";
      if (op.mode == MemMode::PostMod) return in_range(op.mod, 0, kModifierRegs - 1) ? "" : what + " names no modifier";
      if (!in_range(op.imm, def.imm_min, def.imm_max)) return what + " offset is out of range";
      return def.access_bytes && op.imm % def.access_bytes != 0 ? what + " offset is misaligned" : "";
    }
    default: {
      const int64_t bound = register_bound(op.kind, config);
      return in_range(op.reg, 0, bound - 1) ? "" : what + " is out of range";
    }
  }
}

}  // namespace

ExecFn exec_function(ExecGroup group) { return kDispatch[static_cast<std::size_t>(group)]; }

std::vector<std::pair<RegFile, unsigned>> destinations(const Instruction& instr) {
  std::vector<std::pair<RegFile, unsigned>> out;
  const InstrDef& def = instruction_table()[instr.def];
  for (std::size_t i = 0; i < kMaxOperands; ++i) {
    const Operand& op = instr.ops[i];
    const auto reg = static_cast<unsigned>(op.reg);
    if (op.kind == OperandKind::Mem && op.mode != MemMode::Offset) out.emplace_back(RegFile::P, reg);
    if (!def.operands[i].written) continue;
    switch (op.kind) {
      case OperandKind::R: out.emplace_back(RegFile::R, reg); break;
      case OperandKind::P: out.emplace_back(RegFile::P, reg); break;
      case OperandKind::M: out.emplace_back(RegFile::M, reg); break;
      case OperandKind::ScalarReg:
        out.emplace_back(op.file == ScalarFile::R ? RegFile::R
                         : op.file == ScalarFile::P ? RegFile::P : RegFile::M, reg);
        break;
      case OperandKind::X:
        out.emplace_back(RegFile::W, 2 * reg);
        out.emplace_back(RegFile::W, 2 * reg + 1);
        break;
      case OperandKind::W: out.emplace_back(RegFile::W, reg); break;
      case OperandKind::Cm: out.emplace_back(RegFile::Cm, reg); break;
      default: break;
    }
  }
  return out;
}

std::string check_instruction(const Instruction& instr, const HardwareConfig& config,
                              std::size_t program_size) {
  const auto& table = instruction_table();
  if (instr.def >= table.size()) return "unknown instruction index " + std::to_string(instr.def);
  const InstrDef& def = table[instr.def];
  for (std::size_t i = 0; i < kMaxOperands; ++i) {
    const OperandSpec& spec = def.operands[i];
    const Operand& op = instr.ops[i];
    if (spec.kind == OperandKind::None || (spec.optional && op.kind == OperandKind::None)) {
      if (op.kind != OperandKind::None && spec.kind == OperandKind::None)
        return std::string("`") + def.mnemonic + "` has too many operands";
      continue;
    }
    std::string problem = check_operand(def, spec, op, config, program_size);
    if (!problem.empty()) return problem;
  }
  return "";
}

std::string check_bundle(const Bundle& bundle) {
  const auto& table = instruction_table();
  std::array<unsigned, kSlotCount> used{};
  std::vector<std::pair<RegFile, unsigned>> written;
  for (const Instruction& in : bundle.instrs) {
    if (in.def >= table.size()) return "unknown instruction";
    const InstrDef& def = table[in.def];
    const auto slot = static_cast<std::size_t>(def.slot);
    used[slot] += def.slots_used;
    if (used[slot] > kSlotCapacity[slot])
      return "more " + std::string(slot_name(def.slot)) + "-slot instructions than the " +
             std::to_string(kSlotCapacity[slot]) + " a bundle has";
    for (const auto& d : destinations(in)) {
      for (const auto& w : written)
        if (w == d) return register_name(d.first, d.second) + " is written twice in one bundle";
      written.push_back(d);
    }
  }
  return "";
}

}  // namespace aie
