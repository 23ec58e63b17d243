# Bounded repetition and macros the screen accepts.
        .macro  addn reg, n
        addi    \reg, \reg, \n
        .endm
        .text
_start:
        .rept 4
        addn    a0, 1
        .endr
        .irp    r, a1, a2, a3
        addn    \r, 2
        .endr
        .irpc   c, 123
        addi    t\c, zero, \c
        .endr
        .balign 16
        ebreak
        .data
table:  .fill 8, 4, 0x3f800000
        .zero 16
