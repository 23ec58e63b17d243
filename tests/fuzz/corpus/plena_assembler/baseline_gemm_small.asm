; PLENA baseline (template compiler): gemm C1 (M=8, K=128, N=128), preset small
; knobs: group_tiles=max instr=mm weight_buffers=2
S_LUI_INT gp1, 32
C_SET_SCALE_REG gp1
; load A [8 x 128] from HBM into Vector SRAM 1024 (VLEN chunks)
S_ADDI_INT gp1, gp0, 0
C_SET_ADDR_REG a0, gp0, gp1
S_ADDI_INT gp1, gp0, 128
C_SET_STRIDE_REG gp1
S_ADDI_INT gp1, gp0, 1024
S_ADDI_INT gp2, gp0, 0
C_LOOP_START gp3, 8
  C_LOOP_START gp4, 2
    H_PREFETCH_V gp1, gp2, a0, 1, 0
    S_ADDI_INT gp1, gp1, 64
    S_ADDI_INT gp2, gp2, 512
  C_LOOP_END gp4
  S_ADDI_INT gp2, gp2, -1008
C_LOOP_END gp3
; Y[8 x 128] = X[8 x 128] . W (M_MM, 2 K pass(es) of 4 tiles)
S_ADDI_INT gp1, gp0, 4096
C_SET_ADDR_REG a1, gp0, gp1
S_ADDI_INT gp2, gp0, 0
; stream 8 x 2 groups of 4 tiles (double buffered)
S_ADDI_INT gp4, gp0, 128
C_SET_STRIDE_REG gp4
S_ADDI_INT gp4, gp0, 0
S_ADDI_INT gp5, gp0, 0
S_ADDI_INT gp6, gp0, 1024
S_ADDI_INT gp7, gp4, 0
S_ADDI_INT gp8, gp5, 0
H_PREFETCH_M gp7, gp8, a1, 1, 0
S_ADDI_INT gp7, gp7, 256
S_ADDI_INT gp8, gp8, 2048
H_PREFETCH_M gp7, gp8, a1, 1, 0
S_ADDI_INT gp7, gp7, 256
S_ADDI_INT gp8, gp8, 2048
H_PREFETCH_M gp7, gp8, a1, 1, 0
S_ADDI_INT gp7, gp7, 256
S_ADDI_INT gp8, gp8, 2048
H_PREFETCH_M gp7, gp8, a1, 1, 0
C_LOOP_START gp7, 7
  S_ADDI_INT gp5, gp5, 8192
  S_SUB_INT gp8, gp6, gp4
  S_ADDI_INT gp9, gp8, 0
  S_ADDI_INT gp10, gp5, 0
  H_PREFETCH_M gp9, gp10, a1, 1, 0
  S_ADDI_INT gp9, gp9, 256
  S_ADDI_INT gp10, gp10, 2048
  H_PREFETCH_M gp9, gp10, a1, 1, 0
  S_ADDI_INT gp9, gp9, 256
  S_ADDI_INT gp10, gp10, 2048
  H_PREFETCH_M gp9, gp10, a1, 1, 0
  S_ADDI_INT gp9, gp9, 256
  S_ADDI_INT gp10, gp10, 2048
  H_PREFETCH_M gp9, gp10, a1, 1, 0
  S_ADDI_INT gp1, gp0, 1024
  S_ADDI_INT gp3, gp0, 2112
  C_LOOP_START gp11, 2
    S_ADDI_INT gp8, gp4, 0
    S_ADDI_INT gp10, gp2, 0
    C_LOOP_START gp12, 4
      S_ADDI_INT gp9, gp1, 0
      M_MM 0, gp8, gp9
      S_ADDI_INT gp8, gp8, 256
      S_ADDI_INT gp9, gp9, 128
      M_MM 0, gp8, gp9
      S_ADDI_INT gp8, gp8, 256
      S_ADDI_INT gp9, gp9, 128
      M_MM 0, gp8, gp9
      S_ADDI_INT gp8, gp8, 256
      S_ADDI_INT gp9, gp9, 128
      M_MM 0, gp8, gp9
      S_ADDI_INT gp8, gp8, -764
      M_MM_WO gp10, 0, 0
      S_ADDI_INT gp10, gp10, 4
    C_LOOP_END gp12
    V_SUB_VV gp3, gp2, gp2, 0
    S_ADDI_INT gp2, gp2, 16
    S_ADDI_INT gp3, gp3, 16
    V_SUB_VV gp3, gp2, gp2, 0
    S_ADDI_INT gp2, gp2, 16
    S_ADDI_INT gp3, gp3, 16
    V_SUB_VV gp3, gp2, gp2, 0
    S_ADDI_INT gp2, gp2, 16
    S_ADDI_INT gp3, gp3, 16
    V_SUB_VV gp3, gp2, gp2, 0
    S_ADDI_INT gp2, gp2, 16
    S_ADDI_INT gp3, gp3, 16
    S_ADDI_INT gp1, gp1, 64
  C_LOOP_END gp11
  S_ADDI_INT gp1, gp1, 384
  S_ADDI_INT gp2, gp2, -128
  S_SUB_INT gp4, gp6, gp4
  S_ADDI_INT gp5, gp5, -8176
  S_SUB_INT gp8, gp6, gp4
  S_ADDI_INT gp9, gp8, 0
  S_ADDI_INT gp10, gp5, 0
  H_PREFETCH_M gp9, gp10, a1, 1, 0
  S_ADDI_INT gp9, gp9, 256
  S_ADDI_INT gp10, gp10, 2048
  H_PREFETCH_M gp9, gp10, a1, 1, 0
  S_ADDI_INT gp9, gp9, 256
  S_ADDI_INT gp10, gp10, 2048
  H_PREFETCH_M gp9, gp10, a1, 1, 0
  S_ADDI_INT gp9, gp9, 256
  S_ADDI_INT gp10, gp10, 2048
  H_PREFETCH_M gp9, gp10, a1, 1, 0
  S_ADDI_INT gp3, gp0, 2112
  C_LOOP_START gp11, 2
    S_ADDI_INT gp8, gp4, 0
    S_ADDI_INT gp10, gp0, 2048
    C_LOOP_START gp12, 4
      S_ADDI_INT gp9, gp1, 0
      M_MM 0, gp8, gp9
      S_ADDI_INT gp8, gp8, 256
      S_ADDI_INT gp9, gp9, 128
      M_MM 0, gp8, gp9
      S_ADDI_INT gp8, gp8, 256
      S_ADDI_INT gp9, gp9, 128
      M_MM 0, gp8, gp9
      S_ADDI_INT gp8, gp8, 256
      S_ADDI_INT gp9, gp9, 128
      M_MM 0, gp8, gp9
      S_ADDI_INT gp8, gp8, -764
      M_MM_WO gp10, 0, 0
      S_ADDI_INT gp10, gp10, 4
    C_LOOP_END gp12
    S_ADDI_INT gp10, gp0, 2048
    V_SUB_VV gp10, gp3, gp10, 0
    V_ADD_VV gp3, gp2, gp10, 0
    V_SUB_VV gp2, gp2, gp3, 0
    V_SUB_VV gp10, gp10, gp2, 0
    V_SUB_VV gp2, gp10, gp3, 0
    S_ADDI_INT gp2, gp2, 16
    S_ADDI_INT gp3, gp3, 16
    S_ADDI_INT gp10, gp10, 16
    V_SUB_VV gp10, gp3, gp10, 0
    V_ADD_VV gp3, gp2, gp10, 0
    V_SUB_VV gp2, gp2, gp3, 0
    V_SUB_VV gp10, gp10, gp2, 0
    V_SUB_VV gp2, gp10, gp3, 0
    S_ADDI_INT gp2, gp2, 16
    S_ADDI_INT gp3, gp3, 16
    S_ADDI_INT gp10, gp10, 16
    V_SUB_VV gp10, gp3, gp10, 0
    V_ADD_VV gp3, gp2, gp10, 0
    V_SUB_VV gp2, gp2, gp3, 0
    V_SUB_VV gp10, gp10, gp2, 0
    V_SUB_VV gp2, gp10, gp3, 0
    S_ADDI_INT gp2, gp2, 16
    S_ADDI_INT gp3, gp3, 16
    S_ADDI_INT gp10, gp10, 16
    V_SUB_VV gp10, gp3, gp10, 0
    V_ADD_VV gp3, gp2, gp10, 0
    V_SUB_VV gp2, gp2, gp3, 0
    V_SUB_VV gp10, gp10, gp2, 0
    V_SUB_VV gp2, gp10, gp3, 0
    S_ADDI_INT gp2, gp2, 16
    S_ADDI_INT gp3, gp3, 16
    S_ADDI_INT gp1, gp1, 64
  C_LOOP_END gp11
  S_SUB_INT gp4, gp6, gp4
C_LOOP_END gp7
S_ADDI_INT gp5, gp5, 8192
S_SUB_INT gp7, gp6, gp4
S_ADDI_INT gp8, gp7, 0
S_ADDI_INT gp9, gp5, 0
H_PREFETCH_M gp8, gp9, a1, 1, 0
S_ADDI_INT gp8, gp8, 256
S_ADDI_INT gp9, gp9, 2048
H_PREFETCH_M gp8, gp9, a1, 1, 0
S_ADDI_INT gp8, gp8, 256
S_ADDI_INT gp9, gp9, 2048
H_PREFETCH_M gp8, gp9, a1, 1, 0
S_ADDI_INT gp8, gp8, 256
S_ADDI_INT gp9, gp9, 2048
H_PREFETCH_M gp8, gp9, a1, 1, 0
S_ADDI_INT gp1, gp0, 1024
S_ADDI_INT gp3, gp0, 2112
C_LOOP_START gp10, 2
  S_ADDI_INT gp7, gp4, 0
  S_ADDI_INT gp9, gp2, 0
  C_LOOP_START gp11, 4
    S_ADDI_INT gp8, gp1, 0
    M_MM 0, gp7, gp8
    S_ADDI_INT gp7, gp7, 256
    S_ADDI_INT gp8, gp8, 128
    M_MM 0, gp7, gp8
    S_ADDI_INT gp7, gp7, 256
    S_ADDI_INT gp8, gp8, 128
    M_MM 0, gp7, gp8
    S_ADDI_INT gp7, gp7, 256
    S_ADDI_INT gp8, gp8, 128
    M_MM 0, gp7, gp8
    S_ADDI_INT gp7, gp7, -764
    M_MM_WO gp9, 0, 0
    S_ADDI_INT gp9, gp9, 4
  C_LOOP_END gp11
  V_SUB_VV gp3, gp2, gp2, 0
  S_ADDI_INT gp2, gp2, 16
  S_ADDI_INT gp3, gp3, 16
  V_SUB_VV gp3, gp2, gp2, 0
  S_ADDI_INT gp2, gp2, 16
  S_ADDI_INT gp3, gp3, 16
  V_SUB_VV gp3, gp2, gp2, 0
  S_ADDI_INT gp2, gp2, 16
  S_ADDI_INT gp3, gp3, 16
  V_SUB_VV gp3, gp2, gp2, 0
  S_ADDI_INT gp2, gp2, 16
  S_ADDI_INT gp3, gp3, 16
  S_ADDI_INT gp1, gp1, 64
C_LOOP_END gp10
S_ADDI_INT gp1, gp1, 384
S_ADDI_INT gp2, gp2, -128
S_SUB_INT gp4, gp6, gp4
S_ADDI_INT gp3, gp0, 2112
C_LOOP_START gp10, 2
  S_ADDI_INT gp7, gp4, 0
  S_ADDI_INT gp9, gp0, 2048
  C_LOOP_START gp11, 4
    S_ADDI_INT gp8, gp1, 0
    M_MM 0, gp7, gp8
    S_ADDI_INT gp7, gp7, 256
    S_ADDI_INT gp8, gp8, 128
    M_MM 0, gp7, gp8
    S_ADDI_INT gp7, gp7, 256
    S_ADDI_INT gp8, gp8, 128
    M_MM 0, gp7, gp8
    S_ADDI_INT gp7, gp7, 256
    S_ADDI_INT gp8, gp8, 128
    M_MM 0, gp7, gp8
    S_ADDI_INT gp7, gp7, -764
    M_MM_WO gp9, 0, 0
    S_ADDI_INT gp9, gp9, 4
  C_LOOP_END gp11
  S_ADDI_INT gp9, gp0, 2048
  V_SUB_VV gp9, gp3, gp9, 0
  V_ADD_VV gp3, gp2, gp9, 0
  V_SUB_VV gp2, gp2, gp3, 0
  V_SUB_VV gp9, gp9, gp2, 0
  V_SUB_VV gp2, gp9, gp3, 0
  S_ADDI_INT gp2, gp2, 16
  S_ADDI_INT gp3, gp3, 16
  S_ADDI_INT gp9, gp9, 16
  V_SUB_VV gp9, gp3, gp9, 0
  V_ADD_VV gp3, gp2, gp9, 0
  V_SUB_VV gp2, gp2, gp3, 0
  V_SUB_VV gp9, gp9, gp2, 0
  V_SUB_VV gp2, gp9, gp3, 0
  S_ADDI_INT gp2, gp2, 16
  S_ADDI_INT gp3, gp3, 16
  S_ADDI_INT gp9, gp9, 16
  V_SUB_VV gp9, gp3, gp9, 0
  V_ADD_VV gp3, gp2, gp9, 0
  V_SUB_VV gp2, gp2, gp3, 0
  V_SUB_VV gp9, gp9, gp2, 0
  V_SUB_VV gp2, gp9, gp3, 0
  S_ADDI_INT gp2, gp2, 16
  S_ADDI_INT gp3, gp3, 16
  S_ADDI_INT gp9, gp9, 16
  V_SUB_VV gp9, gp3, gp9, 0
  V_ADD_VV gp3, gp2, gp9, 0
  V_SUB_VV gp2, gp2, gp3, 0
  V_SUB_VV gp9, gp9, gp2, 0
  V_SUB_VV gp2, gp9, gp3, 0
  S_ADDI_INT gp2, gp2, 16
  S_ADDI_INT gp3, gp3, 16
  S_ADDI_INT gp1, gp1, 64
C_LOOP_END gp10
