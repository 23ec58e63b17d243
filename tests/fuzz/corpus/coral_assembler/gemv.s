# GEMV: y[n] = sum_k A[n, k] * x[k], A[N x K] and x[K] float32 in EXT.
# x is copied once to DTCM (it is re-read for every row); each row is a
# strip-mined vfmacc.vv into an accumulator group, then one vfredusum.
        .equ A_ADDR, 0x20000000         # placeholders: use the layout table
        .equ X_ADDR, 0x20010000
        .equ Y_ADDR, 0x20010400
        .equ N, 128
        .equ K, 128

        .bss
        .balign 16
xbuf:   .space  K * 4                   # DTCM copy of x

        .text
        .globl _start
_start:
        # 1. Copy x from EXT to DTCM.
        li      a0, X_ADDR
        la      a1, xbuf
        li      a2, K
copy_x:
        vsetvli t0, a2, e32, m8, ta, ma
        vle32.v v8, (a0)
        vse32.v v8, (a1)
        slli    t1, t0, 2
        add     a0, a0, t1
        add     a1, a1, t1
        sub     a2, a2, t0
        bnez    a2, copy_x

        # 2. One row at a time.
        li      s0, A_ADDR              # row pointer
        li      s1, Y_ADDR              # output pointer
        li      s2, N                   # rows left
        li      s3, K
row_loop:
        vsetvli s4, s3, e32, m8, tu, ma # s4 = min(K, 32) = widest strip
        vmv.v.i v24, 0                  # accumulator = +0.0 (all bits zero)
        vmv.s.x v0, zero                # v0[0] = 0.0: start value of the sum
        mv      a0, s0                  # A[n, k] pointer
        la      a1, xbuf                # x[k] pointer
        mv      a2, s3                  # k left
k_loop:
        vsetvli t0, a2, e32, m8, tu, ma # tu: a short last strip keeps old partial sums
        vle32.v v8, (a0)
        vle32.v v16, (a1)
        vfmacc.vv v24, v8, v16          # acc += A chunk * x chunk
        slli    t1, t0, 2
        add     a0, a0, t1
        add     a1, a1, t1
        sub     a2, a2, t0
        bnez    a2, k_loop
        mv      s0, a0                  # rows are contiguous: next row starts here
        vsetvli zero, s4, e32, m8, ta, ma
        vfredusum.vs v0, v24, v0        # v0[0] = sum of the s4 partial sums
        vsetivli zero, 1, e32, m1, ta, ma
        vse32.v v0, (s1)                # y[n] = v0[0], without a scalar round trip
        addi    s1, s1, 4
        addi    s2, s2, -1
        bnez    s2, row_loop
        ebreak
