// HBM unit: H_PREFETCH_M, H_PREFETCH_V and H_STORE_V (docs/plena-model.md, "HBM unit").
//
// The data is moved when the instruction issues. That is indistinguishable from moving it at
// the transfer's start/completion, because every later instruction that touches a pending
// range (the SRAM destination of a prefetch, the HBM bytes of a store) waits for completion,
// and a prefetch's HBM source is read before any later store can complete (the channel is
// FIFO). Only the timing is asynchronous: the DMA engine tracks when each transfer is done.
#include <string>

#include "exec_context.h"
#include "plena/hbm_codec.h"

namespace plena {
namespace {

// Where the rows of one transfer live in HBM.
struct HbmRows {
  HbmFormat format = HbmFormat::Mxfp8;
  uint64_t base = 0;        // a-register value
  uint64_t scale_base = 0;  // base + SCALE_REG
  uint64_t first = 0;       // element offset of row 0 (gp[rs1])
  uint64_t pitch = 0;       // elements between row starts
  uint64_t rows = 0;
  uint64_t row_elems = 0;

  uint64_t offset(uint64_t r) const { return first + r * pitch; }  // < 2^45: no overflow
};

HbmFormat format_for(const HardwareConfig& config, bool kv, HbmFormat default_format) {
  return kv ? config.kv_format : default_format;
}

// Fills everything but rows/row_elems/pitch from the operands; traps on an unset a-register
// or a scale base beyond 64 bits.
bool hbm_operands(ExecContext& c, const Instruction& in, HbmFormat default_format,
                  HbmRows& out) {
  if (!c.address_register(in.rs2, out.base)) return false;
  out.format = format_for(c.config, in.funct1 != 0, default_format);
  out.first = c.gp(in.rs1);
  const uint64_t scale_offset = c.state.scale_offset;
  if (out.base > ~uint64_t{0} - scale_offset)
    return c.fail_at(TrapKind::AddressOutOfRange, Memory::Hbm, out.base,
                     std::string(c.mnemonic()) + ": a" + std::to_string(in.rs2) +
                         " + SCALE_REG does not fit in 64 bits");
  out.scale_base = out.base + scale_offset;
  return true;
}

bool row_span(ExecContext& c, const HbmRows& rows, uint64_t r, bool write, HbmSpan& span) {
  const bool ok = write ? hbm_write_span(rows.format, rows.base, rows.scale_base, rows.offset(r),
                                         rows.row_elems, span)
                        : hbm_read_span(rows.format, rows.base, rows.scale_base, rows.offset(r),
                                        rows.row_elems, span);
  if (ok) return true;
  return c.fail_at(TrapKind::AddressOutOfRange, Memory::Hbm, rows.base,
                   std::string(c.mnemonic()) + ": HBM address of row " + std::to_string(r) +
                       " does not fit in 64 bits");
}

// Bounds-checks (and waits for pending stores on) every HBM byte the rows touch; returns the
// total byte count, scales included, through `bytes`, and each row's span in c.row_spans.
bool check_hbm_rows(ExecContext& c, const HbmRows& rows, bool write, uint64_t& bytes) {
  const Access kind = write ? Access::Write : Access::Read;
  bytes = 0;
  c.row_spans.resize(rows.rows);
  for (uint64_t r = 0; r < rows.rows; ++r) {
    HbmSpan& span = c.row_spans[r];
    if (!row_span(c, rows, r, write, span)) return false;
    if (!c.access(Memory::Hbm, span.elem_addr, span.elem_bytes, kind)) return false;
    if (span.scale_bytes && !c.access(Memory::Hbm, span.scale_addr, span.scale_bytes, kind))
      return false;
    bytes += span.total_bytes();
  }
  return true;
}

// MX quantisation needs whole blocks, so each stored row must start on a block boundary.
bool check_store_alignment(ExecContext& c, const HbmRows& rows) {
  if (rows.format != HbmFormat::Mxfp8) return true;
  for (uint64_t r = 0; r < rows.rows; ++r) {
    const uint64_t offset = rows.offset(r);
    if (offset % numerics::kMxBlock == 0) continue;
    return c.fail_at(TrapKind::MisalignedAddress, Memory::Hbm, rows.base + offset,
                     std::string(c.mnemonic()) + " row " + std::to_string(r) +
                         " starts at element offset " + std::to_string(offset) +
                         ", which is not a multiple of 8 (an MXFP8 block of 8 elements shares "
                         "one scale, so stores must write whole blocks)");
  }
  return true;
}

// Waits for a DMA queue slot, then queues the transfer with its pending ranges.
template <typename AddPending>
void enqueue(ExecContext& c, uint64_t bytes, AddPending add_pending) {
  c.ready = c.dma.slot_free_time(c.ready);
  c.dma.begin_transfer();
  add_pending(c.dma);
  c.dma.commit_transfer(c.ready + c.op->latency, bytes);
}

// Shared by both prefetches: HBM rows -> `rows.rows` consecutive SRAM rows of row_elems.
bool prefetch(ExecContext& c, Memory sram, float* sram_data, uint64_t dst, const HbmRows& rows) {
  uint64_t bytes = 0;
  if (!c.access(sram, dst, rows.rows * rows.row_elems, Access::Write)) return false;
  if (!check_hbm_rows(c, rows, false, bytes)) return false;
  for (uint64_t r = 0; r < rows.rows; ++r)
    read_hbm_span(c.state.hbm, rows.format, c.row_spans[r], rows.offset(r), sram_data + dst + r * rows.row_elems,
                  rows.row_elems);
  c.result.hbm_bytes_read += bytes;
  const uint64_t dst_end = dst + rows.rows * rows.row_elems;
  enqueue(c, bytes, [&](DmaEngine& dma) { dma.add_pending(sram, dst, dst_end); });
  return true;
}

bool exec_h_prefetch_m(ExecContext& c, const Instruction& in) {
  HbmRows rows;
  if (!hbm_operands(c, in, c.config.weight_format, rows)) return false;
  rows.rows = c.mlen;
  rows.row_elems = c.mlen;
  rows.pitch = in.rs3 != 0 ? c.state.stride : c.mlen;
  const uint64_t dst = c.gp(in.rd);
  if (!c.aligned(Memory::MatrixSram, dst, c.mlen * c.mlen, "destination tile address", "MLEN*MLEN"))
    return false;
  return prefetch(c, Memory::MatrixSram, c.msram(), dst, rows);
}

bool exec_h_prefetch_v(ExecContext& c, const Instruction& in) {
  HbmRows rows;
  if (!hbm_operands(c, in, c.config.activation_format, rows)) return false;
  rows.rows = in.rs3 != 0 ? c.config.v_prefetch_rows : 1;
  rows.row_elems = c.vlen;
  rows.pitch = c.state.stride;
  const uint64_t dst = c.gp(in.rd);
  if (!c.aligned(Memory::VectorSram, dst, c.vlen, "destination address", "VLEN")) return false;
  return prefetch(c, Memory::VectorSram, c.vsram(), dst, rows);
}

bool exec_h_store_v(ExecContext& c, const Instruction& in) {
  HbmRows rows;
  if (!hbm_operands(c, in, c.config.activation_format, rows)) return false;
  rows.rows = in.rs3 != 0 ? c.config.v_writeback_rows : 1;
  rows.row_elems = c.vlen;
  rows.pitch = c.state.stride;
  const uint64_t src = c.gp(in.rd);
  if (!c.aligned(Memory::VectorSram, src, c.vlen, "source address", "VLEN")) return false;
  if (!c.access(Memory::VectorSram, src, rows.rows * c.vlen, Access::Read)) return false;
  if (!check_store_alignment(c, rows)) return false;
  uint64_t bytes = 0;
  if (!check_hbm_rows(c, rows, true, bytes)) return false;
  std::string error;  // cannot be set: every span and row alignment was checked above
  for (uint64_t r = 0; r < rows.rows; ++r)
    write_hbm_tensor(c.state.hbm, rows.format, rows.base, rows.scale_base, rows.offset(r),
                     c.vsram() + src + r * c.vlen, c.vlen, error);
  c.result.hbm_bytes_written += bytes;
  // The HBM bytes stay pending until the store completes: later readers of them wait.
  // Element ranges first, then scale ranges, so that consecutive rows merge into one range.
  enqueue(c, bytes, [&](DmaEngine& dma) {
    for (const bool scales : {false, true})
      for (uint64_t r = 0; r < rows.rows; ++r) {
        HbmSpan span;
        hbm_write_span(rows.format, rows.base, rows.scale_base, rows.offset(r), rows.row_elems,
                       span);
        if (scales) dma.add_pending(Memory::Hbm, span.scale_addr, span.scale_addr + span.scale_bytes);
        else dma.add_pending(Memory::Hbm, span.elem_addr, span.elem_addr + span.elem_bytes);
      }
  });
  return true;
}

}  // namespace

void register_memory_ops(DispatchTable& t) {
  auto set = [&t](Opcode op, ExecFn fn) { t[static_cast<uint8_t>(op)] = fn; };
  set(Opcode::H_PREFETCH_M, exec_h_prefetch_m);
  set(Opcode::H_PREFETCH_V, exec_h_prefetch_v);
  set(Opcode::H_STORE_V, exec_h_store_v);
}

}  // namespace plena
