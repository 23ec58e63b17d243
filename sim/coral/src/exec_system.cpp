// Zicsr and the system instructions: CSR reads/writes, ebreak (the normal end of a kernel),
// ecall (not available: traps).
#include "hart.h"
#include "timing.h"

namespace coral {
namespace {

#define DEFINE(name) bool exec_##name(Hart& h, const Decoded& d)

enum Csr : uint32_t {
  kFflags = 0x001, kFrm = 0x002, kFcsr = 0x003, kVstart = 0x008,
  kCycle = 0xC00, kInstret = 0xC02, kCycleH = 0xC80, kInstretH = 0xC82,
  kMcycle = 0xB00, kMinstret = 0xB02, kMcycleH = 0xB80, kMinstretH = 0xB82,
  kVl = 0xC20, kVtype = 0xC21, kVlenb = 0xC22,
};

uint32_t csr_number(const Decoded& d) { return d.word >> 20; }

// Reads a CSR; false when the CSR does not exist in this model.
bool read_csr(Hart& h, const Decoded& d, uint32_t number, uint32_t& out) {
  switch (number) {
    case kFflags: out = h.fflags; return true;
    case kFrm: out = h.frm; return true;
    case kFcsr: out = (h.frm << 5) | h.fflags; return true;
    case kVstart: out = h.vstart; return true;
    case kVl: out = h.vl; return true;
    case kVtype: out = h.vtype_bits; return true;
    case kVlenb: out = kVlenBytes; return true;
    case kCycle: case kMcycle: case kCycleH: case kMcycleH: {
      const uint64_t cycle = h.timing->preview_issue(d);  // the modelled cycle right now
      out = static_cast<uint32_t>((number & 0x080) ? cycle >> 32 : cycle);
      return true;
    }
    case kInstret: case kMinstret: case kInstretH: case kMinstretH:
      out = static_cast<uint32_t>((number & 0x080) ? h.instret >> 32 : h.instret);
      return true;
    default: return false;
  }
}

// Writes a writable CSR; false (trap recorded) otherwise.
bool write_csr(Hart& h, const Decoded& d, uint32_t number, uint32_t value) {
  switch (number) {
    case kFflags: h.fflags = value & 0x1F; return true;
    case kFrm: h.frm = value & 0x7; return true;
    case kFcsr: h.fflags = value & 0x1F; h.frm = (value >> 5) & 0x7; return true;
    case kVstart: h.vstart = value & 0x7F; return true;
    default:
      return h.illegal(d, "CSR " + hex32(number) +
                              " is read-only (only fflags, frm, fcsr and vstart are writable)");
  }
}

// The shared body of the six CSR instructions.
bool csr_op(Hart& h, const Decoded& d, uint32_t operand, bool always_write,
            uint32_t (*combine)(uint32_t old_value, uint32_t operand)) {
  const uint32_t number = csr_number(d);
  uint32_t old_value = 0;
  if (!read_csr(h, d, number, old_value))
    return h.illegal(d, "unknown CSR " + hex32(number) +
                            " (supported: fflags, frm, fcsr, vstart, vl, vtype, vlenb, cycle, "
                            "instret, mcycle, minstret and their high halves)");
  // csrrs/csrrc with x0 (or a zero immediate) read without writing.
  const bool writes = always_write || d.rs1 != 0;
  if (writes && !write_csr(h, d, number, combine(old_value, operand))) return false;
  h.set_x(d.rd, old_value);
  return true;
}

uint32_t replace(uint32_t, uint32_t operand) { return operand; }
uint32_t set_bits(uint32_t old_value, uint32_t operand) { return old_value | operand; }
uint32_t clear_bits(uint32_t old_value, uint32_t operand) { return old_value & ~operand; }

DEFINE(csrrw) { return csr_op(h, d, h.x[d.rs1], true, replace); }
DEFINE(csrrs) { return csr_op(h, d, h.x[d.rs1], false, set_bits); }
DEFINE(csrrc) { return csr_op(h, d, h.x[d.rs1], false, clear_bits); }
DEFINE(csrrwi) { return csr_op(h, d, d.rs1, true, replace); }
DEFINE(csrrsi) { return csr_op(h, d, d.rs1, false, set_bits); }
DEFINE(csrrci) { return csr_op(h, d, d.rs1, false, clear_bits); }

DEFINE(ebreak) {
  (void)d;
  h.halted = true;
  return false;
}
DEFINE(ecall) {
  return h.illegal(d, "ecall is not available on this machine: use ebreak to end the kernel");
}

#undef DEFINE

using C = InstructionClass;
InstrDef csr_row(const char* name, uint32_t funct3, ExecFn fn, bool immediate) {
  const uint8_t operands = immediate ? kRdX : (kRdX | kRs1X);
  return {name, (funct3 << 12) | 0x73, kMaskI, fn, C::CsrSystem, Timing::Csr, operands, ImmFormat::None};
}

}  // namespace

void add_system_rows(std::vector<InstrDef>& rows) {
  rows.push_back({"ecall", 0x00000073, 0xFFFFFFFF, exec_ecall, C::CsrSystem, Timing::System, 0, ImmFormat::None});
  rows.push_back({"ebreak", 0x00100073, 0xFFFFFFFF, exec_ebreak, C::CsrSystem, Timing::System, 0, ImmFormat::None});
  for (const InstrDef& row :
       {csr_row("csrrw", 1, exec_csrrw, false), csr_row("csrrs", 2, exec_csrrs, false),
        csr_row("csrrc", 3, exec_csrrc, false), csr_row("csrrwi", 5, exec_csrrwi, true),
        csr_row("csrrsi", 6, exec_csrrsi, true), csr_row("csrrci", 7, exec_csrrci, true)})
    rows.push_back(row);
}

}  // namespace coral
