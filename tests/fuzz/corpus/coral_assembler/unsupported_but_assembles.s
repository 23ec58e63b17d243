# Accepted by LLVM under Zve32f, refused by the model at run time.
        .text
_start:
        li      t0, 8
        vsetvli t1, t0, e16, m1, ta, ma
        vfwadd.vv v2, v4, v6
        vsetvli t1, t0, e32, m1, ta, ma
        vlseg2e32.v v8, (a0)
        vluxei32.v v10, (a0), v12
        vle32ff.v v14, (a0)
        ecall
        fence
        fence.i
        ebreak
