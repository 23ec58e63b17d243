// C = A + B for N bf16 values (N a multiple of 32).
// DDR -> memory tile (shim0, shim1) -> data memory (tile0, tile1); the core adds;
// data memory -> memory tile (tile2) -> DDR (shim0).
.equ N,      1024
.equ BYTES,  N*2
.equ A_DDR,  0x0000
.equ B_DDR,  0x1000
.equ C_DDR,  0x2000
.equ A_MEM,  0x0000
.equ B_MEM,  0x1000
.equ C_MEM,  0x2000
.equ A_DM,   0x0000
.equ B_DM,   0x0820          // 2 banks after A's banks: the two loads never share a bank
.equ C_DM,   0x2000          // after B_DM + BYTES

.lock l0, 0                  // A is in data memory
.lock l1, 0                  // B is in data memory
.lock l2, 0                  // C is complete in data memory
.lock ml0, 0                 // A is in the memory tile
.lock ml1, 0                 // B is in the memory tile
.lock ml2, 0                 // C is in the memory tile

.bd 0 src=ddr:A_DDR dst=mem:A_MEM size=BYTES/4 rel=ml0:1
.bd 1 src=ddr:B_DDR dst=mem:B_MEM size=BYTES/4 rel=ml1:1
.bd 2 src=mem:A_MEM dst=dm:A_DM  size=BYTES/4 acq=ml0:1 rel=l0:1
.bd 3 src=mem:B_MEM dst=dm:B_DM  size=BYTES/4 acq=ml1:1 rel=l1:1
.bd 4 src=dm:C_DM  dst=mem:C_MEM size=BYTES/4 acq=l2:1 rel=ml2:1
.bd 5 src=mem:C_MEM dst=ddr:C_DDR size=BYTES/4 acq=ml2:1

    dma.start shim0, bd0
    dma.start shim1, bd1
    dma.start tile0, bd2
    dma.start tile1, bd3
    dma.start tile2, bd4
    dma.start shim0, bd5        // queued behind bd0; waits on ml2
    movi p0, A_DM
    movi p1, B_DM
    movi p2, C_DM
    movi r0, N/32
    acq l0, 1
    acq l1, 1
    loop r0, .Lend
    { vld wl0, [p0], 32 ; vld wl1, [p1], 32 }
    { vld wh0, [p0], 32 ; vld wh1, [p1], 32 }
    nop
    nop
    nop                         // the wh loads land 4 cycles after issue
    vadd.bf16 x2, x0, x1
    nop
    nop                         // vec_float latency 3
    vst wl2, [p2], 32
    vst wh2, [p2], 32
.Lend:
    rel l2, 1                   // C is complete: tile2 may move it out
    done                        // the DMA drains before the run ends
