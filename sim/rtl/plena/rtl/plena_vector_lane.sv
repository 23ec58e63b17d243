// One lane of the vector unit: FP32 arithmetic on BF16 operands, rounded to BF16 once, in a
// registered compute stage. Lanes only ever see their own operands (the shift's crossbar and
// the mask are in the unit's operand network).
module plena_vector_lane
  import plena_isa_pkg::*;
  import plena_fp_pkg::*;
(
  input  logic clk,
  input  logic valid,          // operands present this clock
  input  logic [5:0] opcode,
  input  logic reverse,        // rorder of V_SUB_VF: f - V
  input  logic [15:0] a,       // V[rs1][lane], or the shifted element for V_SHFT_V
  input  logic [15:0] b,       // V[rs2][lane]
  input  logic [15:0] f,       // f[rs2]
  input  logic en_in,          // lane enabled (mask)
  output logic [15:0] result,  // registered
  output logic en_out
);
  function automatic logic [31:0] lane_op(input logic [5:0] op, input logic rev,
                                          input logic [31:0] x, input logic [31:0] y,
                                          input logic [31:0] s);
    case (op)
      OP_V_ADD_VV: return f32_add(x, y);
      OP_V_SUB_VV: return f32_sub(y, x);  // as specified: the second operand minus the first
      OP_V_MUL_VV: return f32_mul(x, y);
      OP_V_ADD_VF: return f32_add(x, s);
      OP_V_SUB_VF: return rev ? f32_sub(s, x) : f32_sub(x, s);
      OP_V_MUL_VF: return f32_mul(x, s);
      OP_V_MAX_VF: return f32_max(x, s);
      OP_V_MIN_VF: return f32_min(x, s);
      OP_V_EXP_V:  return f32_exp(x);
      OP_V_RECI_V: return f32_recip(x);
      default:     return x;
    endcase
  endfunction

  always_ff @(posedge clk) begin
    if (valid) begin
      en_out <= en_in;
      if (opcode == OP_V_SHFT_V) result <= a;
      else if (en_in)
        result <= f32_to_bf16(lane_op(opcode, reverse, bf16_to_f32(a), bf16_to_f32(b),
                                      bf16_to_f32(f)));
    end
  end
endmodule
