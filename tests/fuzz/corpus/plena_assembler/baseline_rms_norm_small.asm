; PLENA baseline (template compiler): rms_norm C1 (N=8, D=128), preset small
; knobs: unroll=4
S_LUI_INT gp1, 32
C_SET_SCALE_REG gp1
; load gamma [128] into Vector SRAM 1024, chunk c at +c*VLEN
S_ADDI_INT gp1, gp0, 4096
C_SET_ADDR_REG a1, gp0, gp1
S_ADDI_INT gp1, gp0, 16
C_SET_STRIDE_REG gp1
S_ADDI_INT gp1, gp0, 1024
S_ADDI_INT gp2, gp0, 0
C_LOOP_START gp3, 2
  H_PREFETCH_V gp1, gp2, a1, 1, 0
  S_ADDI_INT gp1, gp1, 64
  S_ADDI_INT gp2, gp2, 64
C_LOOP_END gp3
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
; RMSNorm of 8 rows x 128 columns at V[0] in place
S_ADDI_INT gp1, gp0, 0
S_ADDI_INT gp3, gp0, 128
S_ADDI_INT gp4, gp0, 1152
S_ADDI_INT gp5, gp0, 1168
S_LD_FP f3, gp0, 4
S_LD_FP f4, gp0, 3
C_LOOP_START gp7, 8
  ; sum of squares of the row (elementwise over chunks) -> scratch
  S_ADD_INT gp2, gp1, gp0
  V_MUL_VV gp4, gp2, gp2, 0
  S_ADD_INT gp2, gp2, gp3
  V_MUL_VV gp5, gp2, gp2, 0
  V_ADD_VV gp4, gp4, gp5, 0
  S_ADD_INT gp2, gp2, gp3
  V_MUL_VV gp5, gp2, gp2, 0
  V_ADD_VV gp4, gp4, gp5, 0
  S_ADD_INT gp2, gp2, gp3
  V_MUL_VV gp5, gp2, gp2, 0
  V_ADD_VV gp4, gp4, gp5, 0
  S_ADD_INT gp2, gp2, gp3
  V_MUL_VV gp5, gp2, gp2, 0
  V_ADD_VV gp4, gp4, gp5, 0
  S_ADD_INT gp2, gp2, gp3
  V_MUL_VV gp5, gp2, gp2, 0
  V_ADD_VV gp4, gp4, gp5, 0
  S_ADD_INT gp2, gp2, gp3
  V_MUL_VV gp5, gp2, gp2, 0
  V_ADD_VV gp4, gp4, gp5, 0
  S_ADD_INT gp2, gp2, gp3
  V_MUL_VV gp5, gp2, gp2, 0
  V_ADD_VV gp4, gp4, gp5, 0
  S_ADD_INT gp2, gp2, gp3
  ; f2 = 1 / sqrt(mean square + eps)
  S_ADD_FP f2, f0, f0
  V_RED_SUM f2, gp4
  S_MUL_FP f2, f2, f3
  S_ADD_FP f2, f2, f4
  S_SQRT_FP f2, f2
  S_RECI_FP f2, f2
  ; normalise: * rstd * gamma
  S_ADD_INT gp2, gp1, gp0
  S_ADDI_INT gp6, gp0, 1024
  C_LOOP_START gp8, 2
    V_MUL_VF gp2, gp2, f2, 0
    V_MUL_VV gp2, gp2, gp6, 0
    S_ADDI_INT gp6, gp6, 16
    S_ADD_INT gp2, gp2, gp3
    V_MUL_VF gp2, gp2, f2, 0
    V_MUL_VV gp2, gp2, gp6, 0
    S_ADDI_INT gp6, gp6, 16
    S_ADD_INT gp2, gp2, gp3
    V_MUL_VF gp2, gp2, f2, 0
    V_MUL_VV gp2, gp2, gp6, 0
    S_ADDI_INT gp6, gp6, 16
    S_ADD_INT gp2, gp2, gp3
    V_MUL_VF gp2, gp2, f2, 0
    V_MUL_VV gp2, gp2, gp6, 0
    S_ADDI_INT gp6, gp6, 16
    S_ADD_INT gp2, gp2, gp3
  C_LOOP_END gp8
  S_ADDI_INT gp1, gp1, 16
C_LOOP_END gp7
