// Matrix unit: the systolic array's two FP32 accumulators (block ACC/BACC and row
// VACC/BVACC), their ownership rules, and the write-outs to Vector SRAM.
//
// An accumulating instruction first gathers its operand rows through one Vector SRAM and one
// Matrix SRAM row port (one row per clock), then updates the accumulators in one step. Every
// accumulator element receives its products one at a time in k order, each product and each
// sum rounded to FP32, which is the order sim/plena uses. These gather clocks are internal:
// the core's architectural cycle counter does not advance while a unit works (see
// plena_core.sv), the instruction's cost is its latency class.
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
  output logic done,             // one clock after the instruction's last effect
  output logic [1:0] acc_owner,  // 0 empty, 1 M_MM/M_TMM, 2 M_BMM, 3 M_BTMM
  output logic [1:0] vacc_owner, // 0 empty, 1 M_MV/M_TMV, 2 M_BMV, 3 M_BTMV
  // Vector SRAM read port and write port, Matrix SRAM read port.
  output logic [31:0] v_rd_row,
  input  logic [VLEN-1:0][15:0] v_rdata,
  output logic [31:0] m_rd_row,
  input  logic [MLEN-1:0][15:0] m_rdata,
  output logic v_we,
  output logic [31:0] v_wr_row,
  output logic [VLEN-1:0] v_wr_en,
  output logic [VLEN-1:0][15:0] v_wdata
);
  localparam int HEADS = MLEN / HLEN;
  localparam int ACC_N = HEADS * BLEN * MLEN > BLEN * BLEN ? HEADS * BLEN * MLEN : BLEN * BLEN;
  localparam int VACC_N = HEADS * MLEN;
  localparam int MAX_VROWS = HEADS * BLEN;

  typedef enum logic [2:0] {IDLE, GATHER_V, GATHER_M, COMPUTE, WRITE, FINISH} state_t;
  state_t state;

  logic [31:0] acc [ACC_N];
  logic [31:0] vacc [VACC_N];
  logic [MAX_VROWS-1:0][VLEN-1:0][15:0] vbuf;
  logic [MLEN-1:0][MLEN-1:0][15:0] mbuf;
  logic [5:0] op;
  logic [31:0] row, nrows_v, nrows_m, nrows_w;
  logic [31:0] v_base_row, m_base_row, col0, d_base_row, d_lane0;

  function automatic logic [31:0] mac(input logic [31:0] a, input logic [15:0] x,
                                      input logic [15:0] y);
    return f32_add(a, f32_mul(bf16_to_f32(x), bf16_to_f32(y)));
  endfunction

  function automatic logic is_write_out(input logic [5:0] o);
    return o == OP_M_MM_WO || o == OP_M_BMM_WO || o == OP_M_MV_WO || o == OP_M_BMV_WO;
  endfunction

  assign busy = state != IDLE;
  assign v_rd_row = v_base_row + row;
  assign m_rd_row = m_base_row + row;

  // Write-out row `row`: which Vector SRAM row, which lanes, what values.
  always_comb begin
    v_we = state == WRITE;
    v_wr_en = '0;
    v_wdata = '0;
    v_wr_row = d_base_row + row;
    case (op)
      OP_M_MM_WO:
        for (int j = 0; j < BLEN; j++) begin
          v_wr_en[d_lane0 + j] = 1'b1;
          v_wdata[d_lane0 + j] = f32_to_bf16(acc[row * BLEN + j]);
        end
      OP_M_BMM_WO:
        for (int l = 0; l < VLEN; l++) begin
          v_wr_en[l] = 1'b1;
          v_wdata[l] = f32_to_bf16(acc[row * MLEN + l]);
        end
      default:
        for (int l = 0; l < VLEN; l++) begin
          v_wr_en[l] = 1'b1;
          v_wdata[l] = f32_to_bf16(vacc[row * MLEN + l]);
        end
    endcase
    if (state != WRITE) v_wr_en = '0;
  end

  task automatic accumulate();
    case (op)
      OP_M_MM:
        for (int i = 0; i < BLEN; i++)
          for (int j = 0; j < BLEN; j++)
            for (int k = 0; k < MLEN; k++)
              acc[i * BLEN + j] = mac(acc[i * BLEN + j], vbuf[i][k], mbuf[k][col0 + j]);
      OP_M_TMM:
        for (int i = 0; i < BLEN; i++)
          for (int j = 0; j < BLEN; j++)
            for (int k = 0; k < MLEN; k++)
              acc[i * BLEN + j] = mac(acc[i * BLEN + j], vbuf[i][k], mbuf[j][k]);
      OP_M_BTMM:
        for (int h = 0; h < HEADS; h++)
          for (int i = 0; i < BLEN; i++)
            for (int j = 0; j < MLEN; j++)
              for (int k = 0; k < HLEN; k++)
                acc[(h * BLEN + i) * MLEN + j] = mac(acc[(h * BLEN + i) * MLEN + j],
                                                     vbuf[i][h * HLEN + k], mbuf[j][h * HLEN + k]);
      OP_M_BMM:
        for (int h = 0; h < HEADS; h++)
          for (int i = 0; i < BLEN; i++)
            for (int j = 0; j < HLEN; j++)
              for (int k = 0; k < MLEN; k++)
                acc[i * MLEN + h * HLEN + j] = mac(acc[i * MLEN + h * HLEN + j],
                                                   vbuf[h * BLEN + i][k], mbuf[k][h * HLEN + j]);
      OP_M_MV:
        for (int j = 0; j < MLEN; j++)
          for (int k = 0; k < MLEN; k++) vacc[j] = mac(vacc[j], vbuf[0][k], mbuf[k][j]);
      OP_M_TMV:
        for (int j = 0; j < MLEN; j++)
          for (int k = 0; k < MLEN; k++) vacc[j] = mac(vacc[j], vbuf[0][k], mbuf[j][k]);
      OP_M_BTMV:
        for (int h = 0; h < HEADS; h++)
          for (int j = 0; j < MLEN; j++)
            for (int k = 0; k < HLEN; k++)
              vacc[h * MLEN + j] = mac(vacc[h * MLEN + j], vbuf[0][h * HLEN + k],
                                       mbuf[j][h * HLEN + k]);
      OP_M_BMV:
        for (int h = 0; h < HEADS; h++)
          for (int j = 0; j < HLEN; j++)
            for (int k = 0; k < MLEN; k++)
              vacc[h * HLEN + j] = mac(vacc[h * HLEN + j], vbuf[h][k], mbuf[k][h * HLEN + j]);
      default: ;
    endcase
  endtask

  // Which accumulator family an instruction claims (the core has already checked the rule).
  task automatic claim();
    case (op)
      OP_M_MM, OP_M_TMM: acc_owner <= 2'd1;
      OP_M_BMM:          acc_owner <= 2'd2;
      OP_M_BTMM:         acc_owner <= 2'd3;
      OP_M_MV, OP_M_TMV: vacc_owner <= 2'd1;
      OP_M_BMV:          vacc_owner <= 2'd2;
      OP_M_BTMV:         vacc_owner <= 2'd3;
      default: ;
    endcase
  endtask

  always_ff @(posedge clk) begin
    done <= 1'b0;
    if (rst) begin
      state <= IDLE;
      acc_owner <= 2'd0;
      vacc_owner <= 2'd0;
      for (int i = 0; i < ACC_N; i++) acc[i] = 32'h0;
      for (int i = 0; i < VACC_N; i++) vacc[i] = 32'h0;
    end else begin
      case (state)
        IDLE:
          if (start) begin
            op <= opcode;
            row <= 0;
            v_base_row <= 32'(vec_addr / VLEN);
            m_base_row <= 32'(mat_addr / MLEN);
            col0 <= 32'(mat_addr % MLEN);
            d_base_row <= 32'(dst_addr / VLEN);
            d_lane0 <= 32'(dst_addr % VLEN);
            nrows_v <= opcode == OP_M_BMM ? HEADS * BLEN :
                       opcode == OP_M_BMV ? HEADS :
                       (opcode == OP_M_MV || opcode == OP_M_TMV || opcode == OP_M_BTMV) ? 1 : BLEN;
            nrows_m <= opcode == OP_M_TMM ? BLEN : MLEN;
            nrows_w <= opcode == OP_M_MM_WO ? BLEN :
                       opcode == OP_M_BMM_WO ? (acc_owner == 2'd3 ? HEADS * BLEN : BLEN) :
                       opcode == OP_M_BMV_WO ? (vacc_owner == 2'd3 ? HEADS : 1) : 1;
            state <= is_write_out(opcode) ? WRITE : GATHER_V;
          end
        GATHER_V: begin
          vbuf[row] <= v_rdata;
          if (row + 1 == nrows_v) begin
            row <= 0;
            state <= GATHER_M;
          end else row <= row + 1;
        end
        GATHER_M: begin
          mbuf[row] <= m_rdata;
          if (row + 1 == nrows_m) state <= COMPUTE;
          else row <= row + 1;
        end
        COMPUTE: begin
          accumulate();
          claim();
          state <= FINISH;
        end
        WRITE:
          if (row + 1 == nrows_w) state <= FINISH;
          else row <= row + 1;
        FINISH: begin
          // Owners always leave everything outside their region zero, so clearing the
          // whole accumulator equals clearing what was written. Cleared here, after the last
          // row was written, so the write port never sees a half-cleared accumulator.
          if (op == OP_M_MM_WO || op == OP_M_BMM_WO) begin
            for (int i = 0; i < ACC_N; i++) acc[i] = 32'h0;
            acc_owner <= 2'd0;
          end else if (is_write_out(op)) begin
            for (int i = 0; i < VACC_N; i++) vacc[i] = 32'h0;
            vacc_owner <= 2'd0;
          end
          done <= 1'b1;
          state <= IDLE;
        end
        default: state <= IDLE;
      endcase
    end
  end
endmodule
