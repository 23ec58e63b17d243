// C[M][N] = A[M][K] * B[K][N], bf16 in and out, fp32 accumulation; all row-major in DDR.
// The DMA reshapes on the way in (A into 4x8 blocks, B into 4-column strips, i.e. 8x4
// blocks), the core runs mmac.bf16 over K, and the DMA writes 4x4 result blocks back
// row-major. A block-rows (4 x K) and C block-rows (4 x N) are double-buffered with
// lock pairs: empty/full semaphores, the producer acquires "empty" and releases "full".
.equ M, 16
.equ K, 64
.equ N, 32
.equ A_DDR,  0x0000          // M*K*2 = 2048 bytes
.equ B_DDR,  0x1000          // K*N*2 = 4096 bytes
.equ C_DDR,  0x2000          // M*N*2 = 1024 bytes
.equ A_MEM,  0x0000
.equ B_MEM,  0x1000
.equ C_MEM,  0x2000
.equ B_DM,   0x0000          // K*N*2 bytes: N/4 strips of K x 4
.equ A_PING, 0x1000          // 4*K*2 = 512 bytes each
.equ A_PONG, 0x1200
.equ C_PING, 0x1400          // 4*N*2 = 256 bytes each
.equ C_PONG, 0x1500
.equ AROW,   4*K*2           // bytes of one A block-row
.equ CROW,   4*N*2           // bytes of one C block-row

.lock l0, 0                  // B is in data memory
.lock l1, 2                  // A buffers empty
.lock l2, 0                  // A buffers full
.lock l3, 2                  // C buffers empty
.lock l4, 0                  // C buffers full

// DDR -> memory tile. B is rearranged into strips of 4 columns: word (i0, k, strip).
.bd 0 src=ddr:A_DDR dst=mem:A_MEM size=M*K/2
.bd 1 src=ddr:B_DDR dst=mem:B_MEM size=2,K,N/4 src_stride=1,N/2,2
// memory tile -> data memory
.bd 2 src=mem:B_MEM dst=dm:B_DM size=K*N/2 rel=l0:1
// A block-row r: 4 words of a row (8 values) x 4 rows x K/8 blocks, into 4x8 blocks
.bd 3 src=mem:A_MEM+0*AROW dst=dm:A_PING size=4,4,K/8 src_stride=1,K/2,4 acq=l1:1 rel=l2:1 next=4
.bd 4 src=mem:A_MEM+1*AROW dst=dm:A_PONG size=4,4,K/8 src_stride=1,K/2,4 acq=l1:1 rel=l2:1 next=5
.bd 5 src=mem:A_MEM+2*AROW dst=dm:A_PING size=4,4,K/8 src_stride=1,K/2,4 acq=l1:1 rel=l2:1 next=6
.bd 6 src=mem:A_MEM+3*AROW dst=dm:A_PONG size=4,4,K/8 src_stride=1,K/2,4 acq=l1:1 rel=l2:1
// data memory (N/4 blocks of 4x4) -> memory tile row-major
.bd 7  src=dm:C_PING dst=mem:C_MEM+0*CROW size=2,4,N/4 dst_stride=1,N/2,2 acq=l4:1 rel=l3:1 next=8
.bd 8  src=dm:C_PONG dst=mem:C_MEM+1*CROW size=2,4,N/4 dst_stride=1,N/2,2 acq=l4:1 rel=l3:1 next=9
.bd 9  src=dm:C_PING dst=mem:C_MEM+2*CROW size=2,4,N/4 dst_stride=1,N/2,2 acq=l4:1 rel=l3:1 next=10
.bd 10 src=dm:C_PONG dst=mem:C_MEM+3*CROW size=2,4,N/4 dst_stride=1,N/2,2 acq=l4:1 rel=l3:1
// memory tile -> DDR
.bd 11 src=mem:C_MEM dst=ddr:C_DDR size=M*N/2

    dma.start shim0, bd0
    dma.start shim1, bd1
    dma.start tile2, bd7        // waits for the first full C buffer
    dma.wait shim1
    dma.start tile0, bd2        // B: memory tile -> data memory
    dma.wait shim0
    dma.start tile1, bd3        // A block-rows, chained 3 -> 4 -> 5 -> 6
    movi r0, 0
    vbcst.bf16 x11, r0          // x11 = zeros, to clear accumulators
    movi r4, A_PING             // current A buffer
    movi r5, C_PING             // current C buffer
    movi r7, 0x200              // A_PING xor A_PONG: xor toggles between them
    movi r8, 0x100              // C_PING xor C_PONG
    movi r2, M/4                // block-rows left
    acq l0, 1                   // B is in data memory
.Lrow:
    acq l2, 1                   // an A block-row is ready
    acq l3, 1                   // a C buffer is free
    movi r6, N/4                // column blocks left
    mov p2, r5
    movi p1, B_DM               // strips are consecutive: p1 just runs on
.Lcol:
    { mov p0, r4 ; vups.bf16 cm0, x11 }
    loop K/8, .Lk_end
    vldx x0, [p0], 64           // A block (4x8)
    vldx x1, [p1], 64           // B block (8x4)
    nop
    nop
    nop                         // x1 lands 4 cycles after its load
    mmac.bf16 cm0, x0, x1
.Lk_end:
    nop
    nop
    nop
    nop                         // mac_bf16 latency 5
    vsrs.bf16 x2, cm0           // lanes 0..15 = the 4x4 block
    nop
    nop                         // srs latency 3
    { vst wl2, [p2], 32 ; sub r6, r6, 1 }
    jnz r6, .Lcol
    rel l1, 1                   // the A buffer may be refilled
    rel l4, 1                   // the C buffer may be written out
    xor r4, r4, r7
    xor r5, r5, r8
    sub r2, r2, 1
    jnz r2, .Lrow
    dma.wait tile2              // every C block-row is in the memory tile
    dma.start shim0, bd11
    done
