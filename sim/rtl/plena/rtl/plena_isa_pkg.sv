// The PLENA instruction set as the hardware sees it: opcodes, operand shapes, trap codes.
// Numbering follows sim/plena (isa.h, simulator.h) so the wrapper can map codes 1:1.
package plena_isa_pkg;

  // Operand kinds and encoding fields, numbered like plena::OperandKind / plena::Field.
  localparam logic [3:0] K_NONE = 0, K_GP = 1, K_GP_OR_ZERO = 2, K_FP = 3, K_ADDR = 4, K_ZERO = 5,
                         K_FLAG = 6, K_IMM_U18 = 7, K_IMM_S18 = 8, K_IMM_U20 = 9, K_IMM_U22 = 10;
  localparam logic [2:0] F_NONE = 0, F_RD = 1, F_RS1 = 2, F_RS2 = 3, F_RS3 = 4, F_FUNCT1 = 5,
                         F_IMM18 = 6, F_IMM22 = 7;

  // Units (plena::Unit) and latency classes (plena::LatencyClass).
  localparam int NUM_UNITS = 5;
  localparam logic [2:0] U_MATRIX = 0, U_VECTOR = 1, U_SCALAR = 2, U_MEMORY = 3, U_CONTROL = 4;
  localparam int NUM_LAT_CLASSES = 18;
  localparam logic [4:0] LC_MATMUL = 0;

  // Trap kinds (plena::TrapKind) and memories (plena::Memory).
  localparam logic [3:0] T_ADDRESS_OUT_OF_RANGE = 0, T_MISALIGNED = 1, T_BAD_REGISTER = 2,
                         T_UNINIT_ADDR_REG = 3, T_LOOP_STRUCTURE = 4, T_ACC_MISUSE = 5,
                         T_ILLEGAL = 6, T_INSTRUCTION_LIMIT = 7, T_CYCLE_LIMIT = 8,
                         T_WRITE_PROTECTED = 9;
  localparam logic [2:0] MEM_HBM = 0, MEM_MATRIX = 1, MEM_VECTOR = 2, MEM_FP = 3, MEM_INT = 4,
                         MEM_NONE = 7;

  // Opcodes (plena::Opcode).
  localparam logic [5:0]
    OP_M_MM = 6'h01, OP_M_TMM = 6'h02, OP_M_BMM = 6'h03, OP_M_BTMM = 6'h04, OP_M_BMM_WO = 6'h05,
    OP_M_MM_WO = 6'h06, OP_M_MV = 6'h07, OP_M_TMV = 6'h08, OP_M_BMV = 6'h09, OP_M_BTMV = 6'h0A,
    OP_M_MV_WO = 6'h0B, OP_M_BMV_WO = 6'h0C,
    OP_V_ADD_VV = 6'h0D, OP_V_ADD_VF = 6'h0E, OP_V_SUB_VV = 6'h0F, OP_V_SUB_VF = 6'h10,
    OP_V_MUL_VV = 6'h11, OP_V_MUL_VF = 6'h12, OP_V_EXP_V = 6'h13, OP_V_RECI_V = 6'h14,
    OP_V_RED_SUM = 6'h15, OP_V_RED_MAX = 6'h16,
    OP_S_ADD_FP = 6'h17, OP_S_SUB_FP = 6'h18, OP_S_MAX_FP = 6'h19, OP_S_MUL_FP = 6'h1A,
    OP_S_EXP_FP = 6'h1B, OP_S_RECI_FP = 6'h1C, OP_S_SQRT_FP = 6'h1D, OP_S_LD_FP = 6'h1E,
    OP_S_ST_FP = 6'h1F, OP_S_MAP_V_FP = 6'h20,
    OP_S_ADD_INT = 6'h21, OP_S_ADDI_INT = 6'h22, OP_S_SUB_INT = 6'h23, OP_S_MUL_INT = 6'h24,
    OP_S_LUI_INT = 6'h25, OP_S_LD_INT = 6'h26, OP_S_ST_INT = 6'h27,
    OP_H_PREFETCH_M = 6'h28, OP_H_PREFETCH_V = 6'h29, OP_H_STORE_V = 6'h2A,
    OP_C_SET_ADDR_REG = 6'h2B, OP_C_SET_SCALE_REG = 6'h2C, OP_C_SET_STRIDE_REG = 6'h2D,
    OP_C_SET_V_MASK_REG = 6'h2E, OP_C_LOOP_START = 6'h2F, OP_C_LOOP_END = 6'h30,
    OP_V_SHFT_V = 6'h32, OP_C_BREAK = 6'h34, OP_V_MAX_VF = 6'h35, OP_V_MIN_VF = 6'h36;

  typedef struct packed {
    logic valid;
    logic [2:0] unit;
    logic [4:0] lat_class;
    logic [4:0][3:0] kind;   // operand kinds in source order
    logic [4:0][2:0] field;  // where each operand is encoded
  } op_info_t;

  // A decoded instruction word.
  typedef struct packed {
    logic [5:0] opcode;
    logic [3:0] rd, rs1, rs2, rs3, funct1;
    logic [31:0] imm;  // imm18 (sign-extended for S_ADDI_INT) or imm22
    logic [2:0] unit;
    logic [4:0] lat_class;
    logic fault;            // reaching this instruction traps
    logic [3:0] fault_kind;
  } decoded_t;

  // Generated once from sim/plena's instruction table (isa_table.cpp), then kept here.
  function automatic op_info_t op_info(input logic [5:0] opcode);
    op_info_t i;
    i = '0;
    case (opcode)
      6'h01: begin  // M_MM
        i.valid = 1'b1; i.unit = 0; i.lat_class = 0;
        i.kind[0] = 5; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 1; i.field[2] = 3;
      end
      6'h02: begin  // M_TMM
        i.valid = 1'b1; i.unit = 0; i.lat_class = 0;
        i.kind[0] = 5; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 1; i.field[2] = 3;
      end
      6'h03: begin  // M_BMM
        i.valid = 1'b1; i.unit = 0; i.lat_class = 0;
        i.kind[0] = 2; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 1; i.field[2] = 3;
      end
      6'h04: begin  // M_BTMM
        i.valid = 1'b1; i.unit = 0; i.lat_class = 0;
        i.kind[0] = 2; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 1; i.field[2] = 3;
      end
      6'h05: begin  // M_BMM_WO
        i.valid = 1'b1; i.unit = 0; i.lat_class = 3;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 7; i.field[1] = 6;
      end
      6'h06: begin  // M_MM_WO
        i.valid = 1'b1; i.unit = 0; i.lat_class = 3;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 5; i.field[1] = 2;
        i.kind[2] = 7; i.field[2] = 6;
      end
      6'h07: begin  // M_MV
        i.valid = 1'b1; i.unit = 0; i.lat_class = 1;
        i.kind[0] = 5; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 1; i.field[2] = 3;
      end
      6'h08: begin  // M_TMV
        i.valid = 1'b1; i.unit = 0; i.lat_class = 1;
        i.kind[0] = 5; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 1; i.field[2] = 3;
      end
      6'h09: begin  // M_BMV
        i.valid = 1'b1; i.unit = 0; i.lat_class = 2;
        i.kind[0] = 2; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 1; i.field[2] = 3;
      end
      6'h0A: begin  // M_BTMV
        i.valid = 1'b1; i.unit = 0; i.lat_class = 2;
        i.kind[0] = 2; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 1; i.field[2] = 3;
      end
      6'h0B: begin  // M_MV_WO
        i.valid = 1'b1; i.unit = 0; i.lat_class = 3;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 7; i.field[1] = 6;
      end
      6'h0C: begin  // M_BMV_WO
        i.valid = 1'b1; i.unit = 0; i.lat_class = 3;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 7; i.field[1] = 6;
      end
      6'h0D: begin  // V_ADD_VV
        i.valid = 1'b1; i.unit = 1; i.lat_class = 4;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 1; i.field[2] = 3;
        i.kind[3] = 6; i.field[3] = 4;
      end
      6'h0E: begin  // V_ADD_VF
        i.valid = 1'b1; i.unit = 1; i.lat_class = 4;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 3; i.field[2] = 3;
        i.kind[3] = 6; i.field[3] = 4;
      end
      6'h0F: begin  // V_SUB_VV
        i.valid = 1'b1; i.unit = 1; i.lat_class = 4;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 1; i.field[2] = 3;
        i.kind[3] = 6; i.field[3] = 4;
      end
      6'h10: begin  // V_SUB_VF
        i.valid = 1'b1; i.unit = 1; i.lat_class = 4;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 3; i.field[2] = 3;
        i.kind[3] = 6; i.field[3] = 4;
        i.kind[4] = 6; i.field[4] = 5;
      end
      6'h11: begin  // V_MUL_VV
        i.valid = 1'b1; i.unit = 1; i.lat_class = 5;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 1; i.field[2] = 3;
        i.kind[3] = 6; i.field[3] = 4;
      end
      6'h12: begin  // V_MUL_VF
        i.valid = 1'b1; i.unit = 1; i.lat_class = 5;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 3; i.field[2] = 3;
        i.kind[3] = 6; i.field[3] = 4;
      end
      6'h13: begin  // V_EXP_V
        i.valid = 1'b1; i.unit = 1; i.lat_class = 6;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 6; i.field[2] = 4;
      end
      6'h14: begin  // V_RECI_V
        i.valid = 1'b1; i.unit = 1; i.lat_class = 7;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 6; i.field[2] = 4;
      end
      6'h15: begin  // V_RED_SUM
        i.valid = 1'b1; i.unit = 1; i.lat_class = 9;
        i.kind[0] = 3; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
      end
      6'h16: begin  // V_RED_MAX
        i.valid = 1'b1; i.unit = 1; i.lat_class = 8;
        i.kind[0] = 3; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 6; i.field[2] = 4;
      end
      6'h17: begin  // S_ADD_FP
        i.valid = 1'b1; i.unit = 2; i.lat_class = 12;
        i.kind[0] = 3; i.field[0] = 1;
        i.kind[1] = 3; i.field[1] = 2;
        i.kind[2] = 3; i.field[2] = 3;
      end
      6'h18: begin  // S_SUB_FP
        i.valid = 1'b1; i.unit = 2; i.lat_class = 12;
        i.kind[0] = 3; i.field[0] = 1;
        i.kind[1] = 3; i.field[1] = 2;
        i.kind[2] = 3; i.field[2] = 3;
      end
      6'h19: begin  // S_MAX_FP
        i.valid = 1'b1; i.unit = 2; i.lat_class = 12;
        i.kind[0] = 3; i.field[0] = 1;
        i.kind[1] = 3; i.field[1] = 2;
        i.kind[2] = 3; i.field[2] = 3;
      end
      6'h1A: begin  // S_MUL_FP
        i.valid = 1'b1; i.unit = 2; i.lat_class = 12;
        i.kind[0] = 3; i.field[0] = 1;
        i.kind[1] = 3; i.field[1] = 2;
        i.kind[2] = 3; i.field[2] = 3;
      end
      6'h1B: begin  // S_EXP_FP
        i.valid = 1'b1; i.unit = 2; i.lat_class = 13;
        i.kind[0] = 3; i.field[0] = 1;
        i.kind[1] = 3; i.field[1] = 2;
      end
      6'h1C: begin  // S_RECI_FP
        i.valid = 1'b1; i.unit = 2; i.lat_class = 13;
        i.kind[0] = 3; i.field[0] = 1;
        i.kind[1] = 3; i.field[1] = 2;
      end
      6'h1D: begin  // S_SQRT_FP
        i.valid = 1'b1; i.unit = 2; i.lat_class = 13;
        i.kind[0] = 3; i.field[0] = 1;
        i.kind[1] = 3; i.field[1] = 2;
      end
      6'h1E: begin  // S_LD_FP
        i.valid = 1'b1; i.unit = 2; i.lat_class = 14;
        i.kind[0] = 3; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 7; i.field[2] = 6;
      end
      6'h1F: begin  // S_ST_FP
        i.valid = 1'b1; i.unit = 2; i.lat_class = 14;
        i.kind[0] = 3; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 7; i.field[2] = 6;
      end
      6'h20: begin  // S_MAP_V_FP
        i.valid = 1'b1; i.unit = 2; i.lat_class = 15;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 7; i.field[2] = 6;
      end
      6'h21: begin  // S_ADD_INT
        i.valid = 1'b1; i.unit = 2; i.lat_class = 11;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 1; i.field[2] = 3;
      end
      6'h22: begin  // S_ADDI_INT
        i.valid = 1'b1; i.unit = 2; i.lat_class = 11;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 8; i.field[2] = 6;
      end
      6'h23: begin  // S_SUB_INT
        i.valid = 1'b1; i.unit = 2; i.lat_class = 11;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 1; i.field[2] = 3;
      end
      6'h24: begin  // S_MUL_INT
        i.valid = 1'b1; i.unit = 2; i.lat_class = 11;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 1; i.field[2] = 3;
      end
      6'h25: begin  // S_LUI_INT
        i.valid = 1'b1; i.unit = 2; i.lat_class = 11;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 9; i.field[1] = 7;
      end
      6'h26: begin  // S_LD_INT
        i.valid = 1'b1; i.unit = 2; i.lat_class = 14;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 7; i.field[2] = 6;
      end
      6'h27: begin  // S_ST_INT
        i.valid = 1'b1; i.unit = 2; i.lat_class = 14;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 7; i.field[2] = 6;
      end
      6'h28: begin  // H_PREFETCH_M
        i.valid = 1'b1; i.unit = 3; i.lat_class = 16;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 4; i.field[2] = 3;
        i.kind[3] = 6; i.field[3] = 4;
        i.kind[4] = 6; i.field[4] = 5;
      end
      6'h29: begin  // H_PREFETCH_V
        i.valid = 1'b1; i.unit = 3; i.lat_class = 16;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 4; i.field[2] = 3;
        i.kind[3] = 6; i.field[3] = 4;
        i.kind[4] = 6; i.field[4] = 5;
      end
      6'h2A: begin  // H_STORE_V
        i.valid = 1'b1; i.unit = 3; i.lat_class = 16;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 4; i.field[2] = 3;
        i.kind[3] = 6; i.field[3] = 4;
        i.kind[4] = 6; i.field[4] = 5;
      end
      6'h2B: begin  // C_SET_ADDR_REG
        i.valid = 1'b1; i.unit = 4; i.lat_class = 17;
        i.kind[0] = 4; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 1; i.field[2] = 3;
      end
      6'h2C: begin  // C_SET_SCALE_REG
        i.valid = 1'b1; i.unit = 4; i.lat_class = 17;
        i.kind[0] = 1; i.field[0] = 1;
      end
      6'h2D: begin  // C_SET_STRIDE_REG
        i.valid = 1'b1; i.unit = 4; i.lat_class = 17;
        i.kind[0] = 1; i.field[0] = 1;
      end
      6'h2E: begin  // C_SET_V_MASK_REG
        i.valid = 1'b1; i.unit = 4; i.lat_class = 17;
        i.kind[0] = 1; i.field[0] = 1;
      end
      6'h2F: begin  // C_LOOP_START
        i.valid = 1'b1; i.unit = 4; i.lat_class = 17;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 10; i.field[1] = 7;
      end
      6'h30: begin  // C_LOOP_END
        i.valid = 1'b1; i.unit = 4; i.lat_class = 17;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 5; i.field[1] = 0;
      end
      6'h32: begin  // V_SHFT_V
        i.valid = 1'b1; i.unit = 1; i.lat_class = 10;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 1; i.field[2] = 3;
      end
      6'h34: begin  // C_BREAK
        i.valid = 1'b1; i.unit = 4; i.lat_class = 17;
        i.kind[0] = 5; i.field[0] = 0;
        i.kind[1] = 5; i.field[1] = 0;
        i.kind[2] = 5; i.field[2] = 0;
      end
      6'h35: begin  // V_MAX_VF
        i.valid = 1'b1; i.unit = 1; i.lat_class = 8;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 3; i.field[2] = 3;
        i.kind[3] = 6; i.field[3] = 4;
      end
      6'h36: begin  // V_MIN_VF
        i.valid = 1'b1; i.unit = 1; i.lat_class = 8;
        i.kind[0] = 1; i.field[0] = 1;
        i.kind[1] = 1; i.field[1] = 2;
        i.kind[2] = 3; i.field[2] = 3;
        i.kind[3] = 6; i.field[3] = 4;
      end
      default: ;
    endcase
    return i;
  endfunction

endpackage
