# Integer, float, mask, permute and reduction vector work over DTCM buffers.
        .section .rodata
        .balign 16
ones:   .float 1.0, 2.0, -3.5, 0.25
        .data
        .balign 16
buf:    .word 1, 2, 3, 4, 5, 6, 7, 8
        .bss
        .balign 16
out:    .space 64
        .text
        .globl _start
_start:
        la      a0, buf
        la      a1, out
        la      a2, ones
        li      t0, 8
        vsetvli t1, t0, e32, m2, ta, ma
        vle32.v v2, (a0)
        vadd.vi v4, v2, 3
        vmul.vv v4, v4, v2
        vmslt.vx v0, v4, t0
        vmerge.vim v6, v4, 0, v0
        vslidedown.vi v8, v6, 1
        vredsum.vs v10, v8, v6
        vse32.v v8, (a1)
        vsetivli zero, 4, e32, m1, ta, ma
        vle32.v v12, (a2)
        vfmul.vv v13, v12, v12
        vfsqrt.v v14, v13
        vfredmax.vs v15, v14, v12
        vfmv.f.s fa0, v15
        fcvt.w.s a3, fa0
        vlse32.v v16, (a0), t0
        vrgather.vv v17, v12, v2
        csrr    a4, vl
        csrr    a5, cycle
        mul     a6, a4, a5
        divu    a7, a6, t0
        ebreak
