#include "cosim_util.h"

#include <sstream>

namespace plena::rtl::test {
namespace {

uint32_t bits(float x) {
  uint32_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

template <typename T>
void field(std::ostringstream& out, const char* name, const T& a, const T& b) {
  if (!(a == b)) out << name << ": model " << a << " rtl " << b << "; ";
}

// Strict: every bit, NaN sign and payload included (both backends store only the canonical
// NaN 0x7FC0).
bool same_bits(uint32_t a, uint32_t b) { return a == b; }

void floats(std::ostringstream& out, const char* name, const std::vector<float>& a,
            const std::vector<float>& b) {
  if (a.size() != b.size()) {
    out << name << " sizes differ; ";
    return;
  }
  int shown = 0;
  for (std::size_t i = 0; i < a.size() && shown < 4; ++i)
    if (!same_bits(bits(a[i]), bits(b[i]))) {
      out << name << "[" << i << "]: model 0x" << std::hex << bits(a[i]) << " rtl 0x" << bits(b[i])
          << std::dec << "; ";
      ++shown;
    }
}

}  // namespace

bool has_nan(const MachineState& s) {
  auto any = [](const std::vector<float>& v) {
    for (float x : v)
      if (x != x) return true;
    return false;
  };
  for (float x : s.fp)
    if (x != x) return true;
  return any(s.vector_sram) || any(s.matrix_sram) || any(s.fp_sram);
}

HardwareConfig small_preset() {
  HardwareConfig config;
  std::string error;
  if (!load_hardware_config(std::string(KC_SOURCE_DIR) + "/isa/plena/presets/small.json", config, error))
    ADD_FAILURE() << error;
  return config;
}

std::string diff_results(const SimResult& m, const SimResult& r) {
  std::ostringstream out;
  field(out, "cycles", m.cycles, r.cycles);
  field(out, "instructions", m.instructions, r.instructions);
  for (std::size_t u = 0; u < kUnitCount; ++u) {
    const std::string unit(unit_name(static_cast<Unit>(u)));
    field(out, (unit + ".busy").c_str(), m.units[u].busy, r.units[u].busy);
    field(out, (unit + ".stall").c_str(), m.units[u].stall, r.units[u].stall);
  }
  if (m.instruction_mix != r.instruction_mix) out << "instruction_mix differs; ";
  field(out, "hbm_bytes_read", m.hbm_bytes_read, r.hbm_bytes_read);
  field(out, "hbm_bytes_written", m.hbm_bytes_written, r.hbm_bytes_written);
  field(out, "macs", m.macs, r.macs);
  field(out, "stopped_by_break", m.stopped_by_break, r.stopped_by_break);
  field(out, "trapped", m.trap.has_value(), r.trap.has_value());
  if (m.trap && r.trap) {
    field(out, "trap.kind", std::string(trap_kind_name(m.trap->kind)),
          std::string(trap_kind_name(r.trap->kind)));
    field(out, "trap.pc", m.trap->pc, r.trap->pc);
    field(out, "trap.source_line", m.trap->source_line, r.trap->source_line);
    field(out, "trap.has_memory", m.trap->memory.has_value(), r.trap->memory.has_value());
    if (m.trap->memory && r.trap->memory) {
      field(out, "trap.memory", std::string(memory_name(*m.trap->memory)),
            std::string(memory_name(*r.trap->memory)));
      field(out, "trap.address", m.trap->address, r.trap->address);
    }
    if (r.trap->message.empty()) out << "rtl trap has no message; ";
  }
  if (m.trap && (!r.trap || m.trap->kind != r.trap->kind)) out << "model trap: " << m.trap->message << "; ";
  return out.str();
}

std::string diff_states(const MachineState& m, const MachineState& r) {
  std::ostringstream out;
  for (std::size_t i = 0; i < m.gp.size(); ++i) field(out, ("gp" + std::to_string(i)).c_str(), m.gp[i], r.gp[i]);
  for (std::size_t i = 0; i < m.fp.size(); ++i)
    if (!same_bits(bits(m.fp[i]), bits(r.fp[i])))
      field(out, ("f" + std::to_string(i)).c_str(), bits(m.fp[i]), bits(r.fp[i]));
  for (std::size_t i = 0; i < m.addr.size(); ++i) {
    field(out, ("a" + std::to_string(i)).c_str(), m.addr[i], r.addr[i]);
    field(out, ("a_valid" + std::to_string(i)).c_str(), m.addr_valid[i], r.addr_valid[i]);
  }
  field(out, "scale", m.scale_offset, r.scale_offset);
  field(out, "stride", m.stride, r.stride);
  field(out, "vmask", m.vmask, r.vmask);
  floats(out, "msram", m.matrix_sram, r.matrix_sram);
  floats(out, "vsram", m.vector_sram, r.vector_sram);
  floats(out, "fpsram", m.fp_sram, r.fp_sram);
  if (m.int_sram != r.int_sram) out << "intsram differs; ";
  if (m.hbm.size() != r.hbm.size() || std::memcmp(m.hbm.data(), r.hbm.data(), m.hbm.size()) != 0) {
    for (std::size_t i = 0; i < m.hbm.size(); ++i)
      if (m.hbm[i] != r.hbm[i]) {
        out << "hbm[" << i << "]: model " << int(m.hbm[i]) << " rtl " << int(r.hbm[i]) << "; ";
        break;
      }
  }
  return out.str();
}

CosimOutcome cosimulate(const Program& program, const MachineState& initial,
                        const HardwareConfig& config, const Limits& limits) {
  CosimOutcome o;
  MachineState model_state = initial;
  MachineState rtl_state = initial;
  o.model = plena::simulate(program, model_state, config, limits);
  o.rtl = plena::rtl::simulate(program, rtl_state, config, limits);
  o.result_diff = diff_results(o.model, o.rtl);
  o.state_diff = diff_states(model_state, rtl_state);
  o.model_state_has_nan = has_nan(model_state);
  return o;
}

}  // namespace plena::rtl::test
