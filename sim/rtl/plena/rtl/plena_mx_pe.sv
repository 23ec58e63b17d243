// One processing element of the systolic array: an output-stationary FP32 MAC. It holds its
// own accumulator registers (HEADS banks for the block/batched accumulator ACC and, used in
// PE row 0 only, HEADS banks for the row accumulator VACC), takes the matrix operand and the
// step's control from the PE above and passes them, registered, to the PE below one clock
// later. The vector operand arrives on its row's (skewed) broadcast.
//
// Each valid step adds ONE product to one accumulator: acc = fp32(acc + fp32(x * w)). A PE
// sees its steps in k order, so every accumulator receives its products in k order with each
// product and each sum rounded to FP32, which is sim/plena's order.
module plena_mx_pe
  import plena_fp_pkg::*;
#(
  parameter int ROW = 0,
  parameter int HEADS = 2
) (
  input  logic clk,
  input  logic rst,
  // From the PE above (row 0: from the feeder).
  input  logic in_valid,
  input  logic in_en,          // this column takes part in the step
  input  logic in_vacc,        // 1: VACC, 0: ACC
  input  logic [7:0] in_bank,  // accumulator bank (head)
  input  logic [15:0] in_w,    // matrix operand (BF16)
  input  logic [15:0] x,       // vector operand of this PE's row and head segment (BF16)
  // To the PE below.
  output logic out_valid,
  output logic out_en,
  output logic out_vacc,
  output logic [7:0] out_bank,
  output logic [15:0] out_w,
  // Accumulators, read by the write-out path; cleared after a write-out.
  input  logic clear_acc,
  input  logic clear_vacc,
  output logic [HEADS-1:0][31:0] acc,
  output logic [HEADS-1:0][31:0] vacc
);
  always_ff @(posedge clk) begin
    out_valid <= in_valid;
    out_en <= in_en;
    out_vacc <= in_vacc;
    out_bank <= in_bank;
    out_w <= in_w;
    if (rst || clear_acc) acc <= '0;
    if (rst || clear_vacc) vacc <= '0;
    if (!rst && in_valid && in_en) begin
      if (!in_vacc)
        acc[in_bank] <= f32_add(acc[in_bank], f32_mul(bf16_to_f32(x), bf16_to_f32(in_w)));
      else if (ROW == 0)
        vacc[in_bank] <= f32_add(vacc[in_bank], f32_mul(bf16_to_f32(x), bf16_to_f32(in_w)));
    end
  end
endmodule
