; gemm_64.asm: C[4x64] = A[4x64] * W[64x64] on the default preset (MLEN = VLEN = 64, BLEN = 4).
;
; HBM layout (MXFP8; every tensor's scales start SCALE_REG = 4096 bytes after its data):
;   W [64 x 64] row-major, data at byte 0,     scales at 4096..4607
;   A [ 4 x 64] row-major, data at byte 8192,  scales at 12288..12319
;   C [ 4 x 64] row-major, data at byte 16384, scales at 20480..20511 (output)
; On chip: W -> Matrix SRAM tile 0 (M[0..4095]); A -> Vector SRAM rows 0..3 (V[0..255]);
;          C -> Vector SRAM rows 4..7 (V[256..511]), then stored to HBM.
; Output: C in Vector SRAM rows 4..7 (BF16) and in HBM at byte 16384 (MXFP8).

; --- special registers and HBM base addresses
S_ADDI_INT gp1, gp0, 4096
C_SET_SCALE_REG gp1              ; scale byte of element e = base + 4096 + e/8
S_ADDI_INT gp1, gp0, 64
C_SET_STRIDE_REG gp1             ; every tensor has rows of 64 elements
C_SET_ADDR_REG a0, gp0, gp0      ; a0 = W (byte 0; must still be set)
S_ADDI_INT gp1, gp0, 8192
C_SET_ADDR_REG a1, gp0, gp1      ; a1 = A
S_ADDI_INT gp1, gp0, 16384
C_SET_ADDR_REG a2, gp0, gp1      ; a2 = C

; --- start both transfers; they run in the background
H_PREFETCH_V gp0, gp0, a1, 1, 0  ; V rows 0..3 <- A rows 0..3 (pitch STRIDE_REG = 64)
H_PREFETCH_M gp0, gp0, a0, 1, 0  ; tile 0 <- W (pitch 64); M[k*64 + n] = W[k][n]

; --- 16 column blocks of 4: C[:, j0..j0+3] = A * W[:, j0..j0+3]
S_ADDI_INT gp2, gp0, 0           ; gp2 = j0 = matrix column-block address (0, 4, ..., 60)
C_LOOP_START gp3, 16
  M_MM 0, gp2, gp0               ; ACC = A(V[0], 4 rows) * M[:, j0..j0+3]; first one waits for data
  M_MM_WO gp2, 0, 256            ; V[256 + j0 + i*64 + j] = ACC[i][j]; clears ACC
  S_ADDI_INT gp2, gp2, 4         ; next column block (also moves the write-out column)
C_LOOP_END gp3

; --- write C back to HBM (asynchronous; the run ends when it completes)
S_ADDI_INT gp4, gp0, 256
H_STORE_V gp4, gp0, a2, 1, 0     ; 4 rows, pitch 64, offsets 0/64/128/192 (multiples of 8)
