; softmax_row.asm: y = softmax(x) for one row of 64 elements (default preset, VLEN = 64).
;   y[i] = exp(x[i] - max(x)) / sum_j exp(x[j] - max(x))
;
; Assumed layout:
;   x: Vector SRAM row 0 (V[0..63]), preloaded, BF16
;   y: Vector SRAM row 1 (V[64..127]), output, BF16
;   FP SRAM constants: FP[0] = -inf (start value for the running max)

S_ADDI_INT gp1, gp0, 0           ; gp1 = x
S_ADDI_INT gp2, gp0, 64          ; gp2 = y
S_LD_FP f1, gp0, 0               ; f1 = -inf (f registers start at 0.0, which is wrong for max)
V_RED_MAX f1, gp1, 0             ; f1 = max(f1, max x)
V_SUB_VF gp2, gp1, f1, 0, 0      ; y = x - max   (rorder 0: vector - scalar)
V_EXP_V gp2, gp2, 0              ; y = exp(y)
S_ADD_FP f2, f0, f0              ; f2 = 0.0: V_RED_SUM adds into its register
V_RED_SUM f2, gp2                ; f2 = sum(y)
S_RECI_FP f3, f2                 ; f3 = 1 / sum
V_MUL_VF gp2, gp2, f3, 0         ; y = y * (1 / sum)
