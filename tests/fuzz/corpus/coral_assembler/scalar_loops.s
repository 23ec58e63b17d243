# Scalar integer and float loops, a call and a stack frame.
        .equ N, 16
        .text
        .globl _start
_start:
        addi    sp, sp, -16
        sw      ra, 12(sp)
        li      a0, N
        call    triangle
        fcvt.s.w fa0, a0
        fsqrt.s fa1, fa0
        fdiv.s  fa2, fa0, fa1
        fmadd.s fa3, fa2, fa1, fa0
        feq.s   a1, fa3, fa3
        lw      ra, 12(sp)
        addi    sp, sp, 16
        ebreak
triangle:                       # a0 = 0 + 1 + ... + a0
        li      t0, 0
1:      add     t0, t0, a0
        addi    a0, a0, -1
        bgtz    a0, 1b
        mv      a0, t0
        ret
