// Data side of the DMA engine: moves the rows of one H_PREFETCH_M / H_PREFETCH_V / H_STORE_V
// between HBM and the SRAMs over the HBM request/response bus, dequantising MX FP8 (or
// unpacking BF16) beat by beat on the way in and quantising beat by beat on the way out.
//
// HBM bus: one beat per clock of up to `beat_bytes` (= hbm_bytes_per_cycle, at most MAXW)
// consecutive bytes: request {valid, we, addr, len, wdata}; a read's data comes back on
// {rsp_valid, rsp_data} in the next clock, in request order. The testbench's C++ memory model
// serves the bus every clock.
//
// Per row: (store) ROW_RD reads the Vector SRAM row through the registered read port; SETUP
// lays the row's HBM accesses out as segments of consecutive bytes, in sim/plena's order
// (prefetch: the MX scales, then the elements; store: each MX block's eight elements, then
// its scale byte; BF16: the row's bytes); XFER cuts the segments into beats (a beat never
// crosses a segment, so overlapping write segments land in sim/plena's order); WRITE_ROW
// writes a prefetched row into its SRAM.
//
// Like sim/plena, the data moves when the instruction issues; every later access to a pending
// range waits for the transfer's completion time (plena_dma_queue), so the results are the
// same as moving it at completion.
module plena_dma
  import plena_isa_pkg::*;
  import plena_fp_pkg::*;
#(
  parameter int VLEN = 16,
  parameter int MLEN = 16,
  parameter int MAXW = 64             // widest HBM beat, bytes
) (
  input  logic clk,
  input  logic rst,
  input  logic start,
  input  logic [5:0] opcode,
  input  logic bf16_format,          // 0: MXFP8, 1: BF16
  input  logic [63:0] base,          // a-register
  input  logic [63:0] scale_base,    // a-register + SCALE_REG
  input  logic [63:0] first,         // element offset of row 0
  input  logic [63:0] pitch,         // elements between row starts
  input  logic [31:0] rows,
  input  logic [31:0] sram_row0,     // first SRAM row (in rows of the SRAM's width)
  input  logic [31:0] beat_bytes,    // hbm_bytes_per_cycle (>= 1)
  output logic busy,
  // HBM bus.
  output logic hbm_req_valid,
  output logic hbm_req_we,
  output logic [63:0] hbm_req_addr,
  output logic [7:0] hbm_req_len,
  output logic [MAXW-1:0][7:0] hbm_req_wdata,
  input  logic hbm_rsp_valid,
  input  logic [MAXW-1:0][7:0] hbm_rsp_data,
  // Vector SRAM read port (stores), Vector / Matrix SRAM write ports (prefetches).
  output logic v_re,
  output logic [31:0] v_rd_row,
  input  logic [VLEN-1:0][15:0] v_rdata,
  output logic v_we,
  output logic m_we,
  output logic [31:0] wr_row,
  output logic [MLEN-1:0][15:0] wdata
);
  localparam int N = MLEN > VLEN ? MLEN : VLEN;  // elements per row
  localparam int NB = (N + 7) / 8;                // MX blocks per row
  localparam int NSEG = 2 * NB;
  localparam int NSC = NB + 1;                    // scale bytes an unaligned row may touch

  typedef enum logic [2:0] {IDLE, ROW_RD, SETUP, XFER, WRITE_ROW, NEXT} state_t;
  typedef enum logic [2:0] {K_SCALES, K_ELEMS, K_BF16, K_QELEMS, K_QSCALE} kind_t;
  state_t state;

  logic [5:0] op;
  logic [31:0] r;
  logic [63:0] offset;
  logic [63:0] seg_addr [NSEG];
  logic [31:0] seg_len [NSEG];
  logic [31:0] seg_idx [NSEG];
  kind_t seg_kind [NSEG];
  logic [31:0] nseg, si, so, width;
  logic rd_inflight;
  kind_t r_kind;
  logic [31:0] r_off, r_n, r_idx;
  logic [15:0] row [N];             // the row being moved (SRAM side)
  logic [7:0] scales [NSC];         // a prefetched row's MX scales

  function automatic logic is_store(input logic [5:0] o);
    return o == OP_H_STORE_V;
  endfunction

  assign busy = state != IDLE;
  assign v_re = state == ROW_RD;
  assign v_rd_row = sram_row0 + r;
  assign wr_row = sram_row0 + r;
  always_comb for (int i = 0; i < MLEN; i++) wdata[i] = row[i];
  assign v_we = state == WRITE_ROW && op == OP_H_PREFETCH_V;
  assign m_we = state == WRITE_ROW && op == OP_H_PREFETCH_M;

  // The quantiser of the store datapath: MX block `b` of the row being stored.
  function automatic mx_block_t quantize_block(input logic [31:0] b);
    logic [7:0][31:0] vals;
    for (int i = 0; i < 8; i++)
      vals[i] = b * 8 + 32'(i) < N ? bf16_to_f32(row[b * 8 + 32'(i)]) : 32'h0;
    return mx_quantize(vals);
  endfunction

  always_ff @(posedge clk) begin
    hbm_req_valid <= 1'b0;
    hbm_req_we <= 1'b0;
    rd_inflight <= 1'b0;
    if (rst) begin
      state <= IDLE;
    end else begin
      // Read data of the previous clock's beat: unpack / dequantise into the row.
      if (rd_inflight && hbm_rsp_valid) begin
        logic [15:0] nrow [N];
        logic [7:0] nsc [NSC];
        for (int i = 0; i < N; i++) nrow[i] = row[i];
        for (int i = 0; i < NSC; i++) nsc[i] = scales[i];
        for (int m = 0; m < MAXW; m++) begin
          logic [31:0] q;
          q = r_off + 32'(m);
          if (32'(m) < r_n)
            case (r_kind)
              K_SCALES: nsc[q] = hbm_rsp_data[m];
              K_ELEMS: nrow[q] = mx_dequantize(hbm_rsp_data[m],
                                               nsc[32'((offset + 64'(q)) / 8 - offset / 8)]);
              default: if (q[0]) nrow[q / 2][15:8] = hbm_rsp_data[m];  // K_BF16
                       else nrow[q / 2][7:0] = hbm_rsp_data[m];
            endcase
        end
        for (int i = 0; i < N; i++) row[i] <= nrow[i];
        for (int i = 0; i < NSC; i++) scales[i] <= nsc[i];
      end
      case (state)
        IDLE:
          if (start) begin
            op <= opcode;
            r <= 0;
            width <= beat_bytes > MAXW ? MAXW : beat_bytes;
            state <= is_store(opcode) ? ROW_RD : SETUP;
          end
        ROW_RD: state <= SETUP;
        SETUP: begin
          logic [63:0] off, eb;
          int n;
          off = first + 64'(r) * pitch;
          eb = bf16_format ? 2 : 1;
          offset <= off;
          if (is_store(op)) for (int i = 0; i < N; i++) row[i] <= v_rdata[i];
          n = 0;
          if (bf16_format) begin
            seg_addr[0] <= base + off * 2;
            seg_len[0] <= 2 * N;
            seg_kind[0] <= K_BF16;
            n = 1;
          end else if (!is_store(op)) begin
            seg_addr[0] <= scale_base + off / 8;
            seg_len[0] <= 32'((off + N - 1) / 8 - off / 8 + 1);
            seg_kind[0] <= K_SCALES;
            seg_addr[1] <= base + off;
            seg_len[1] <= N;
            seg_kind[1] <= K_ELEMS;
            n = 2;
          end else begin
            for (int b = 0; b < NB; b++) begin
              seg_addr[2 * b] <= base + off + 64'(b * 8);
              seg_len[2 * b] <= 8;
              seg_kind[2 * b] <= K_QELEMS;
              seg_idx[2 * b] <= b;
              seg_addr[2 * b + 1] <= scale_base + off / 8 + 64'(b);
              seg_len[2 * b + 1] <= 1;
              seg_kind[2 * b + 1] <= K_QSCALE;
              seg_idx[2 * b + 1] <= b;
            end
            n = NSEG;
          end
          nseg <= n;
          si <= 0;
          so <= 0;
          state <= XFER;
        end
        XFER:
          if (si < nseg) begin
            logic [31:0] n;
            n = seg_len[si] - so < width ? seg_len[si] - so : width;
            hbm_req_valid <= 1'b1;
            hbm_req_we <= is_store(op);
            hbm_req_addr <= seg_addr[si] + 64'(so);
            hbm_req_len <= 8'(n);
            if (is_store(op)) begin
              // One beat of write data: BF16 bytes, or the beat's MX block through the quantiser.
              mx_block_t blk;
              logic [MAXW-1:0][7:0] beat;
              blk = seg_kind[si] == K_BF16 ? '0 : quantize_block(seg_idx[si]);
              beat = '0;
              for (int m = 0; m < MAXW; m++) begin
                logic [31:0] q;
                q = so + 32'(m);
                if (32'(m) >= n) break;
                if (seg_kind[si] == K_BF16) beat[m] = q[0] ? row[q / 2][15:8] : row[q / 2][7:0];
                else if (seg_kind[si] == K_QSCALE) beat[m] = blk.scale;
                else beat[m] = blk.elems[q[2:0]];
              end
              hbm_req_wdata <= beat;
            end
            rd_inflight <= !is_store(op);
            r_kind <= seg_kind[si];
            r_off <= so;
            r_n <= n;
            if (so + n == seg_len[si]) begin
              si <= si + 1;
              so <= 0;
            end else so <= so + n;
          end else if (!rd_inflight) state <= is_store(op) ? NEXT : WRITE_ROW;
        WRITE_ROW: state <= NEXT;
        NEXT:
          if (r + 1 >= rows) state <= IDLE;
          else begin
            r <= r + 1;
            state <= is_store(op) ? ROW_RD : SETUP;
          end
        default: state <= IDLE;
      endcase
    end
  end
endmodule
