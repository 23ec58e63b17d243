// y = max(x, 0) for N int8 values (N a multiple of 64), in place in data memory.
.equ N,      4096
.equ X_DDR,  0x0000
.equ Y_DDR,  0x1000
.equ X_MEM,  0x0000
.equ X_DM,   0x0000

.lock l0, 0                  // x is in data memory
.lock l1, 0                  // y is complete in data memory
.lock ml0, 0
.lock ml1, 0

.bd 0 src=ddr:X_DDR dst=mem:X_MEM size=N/4 rel=ml0:1
.bd 1 src=mem:X_MEM dst=dm:X_DM  size=N/4 acq=ml0:1 rel=l0:1
.bd 2 src=dm:X_DM  dst=mem:X_MEM size=N/4 acq=l1:1 rel=ml1:1
.bd 3 src=mem:X_MEM dst=ddr:Y_DDR size=N/4 acq=ml1:1

    dma.start shim0, bd0
    dma.start tile0, bd1
    dma.start tile1, bd2
    dma.start shim1, bd3
    movi r1, 0
    vbcst.i8 x11, r1            // x11 = 64 zero lanes
    movi p0, X_DM
    movi p1, X_DM
    movi r0, N/64
    acq l0, 1
    loop r0, .Lend
    vldx x0, [p0], 64           // both load slots: 512 bits
    nop
    nop
    nop
    vmax.i8 x1, x0, x11
    nop                         // vec_int latency 2
    vst wl1, [p1], 32
    vst wh1, [p1], 32
.Lend:
    rel l1, 1
    done
