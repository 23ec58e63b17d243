// Scalar unit: 32-bit integer arithmetic (wrapping) and BF16 arithmetic done in FP32 and
// rounded once to BF16. Computes in the clock `start` is high; results are valid after it.
// Scalar loads/stores and S_MAP_V_FP only move data, so the core does them.
module plena_scalar_unit
  import plena_isa_pkg::*;
  import plena_fp_pkg::*;
(
  input  logic clk,
  input  logic start,
  input  logic [5:0] opcode,
  input  logic [31:0] gp_a,   // gp[rs1]
  input  logic [31:0] gp_b,   // gp[rs2]
  input  logic [31:0] imm,
  input  logic [15:0] f_a,    // f[rs1]
  input  logic [15:0] f_b,    // f[rs2]
  output logic [31:0] int_result,
  output logic [15:0] fp_result
);
  function automatic logic [31:0] fp_op(input logic [5:0] op, input logic [31:0] a,
                                        input logic [31:0] b);
    case (op)
      OP_S_ADD_FP:  return f32_add(a, b);
      OP_S_SUB_FP:  return f32_sub(a, b);
      OP_S_MUL_FP:  return f32_mul(a, b);
      OP_S_MAX_FP:  return f32_max(a, b);
      OP_S_EXP_FP:  return f32_exp(a);
      OP_S_RECI_FP: return f32_recip(a);
      OP_S_SQRT_FP: return f32_sqrt(a);
      default:      return a;
    endcase
  endfunction

  function automatic logic [31:0] int_op(input logic [5:0] op, input logic [31:0] a,
                                         input logic [31:0] b, input logic [31:0] i);
    case (op)
      OP_S_ADD_INT:  return a + b;
      OP_S_SUB_INT:  return a - b;
      OP_S_MUL_INT:  return a * b;  // low 32 bits
      OP_S_ADDI_INT: return a + i;  // imm arrives sign-extended
      OP_S_LUI_INT:  return i << 12;
      default:       return a;
    endcase
  endfunction

  always_ff @(posedge clk) begin
    if (start) begin
      int_result <= int_op(opcode, gp_a, gp_b, imm);
      fp_result <= f32_to_bf16(fp_op(opcode, bf16_to_f32(f_a), bf16_to_f32(f_b)));
    end
  end
endmodule
