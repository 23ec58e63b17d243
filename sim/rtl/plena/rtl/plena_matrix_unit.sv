// Matrix unit: a BLEN x MLEN systolic array of processing elements (plena_mx_pe) with their
// accumulators, an operand feeder, and the write-out path into the Vector SRAM.
//
// Array ("flattened" systolic array). PE(i, j) sits in row i < BLEN and column j < MLEN and
// is output-stationary: it owns accumulator element (i, j) of every accumulator layout (HEADS
// banks of ACC, and in row 0 HEADS banks of VACC). Every instruction is MLEN steps; in step s
// the feeder presents one matrix operand per column, w[j], and one vector operand per row and
// head segment, x[i][seg]. The matrix operand and the step's control enter row 0 and move
// down ONE PE ROW PER CLOCK through the PEs' registers; the vector operands reach row i
// through a skew line of i registers, so PE(i, j) does step s at clock s + i. The MLEN wide
// dimension is a broadcast per row (that is what makes the array flat: its depth is BLEN,
// not MLEN, rows).
//
// Mapping of each instruction onto the steps (kk = s; banked instructions run HEADS passes of
// HLEN steps, bank = s / HLEN):
//   M_MM   ACC (i, j<BLEN)        x = V[i][s]             w[j] = M[s][col0 + j]
//   M_TMM  ACC (i, j<BLEN)        x = V[i][s]             w[j] = M[j][s]
//   M_BTMM ACC bank h (i, j)      x = V[i][s]             w[j] = M[j][s]   (s in head h)
//   M_BMM  ACC (i, j)             x[i][seg] = V[seg*BLEN + i][s]   w[j] = M[s][j]
//   M_MV   VACC (0, j)            x = V[0][s]             w[j] = M[s][j]
//   M_TMV  VACC (0, j)            x = V[0][s]             w[j] = M[j][s]
//   M_BTMV VACC bank h (0, j)     x = V[0][s]             w[j] = M[j][s]   (s in head h)
//   M_BMV  VACC (0, j)            x[0][seg] = V[seg][s]   w[j] = M[s][j]
// so each accumulator element gets its products one at a time in k order, as in sim/plena.
//
// Feeder. LOAD: the vector rows (up to HEADS*BLEN) come in through both Vector SRAM read
// ports, two rows per clock, into the vector operand buffer; the transposed instructions also
// load the matrix rows they read by column (BLEN or MLEN rows, one per clock) into the tile
// buffer. STREAM: one step per clock; the others read matrix row s straight from the Matrix
// SRAM port in the clock before the step enters the array. DRAIN: BLEN clocks for the last
// step to reach the bottom row.
//
// Write-out: one Vector SRAM row per clock, read out of the PEs' accumulators, rounded to BF16
// and written through the write port; the accumulator family is cleared afterwards.
//
// Timing. The unit starts in the core's EXEC clock and runs while the core holds issue for the
// latency class (latency + systolic_overhead). Its natural depth (load + MLEN steps + BLEN - 1
// skew + drain, 20 to 37 clocks for the small preset; write-outs one clock per row) is longer
// than the small preset's 16-cycle matmul latency and than short test latencies, so the core
// keeps the instruction's LAST architectural cycle open until `busy` drops (plena_core.sv,
// HOLD): the array finishes structurally, clock by clock, with the cycle counter stopped,
// rather than behaviourally in one clock. Architectural timing is the model's either way.
module plena_matrix_unit
  import plena_isa_pkg::*;
  import plena_fp_pkg::*;
#(
  parameter int MLEN = 16,
  parameter int BLEN = 4,
  parameter int VLEN = 16,
  parameter int HLEN = 8
) (
  input  logic clk,
  input  logic rst,
  input  logic start,
  input  logic [5:0] opcode,
  input  logic [63:0] vec_addr,  // Vector SRAM element address of the vector operand
  input  logic [63:0] mat_addr,  // Matrix SRAM element address (offset register included)
  input  logic [63:0] dst_addr,  // write-out destination
  output logic busy,
  output logic [1:0] acc_owner,  // 0 empty, 1 M_MM/M_TMM, 2 M_BMM, 3 M_BTMM
  output logic [1:0] vacc_owner, // 0 empty, 1 M_MV/M_TMV, 2 M_BMV, 3 M_BTMV
  // Vector SRAM read ports A and B and write port; Matrix SRAM read port.
  output logic v_re_a, v_re_b,
  output logic [31:0] v_rd_row_a, v_rd_row_b,
  input  logic [VLEN-1:0][15:0] v_rdata_a, v_rdata_b,
  output logic m_re,
  output logic [31:0] m_rd_row,
  input  logic [MLEN-1:0][15:0] m_rdata,
  output logic v_we,
  output logic [31:0] v_wr_row,
  output logic [VLEN-1:0] v_wr_en,
  output logic [VLEN-1:0][15:0] v_wdata
);
  localparam int HEADS = MLEN / HLEN;
  localparam int MAX_VROWS = HEADS * BLEN;

  typedef enum logic [2:0] {IDLE, LOAD, STREAM, DRAIN, WRITE, FINISH} state_t;
  state_t state;

  logic [5:0] op;
  logic [31:0] v_base_row, m_base_row, col0, d_base_row, d_lane0;
  logic [31:0] nv, nm, nw;          // vector rows, preloaded matrix rows, write-out rows
  logic [31:0] vreq, mreq, step, drain, wrow;
  logic v_cap, m_cap;
  logic [31:0] v_cap_row, m_cap_row;
  logic [1:0] wo_owner;

  // (Unpacked arrays throughout the datapath: Verilator then updates single elements instead
  // of copying whole wide vectors on every write.)
  logic [15:0] vbuf [MAX_VROWS][VLEN];  // vector operand buffer
  logic [15:0] mbuf [MLEN][MLEN];       // tile buffer of the transposed instructions

  // Step in the feeder's output register (the clock it enters PE row 0).
  logic f_valid;
  logic [31:0] f_step;

  function automatic logic transposed(input logic [5:0] o);
    return o == OP_M_TMM || o == OP_M_BTMM || o == OP_M_TMV || o == OP_M_BTMV;
  endfunction
  function automatic logic to_vacc(input logic [5:0] o);
    return o == OP_M_MV || o == OP_M_TMV || o == OP_M_BTMV || o == OP_M_BMV;
  endfunction
  function automatic logic banked(input logic [5:0] o);
    return o == OP_M_BTMM || o == OP_M_BTMV;
  endfunction
  function automatic logic is_write_out(input logic [5:0] o);
    return o == OP_M_MM_WO || o == OP_M_BMM_WO || o == OP_M_MV_WO || o == OP_M_BMV_WO;
  endfunction

  // ---- Feeder -> PE row 0 ----------------------------------------------------------------
  logic [15:0] feed_w [MLEN];
  logic feed_en [MLEN];
  logic [15:0] feed_x [BLEN][HEADS];
  logic [7:0] feed_bank;

  always_comb begin
    int s;
    s = int'(f_step);
    feed_bank = banked(op) ? 8'(s / HLEN) : 8'd0;
    for (int j = 0; j < MLEN; j++) begin
      feed_en[j] = (op == OP_M_MM || op == OP_M_TMM) ? j < BLEN : 1'b1;
      case (op)
        OP_M_MM:  feed_w[j] = j < BLEN ? m_rdata[(32'(j) + col0) % MLEN] : 16'h0;
        OP_M_TMM: feed_w[j] = j < BLEN ? mbuf[j][s] : 16'h0;
        OP_M_BTMM, OP_M_TMV, OP_M_BTMV: feed_w[j] = mbuf[j][s];
        default:  feed_w[j] = m_rdata[j];  // M_BMM, M_MV, M_BMV: matrix row s
      endcase
    end
    for (int i = 0; i < BLEN; i++)
      for (int g = 0; g < HEADS; g++)
        case (op)
          OP_M_BMM: feed_x[i][g] = vbuf[g * BLEN + i][s];
          OP_M_BMV: feed_x[i][g] = vbuf[g][s];
          OP_M_MV, OP_M_TMV, OP_M_BTMV: feed_x[i][g] = vbuf[0][s];
          default:  feed_x[i][g] = vbuf[i][s];
        endcase
  end

  // Skew lines: row i sees its vector operands i clocks after they left the feeder.
  logic [15:0] x_skew [BLEN][BLEN][HEADS];  // x_skew[i][d]: row i's operands delayed d clocks
  always_ff @(posedge clk)
    for (int i = 1; i < BLEN; i++)
      for (int g = 0; g < HEADS; g++)
        for (int d = 1; d <= i; d++) x_skew[i][d][g] <= d == 1 ? feed_x[i][g] : x_skew[i][d - 1][g];

  // ---- The array -----------------------------------------------------------------------
  logic pv [BLEN+1][MLEN];
  logic pen [BLEN+1][MLEN];
  logic pvacc [BLEN+1][MLEN];
  logic [7:0] pbank [BLEN+1][MLEN];
  logic [15:0] pw [BLEN+1][MLEN];
  logic [HEADS-1:0][31:0] pe_acc [BLEN][MLEN];
  logic [HEADS-1:0][31:0] pe_vacc [BLEN][MLEN];
  logic clear_acc, clear_vacc;

  for (genvar j = 0; j < MLEN; j++) begin : g_feed
    assign pv[0][j] = f_valid;
    assign pen[0][j] = feed_en[j];
    assign pvacc[0][j] = to_vacc(op);
    assign pbank[0][j] = feed_bank;
    assign pw[0][j] = feed_w[j];
  end

  for (genvar i = 0; i < BLEN; i++) begin : g_row
    for (genvar j = 0; j < MLEN; j++) begin : g_col
      plena_mx_pe #(.ROW(i), .HEADS(HEADS)) u_pe (
        .clk, .rst, .in_valid(pv[i][j]), .in_en(pen[i][j]), .in_vacc(pvacc[i][j]),
        .in_bank(pbank[i][j]), .in_w(pw[i][j]),
        .x(i == 0 ? feed_x[0][j / HLEN] : x_skew[i][i][j / HLEN]),
        .out_valid(pv[i + 1][j]), .out_en(pen[i + 1][j]), .out_vacc(pvacc[i + 1][j]),
        .out_bank(pbank[i + 1][j]), .out_w(pw[i + 1][j]), .clear_acc, .clear_vacc,
        .acc(pe_acc[i][j]), .vacc(pe_vacc[i][j]));
    end
  end

  // ---- SRAM ports --------------------------------------------------------------------------
  always_comb begin
    v_re_a = state == LOAD && vreq < nv;
    v_re_b = state == LOAD && vreq + 1 < nv;
    v_rd_row_a = v_base_row + vreq;
    v_rd_row_b = v_base_row + vreq + 1;
    m_re = (state == LOAD && mreq < nm) || (state == STREAM && !transposed(op));
    m_rd_row = m_base_row + (state == LOAD ? mreq : step);
  end

  // Write-out path: row `wrow` of the destination from the PEs' accumulators.
  always_comb begin
    v_we = state == WRITE;
    v_wr_row = d_base_row + wrow;
    v_wr_en = '0;
    v_wdata = '0;
    for (int l = 0; l < VLEN; l++) begin
      logic [31:0] a;
      case (op)
        OP_M_MM_WO: a = l >= d_lane0 && l < d_lane0 + BLEN ? pe_acc[wrow][l - d_lane0][0] : 32'h0;
        OP_M_BMM_WO: a = wo_owner == 2'd3 ? pe_acc[wrow % BLEN][l][wrow / BLEN]
                                          : pe_acc[wrow][l][0];
        OP_M_MV_WO: a = pe_vacc[0][l][0];
        default: a = wo_owner == 2'd3 ? pe_vacc[0][l][wrow] : pe_vacc[0][l][0];  // M_BMV_WO
      endcase
      v_wdata[l] = f32_to_bf16(a);
      v_wr_en[l] = state == WRITE && (op != OP_M_MM_WO || (l >= d_lane0 && l < d_lane0 + BLEN));
    end
  end

  assign busy = state != IDLE;
  assign clear_acc = state == FINISH && (op == OP_M_MM_WO || op == OP_M_BMM_WO);
  assign clear_vacc = state == FINISH && (op == OP_M_MV_WO || op == OP_M_BMV_WO);

  always_ff @(posedge clk) begin
    if (rst) begin
      state <= IDLE;
      acc_owner <= 2'd0;
      vacc_owner <= 2'd0;
      f_valid <= 1'b0;
      v_cap <= 1'b0;
      m_cap <= 1'b0;
    end else begin
      // Captures of the rows requested in the previous clock (registered SRAM reads).
      v_cap <= v_re_a;
      v_cap_row <= vreq;
      m_cap <= state == LOAD && mreq < nm;
      m_cap_row <= mreq;
      if (v_cap)
        for (int l = 0; l < VLEN; l++) begin
          vbuf[v_cap_row][l] <= v_rdata_a[l];
          if (v_cap_row + 1 < nv) vbuf[v_cap_row + 1][l] <= v_rdata_b[l];
        end
      if (m_cap)
        for (int l = 0; l < MLEN; l++) mbuf[m_cap_row][l] <= m_rdata[l];
      f_valid <= 1'b0;
      case (state)
        IDLE:
          if (start) begin
            op <= opcode;
            v_base_row <= 32'(vec_addr / VLEN);
            m_base_row <= 32'(mat_addr / MLEN);
            col0 <= 32'(mat_addr % MLEN);
            d_base_row <= 32'(dst_addr / VLEN);
            d_lane0 <= 32'(dst_addr % VLEN);
            vreq <= 0;
            mreq <= 0;
            step <= 0;
            wrow <= 0;
            nv <= opcode == OP_M_BMM ? HEADS * BLEN :
                  opcode == OP_M_BMV ? HEADS :
                  (opcode == OP_M_MV || opcode == OP_M_TMV || opcode == OP_M_BTMV) ? 1 : BLEN;
            nm <= opcode == OP_M_TMM ? BLEN : transposed(opcode) ? MLEN : 0;
            nw <= opcode == OP_M_MM_WO ? BLEN :
                  opcode == OP_M_BMM_WO ? (acc_owner == 2'd3 ? HEADS * BLEN : BLEN) :
                  opcode == OP_M_BMV_WO ? (vacc_owner == 2'd3 ? HEADS : 1) : 1;
            wo_owner <= opcode == OP_M_BMM_WO ? acc_owner : vacc_owner;
            // Which accumulator family the instruction claims (the core checked the rule).
            case (opcode)
              OP_M_MM, OP_M_TMM: acc_owner <= 2'd1;
              OP_M_BMM:          acc_owner <= 2'd2;
              OP_M_BTMM:         acc_owner <= 2'd3;
              OP_M_MV, OP_M_TMV: vacc_owner <= 2'd1;
              OP_M_BMV:          vacc_owner <= 2'd2;
              OP_M_BTMV:         vacc_owner <= 2'd3;
              default: ;
            endcase
            state <= is_write_out(opcode) ? WRITE : LOAD;
          end
        LOAD: begin
          if (vreq < nv) vreq <= vreq + 2;
          if (mreq < nm) mreq <= mreq + 1;
          // Everything requested and the last captures land at this edge.
          if (vreq >= nv && mreq >= nm) state <= STREAM;
        end
        STREAM: begin
          f_valid <= 1'b1;
          f_step <= step;
          if (step + 1 == MLEN) begin
            drain <= 0;
            state <= DRAIN;
          end else step <= step + 1;
        end
        DRAIN:
          if (drain == BLEN) state <= IDLE;
          else drain <= drain + 1;
        WRITE:
          if (wrow + 1 == nw) state <= FINISH;
          else wrow <= wrow + 1;
        FINISH: begin
          // Owners leave everything outside their region zero, so clearing the whole family
          // equals clearing what was written (the PEs clear on clear_acc / clear_vacc).
          if (op == OP_M_MM_WO || op == OP_M_BMM_WO) acc_owner <= 2'd0;
          else vacc_owner <= 2'd0;
          state <= IDLE;
        end
        default: state <= IDLE;
      endcase
    end
  end
endmodule
