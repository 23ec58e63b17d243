#include "state_backdoor.h"

#include "Vplena_core.h"
#include "Vplena_core___024root.h"
#include "plena/numerics.h"
#include "program_loader.h"

namespace plena::rtl {
namespace {

uint16_t bf16(float x) { return numerics::float_to_bf16_bits(x); }
float from_bf16(uint16_t bits) { return numerics::bf16_bits_to_float(bits); }

template <typename Array>
void load_bf16(Array& mem, const std::vector<float>& values) {
  for (std::size_t i = 0; i < values.size(); ++i) mem[i] = bf16(values[i]);
}

template <typename Array>
void read_bf16(const Array& mem, std::vector<float>& values) {
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = from_bf16(mem[i]);
}

}  // namespace

void load_program(Vplena_core& core, const Program& program) {
  auto& prog = core.rootp->plena_core__DOT__prog;
  for (std::size_t pc = 0; pc < program.instructions.size(); ++pc)
    prog[pc] = program_entry(program.instructions[pc]);
}

void load_state(Vplena_core& core, const MachineState& state) {
  Vplena_core___024root& r = *core.rootp;
  for (std::size_t i = 0; i < state.gp.size(); ++i) r.plena_core__DOT__gp[i] = state.gp[i];
  for (std::size_t i = 0; i < state.fp.size(); ++i) r.plena_core__DOT__fp[i] = bf16(state.fp[i]);
  for (std::size_t i = 0; i < state.addr.size(); ++i) {
    r.plena_core__DOT__areg[i] = state.addr[i];
    r.plena_core__DOT__areg_valid[i] = state.addr_valid[i];
  }
  r.plena_core__DOT__scale_reg = state.scale_offset;
  r.plena_core__DOT__stride_reg = state.stride;
  r.plena_core__DOT__vmask_reg = state.vmask;
  load_bf16(r.plena_core__DOT__u_msram__DOT__mem, state.matrix_sram);
  load_bf16(r.plena_core__DOT__u_vsram__DOT__mem, state.vector_sram);
  load_bf16(r.plena_core__DOT__u_fpsram__DOT__mem, state.fp_sram);
  for (std::size_t i = 0; i < state.int_sram.size(); ++i)
    r.plena_core__DOT__u_intsram__DOT__mem[i] = static_cast<uint32_t>(state.int_sram[i]);
}

void read_back_state(const Vplena_core& core, MachineState& state) {
  const Vplena_core___024root& r = *core.rootp;
  for (std::size_t i = 0; i < state.gp.size(); ++i) state.gp[i] = r.plena_core__DOT__gp[i];
  for (std::size_t i = 0; i < state.fp.size(); ++i) state.fp[i] = from_bf16(r.plena_core__DOT__fp[i]);
  for (std::size_t i = 0; i < state.addr.size(); ++i) {
    state.addr[i] = r.plena_core__DOT__areg[i];
    state.addr_valid[i] = r.plena_core__DOT__areg_valid[i] != 0;
  }
  state.scale_offset = r.plena_core__DOT__scale_reg;
  state.stride = r.plena_core__DOT__stride_reg;
  state.vmask = r.plena_core__DOT__vmask_reg;
  read_bf16(r.plena_core__DOT__u_msram__DOT__mem, state.matrix_sram);
  read_bf16(r.plena_core__DOT__u_vsram__DOT__mem, state.vector_sram);
  read_bf16(r.plena_core__DOT__u_fpsram__DOT__mem, state.fp_sram);
  for (std::size_t i = 0; i < state.int_sram.size(); ++i)
    state.int_sram[i] = static_cast<int32_t>(r.plena_core__DOT__u_intsram__DOT__mem[i]);
}

}  // namespace plena::rtl
