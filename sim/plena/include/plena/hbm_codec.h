// Tensors in HBM, in the two element formats a PLENA preset can choose per transfer class.
//
// The simulator's H_PREFETCH_* / H_STORE_V and the harness (laying out inputs, reading results)
// both go through these functions, so HBM bytes mean the same thing on both sides.
//
// Layout of an n-element tensor whose first element sits at element offset `elem_offset`
// from an a-register base `base`:
//   MXFP8: element i is one E4M3 byte at  base + elem_offset + i;
//          its E8M0 scale is the byte at  scale_base + (elem_offset + i) / 8,
//          where scale_base = base + SCALE_REG. Blocks of 8 are counted from `base`.
//   BF16:  element i is two bytes, little endian, at base + 2 * (elem_offset + i); no scales.
//
// Every function is bounds-checked with overflow-safe 64-bit arithmetic and never touches
// memory outside `hbm`; on failure it returns false, leaves `hbm` unchanged and explains why.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "plena/hardware_config.h"
#include "plena/hbm_bytes.h"

namespace plena {

// Bytes one element occupies in HBM (scales not included): 1 for MXFP8, 2 for BF16.
uint32_t hbm_element_bytes(HbmFormat format);
const char* hbm_format_name(HbmFormat format);  // "mxfp8" / "bf16"

// The HBM bytes a tensor access touches: [elem_addr, elem_addr + elem_bytes) and, for MXFP8,
// [scale_addr, scale_addr + scale_bytes). Byte counts are 0 for an empty access.
struct HbmSpan {
  uint64_t elem_addr = 0, elem_bytes = 0;
  uint64_t scale_addr = 0, scale_bytes = 0;
  uint64_t total_bytes() const { return elem_bytes + scale_bytes; }
};

// Span read by `read_hbm_tensor` with the same arguments. False only when an address does not
// fit in 64 bits.
bool hbm_read_span(HbmFormat format, uint64_t base, uint64_t scale_base, uint64_t elem_offset,
                   uint64_t n, HbmSpan& out);

// Span written by `write_hbm_tensor`. MXFP8 writes cover whole blocks: a final partial block
// (n % 8 != 0) is padded with zero elements, so its element range is rounded up to a multiple
// of 8 bytes. False when an address does not fit in 64 bits.
bool hbm_write_span(HbmFormat format, uint64_t base, uint64_t scale_base, uint64_t elem_offset,
                    uint64_t n, HbmSpan& out);

// Quantises values[0..n) (MXFP8: OCP MX, one shared scale per block of 8; BF16: RNE) into HBM.
// MXFP8 requires elem_offset % 8 == 0, because a block's scale depends on all of its elements;
// a final partial block is allowed and its missing elements are written as zero (see
// hbm_write_span). Values are taken as floats; BF16 rounding happens here.
bool write_hbm_tensor(HbmBytes& hbm, HbmFormat format, uint64_t base,
                      uint64_t scale_base, uint64_t elem_offset, const float* values,
                      std::size_t n, std::string& error);

// Dequantises n elements into out[0..n), each rounded to BF16 (MXFP8: elem * 2^(scale - 127)).
// Any element offset is allowed; a scale byte is shared by the elements of its block.
bool read_hbm_tensor(const HbmBytes& hbm, HbmFormat format, uint64_t base,
                     uint64_t scale_base, uint64_t elem_offset, float* out, std::size_t n,
                     std::string& error);

// read_hbm_tensor without the checks, for a span that hbm_read_span gave for the same format,
// elem_offset and n and that lies inside `hbm` (the simulator checks every row of a transfer
// before it moves any data, and then reads the rows through here).
void read_hbm_span(const HbmBytes& hbm, HbmFormat format, const HbmSpan& span, uint64_t elem_offset,
                   float* out, std::size_t n);

}  // namespace plena
