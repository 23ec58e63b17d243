// One on-chip SRAM as a synchronous memory: DEPTH elements of W bits organised in rows of ROW
// elements (a Vector SRAM row is VLEN elements, a Matrix SRAM row one tile row of MLEN). Two
// row read ports with read enables and REGISTERED read data (address in one clock, data from
// the next edge on, held until the port's next read), and one row write port with
// per-element enables. A read and a write of the same row in one clock read the old data.
//
// The array is also reachable from the testbench (verilator public) as a backdoor: it is
// loaded before reset is released and read back after the run, which is how the wrapper
// moves MachineState in and out.
module plena_sram #(
  parameter int DEPTH = 1024,
  parameter int W = 16,
  parameter int ROW = 16
) (
  input  logic clk,
  input  logic re_a,
  input  logic [31:0] rd_row_a,
  output logic [ROW-1:0][W-1:0] rdata_a,
  input  logic re_b,
  input  logic [31:0] rd_row_b,
  output logic [ROW-1:0][W-1:0] rdata_b,
  input  logic we,
  input  logic [31:0] wr_row,
  input  logic [ROW-1:0] wr_en,
  input  logic [ROW-1:0][W-1:0] wdata
);
  localparam int ROWS = DEPTH / ROW;

  logic [W-1:0] mem [DEPTH] /*verilator public_flat_rw*/;

  // Out-of-range rows read as zero and are never written; the core checks every address
  // before a unit uses it.
  always_ff @(posedge clk) begin
    if (re_a)
      for (int l = 0; l < ROW; l++) rdata_a[l] <= rd_row_a < ROWS ? mem[rd_row_a * ROW + l] : '0;
    if (re_b)
      for (int l = 0; l < ROW; l++) rdata_b[l] <= rd_row_b < ROWS ? mem[rd_row_b * ROW + l] : '0;
    if (we && wr_row < ROWS)
      for (int l = 0; l < ROW; l++)
        if (wr_en[l]) mem[wr_row * ROW + l] <= wdata[l];
  end
endmodule
