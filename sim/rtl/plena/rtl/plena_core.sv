// PLENA core, top level: fetch, issue control, operand checks, register files, hardware
// loops, counters, and the wiring of the units and the four SRAMs.
//
// Structure. Four synchronous SRAMs (plena_sram: registered read data, explicit read and
// write ports; the Vector SRAM VLEN elements wide per port). The vector unit is VLEN lanes,
// each a registered fetch/compute/write-back pipeline, with an ordered reduction chain; the
// matrix unit a BLEN x MLEN systolic array of PEs with their own accumulators, an operand
// feeder and a write-out path; the DMA moves data over an HBM request/response bus of
// hbm_bytes_per_cycle bytes per beat, (de)quantising MX FP8 per beat; the scalar unit computes
// in one registered stage. The SRAM port muxes follow the instruction in flight.
//
// Timing. `cycle` is the architectural cycle counter that sim/plena models: in-order issue,
// each instruction holding issue for its latency class. One clock of the HOLD and STALL
// states is one architectural cycle (busy and stall counters count those clocks). ISSUE,
// QUERY and EXEC (issue checks, scoreboard query, unit start) are internal clocks in which
// `cycle` does not advance. The vector, matrix and DMA units start in EXEC and work during
// the HOLD clocks; when a unit's pipeline is deeper than the instruction's latency (the
// systolic array's load + MLEN steps + skew against a 16-cycle matmul, a 3-stage lane pipeline
// against a 1-cycle vector op, a DMA row over several beats), the last architectural cycle is
// kept open (clocks with the cycle counter stopped) until the unit is done, so every result
// is in place when the next instruction issues and the architectural timing is the model's.
//
// Per instruction: ISSUE (limits, decode fault, operand checks in sim/plena's order -> trap,
// or the list of memory ranges the instruction touches) -> QUERY (the DMA scoreboard returns
// when the last overlapping in-flight transfer completes) -> STALL until then and, for H_*,
// until a DMA queue slot is free -> EXEC (state changes, units start) -> HOLD for the latency
// and until the unit is done -> next pc. After the last instruction (or a trap) DRAIN runs the
// cycle counter to the last DMA completion.
module plena_core
  import plena_isa_pkg::*;
  import plena_fp_pkg::*;
#(
  parameter int MLEN = 16,
  parameter int BLEN = 4,
  parameter int VLEN = 16,
  parameter int HLEN = 8,
  parameter int MSRAM_ELEMS = 2048,
  parameter int VSRAM_ELEMS = 65536,
  parameter int FPSRAM_ELEMS = 256,
  parameter int INTSRAM_ELEMS = 256,
  parameter int PROG_DEPTH = 1 << 20,
  parameter int QMAX = 16,       // largest dma_queue_depth
  parameter int MAX_VROWS = 8,   // largest v_prefetch_rows / v_writeback_rows
  parameter int MAX_LOOPS = 16,  // largest max_loop_depth
  parameter int MAX_WRITABLE = 16,
  parameter int HBM_MAXW = 64    // widest HBM beat (bytes); a beat is hbm_bytes_per_cycle wide
) (
  input  logic clk,
  input  logic rst,  // held while the testbench loads state through the backdoor
  // Run-time configuration (the preset's timing and DMA shape, the run's limits).
  input  logic [31:0] prog_size,
  input  logic [NUM_LAT_CLASSES-1:0][31:0] latency,
  input  logic [31:0] systolic_overhead,
  input  logic [31:0] hbm_latency,
  input  logic [31:0] hbm_bytes_per_cycle,
  input  logic [31:0] dma_queue_depth,
  input  logic [31:0] v_prefetch_rows,
  input  logic [31:0] v_writeback_rows,
  input  logic weight_bf16, kv_bf16, activation_bf16,  // HBM formats: 1 = BF16, 0 = MXFP8
  input  logic [31:0] max_loop_depth,
  input  logic [31:0] max_loop_body,
  input  logic [63:0] hbm_bytes,
  input  logic [63:0] max_instructions,
  input  logic [63:0] max_cycles,
  input  logic [31:0] writable_count,  // 0: all of HBM is writable
  input  logic [MAX_WRITABLE-1:0][63:0] writable_begin,
  input  logic [MAX_WRITABLE-1:0][63:0] writable_end,
  // HBM request/response bus (one beat of up to hbm_bytes_per_cycle consecutive bytes per
  // clock), served by the testbench's C++ memory model.
  output logic hbm_req_valid,
  output logic hbm_req_we,
  output logic [63:0] hbm_req_addr,
  output logic [7:0] hbm_req_len,
  output logic [HBM_MAXW-1:0][7:0] hbm_req_wdata,
  input  logic hbm_rsp_valid,
  input  logic [HBM_MAXW-1:0][7:0] hbm_rsp_data,
  // Status.
  output logic finished,
  output logic [63:0] cycles,
  output logic [63:0] instructions,
  output logic stopped_by_break,
  output logic trap_valid,
  output logic [3:0] trap_kind,
  output logic [63:0] trap_pc,
  output logic [2:0] trap_mem,  // MEM_NONE when the trap names no memory
  output logic [63:0] trap_addr,
  output logic [63:0] hbm_bytes_read,
  output logic [63:0] hbm_bytes_written,
  output logic [63:0] macs,
  output logic [NUM_UNITS-1:0][63:0] unit_busy,
  output logic [NUM_UNITS-1:0][63:0] unit_stall
);
  localparam int HEADS = MLEN / HLEN;
  localparam int RMAX = 2 * MAX_VROWS;  // pending ranges of one store
  localparam int NACC = 1 + 2 * (MLEN > MAX_VROWS ? MLEN : MAX_VROWS);
  localparam logic [63:0] U64_MAX = 64'hFFFF_FFFF_FFFF_FFFF;

  // ---------------------------------------------------------------------------------------
  // Architectural state (backdoor-visible)
  // ---------------------------------------------------------------------------------------
  logic [33:0] prog [PROG_DEPTH] /*verilator public_flat_rw*/;  // {predecode tag, word}
  logic [31:0] gp [16] /*verilator public_flat_rw*/;
  logic [15:0] fp [8] /*verilator public_flat_rw*/;
  logic [63:0] areg [8] /*verilator public_flat_rw*/;
  logic areg_valid [8] /*verilator public_flat_rw*/;
  logic [31:0] scale_reg /*verilator public_flat_rw*/;
  logic [31:0] stride_reg /*verilator public_flat_rw*/;
  logic [31:0] vmask_reg /*verilator public_flat_rw*/;
  logic [63:0] opcode_count [64] /*verilator public_flat_rd*/;

  // ---------------------------------------------------------------------------------------
  // Control state
  // ---------------------------------------------------------------------------------------
  typedef enum logic [3:0] {
    ISSUE, QUERY, STALL, EXEC, SCALAR_WB, MAP_GATHER, HOLD, END_CHECK,
    DRAIN, FINAL, DONE
  } state_t;
  state_t state;

  logic [63:0] pc, next_pc, last_pc, cycle, hold;
  logic stopped;
  logic [3:0] loop_reg [MAX_LOOPS];
  logic [63:0] loop_start [MAX_LOOPS];
  logic [31:0] loop_depth;

  decoded_t dec, cur;
  logic [33:0] fetched;
  assign fetched = pc < PROG_DEPTH ? prog[pc[31:0]] : 34'h0;

  plena_decode u_decode (.word(fetched[31:0]), .tag(fetched[33:32]), .dec(dec));

  // Operands resolved at ISSUE for the units.
  logic [63:0] x_a, x_b, x_dst, x_mat, x_saddr;
  logic [63:0] x_base, x_scale_base, x_first, x_pitch, x_bytes;
  logic [31:0] x_rows, x_map_i;
  logic x_bf16;
  logic [VLEN-1:0][15:0] map_row;

  // Ranges the current instruction touches (scoreboard query) and, for H_*, the ranges its
  // transfer leaves pending.
  logic [NACC-1:0][2:0] acc_mem;
  logic [NACC-1:0][63:0] acc_lo, acc_hi;
  logic [7:0] acc_n;
  logic [RMAX-1:0][2:0] pend_mem;
  logic [RMAX-1:0][63:0] pend_lo, pend_hi;
  logic [7:0] pend_n;
  logic query, commit;

  // Trap found by the checks of the current instruction.
  logic chk_trap;
  logic [3:0] chk_kind;
  logic [2:0] chk_mem;
  logic [63:0] chk_addr;

  // ---------------------------------------------------------------------------------------
  // Units and memories
  // ---------------------------------------------------------------------------------------
  logic [31:0] v_rd_a, v_rd_b, v_wr_row, m_rd_a, m_wr_row, f_rd, f_wr, i_rd, i_wr;
  logic v_re_a, v_re_b, m_re, f_re, i_re;
  logic [VLEN-1:0][15:0] v_rdata_a, v_rdata_b, v_wdata;
  logic [VLEN-1:0] v_wr_en;
  logic v_we, m_we, f_we, i_we;
  logic [MLEN-1:0][15:0] m_rdata_a, m_rdata_b, m_wdata;
  logic [0:0][15:0] f_rdata, f_rdata_b, f_wdata;
  logic [0:0][31:0] i_rdata, i_rdata_b, i_wdata;

  // The four SRAMs: synchronous, registered read data; the Vector SRAM is VLEN elements wide
  // per port, the Matrix SRAM MLEN.
  plena_sram #(.DEPTH(VSRAM_ELEMS), .W(16), .ROW(VLEN)) u_vsram (
    .clk, .re_a(v_re_a), .rd_row_a(v_rd_a), .rdata_a(v_rdata_a), .re_b(v_re_b),
    .rd_row_b(v_rd_b), .rdata_b(v_rdata_b), .we(v_we), .wr_row(v_wr_row), .wr_en(v_wr_en),
    .wdata(v_wdata));
  plena_sram #(.DEPTH(MSRAM_ELEMS), .W(16), .ROW(MLEN)) u_msram (
    .clk, .re_a(m_re), .rd_row_a(m_rd_a), .rdata_a(m_rdata_a), .re_b(1'b0), .rd_row_b(32'h0),
    .rdata_b(m_rdata_b), .we(m_we), .wr_row(m_wr_row), .wr_en({MLEN{1'b1}}), .wdata(m_wdata));
  plena_sram #(.DEPTH(FPSRAM_ELEMS), .W(16), .ROW(1)) u_fpsram (
    .clk, .re_a(f_re), .rd_row_a(f_rd), .rdata_a(f_rdata), .re_b(1'b0), .rd_row_b(32'h0),
    .rdata_b(f_rdata_b), .we(f_we), .wr_row(f_wr), .wr_en(1'b1), .wdata(f_wdata));
  plena_sram #(.DEPTH(INTSRAM_ELEMS), .W(32), .ROW(1)) u_intsram (
    .clk, .re_a(i_re), .rd_row_a(i_rd), .rdata_a(i_rdata), .re_b(1'b0), .rd_row_b(32'h0),
    .rdata_b(i_rdata_b), .we(i_we), .wr_row(i_wr), .wr_en(1'b1), .wdata(i_wdata));

  logic exec_vector, exec_scalar, exec_matrix, exec_dma;
  assign exec_vector = state == EXEC && cur.unit == U_VECTOR;
  assign exec_scalar = state == EXEC && cur.unit == U_SCALAR;
  assign exec_matrix = state == EXEC && cur.unit == U_MATRIX;
  assign exec_dma = state == EXEC && cur.unit == U_MEMORY;

  logic vu_re_a, vu_re_b, vu_we, vu_red_valid, vu_busy;
  logic [31:0] vu_rd_a, vu_rd_b, vu_wr_row;
  logic [VLEN-1:0] vu_wr_en;
  logic [VLEN-1:0][15:0] vu_wdata;
  logic [15:0] vu_red_value;
  plena_vector_unit #(.VLEN(VLEN), .HLEN(HLEN)) u_vector (
    .clk, .rst, .start(exec_vector), .opcode(cur.opcode), .masked(cur.rs3 != 0),
    .reverse(cur.funct1 != 0), .vmask(vmask_reg), .f_operand(fp[cur.rs2[2:0]]),
    .f_acc(fp[cur.rd[2:0]]), .shift(gp[cur.rs2]), .a_row(32'(x_a / VLEN)),
    .b_row(32'(x_b / VLEN)), .d_row(32'(x_dst / VLEN)), .re_a(vu_re_a), .re_b(vu_re_b),
    .rd_row_a(vu_rd_a), .rd_row_b(vu_rd_b), .rdata_a(v_rdata_a), .rdata_b(v_rdata_b),
    .we(vu_we), .wr_row(vu_wr_row), .wr_en(vu_wr_en), .wdata(vu_wdata),
    .red_valid(vu_red_valid), .red_value(vu_red_value), .busy(vu_busy));

  logic [31:0] sc_int;
  logic [15:0] sc_fp;
  plena_scalar_unit u_scalar (
    .clk, .start(exec_scalar), .opcode(cur.opcode), .gp_a(gp[cur.rs1]), .gp_b(gp[cur.rs2]),
    .imm(cur.imm), .f_a(fp[cur.rs1[2:0]]), .f_b(fp[cur.rs2[2:0]]), .int_result(sc_int),
    .fp_result(sc_fp));

  logic mx_busy, mx_v_re_a, mx_v_re_b, mx_m_re, mx_v_we;
  logic [1:0] acc_owner, vacc_owner;
  logic [31:0] mx_v_rd_a, mx_v_rd_b, mx_m_rd, mx_v_wr_row;
  logic [VLEN-1:0] mx_v_wr_en;
  logic [VLEN-1:0][15:0] mx_v_wdata;
  plena_matrix_unit #(.MLEN(MLEN), .BLEN(BLEN), .VLEN(VLEN), .HLEN(HLEN)) u_matrix (
    .clk, .rst, .start(exec_matrix), .opcode(cur.opcode), .vec_addr(x_a), .mat_addr(x_mat),
    .dst_addr(x_dst), .busy(mx_busy), .acc_owner, .vacc_owner, .v_re_a(mx_v_re_a),
    .v_re_b(mx_v_re_b), .v_rd_row_a(mx_v_rd_a), .v_rd_row_b(mx_v_rd_b), .v_rdata_a(v_rdata_a),
    .v_rdata_b(v_rdata_b), .m_re(mx_m_re), .m_rd_row(mx_m_rd), .m_rdata(m_rdata_a),
    .v_we(mx_v_we), .v_wr_row(mx_v_wr_row), .v_wr_en(mx_v_wr_en), .v_wdata(mx_v_wdata));

  logic dma_busy, dma_v_re, dma_v_we, dma_m_we, slot_free;
  logic [31:0] dma_v_rd, dma_wr_row;
  logic [MLEN-1:0][15:0] dma_wdata;
  logic [63:0] overlap_ready, last_done;
  plena_dma #(.VLEN(VLEN), .MLEN(MLEN), .MAXW(HBM_MAXW)) u_dma (
    .clk, .rst, .start(exec_dma), .opcode(cur.opcode), .bf16_format(x_bf16), .base(x_base),
    .scale_base(x_scale_base), .first(x_first), .pitch(x_pitch), .rows(x_rows),
    .sram_row0(cur.opcode == OP_H_PREFETCH_M ? 32'(x_dst / MLEN) : 32'(x_dst / VLEN)),
    .beat_bytes(hbm_bytes_per_cycle), .busy(dma_busy), .hbm_req_valid, .hbm_req_we,
    .hbm_req_addr, .hbm_req_len, .hbm_req_wdata, .hbm_rsp_valid, .hbm_rsp_data,
    .v_re(dma_v_re), .v_rd_row(dma_v_rd), .v_rdata(v_rdata_a), .v_we(dma_v_we),
    .m_we(dma_m_we), .wr_row(dma_wr_row), .wdata(dma_wdata));

  plena_dma_queue #(.QMAX(QMAX), .RMAX(RMAX), .NACC(NACC)) u_dma_queue (
    .clk, .rst, .cycle, .depth(dma_queue_depth), .hbm_latency,
    .bytes_per_cycle(hbm_bytes_per_cycle), .query, .q_mem(acc_mem), .q_lo(acc_lo),
    .q_hi(acc_hi), .q_count(acc_n), .overlap_ready, .slot_free, .commit,
    .issue_end(cycle + 64'(cur_latency())), .bytes(x_bytes), .p_mem(pend_mem),
    .p_lo(pend_lo), .p_hi(pend_hi), .p_count(pend_n), .last_done);

  // SRAM port ownership follows the unit that is working (one instruction at a time).
  always_comb begin
    v_re_a = 1'b0;
    v_re_b = 1'b0;
    v_rd_a = 32'h0;
    v_rd_b = 32'h0;
    v_we = 1'b0;
    v_wr_row = 32'(x_dst / VLEN);
    v_wr_en = '0;
    v_wdata = '0;
    m_re = mx_m_re;
    m_rd_a = mx_m_rd;
    m_we = dma_m_we;
    m_wr_row = dma_wr_row;
    m_wdata = dma_wdata;
    // FP / INT SRAM: scalar loads read in the EXEC clock, S_MAP_V_FP gathers one element per
    // clock, stores write in the EXEC clock.
    f_re = (state == EXEC && cur.opcode == OP_S_LD_FP) || (state == MAP_GATHER && x_map_i < VLEN);
    f_rd = 32'(x_saddr) + (state == MAP_GATHER ? x_map_i : 32'h0);
    f_we = state == EXEC && cur.opcode == OP_S_ST_FP;
    f_wr = 32'(x_saddr);
    f_wdata[0] = fp[cur.rd[2:0]];
    i_re = state == EXEC && cur.opcode == OP_S_LD_INT;
    i_rd = 32'(x_saddr);
    i_we = state == EXEC && cur.opcode == OP_S_ST_INT;
    i_wr = 32'(x_saddr);
    i_wdata[0] = gp[cur.rd];
    if (cur.unit == U_MATRIX) begin
      v_re_a = mx_v_re_a;
      v_re_b = mx_v_re_b;
      v_rd_a = mx_v_rd_a;
      v_rd_b = mx_v_rd_b;
      v_we = mx_v_we;
      v_wr_row = mx_v_wr_row;
      v_wr_en = mx_v_wr_en;
      v_wdata = mx_v_wdata;
    end else if (cur.unit == U_MEMORY) begin
      v_re_a = dma_v_re;
      v_rd_a = dma_v_rd;
      v_we = dma_v_we;
      v_wr_row = dma_wr_row;
      v_wr_en = '1;
      v_wdata = dma_wdata[VLEN-1:0];
    end else if (cur.unit == U_VECTOR) begin
      v_re_a = vu_re_a;
      v_re_b = vu_re_b;
      v_rd_a = vu_rd_a;
      v_rd_b = vu_rd_b;
      v_we = vu_we;
      v_wr_row = vu_wr_row;
      v_wr_en = vu_wr_en;
      v_wdata = vu_wdata;
    end else if (state == MAP_GATHER && x_map_i == VLEN + 1) begin
      v_we = 1'b1;
      v_wr_en = '1;
      v_wdata = map_row;
    end
  end

  function automatic logic [31:0] cur_latency();
    return latency[cur.lat_class] + (cur.lat_class == LC_MATMUL ? systolic_overhead : 32'h0);
  endfunction

  // ---------------------------------------------------------------------------------------
  // Operand checks (sim/plena's order; the first failing check is the trap)
  // ---------------------------------------------------------------------------------------
  function automatic logic [63:0] capacity(input logic [2:0] m);
    case (m)
      MEM_HBM:    return hbm_bytes;
      MEM_MATRIX: return 64'(MSRAM_ELEMS);
      MEM_VECTOR: return 64'(VSRAM_ELEMS);
      MEM_FP:     return 64'(FPSRAM_ELEMS);
      default:    return 64'(INTSRAM_ELEMS);
    endcase
  endfunction

  function automatic logic write_allowed(input logic [63:0] a, input logic [63:0] len);
    if (writable_count == 0 || len == 0) return 1'b1;
    for (int i = 0; i < MAX_WRITABLE; i++)
      if (i < writable_count && a >= writable_begin[i] && a < writable_end[i] &&
          len <= writable_end[i] - a)
        return 1'b1;
    return 1'b0;
  endfunction

  task automatic trap_at(input logic [3:0] kind, input logic [2:0] m, input logic [63:0] a);
    if (chk_trap) return;
    chk_trap = 1'b1;
    chk_kind = kind;
    chk_mem = m;
    chk_addr = a;
  endtask

  task automatic access(input logic [2:0] m, input logic [63:0] a, input logic [63:0] len,
                        input logic is_write);
    if (chk_trap) return;
    if (!(a <= capacity(m) && len <= capacity(m) - a)) trap_at(T_ADDRESS_OUT_OF_RANGE, m, a);
    else if (is_write && m == MEM_HBM && !write_allowed(a, len)) trap_at(T_WRITE_PROTECTED, m, a);
    else begin
      acc_mem[acc_n] = m;
      acc_lo[acc_n] = a;
      acc_hi[acc_n] = a + len;
      acc_n = acc_n + 1;
    end
  endtask

  task automatic aligned(input logic [2:0] m, input logic [63:0] a, input logic [63:0] al);
    if (!chk_trap && a % al != 0) trap_at(T_MISALIGNED, m, a);
  endtask

  task automatic vector_rows(input logic [63:0] a, input int rows, input logic is_write);
    aligned(MEM_VECTOR, a, VLEN);
    access(MEM_VECTOR, a, 64'(rows * VLEN), is_write);
  endtask

  task automatic matrix_rows(input logic [63:0] a, input int rows);
    aligned(MEM_MATRIX, a, MLEN);
    access(MEM_MATRIX, a, 64'(rows * MLEN), 1'b0);
  endtask

  task automatic claim(input logic [1:0] owner, input logic [1:0] wanted);
    if (owner != 0 && owner != wanted) trap_at(T_ACC_MISUSE, MEM_NONE, 0);
  endtask

  task automatic pend(input logic [2:0] m, input logic [63:0] lo, input logic [63:0] hi);
    if (lo >= hi) return;
    pend_mem[pend_n] = m;
    pend_lo[pend_n] = lo;
    pend_hi[pend_n] = hi;
    pend_n = pend_n + 1;
  endtask

  // One HBM row's spans, as sim/plena's hbm_read_span / hbm_write_span compute them.
  // Returns 0 when an address does not fit in 64 bits.
  function automatic logic row_span(input logic [63:0] off, output logic [63:0] ea,
                                    output logic [63:0] en, output logic [63:0] sa,
                                    output logic [63:0] sn);
    logic [63:0] eb, ob, last;
    eb = x_bf16 ? 2 : 1;
    ob = off * eb;  // off < 2^45: no overflow
    sa = 0;
    sn = 0;
    ea = x_base + ob;
    en = VLEN * eb;  // every row is VLEN (= MLEN) elements, a whole number of MX blocks
    if (x_base > U64_MAX - ob || ea > U64_MAX - en) return 1'b0;
    if (x_bf16) return 1'b1;
    last = off + VLEN - 1;
    if (x_scale_base > U64_MAX - off / 8) return 1'b0;
    sa = x_scale_base + off / 8;
    sn = last / 8 - off / 8 + 1;
    return sa <= U64_MAX - sn;
  endfunction

  task automatic check_hbm_rows(input logic is_write);
    logic [63:0] ea, en, sa, sn, off;
    x_bytes = 0;
    for (int r = 0; r < 64; r++) begin
      if (r >= x_rows || chk_trap) continue;
      off = x_first + 64'(r) * x_pitch;
      if (!row_span(off, ea, en, sa, sn)) begin
        trap_at(T_ADDRESS_OUT_OF_RANGE, MEM_HBM, x_base);
        continue;
      end
      access(MEM_HBM, ea, en, is_write);
      if (sn != 0) access(MEM_HBM, sa, sn, is_write);
      x_bytes = x_bytes + en + sn;
    end
  endtask

  task automatic hbm_operands(input logic default_bf16);
    if (!areg_valid[cur.rs2[2:0]]) begin
      trap_at(T_UNINIT_ADDR_REG, MEM_NONE, 0);
      return;
    end
    x_base = areg[cur.rs2[2:0]];
    x_bf16 = cur.funct1 != 0 ? kv_bf16 : default_bf16;
    x_first = 64'(gp[cur.rs1]);
    if (x_base > U64_MAX - 64'(scale_reg)) trap_at(T_ADDRESS_OUT_OF_RANGE, MEM_HBM, x_base);
    x_scale_base = x_base + 64'(scale_reg);
  endtask

  task automatic check_memory_op();
    logic [63:0] ea, en, sa, sn, off;
    case (cur.opcode)
      OP_H_PREFETCH_M: begin
        hbm_operands(weight_bf16);
        x_rows = MLEN;
        x_pitch = cur.rs3 != 0 ? 64'(stride_reg) : 64'(MLEN);
        aligned(MEM_MATRIX, x_dst, MLEN * MLEN);
        access(MEM_MATRIX, x_dst, MLEN * MLEN, 1'b1);
        check_hbm_rows(1'b0);
        pend(MEM_MATRIX, x_dst, x_dst + MLEN * MLEN);
      end
      OP_H_PREFETCH_V: begin
        hbm_operands(activation_bf16);
        x_rows = cur.rs3 != 0 ? v_prefetch_rows : 1;
        x_pitch = 64'(stride_reg);
        aligned(MEM_VECTOR, x_dst, VLEN);
        access(MEM_VECTOR, x_dst, 64'(x_rows) * VLEN, 1'b1);
        check_hbm_rows(1'b0);
        pend(MEM_VECTOR, x_dst, x_dst + 64'(x_rows) * VLEN);
      end
      default: begin  // H_STORE_V
        hbm_operands(activation_bf16);
        x_rows = cur.rs3 != 0 ? v_writeback_rows : 1;
        x_pitch = 64'(stride_reg);
        aligned(MEM_VECTOR, x_dst, VLEN);
        access(MEM_VECTOR, x_dst, 64'(x_rows) * VLEN, 1'b0);
        if (!x_bf16)
          for (int r = 0; r < MAX_VROWS; r++) begin
            off = x_first + 64'(r) * x_pitch;
            if (r < x_rows && off % 8 != 0) trap_at(T_MISALIGNED, MEM_HBM, x_base + off);
          end
        check_hbm_rows(1'b1);
        // Element ranges of every row, then scale ranges (their union is what matters).
        for (int r = 0; r < MAX_VROWS; r++)
          if (r < x_rows && !chk_trap && row_span(x_first + 64'(r) * x_pitch, ea, en, sa, sn))
            pend(MEM_HBM, ea, ea + en);
        for (int r = 0; r < MAX_VROWS; r++)
          if (r < x_rows && !chk_trap && row_span(x_first + 64'(r) * x_pitch, ea, en, sa, sn))
            pend(MEM_HBM, sa, sa + sn);
      end
    endcase
  endtask

  task automatic check_matrix_op();
    case (cur.opcode)
      OP_M_MM: begin
        aligned(MEM_MATRIX, x_mat, BLEN);
        vector_rows(x_a, BLEN, 1'b0);
        access(MEM_MATRIX, x_mat, (MLEN - 1) * MLEN + BLEN, 1'b0);
        claim(acc_owner, 2'd1);
      end
      OP_M_TMM: begin
        vector_rows(x_a, BLEN, 1'b0);
        matrix_rows(x_mat, BLEN);
        claim(acc_owner, 2'd1);
      end
      OP_M_BTMM: begin
        vector_rows(x_a, BLEN, 1'b0);
        matrix_rows(x_mat, MLEN);
        claim(acc_owner, 2'd3);
      end
      OP_M_BMM: begin
        vector_rows(x_a, HEADS * BLEN, 1'b0);
        matrix_rows(x_mat, MLEN);
        claim(acc_owner, 2'd2);
      end
      OP_M_MV, OP_M_TMV, OP_M_BTMV, OP_M_BMV: begin
        vector_rows(x_a, cur.opcode == OP_M_BMV ? HEADS : 1, 1'b0);
        matrix_rows(x_mat, MLEN);
        claim(vacc_owner, cur.opcode == OP_M_BMV ? 2'd2 : cur.opcode == OP_M_BTMV ? 2'd3 : 2'd1);
      end
      OP_M_MM_WO: begin
        if (acc_owner != 2'd1) trap_at(T_ACC_MISUSE, MEM_NONE, 0);
        aligned(MEM_VECTOR, x_dst, BLEN);
        access(MEM_VECTOR, x_dst, (BLEN - 1) * VLEN + BLEN, 1'b1);
      end
      OP_M_BMM_WO: begin
        if (acc_owner < 2'd2) trap_at(T_ACC_MISUSE, MEM_NONE, 0);
        vector_rows(x_dst, acc_owner == 2'd3 ? HEADS * BLEN : BLEN, 1'b1);
      end
      OP_M_MV_WO: begin
        if (vacc_owner != 2'd1) trap_at(T_ACC_MISUSE, MEM_NONE, 0);
        vector_rows(x_dst, 1, 1'b1);
      end
      default: begin  // M_BMV_WO
        if (vacc_owner < 2'd2) trap_at(T_ACC_MISUSE, MEM_NONE, 0);
        vector_rows(x_dst, vacc_owner == 2'd3 ? HEADS : 1, 1'b1);
      end
    endcase
  endtask

  task automatic check_vector_op();
    case (cur.opcode)
      OP_V_ADD_VV, OP_V_SUB_VV, OP_V_MUL_VV: begin
        vector_rows(x_a, 1, 1'b0);
        vector_rows(x_b, 1, 1'b0);
        vector_rows(x_dst, 1, 1'b1);
      end
      OP_V_RED_SUM, OP_V_RED_MAX: vector_rows(x_a, 1, 1'b0);
      default: begin  // one source row, one destination row
        vector_rows(x_a, 1, 1'b0);
        vector_rows(x_dst, 1, 1'b1);
      end
    endcase
  endtask

  task automatic check_scalar_op();
    case (cur.opcode)
      OP_S_LD_INT, OP_S_ST_INT: access(MEM_INT, x_saddr, 1, cur.opcode == OP_S_ST_INT);
      OP_S_LD_FP, OP_S_ST_FP: access(MEM_FP, x_saddr, 1, cur.opcode == OP_S_ST_FP);
      OP_S_MAP_V_FP: begin
        aligned(MEM_VECTOR, x_dst, VLEN);
        access(MEM_FP, x_saddr, VLEN, 1'b0);
        access(MEM_VECTOR, x_dst, VLEN, 1'b1);
      end
      default: ;
    endcase
  endtask

  task automatic check_control_op();
    case (cur.opcode)
      OP_C_LOOP_START: begin
        if (cur.rd == 0 || cur.imm == 0 || loop_depth >= max_loop_depth)
          trap_at(T_LOOP_STRUCTURE, MEM_NONE, 0);
        for (int i = 0; i < MAX_LOOPS; i++)
          if (i < loop_depth && loop_reg[i] == cur.rd) trap_at(T_LOOP_STRUCTURE, MEM_NONE, 0);
      end
      OP_C_LOOP_END:
        if (loop_depth == 0 || loop_reg[loop_depth - 1] != cur.rd ||
            pc - loop_start[loop_depth - 1] - 1 > 64'(max_loop_body))
          trap_at(T_LOOP_STRUCTURE, MEM_NONE, 0);
      default: ;
    endcase
  endtask

  // Resolves the operands of `cur` and runs its checks.
  task automatic check_instruction();
    chk_trap = 1'b0;
    chk_kind = 0;
    chk_mem = MEM_NONE;
    chk_addr = 0;
    acc_n = 0;
    pend_n = 0;
    x_bytes = 0;
    x_a = 64'(gp[cur.rs1]);
    x_b = 64'(gp[cur.rs2]);
    x_dst = 64'(gp[cur.rd]);
    x_mat = 64'(gp[cur.rs2]);
    x_saddr = 64'(gp[cur.rs1]) + 64'(cur.imm);
    case (cur.opcode)
      OP_M_MM: begin x_mat = 64'(gp[cur.rs1]); x_a = 64'(gp[cur.rs2]); end
      OP_M_BMM, OP_M_BTMM: begin
        x_mat = 64'(gp[cur.rs1]) + 64'(gp[cur.rd]);
        x_a = 64'(gp[cur.rs2]);
      end
      OP_M_BMV, OP_M_BTMV: x_mat = 64'(gp[cur.rs2]) + 64'(gp[cur.rd]);
      OP_M_MM_WO, OP_M_BMM_WO, OP_M_MV_WO, OP_M_BMV_WO: x_dst = 64'(gp[cur.rd]) + 64'(cur.imm);
      default: ;
    endcase
    case (cur.unit)
      U_MATRIX: check_matrix_op();
      U_VECTOR: check_vector_op();
      U_SCALAR: check_scalar_op();
      U_MEMORY: check_memory_op();
      default:  check_control_op();
    endcase
  endtask

  // ---------------------------------------------------------------------------------------
  // Effects done by the core itself
  // ---------------------------------------------------------------------------------------
  task automatic set_gp(input logic [3:0] r, input logic [31:0] v);
    if (r != 0) gp[r] <= v;
  endtask
  task automatic set_fp(input logic [3:0] r, input logic [15:0] v);
    if (r != 0) fp[r[2:0]] <= v;
  endtask

  task automatic exec_control();
    logic [31:0] remaining;
    case (cur.opcode)
      OP_C_SET_ADDR_REG: begin
        areg[cur.rd[2:0]] <= {gp[cur.rs1], gp[cur.rs2]};
        areg_valid[cur.rd[2:0]] <= 1'b1;
      end
      OP_C_SET_SCALE_REG: scale_reg <= gp[cur.rd];
      OP_C_SET_STRIDE_REG: stride_reg <= gp[cur.rd];
      OP_C_SET_V_MASK_REG: vmask_reg <= gp[cur.rd];
      OP_C_LOOP_START: begin
        set_gp(cur.rd, cur.imm);
        loop_reg[loop_depth] <= cur.rd;
        loop_start[loop_depth] <= pc;
        loop_depth <= loop_depth + 1;
      end
      OP_C_LOOP_END: begin
        remaining = gp[cur.rd] - 1;
        set_gp(cur.rd, remaining);
        if (remaining != 0) next_pc <= loop_start[loop_depth - 1] + 1;
        else loop_depth <= loop_depth - 1;
      end
      OP_C_BREAK: begin
        stopped <= 1'b1;
        next_pc <= 64'(prog_size);
      end
      default: ;
    endcase
  endtask

  function automatic logic [63:0] macs_of(input logic [5:0] op);
    case (op)
      OP_M_MM, OP_M_TMM: return BLEN * BLEN * MLEN;
      OP_M_BMM, OP_M_BTMM: return BLEN * MLEN * MLEN;
      OP_M_MV, OP_M_TMV, OP_M_BMV, OP_M_BTMV: return MLEN * MLEN;
      default: return 0;
    endcase
  endfunction

  task automatic raise(input logic [3:0] kind, input logic [63:0] at, input logic [2:0] m,
                       input logic [63:0] a);
    trap_valid <= 1'b1;
    trap_kind <= kind;
    trap_pc <= at;
    trap_mem <= m;
    trap_addr <= a;
  endtask

  // ---------------------------------------------------------------------------------------
  // Issue state machine
  // ---------------------------------------------------------------------------------------
  assign cycles = cycle;
  assign stopped_by_break = stopped;
  assign finished = state == DONE;

  always_ff @(posedge clk) begin
    query <= 1'b0;
    commit <= 1'b0;
    if (rst) begin
      state <= ISSUE;
      pc <= 0;
      last_pc <= 0;
      cycle <= 0;
      hold <= 0;
      stopped <= 1'b0;
      loop_depth <= 0;
      instructions <= 0;
      trap_valid <= 1'b0;
      trap_kind <= 0;
      trap_pc <= 0;
      trap_mem <= MEM_NONE;
      trap_addr <= 0;
      hbm_bytes_read <= 0;
      hbm_bytes_written <= 0;
      macs <= 0;
      unit_busy <= '0;
      unit_stall <= '0;
      for (int i = 0; i < 64; i++) opcode_count[i] <= 0;
    end else begin
      case (state)
        ISSUE:
          if (pc >= 64'(prog_size)) state <= END_CHECK;
          else begin
            last_pc <= pc;
            cur <= dec;
            next_pc <= pc + 1;
            if (instructions >= max_instructions) begin
              raise(T_INSTRUCTION_LIMIT, pc, MEM_NONE, 0);
              state <= DRAIN;
            end else if (cycle > max_cycles) begin
              raise(T_CYCLE_LIMIT, pc, MEM_NONE, 0);
              state <= DRAIN;
            end else if (dec.fault) begin
              raise(dec.fault_kind, pc, MEM_NONE, 0);
              state <= DRAIN;
            end else state <= QUERY;
          end
        QUERY: begin
          // `cur` is registered now; checks run on it and the scoreboard answers next clock.
          check_instruction();
          if (chk_trap) begin
            raise(chk_kind, pc, chk_mem, chk_addr);
            state <= DRAIN;
          end else begin
            query <= 1'b1;
            hold <= 64'(cur_latency());
            state <= STALL;
          end
        end
        STALL:
          if (query) ;  // the scoreboard answers at the end of this clock
          else if (overlap_ready > cycle || (cur.unit == U_MEMORY && !slot_free)) begin
            cycle <= cycle + 1;
            unit_stall[cur.unit] <= unit_stall[cur.unit] + 1;
          end else state <= EXEC;
        EXEC: begin
          // The vector, matrix and DMA units start this clock and work while issue is held.
          state <= HOLD;
          case (cur.unit)
            U_CONTROL: exec_control();
            U_VECTOR: ;
            U_MATRIX: macs <= macs + macs_of(cur.opcode);
            U_MEMORY: begin
              commit <= 1'b1;
              if (cur.opcode == OP_H_STORE_V) hbm_bytes_written <= hbm_bytes_written + x_bytes;
              else hbm_bytes_read <= hbm_bytes_read + x_bytes;
            end
            default:  // scalar
              case (cur.opcode)
                OP_S_ST_INT, OP_S_ST_FP: ;  // the SRAM write port is enabled this clock
                OP_S_MAP_V_FP: begin
                  x_map_i <= 0;
                  state <= MAP_GATHER;
                end
                default: state <= SCALAR_WB;  // loads: the SRAM registers the element now
              endcase
          endcase
        end
        SCALAR_WB: begin
          if (cur.opcode == OP_S_LD_INT) set_gp(cur.rd, i_rdata[0]);
          else if (cur.opcode == OP_S_LD_FP) set_fp(cur.rd, f_rdata[0]);
          else if (cur.opcode >= OP_S_ADD_FP && cur.opcode <= OP_S_SQRT_FP) set_fp(cur.rd, sc_fp);
          else set_gp(cur.rd, sc_int);
          state <= HOLD;
        end
        MAP_GATHER:
          // Reads FP SRAM one element per clock (registered: element i arrives a clock after
          // its request); the Vector SRAM row is written once all VLEN are in
          // (x_map_i == VLEN + 1, see the port mux).
          if (x_map_i == VLEN + 1) state <= HOLD;
          else begin
            if (x_map_i != 0) map_row[x_map_i - 1] <= f_rdata[0];
            x_map_i <= x_map_i + 1;
          end
        HOLD: begin
          if (vu_red_valid) set_fp(cur.rd, vu_red_value);
          if (hold != 0) begin
            cycle <= cycle + 1;
            unit_busy[cur.unit] <= unit_busy[cur.unit] + 1;
            hold <= hold - 1;
          end else if (!(vu_busy || mx_busy || dma_busy)) begin
            // A unit whose pipeline is deeper than the latency keeps the last cycle open
            // (clocks with the cycle counter stopped) until it has finished.
            instructions <= instructions + 1;
            opcode_count[cur.opcode] <= opcode_count[cur.opcode] + 1;
            pc <= next_pc;
            state <= ISSUE;
          end
        end
        END_CHECK: begin
          if (!stopped && loop_depth != 0)
            raise(T_LOOP_STRUCTURE, loop_start[loop_depth - 1], MEM_NONE, 0);
          state <= DRAIN;
        end
        DRAIN:
          if (cycle < last_done) cycle <= cycle + 1;
          else state <= FINAL;
        FINAL: begin
          if (!trap_valid && cycle > max_cycles) raise(T_CYCLE_LIMIT, last_pc, MEM_NONE, 0);
          state <= DONE;
        end
        default: ;
      endcase
    end
  end
endmodule
