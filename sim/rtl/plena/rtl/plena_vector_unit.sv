// Vector unit: VLEN lanes, each a small registered pipeline, and an ordered reduction chain.
//
//   F  (the core's EXEC clock): the operand rows' addresses go to the Vector SRAM's two read
//      ports; the SRAM registers V[rs1] and V[rs2] at the edge.
//   C  each lane computes on its element (operand network in front of the lanes: the mask's
//      lane enables and V_SHFT_V's crossbar) into its result register.
//   W  the result row goes to the Vector SRAM write port with per-lane enables.
//
// Reductions (V_RED_SUM, V_RED_MAX) fold the row into an FP32 running value over RED_STAGES
// registered stages of VLEN / RED_STAGES lanes each, starting from f[rd], and round it to BF16
// once. This is a chain in lane order, not a tree: sim/plena adds lane 0, 1, 2, ... to a
// running FP32 sum, and any other association would round differently (and V_RED_MAX would
// keep a different zero's sign on ties), so the registered stages keep that order.
//
// Everything runs while the core holds issue for the instruction's latency; `busy` tells the
// core when the unit's last stage is done.
module plena_vector_unit
  import plena_isa_pkg::*;
  import plena_fp_pkg::*;
#(
  parameter int VLEN = 16,
  parameter int HLEN = 8,
  parameter int RED_STAGES = 4
) (
  input  logic clk,
  input  logic rst,
  input  logic start,             // the core's EXEC clock (stage F)
  input  logic [5:0] opcode,
  input  logic masked,            // rmask operand
  input  logic reverse,           // rorder of V_SUB_VF
  input  logic [31:0] vmask,      // V_MASK: bit h enables lanes [h*HLEN, (h+1)*HLEN)
  input  logic [15:0] f_operand,  // f[rs2]
  input  logic [15:0] f_acc,      // f[rd], the reductions' starting value
  input  logic [31:0] shift,      // gp[rs2] of V_SHFT_V, as a signed count
  input  logic [31:0] a_row, b_row, d_row,  // Vector SRAM rows of rs1, rs2, rd
  // Vector SRAM: read ports A and B, write port.
  output logic re_a, re_b,
  output logic [31:0] rd_row_a, rd_row_b,
  input  logic [VLEN-1:0][15:0] rdata_a, rdata_b,
  output logic we,
  output logic [31:0] wr_row,
  output logic [VLEN-1:0] wr_en,
  output logic [VLEN-1:0][15:0] wdata,
  // Reduction result for f[rd], valid for one clock.
  output logic red_valid,
  output logic [15:0] red_value,
  output logic busy
);
  localparam int LPS = VLEN / RED_STAGES;  // lanes folded per reduction stage

  logic [5:0] op;
  logic rev, msk;
  logic [31:0] vm, dst;
  logic [15:0] fop;
  longint sh;
  logic c_valid, w_valid;          // stage C / W occupied
  logic red_active;
  int red_stage;
  logic [31:0] red_acc;
  logic [VLEN-1:0][15:0] red_row;

  logic [VLEN-1:0][15:0] lane_a, lane_res;
  logic [VLEN-1:0] lane_en, lane_en_out;

  function automatic logic is_reduction(input logic [5:0] o);
    return o == OP_V_RED_SUM || o == OP_V_RED_MAX;
  endfunction

  // Stage F: the read ports.
  assign re_a = start;
  assign re_b = start;
  assign rd_row_a = a_row;
  assign rd_row_b = b_row;

  // Operand network of stage C: V_SHFT_V's crossbar and the mask's lane enables.
  always_comb begin
    for (int i = 0; i < VLEN; i++) begin
      longint from;
      from = longint'(i) + sh;
      lane_a[i] = op == OP_V_SHFT_V ? ((from >= 0 && from < VLEN) ? rdata_a[from[31:0]] : 16'h0)
                                    : rdata_a[i];
      lane_en[i] = op == OP_V_SHFT_V || !msk || vm[i / HLEN];
    end
  end

  for (genvar i = 0; i < VLEN; i++) begin : g_lane
    plena_vector_lane u_lane (
      .clk, .valid(c_valid && !is_reduction(op)), .opcode(op), .reverse(rev), .a(lane_a[i]),
      .b(rdata_b[i]), .f(fop), .en_in(lane_en[i]), .result(lane_res[i]),
      .en_out(lane_en_out[i]));
  end

  // Stage W: the write port.
  assign we = w_valid;
  assign wr_row = dst;
  assign wr_en = w_valid ? lane_en_out : '0;
  assign wdata = lane_res;

  assign busy = c_valid || w_valid || red_active || red_valid;

  always_ff @(posedge clk) begin
    red_valid <= 1'b0;
    if (rst) begin
      c_valid <= 1'b0;
      w_valid <= 1'b0;
      red_active <= 1'b0;
    end else begin
      c_valid <= start;
      w_valid <= c_valid && !is_reduction(op);
      if (start) begin
        op <= opcode;
        rev <= reverse;
        msk <= masked;
        vm <= vmask;
        fop <= f_operand;
        sh <= longint'(signed'(shift));
        dst <= d_row;
        red_acc <= bf16_to_f32(f_acc);
      end
      if (c_valid && is_reduction(op)) begin
        red_row <= rdata_a;
        red_stage <= 0;
        red_active <= 1'b1;
      end
      if (red_active) begin
        logic [31:0] acc;
        acc = red_acc;
        for (int l = 0; l < LPS; l++) begin
          int i;
          i = red_stage * LPS + l;
          if (op == OP_V_RED_SUM) acc = f32_add(acc, bf16_to_f32(red_row[i]));  // all lanes
          else if (!msk || vm[i / HLEN]) acc = f32_max(acc, bf16_to_f32(red_row[i]));
        end
        red_acc <= acc;
        red_stage <= red_stage + 1;
        if (red_stage == RED_STAGES - 1) begin
          red_active <= 1'b0;
          red_valid <= 1'b1;
          red_value <= f32_to_bf16(acc);
        end
      end
    end
  end
endmodule
