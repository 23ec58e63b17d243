; vector_scale_add.asm: y = x * a + b, elementwise over 8 rows of 64 (default preset, VLEN = 64).
;
; Assumed layout:
;   x: Vector SRAM rows 0..7  (V[0..511]), preloaded, BF16
;   y: Vector SRAM rows 8..15 (V[512..1023]), output, BF16
;   FP SRAM constants: FP[1] = a (scale), FP[2] = b (shift)
; Cost per row: V_MUL_VF 1 + V_ADD_VF 1 + two address steps 2 + C_LOOP_END 1 = 5 cycles.

S_LD_FP f1, gp0, 1               ; f1 = a
S_LD_FP f2, gp0, 2               ; f2 = b
S_ADDI_INT gp1, gp0, 0           ; gp1 = address of x row
S_ADDI_INT gp2, gp0, 512         ; gp2 = address of y row
C_LOOP_START gp3, 8              ; gp3 counts 8, 7, ..., 1 (not an index)
  V_MUL_VF gp2, gp1, f1, 0       ; y = x * a
  V_ADD_VF gp2, gp2, f2, 0       ; y = y + b (in place)
  S_ADDI_INT gp1, gp1, 64        ; next row (addresses must stay multiples of VLEN)
  S_ADDI_INT gp2, gp2, 64
C_LOOP_END gp3
