// Vector unit: VLEN lanes of FP32 arithmetic on BF16 operands (each lane rounds to BF16 once),
// the two reductions into an f-register, and the lane shift. It computes in the clock `start`
// is high and presents the result row (with lane write enables) or the reduction from the
// next clock on; the core writes them back.
module plena_vector_unit
  import plena_isa_pkg::*;
  import plena_fp_pkg::*;
#(
  parameter int VLEN = 16,
  parameter int HLEN = 8
) (
  input  logic clk,
  input  logic start,
  input  logic [5:0] opcode,
  input  logic masked,        // rmask operand
  input  logic reverse,       // rorder of V_SUB_VF: f - V
  input  logic [31:0] vmask,  // V_MASK: bit h enables lanes [h*HLEN, (h+1)*HLEN)
  input  logic [15:0] f_operand,  // f[rs2]
  input  logic [15:0] f_acc,      // f[rd], the reductions' starting value
  input  logic [31:0] shift,      // gp[rs2] of V_SHFT_V, as a signed count
  input  logic [VLEN-1:0][15:0] row_a,  // V[rs1]
  input  logic [VLEN-1:0][15:0] row_b,  // V[rs2]
  output logic [VLEN-1:0][15:0] result,
  output logic [VLEN-1:0] result_en,
  output logic [15:0] reduction
);
  function automatic logic lane_on(input int i, input logic m, input logic [31:0] vm);
    return !m || vm[i / HLEN];
  endfunction

  function automatic logic [31:0] lane_op(input logic [5:0] op, input logic rev,
                                          input logic [31:0] a, input logic [31:0] b,
                                          input logic [31:0] f);
    case (op)
      OP_V_ADD_VV: return f32_add(a, b);
      OP_V_SUB_VV: return f32_sub(b, a);  // as specified: the second operand minus the first
      OP_V_MUL_VV: return f32_mul(a, b);
      OP_V_ADD_VF: return f32_add(a, f);
      OP_V_SUB_VF: return rev ? f32_sub(f, a) : f32_sub(a, f);
      OP_V_MUL_VF: return f32_mul(a, f);
      OP_V_MAX_VF: return f32_max(a, f);
      OP_V_MIN_VF: return f32_min(a, f);
      OP_V_EXP_V:  return f32_exp(a);
      OP_V_RECI_V: return f32_recip(a);
      default:     return a;
    endcase
  endfunction

  always_ff @(posedge clk) begin
    if (start) begin
      logic [31:0] acc;
      longint s, from;
      acc = bf16_to_f32(f_acc);
      s = longint'(signed'(shift));
      for (int i = 0; i < VLEN; i++) begin
        result[i] <= row_a[i];
        result_en[i] <= 1'b0;
        case (opcode)
          OP_V_RED_SUM: acc = f32_add(acc, bf16_to_f32(row_a[i]));  // lane order, all lanes
          OP_V_RED_MAX: if (lane_on(i, masked, vmask)) acc = f32_max(acc, bf16_to_f32(row_a[i]));
          OP_V_SHFT_V: begin
            from = longint'(i) + s;
            result[i] <= (from >= 0 && from < VLEN) ? row_a[from[31:0]] : 16'h0;
            result_en[i] <= 1'b1;
          end
          default: begin
            result[i] <= f32_to_bf16(lane_op(opcode, reverse, bf16_to_f32(row_a[i]),
                                             bf16_to_f32(row_b[i]), bf16_to_f32(f_operand)));
            result_en[i] <= lane_on(i, masked, vmask);
          end
        endcase
      end
      reduction <= f32_to_bf16(acc);
    end
  end
endmodule
