// Helpers shared by the simulator tests: build programs from Instruction structs (no
// assembler), a small preset whose numbers are easy to work out by hand, and run helpers.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "plena/hardware_config.h"
#include "plena/isa.h"
#include "plena/machine_state.h"
#include "plena/program.h"
#include "plena/simulator.h"

namespace plena::test {

// One instruction with raw field values, exactly as a decoder would produce it.
inline Instruction inst(Opcode op, uint8_t rd = 0, uint8_t rs1 = 0, uint8_t rs2 = 0,
                        uint8_t rs3 = 0, uint8_t funct1 = 0, int64_t imm = 0) {
  Instruction in;
  in.def = find_instruction(static_cast<uint8_t>(op));
  in.rd = rd;
  in.rs1 = rs1;
  in.rs2 = rs2;
  in.rs3 = rs3;
  in.funct1 = funct1;
  in.imm = imm;
  return in;
}

// Readable shorthands for the instructions tests use to set up registers.
inline Instruction addi(uint8_t rd, uint8_t rs1, int64_t imm) {
  return inst(Opcode::S_ADDI_INT, rd, rs1, 0, 0, 0, imm);
}
inline Instruction lui(uint8_t rd, int64_t imm) { return inst(Opcode::S_LUI_INT, rd, 0, 0, 0, 0, imm); }
inline Instruction loop_start(uint8_t counter, int64_t n) {
  return inst(Opcode::C_LOOP_START, counter, 0, 0, 0, 0, n);
}
inline Instruction loop_end(uint8_t counter) { return inst(Opcode::C_LOOP_END, counter); }

inline Program make_program(std::initializer_list<Instruction> list) {
  Program p;
  p.instructions.assign(list.begin(), list.end());
  // Source lines 1.. so traps can be checked against them.
  for (std::size_t i = 0; i < p.instructions.size(); ++i)
    p.instructions[i].source_line = static_cast<uint32_t>(i + 1);
  return p;
}

inline void set_latency(HardwareConfig& c, LatencyClass cls, uint32_t cycles) {
  c.latency[static_cast<std::size_t>(cls)] = cycles;
}

// MLEN = VLEN = 8, BLEN = 2, HLEN = 4 (two heads); every latency 1 so cycle counts in tests
// are easy to derive; HBM latency 100 cycles at 4 bytes per cycle.
inline HardwareConfig small_config() {
  HardwareConfig c = HardwareConfig::kernelcraft_default();
  c.name = "test-small";
  c.mlen = 8;
  c.vlen = 8;
  c.blen = 2;
  c.hlen = 4;
  c.matrix_sram_elems = 4 * 64;  // four 8x8 tiles
  c.vector_sram_elems = 128 * 8;  // 128 rows
  c.fp_sram_elems = 64;
  c.int_sram_elems = 64;
  c.hbm_bytes = 4096;
  c.v_prefetch_rows = 2;
  c.v_writeback_rows = 2;
  c.latency.fill(1);
  c.systolic_overhead = 0;
  c.hbm_latency = 100;
  c.hbm_bytes_per_cycle = 4;
  c.dma_queue_depth = 4;
  return c;
}

// A state plus run helper: tests poke inputs into `state`, then call run().
struct Sim {
  HardwareConfig config;
  MachineState state;
  Limits limits;

  explicit Sim(const HardwareConfig& c = small_config()) : config(c), state(c) {}

  SimResult run(const Program& p) { return simulate(p, state, config, limits); }
  SimResult run(std::initializer_list<Instruction> list) { return run(make_program(list)); }

  // Shorthand to preset registers and memories.
  float& v(uint64_t i) { return state.vector_sram.at(i); }
  float& m(uint64_t i) { return state.matrix_sram.at(i); }
  void set_row(uint64_t addr, const std::vector<float>& values) {
    uint64_t i = addr;
    for (float x : values) state.vector_sram.at(i++) = x;
  }
  void set_addr_reg(unsigned a, uint64_t value) {
    state.addr.at(a) = value;
    state.addr_valid.at(a) = true;
  }
};

inline std::vector<float> slice(const std::vector<float>& mem, uint64_t addr, uint64_t n) {
  return std::vector<float>(mem.begin() + static_cast<std::ptrdiff_t>(addr),
                            mem.begin() + static_cast<std::ptrdiff_t>(addr + n));
}

// Fails the test with the trap message when the run trapped.
#define EXPECT_RUN_OK(result) \
  EXPECT_TRUE((result).ok()) << ((result).trap ? (result).trap->message : std::string())

}  // namespace plena::test
