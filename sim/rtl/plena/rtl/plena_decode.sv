// Instruction decode: field extraction and the operand checks sim/plena makes when it
// resolves a program (register indices, flags, placeholders, immediate ranges). A failing
// check does not stop decode; it marks the instruction so that reaching it traps, exactly
// like a hardware decode fault raised at issue.
module plena_decode
  import plena_isa_pkg::*;
(
  input  logic [31:0] word,
  // Loader predecode tag for words that could not carry the program's field values
  // (0: none, 1: illegal_instruction, 2: bad_register); see rtl_simulator.cpp.
  input  logic [1:0]  tag,
  output decoded_t    dec
);
  function automatic logic [31:0] field_bits(input logic [31:0] w, input logic [2:0] f);
    case (f)
      F_RD:     return {28'h0, w[9:6]};
      F_RS1:    return {28'h0, w[13:10]};
      F_RS2:    return {28'h0, w[17:14]};
      F_RS3:    return {28'h0, w[21:18]};
      F_FUNCT1: return {28'h0, w[25:22]};
      F_IMM18:  return {14'h0, w[31:14]};
      F_IMM22:  return {10'h0, w[31:10]};
      default:  return 32'h0;
    endcase
  endfunction

  function automatic logic [31:0] field_mask(input logic [2:0] f);
    case (f)
      F_RD:     return 32'h0000_03C0;
      F_RS1:    return 32'h0000_3C00;
      F_RS2:    return 32'h0003_C000;
      F_RS3:    return 32'h003C_0000;
      F_FUNCT1: return 32'h03C0_0000;
      F_IMM18:  return 32'hFFFF_C000;
      F_IMM22:  return 32'hFFFF_FC00;
      default:  return 32'h0;
    endcase
  endfunction

  // The largest value an operand kind allows (all minimums are 0 for raw fields).
  function automatic logic [31:0] kind_max(input logic [3:0] k);
    case (k)
      K_GP, K_GP_OR_ZERO: return 32'd15;
      K_FP, K_ADDR:       return 32'd7;
      K_FLAG:             return 32'd1;
      K_ZERO:             return 32'd0;
      K_IMM_U20:          return 32'hF_FFFF;
      default:            return 32'hFFFF_FFFF;  // field width is the only limit
    endcase
  endfunction

  function automatic logic is_register_kind(input logic [3:0] k);
    return k == K_GP || k == K_GP_OR_ZERO || k == K_FP || k == K_ADDR;
  endfunction

  always_comb begin
    op_info_t info;
    logic [31:0] used;
    logic found;
    info = op_info(word[5:0]);
    dec = '0;
    dec.opcode = word[5:0];
    dec.rd = word[9:6];
    dec.rs1 = word[13:10];
    dec.rs2 = word[17:14];
    dec.rs3 = word[21:18];
    dec.funct1 = word[25:22];
    dec.unit = info.unit;
    dec.lat_class = info.lat_class;
    used = 32'h3F;
    found = 1'b0;
    for (int i = 0; i < 5; i++) begin
      if (info.kind[i] == K_NONE) continue;
      used = used | field_mask(info.field[i]);
      if (info.field[i] == F_IMM18)
        dec.imm = info.kind[i] == K_IMM_S18 ? {{14{word[31]}}, word[31:14]} : {14'h0, word[31:14]};
      if (info.field[i] == F_IMM22) dec.imm = {10'h0, word[31:10]};
    end
    if (tag != 2'd0) begin
      dec.fault = 1'b1;
      dec.fault_kind = tag == 2'd2 ? T_BAD_REGISTER : T_ILLEGAL;
    end else if (!info.valid || (word & ~used) != 0) begin
      dec.fault = 1'b1;
      dec.fault_kind = T_ILLEGAL;
    end else begin
      for (int i = 0; i < 5; i++) begin
        if (found || info.kind[i] == K_NONE || info.field[i] == F_NONE) continue;
        if (info.kind[i] != K_IMM_S18 && field_bits(word, info.field[i]) > kind_max(info.kind[i])) begin
          found = 1'b1;
          dec.fault = 1'b1;
          dec.fault_kind = is_register_kind(info.kind[i]) ? T_BAD_REGISTER : T_ILLEGAL;
        end
      end
    end
  end
endmodule
