// Timing side of the DMA engine: the single FIFO HBM channel and the queue of in-flight
// transfers with their pending ranges. A transfer starts when its instruction has issued and
// the channel is free, holds the channel for ceil(bytes / bandwidth) cycles and completes
// hbm_latency cycles later. Completion times are non-decreasing in issue order, so the oldest
// entry is always the next to complete and the queue is a ring retired from its head.
module plena_dma_queue #(
  parameter int QMAX = 16,   // largest dma_queue_depth supported
  parameter int RMAX = 16,   // pending ranges per transfer (a store: 2 per row)
  parameter int NACC = 33    // ranges one instruction may touch
) (
  input  logic clk,
  input  logic rst,
  input  logic [63:0] cycle,            // architectural cycle
  input  logic [31:0] depth,            // runtime dma_queue_depth (1..QMAX)
  input  logic [31:0] hbm_latency,
  input  logic [31:0] bytes_per_cycle,  // >= 1
  // Scoreboard query: the latest completion among in-flight transfers whose pending ranges
  // overlap any of the instruction's ranges; valid the clock after `query`.
  input  logic query,
  input  logic [NACC-1:0][2:0] q_mem,
  input  logic [NACC-1:0][63:0] q_lo,
  input  logic [NACC-1:0][63:0] q_hi,
  input  logic [7:0] q_count,
  output logic [63:0] overlap_ready,
  // True when one more transfer fits at `cycle`.
  output logic slot_free,
  // Enqueue a transfer whose issue ends at `issue_end`.
  input  logic commit,
  input  logic [63:0] issue_end,
  input  logic [63:0] bytes,
  input  logic [RMAX-1:0][2:0] p_mem,
  input  logic [RMAX-1:0][63:0] p_lo,
  input  logic [RMAX-1:0][63:0] p_hi,
  input  logic [7:0] p_count,
  output logic [63:0] last_done
);
  logic [63:0] done_at [QMAX];
  logic [2:0] r_mem [QMAX][RMAX];
  logic [63:0] r_lo [QMAX][RMAX];
  logic [63:0] r_hi [QMAX][RMAX];
  logic [7:0] r_count [QMAX];
  logic [31:0] head, count;
  logic [63:0] channel_free;

  function automatic logic [31:0] wrap(input logic [31:0] i);
    return i >= QMAX ? i - QMAX : i;
  endfunction

  assign slot_free = count < depth || done_at[head] <= cycle;

  always_ff @(posedge clk) begin
    if (rst) begin
      head <= 0;
      count <= 0;
      channel_free <= 0;
      last_done <= 0;
      overlap_ready <= 0;
    end else begin
      logic [31:0] h, c, slot;
      logic [63:0] start, done, ready;
      h = head;
      c = count;
      if (c > 0 && done_at[h] <= cycle) begin  // retire the oldest completed transfer
        h = wrap(h + 1);
        c = c - 1;
      end
      if (query) begin
        ready = 0;
        for (int e = 0; e < QMAX; e++) begin
          if (e >= c) continue;
          slot = wrap(h + e);
          if (done_at[slot] <= ready) continue;  // waiting for it would change nothing
          for (int r = 0; r < RMAX; r++) begin
            if (r >= r_count[slot]) continue;
            for (int a = 0; a < NACC; a++)
              if (a < q_count && q_mem[a] == r_mem[slot][r] && r_lo[slot][r] < q_hi[a] &&
                  q_lo[a] < r_hi[slot][r] && done_at[slot] > ready)
                ready = done_at[slot];
          end
        end
        overlap_ready <= ready;
      end
      if (commit) begin
        if (c == depth) begin  // the core only commits with a slot free: the head is done
          h = wrap(h + 1);
          c = c - 1;
        end
        slot = wrap(h + c);
        start = issue_end > channel_free ? issue_end : channel_free;
        done = start + (bytes + 64'(bytes_per_cycle) - 1) / 64'(bytes_per_cycle);
        channel_free <= done;
        done = done + 64'(hbm_latency);
        done_at[slot] <= done;
        last_done <= done;
        r_count[slot] <= p_count;
        for (int r = 0; r < RMAX; r++) begin
          r_mem[slot][r] <= p_mem[r];
          r_lo[slot][r] <= p_lo[r];
          r_hi[slot][r] <= p_hi[r];
        end
        c = c + 1;
      end
      head <= h;
      count <= c;
    end
  end
endmodule
