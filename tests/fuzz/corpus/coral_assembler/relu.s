# ReLU: y = max(x, 0) for x[N x D] float32 (row-major, so N*D contiguous floats).
# X_ADDR and Y_ADDR are placeholders: copy the real addresses from the layout table.
        .equ X_ADDR, 0x20000000
        .equ Y_ADDR, 0x20001000
        .equ COUNT, 8 * 128             # N * D for this configuration

        .text
        .globl _start
_start:
        li      a0, X_ADDR              # source pointer
        li      a1, Y_ADDR              # destination pointer
        li      a2, COUNT               # elements left
        fmv.w.x ft0, zero               # ft0 = +0.0
relu_loop:
        vsetvli t0, a2, e32, m8, ta, ma # t0 = min(a2, 32) elements this strip
        vle32.v v8, (a0)
        vfmax.vf v8, v8, ft0
        vse32.v v8, (a1)
        slli    t1, t0, 2               # bytes this strip
        add     a0, a0, t1
        add     a1, a1, t1
        sub     a2, a2, t0
        bnez    a2, relu_loop           # backward branch: predicted taken
        ebreak
