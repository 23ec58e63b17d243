// Data side of the DMA engine: moves the rows of one H_PREFETCH_M / H_PREFETCH_V / H_STORE_V
// between HBM (through the byte-wide request/response port the testbench serves) and the
// SRAMs, dequantising MX FP8 / BF16 on the way in and quantising on the way out.
//
// Like sim/plena, the data moves when the instruction issues; every later access to a
// pending range waits for the transfer's completion time (plena_dma_queue), so the results
// are the same as moving it at completion. The core's architectural clock is held while the
// rows move.
//
// HBM port: the request (valid, we, addr, wdata) is registered; a read's data comes back on
// rsp_valid/rsp_data in the following clock, in request order.
module plena_dma
  import plena_isa_pkg::*;
  import plena_fp_pkg::*;
#(
  parameter int VLEN = 16,
  parameter int MLEN = 16
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
  output logic done,
  // HBM port.
  output logic hbm_req_valid,
  output logic hbm_req_we,
  output logic [63:0] hbm_req_addr,
  output logic [7:0] hbm_req_wdata,
  input  logic hbm_rsp_valid,
  input  logic [7:0] hbm_rsp_data,
  // Vector SRAM read port (stores), Vector / Matrix SRAM write ports (prefetches).
  output logic [31:0] v_rd_row,
  input  logic [VLEN-1:0][15:0] v_rdata,
  output logic v_we,
  output logic m_we,
  output logic [31:0] wr_row,
  output logic [MLEN-1:0][15:0] wdata
);
  localparam int N = MLEN > VLEN ? MLEN : VLEN;  // elements per row
  localparam int MAXB = 2 * N + N / 8 + 2;        // bytes one row touches

  typedef enum logic [2:0] {IDLE, SETUP, XFER, WRITE_ROW, FINISH} state_t;
  state_t state;

  logic [5:0] op;
  logic [31:0] r, nbytes, req_i, rsp_i, nscales;
  logic [63:0] addr_list [MAXB];
  logic [7:0] data_list [MAXB];
  logic [63:0] offset;

  function automatic logic is_store(input logic [5:0] o);
    return o == OP_H_STORE_V;
  endfunction

  assign v_rd_row = sram_row0 + r;
  assign wr_row = sram_row0 + r;

  // The SRAM row a prefetch writes, decoded from the fetched bytes.
  always_comb begin
    wdata = '0;
    for (int i = 0; i < N; i++) begin
      if (bf16_format) wdata[i] = {data_list[2 * i + 1], data_list[2 * i]};
      else wdata[i] = mx_dequantize(data_list[nscales + i],
                                    data_list[32'((offset + 64'(i)) / 8 - offset / 8)]);
    end
  end

  // Byte list of row r: a prefetch reads its scales, then its elements; a store writes each
  // MX block's eight elements and then its scale byte, in sim/plena's order.
  task automatic setup_row(input logic [63:0] off);
    logic [63:0] eb;
    logic [31:0] n;
    n = 0;
    eb = bf16_format ? 2 : 1;
    nscales = 0;
    if (!is_store(op)) begin
      if (!bf16_format) begin
        for (logic [63:0] s = off / 8; s <= (off + N - 1) / 8; s++) begin
          addr_list[n] = scale_base + s;
          n = n + 1;
        end
        nscales = n;
      end
      for (int i = 0; i < N * int'(eb); i++) begin
        addr_list[n] = base + off * eb + 64'(i);
        n = n + 1;
      end
    end else if (bf16_format) begin
      for (int i = 0; i < N; i++) begin
        addr_list[n] = base + (off + 64'(i)) * 2;
        data_list[n] = v_rdata[i][7:0];
        addr_list[n + 1] = base + (off + 64'(i)) * 2 + 1;
        data_list[n + 1] = v_rdata[i][15:8];
        n = n + 2;
      end
    end else begin
      for (int b = 0; b < (N + 7) / 8; b++) begin
        logic [7:0][31:0] vals;
        mx_block_t blk;
        for (int i = 0; i < 8; i++)
          vals[i] = b * 8 + i < N ? bf16_to_f32(v_rdata[b * 8 + i]) : 32'h0;
        blk = mx_quantize(vals);
        for (int i = 0; i < 8; i++) begin
          addr_list[n] = base + off + 64'(b * 8 + i);
          data_list[n] = blk.elems[i];
          n = n + 1;
        end
        addr_list[n] = scale_base + off / 8 + 64'(b);
        data_list[n] = blk.scale;
        n = n + 1;
      end
    end
    nbytes = n;
  endtask

  always_ff @(posedge clk) begin
    done <= 1'b0;
    hbm_req_valid <= 1'b0;
    hbm_req_we <= 1'b0;
    v_we <= 1'b0;
    m_we <= 1'b0;
    if (rst) begin
      state <= IDLE;
    end else begin
      case (state)
        IDLE:
          if (start) begin
            op <= opcode;
            r <= 0;
            state <= SETUP;
          end
        SETUP: begin
          offset <= first + 64'(r) * pitch;
          setup_row(first + 64'(r) * pitch);
          req_i <= 0;
          rsp_i <= 0;
          state <= XFER;
        end
        XFER: begin
          if (req_i < nbytes) begin
            hbm_req_valid <= 1'b1;
            hbm_req_we <= is_store(op);
            hbm_req_addr <= addr_list[req_i];
            hbm_req_wdata <= data_list[req_i];
            req_i <= req_i + 1;
          end
          if (hbm_rsp_valid) begin
            data_list[rsp_i] = hbm_rsp_data;
            rsp_i <= rsp_i + 1;
          end
          if (is_store(op) ? req_i + 1 >= nbytes : rsp_i == nbytes) state <= WRITE_ROW;
        end
        WRITE_ROW: begin
          if (!is_store(op)) begin
            v_we <= op == OP_H_PREFETCH_V;
            m_we <= op == OP_H_PREFETCH_M;
          end
          state <= FINISH;
        end
        FINISH:
          if (r + 1 >= rows) begin
            done <= 1'b1;
            state <= IDLE;
          end else begin
            r <= r + 1;
            state <= SETUP;
          end
        default: state <= IDLE;
      endcase
    end
  end
endmodule
