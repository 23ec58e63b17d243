# Assembly errors an agent makes: unknown mnemonics, bad operands, undefined symbols.
        .text
_start:
        vfrobnicate v1, v2
        addi    a0, a0, 5000
        lw      a1, (a0
        j       nowhere
        vsetvli t0, a0, e64, m1, ta, ma
        fadd.d  fa0, fa1, fa2
        c.addi  a0, 1
        li      a0, 0x20000000
        vle32.v v8, (a0), v1.t
        beq     a0, a1, far
        .word   0x0000
far:    ebreak
