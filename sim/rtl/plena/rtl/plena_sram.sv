// One on-chip SRAM: DEPTH elements of W bits, accessed in rows of ROW elements (a Vector SRAM
// row is VLEN elements, a Matrix SRAM row is one tile row of MLEN). Two combinational row read
// ports and one write port with per-element enables. The array is also reachable from the
// testbench (verilator public) as a backdoor: it is loaded before reset is released and read
// back after the run, which is how the wrapper moves MachineState in and out.
module plena_sram #(
  parameter int DEPTH = 1024,
  parameter int W = 16,
  parameter int ROW = 16
) (
  input  logic clk,
  input  logic [31:0] rd_row_a,
  output logic [ROW-1:0][W-1:0] rdata_a,
  input  logic [31:0] rd_row_b,
  output logic [ROW-1:0][W-1:0] rdata_b,
  input  logic we,
  input  logic [31:0] wr_row,
  input  logic [ROW-1:0] wr_en,
  input  logic [ROW-1:0][W-1:0] wdata
);
  localparam int ROWS = DEPTH / ROW;

  logic [W-1:0] mem [DEPTH] /*verilator public_flat_rw*/;

  // Out-of-range rows read as zero; the core checks every address before it is used.
  always_comb begin
    for (int l = 0; l < ROW; l++) begin
      rdata_a[l] = rd_row_a < ROWS ? mem[rd_row_a * ROW + l] : '0;
      rdata_b[l] = rd_row_b < ROWS ? mem[rd_row_b * ROW + l] : '0;
    end
  end

  always_ff @(posedge clk) begin
    if (we && wr_row < ROWS)
      for (int l = 0; l < ROW; l++)
        if (wr_en[l]) mem[wr_row * ROW + l] <= wdata[l];
  end
endmodule
