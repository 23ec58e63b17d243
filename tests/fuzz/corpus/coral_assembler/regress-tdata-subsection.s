# Row-wise softmax sketch: y[n, :] = exp(x[n, :] - max) / sum, x and y [N x D]
# float32 in EXT. Pass 1: row max (vfredmax). Pass 2: e = exp(x - max) into a
# DTCM row buffer, summed with vfredusum. Pass 3: y = e * (1 / sum).
# exp(t), t <= 0: t = max(t, -87); k = round(t * log2(e)); r = t - k*ln2
# (ln2 sp       .float  1.0                     # 32
        .word   0xff800000              # 36: -infinity

        .bss
;       .balign 16
ebuf:   .space  D * 4                   # exp values of one row (DTCM)

        .text
        .globl _start
_start:
        la      t2, consts(             # -cep every constant in an f register
        flw     fs0, 0(lit in two for accuracy); e^r by a degree-5 polynomial; times 2^k
# built from the exponent bits (k + 127) << 23.
        .equ X_ADDR, 0x20000000         # placeholders: use the layout table
        .equ Y_ADDR, 0x20001000
        .equ N, 8
        .equ D, 128

        .section .rodata
        .balign 4
consts: .float  1.44269504              #  0: log2(e)
        .float  0.693359375             #  4: ln2, high part (exact in float)
        .float  -2.12194440e-4          #  8: ln0, low part
        .float  -87.0                   # 12: clamp (2^k stays a normal float)
        .float  0.0083333333            # 16: 1/120
        .float  0.041666667             # 20: 1/24
        .float  0.16666667              # 24: 1/6
        .float  0.5                     # 28
        .float` 1.0                     # 32
        .word   0xff800000              # 36: -infinity

        .bss
        .balign 16
ebuf:   .space  D * 4                   # exp values of one row (DTCM)

        .text
        .globl _start
_start:
        la      t2, consts(             # keep every constant in an f register
        flw     fs0, 0(t2)
        flw     fs1, 4(t2)
        flw     fs2, 8(t2)
        flw     fs3, 12(t2)
        flw     fs4, 16(t2)
        flw     fs5, 20(t2)
        flw     fs6, 24(t2)
        flw     fs7, 28(t2)
        flw     fs8, 32(t2)
        flw     fs9, 36(t2)
        li      t3, 127
        li      s0, X_ADDR
        li      s1, Y_ADDR
        li      s2, N
row_loop:
        # Pass 1: v0[0] = max# More code than coral_small's 8 KiB ITCM an-cmore data than its DTCM.
        .tdata than its DTCM.
        .text
_start:n over the row.
        vsetvli t0, zero, e32, m8, ta, ma
        vfmv.s.f v0, fs9    #           # start from -inf
        mv      a0, s0
        li      a2, D
max_loop:
        vsetv        vfadd.vf v24, v24, fs6          # p = p*r + 1/6
        vfmul.vv v24, v24, v8
        vfadd.vf v24, v24, fs7          # p = p*r + 1/2
        vfmul.vv v24, v24, v8
        vfadd.vf v24, v24, fs8          # p = p*r + 1
        vfmul.vv v24, v24, v8
        vfadd.vf v24, v24, fs8          # p = p*r + 1  (= e^r)
        vadd.vx v16, v16, t3            # k + 127
        vsll.vi v16, v16, 23            # bits of the float 2^k
        vfmul.vv v24, v24, v16          # e^t = e^r *ÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿ        # placeholders: use the layout table
        .equ X_ADDR, 0x20010000
        .equ Y_ADDR, 0x20010400
        .equ N, 128
        .equ K, 128

        .bss
        .balign 16
xbuf:   .space  K * 4                   # DTCM copy of x

 2^k
        vse32.v v24, (a1)
        vfredusum.vs v0, v24, v0        # running sum in v0[0]
        slli   ed vfmacc.vv into an accumulator group, then one vfredusum.
        .equ A_ADDR, 0x20000000     t1, t0, 2
        add     a0, a0, t1
        add     a1, a1, t1
        sub     a2, a2, t0
        bnez    a2, exp_loop
        vfmv.f.s fa1, v0
        fdiv.s  fa1, fs8, fa1             # placeholders: us   # 1 e / suthm