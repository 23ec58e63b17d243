; PLENA baseline (template compiler): silu C1 (N=8, D=128), preset small
; knobs: prefetch=upfront unroll=4
S_LUI_INT gp1, 32
C_SET_SCALE_REG gp1
; load x [8 x 128] from HBM into Vector SRAM 0 (VLEN chunks)
S_ADDI_INT gp1, gp0, 0
C_SET_ADDR_REG a0, gp0, gp1
S_ADDI_INT gp1, gp0, 128
C_SET_STRIDE_REG gp1
S_ADDI_INT gp1, gp0, 0
S_ADDI_INT gp2, gp0, 0
C_LOOP_START gp3, 8
  C_LOOP_START gp4, 2
    H_PREFETCH_V gp1, gp2, a0, 1, 0
    S_ADDI_INT gp1, gp1, 64
    S_ADDI_INT gp2, gp2, 512
  C_LOOP_END gp4
  S_ADDI_INT gp2, gp2, -1008
C_LOOP_END gp3
; x = silu(x) = x / (1 + exp(-x)) on 64 rows at V[0]
S_ADDI_INT gp1, gp0, 1024
S_LD_FP f1, gp0, 1
S_ADDI_INT gp2, gp0, 0
C_LOOP_START gp3, 16
  V_SUB_VF gp1, gp2, f0, 0, 1
  V_EXP_V gp1, gp1, 0
  V_ADD_VF gp1, gp1, f1, 0
  V_RECI_V gp1, gp1, 0
  V_MUL_VV gp2, gp2, gp1, 0
  S_ADDI_INT gp2, gp2, 16
  V_SUB_VF gp1, gp2, f0, 0, 1
  V_EXP_V gp1, gp1, 0
  V_ADD_VF gp1, gp1, f1, 0
  V_RECI_V gp1, gp1, 0
  V_MUL_VV gp2, gp2, gp1, 0
  S_ADDI_INT gp2, gp2, 16
  V_SUB_VF gp1, gp2, f0, 0, 1
  V_EXP_V gp1, gp1, 0
  V_ADD_VF gp1, gp1, f1, 0
  V_RECI_V gp1, gp1, 0
  V_MUL_VV gp2, gp2, gp1, 0
  S_ADDI_INT gp2, gp2, 16
  V_SUB_VF gp1, gp2, f0, 0, 1
  V_EXP_V gp1, gp1, 0
  V_ADD_VF gp1, gp1, f1, 0
  V_RECI_V gp1, gp1, 0
  V_MUL_VV gp2, gp2, gp1, 0
  S_ADDI_INT gp2, gp2, 16
C_LOOP_END gp3
