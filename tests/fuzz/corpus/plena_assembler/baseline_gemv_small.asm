; PLENA baseline (template compiler): gemv C1 (N=128, K=128), preset small
; knobs: group_tiles=max weight_buffers=2
S_LUI_INT gp1, 32
C_SET_SCALE_REG gp1
; load x [1 x 128] from HBM into Vector SRAM 128 (VLEN chunks)
S_ADDI_INT gp1, gp0, 16384
C_SET_ADDR_REG a0, gp0, gp1
S_ADDI_INT gp1, gp0, 128
C_SET_STRIDE_REG gp1
S_ADDI_INT gp1, gp0, 128
S_ADDI_INT gp2, gp0, 0
C_LOOP_START gp3, 8
  H_PREFETCH_V gp1, gp2, a0, 0, 0
  S_ADDI_INT gp1, gp1, 16
  S_ADDI_INT gp2, gp2, 128
  S_ADDI_INT gp2, gp2, -112
C_LOOP_END gp3
; y = A . x: for each block of MLEN outputs, M_TMV over the K tiles of A, one write-out
S_ADDI_INT gp1, gp0, 0
C_SET_ADDR_REG a1, gp0, gp1
S_ADDI_INT gp2, gp0, 0
; stream 8 x 2 groups of 4 tiles (double buffered)
S_ADDI_INT gp3, gp0, 128
C_SET_STRIDE_REG gp3
S_ADDI_INT gp3, gp0, 0
S_ADDI_INT gp4, gp0, 0
S_ADDI_INT gp5, gp0, 1024
S_ADDI_INT gp6, gp3, 0
S_ADDI_INT gp7, gp4, 0
H_PREFETCH_M gp6, gp7, a1, 1, 0
S_ADDI_INT gp6, gp6, 256
S_ADDI_INT gp7, gp7, 16
H_PREFETCH_M gp6, gp7, a1, 1, 0
S_ADDI_INT gp6, gp6, 256
S_ADDI_INT gp7, gp7, 16
H_PREFETCH_M gp6, gp7, a1, 1, 0
S_ADDI_INT gp6, gp6, 256
S_ADDI_INT gp7, gp7, 16
H_PREFETCH_M gp6, gp7, a1, 1, 0
C_LOOP_START gp6, 7
  S_ADDI_INT gp4, gp4, 64
  S_SUB_INT gp7, gp5, gp3
  S_ADDI_INT gp8, gp7, 0
  S_ADDI_INT gp9, gp4, 0
  H_PREFETCH_M gp8, gp9, a1, 1, 0
  S_ADDI_INT gp8, gp8, 256
  S_ADDI_INT gp9, gp9, 16
  H_PREFETCH_M gp8, gp9, a1, 1, 0
  S_ADDI_INT gp8, gp8, 256
  S_ADDI_INT gp9, gp9, 16
  H_PREFETCH_M gp8, gp9, a1, 1, 0
  S_ADDI_INT gp8, gp8, 256
  S_ADDI_INT gp9, gp9, 16
  H_PREFETCH_M gp8, gp9, a1, 1, 0
  S_ADDI_INT gp1, gp0, 128
  S_ADDI_INT gp7, gp3, 0
  M_TMV 0, gp1, gp7
  S_ADDI_INT gp1, gp1, 16
  S_ADDI_INT gp7, gp7, 256
  M_TMV 0, gp1, gp7
  S_ADDI_INT gp1, gp1, 16
  S_ADDI_INT gp7, gp7, 256
  M_TMV 0, gp1, gp7
  S_ADDI_INT gp1, gp1, 16
  S_ADDI_INT gp7, gp7, 256
  M_TMV 0, gp1, gp7
  S_ADDI_INT gp1, gp1, 16
  S_SUB_INT gp3, gp5, gp3
  S_ADDI_INT gp4, gp4, 1984
  S_SUB_INT gp7, gp5, gp3
  S_ADDI_INT gp8, gp7, 0
  S_ADDI_INT gp9, gp4, 0
  H_PREFETCH_M gp8, gp9, a1, 1, 0
  S_ADDI_INT gp8, gp8, 256
  S_ADDI_INT gp9, gp9, 16
  H_PREFETCH_M gp8, gp9, a1, 1, 0
  S_ADDI_INT gp8, gp8, 256
  S_ADDI_INT gp9, gp9, 16
  H_PREFETCH_M gp8, gp9, a1, 1, 0
  S_ADDI_INT gp8, gp8, 256
  S_ADDI_INT gp9, gp9, 16
  H_PREFETCH_M gp8, gp9, a1, 1, 0
  S_ADDI_INT gp7, gp3, 0
  M_TMV 0, gp1, gp7
  S_ADDI_INT gp1, gp1, 16
  S_ADDI_INT gp7, gp7, 256
  M_TMV 0, gp1, gp7
  S_ADDI_INT gp1, gp1, 16
  S_ADDI_INT gp7, gp7, 256
  M_TMV 0, gp1, gp7
  S_ADDI_INT gp1, gp1, 16
  S_ADDI_INT gp7, gp7, 256
  M_TMV 0, gp1, gp7
  S_ADDI_INT gp1, gp1, 16
  M_MV_WO gp2, 0
  S_ADDI_INT gp2, gp2, 16
  S_SUB_INT gp3, gp5, gp3
C_LOOP_END gp6
S_ADDI_INT gp4, gp4, 64
S_SUB_INT gp6, gp5, gp3
S_ADDI_INT gp7, gp6, 0
S_ADDI_INT gp8, gp4, 0
H_PREFETCH_M gp7, gp8, a1, 1, 0
S_ADDI_INT gp7, gp7, 256
S_ADDI_INT gp8, gp8, 16
H_PREFETCH_M gp7, gp8, a1, 1, 0
S_ADDI_INT gp7, gp7, 256
S_ADDI_INT gp8, gp8, 16
H_PREFETCH_M gp7, gp8, a1, 1, 0
S_ADDI_INT gp7, gp7, 256
S_ADDI_INT gp8, gp8, 16
H_PREFETCH_M gp7, gp8, a1, 1, 0
S_ADDI_INT gp1, gp0, 128
S_ADDI_INT gp6, gp3, 0
M_TMV 0, gp1, gp6
S_ADDI_INT gp1, gp1, 16
S_ADDI_INT gp6, gp6, 256
M_TMV 0, gp1, gp6
S_ADDI_INT gp1, gp1, 16
S_ADDI_INT gp6, gp6, 256
M_TMV 0, gp1, gp6
S_ADDI_INT gp1, gp1, 16
S_ADDI_INT gp6, gp6, 256
M_TMV 0, gp1, gp6
S_ADDI_INT gp1, gp1, 16
S_SUB_INT gp3, gp5, gp3
S_ADDI_INT gp6, gp3, 0
M_TMV 0, gp1, gp6
S_ADDI_INT gp1, gp1, 16
S_ADDI_INT gp6, gp6, 256
M_TMV 0, gp1, gp6
S_ADDI_INT gp1, gp1, 16
S_ADDI_INT gp6, gp6, 256
M_TMV 0, gp1, gp6
S_ADDI_INT gp1, gp1, 16
S_ADDI_INT gp6, gp6, 256
M_TMV 0, gp1, gp6
S_ADDI_INT gp1, gp1, 16
M_MV_WO gp2, 0
S_ADDI_INT gp2, gp2, 16
