; PLENA baseline (template compiler): softmax C1 (N=8, D=128), preset small
; knobs: unroll=4
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
; softmax over 8 rows x 128 columns at V[0], in place
S_ADDI_INT gp4, gp0, 1024
S_ADDI_INT gp5, gp0, 1040
S_ADDI_INT gp6, gp0, 1056
S_ADDI_INT gp7, gp0, 1072
S_ADDI_INT gp1, gp0, 0
S_ADDI_INT gp3, gp0, 128
C_LOOP_START gp8, 8
  ; row max -> f1
  S_ADD_INT gp2, gp1, gp0
  S_LD_FP f1, gp0, 2
  C_LOOP_START gp9, 2
    V_RED_MAX f1, gp2, 0
    S_ADD_INT gp2, gp2, gp3
    V_RED_MAX f1, gp2, 0
    S_ADD_INT gp2, gp2, gp3
    V_RED_MAX f1, gp2, 0
    S_ADD_INT gp2, gp2, gp3
    V_RED_MAX f1, gp2, 0
    S_ADD_INT gp2, gp2, gp3
  C_LOOP_END gp9
  ; e = exp(x - max) in place, summed elementwise into 4 partial rows
  S_ADD_INT gp2, gp1, gp0
  V_SUB_VF gp2, gp2, f1, 0, 0
  V_EXP_V gp2, gp2, 0
  V_ADD_VF gp4, gp2, f0, 0
  S_ADD_INT gp2, gp2, gp3
  V_SUB_VF gp2, gp2, f1, 0, 0
  V_EXP_V gp2, gp2, 0
  V_ADD_VF gp5, gp2, f0, 0
  S_ADD_INT gp2, gp2, gp3
  V_SUB_VF gp2, gp2, f1, 0, 0
  V_EXP_V gp2, gp2, 0
  V_ADD_VF gp6, gp2, f0, 0
  S_ADD_INT gp2, gp2, gp3
  V_SUB_VF gp2, gp2, f1, 0, 0
  V_EXP_V gp2, gp2, 0
  V_ADD_VF gp7, gp2, f0, 0
  S_ADD_INT gp2, gp2, gp3
  V_SUB_VF gp2, gp2, f1, 0, 0
  V_EXP_V gp2, gp2, 0
  V_ADD_VV gp4, gp4, gp2, 0
  S_ADD_INT gp2, gp2, gp3
  V_SUB_VF gp2, gp2, f1, 0, 0
  V_EXP_V gp2, gp2, 0
  V_ADD_VV gp5, gp5, gp2, 0
  S_ADD_INT gp2, gp2, gp3
  V_SUB_VF gp2, gp2, f1, 0, 0
  V_EXP_V gp2, gp2, 0
  V_ADD_VV gp6, gp6, gp2, 0
  S_ADD_INT gp2, gp2, gp3
  V_SUB_VF gp2, gp2, f1, 0, 0
  V_EXP_V gp2, gp2, 0
  V_ADD_VV gp7, gp7, gp2, 0
  S_ADD_INT gp2, gp2, gp3
  V_ADD_VV gp4, gp4, gp5, 0
  V_ADD_VV gp6, gp6, gp7, 0
  V_ADD_VV gp4, gp4, gp6, 0
  ; f2 = 1 / sum(e); y = e * f2
  S_ADD_FP f2, f0, f0
  V_RED_SUM f2, gp4
  S_RECI_FP f2, f2
  S_ADD_INT gp2, gp1, gp0
  C_LOOP_START gp9, 2
    V_MUL_VF gp2, gp2, f2, 0
    S_ADD_INT gp2, gp2, gp3
    V_MUL_VF gp2, gp2, f2, 0
    S_ADD_INT gp2, gp2, gp3
    V_MUL_VF gp2, gp2, f2, 0
    S_ADD_INT gp2, gp2, gp3
    V_MUL_VF gp2, gp2, f2, 0
    S_ADD_INT gp2, gp2, gp3
  C_LOOP_END gp9
  S_ADDI_INT gp1, gp1, 16
C_LOOP_END gp8
