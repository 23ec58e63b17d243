// Matrix unit: the systolic array's matmuls, matrix-vector products and accumulator
// write-outs (docs/plena-model.md, "Matrix unit").
//
// Products of two BF16 values are exact in float32 (8 x 8 significant bits), so whether the
// compiler fuses multiply and add cannot change any result: each accumulator element receives
// its products one at a time, in k order.
#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <string>

#include "exec_context.h"

namespace plena {
namespace {

using numerics::round_to_bf16;
constexpr Memory kV = Memory::VectorSram;
constexpr Memory kM = Memory::MatrixSram;

// ---------------------------------------------------------------------------------------------
// Accumulator ownership
// ---------------------------------------------------------------------------------------------

const char* owner_name(AccOwner owner) {
  switch (owner) {
    case AccOwner::Block: return "M_MM/M_TMM";
    case AccOwner::BatchedMm: return "M_BMM";
    case AccOwner::BatchedTmm: return "M_BTMM";
    case AccOwner::Empty: break;
  }
  return "nothing";
}

const char* owner_name(VaccOwner owner) {
  switch (owner) {
    case VaccOwner::Row: return "M_MV/M_TMV";
    case VaccOwner::BatchedMv: return "M_BMV";
    case VaccOwner::BatchedTmv: return "M_BTMV";
    case VaccOwner::Empty: break;
  }
  return "nothing";
}

const char* write_out_for(AccOwner owner) { return owner == AccOwner::Block ? "M_MM_WO" : "M_BMM_WO"; }
const char* write_out_for(VaccOwner owner) { return owner == VaccOwner::Row ? "M_MV_WO" : "M_BMV_WO"; }

// Both accumulators follow the same rule, so one template serves both.
template <typename Owner>
bool claim(ExecContext& c, Owner& current, Owner wanted, const char* accumulator) {
  if (current != Owner::Empty && current != wanted)
    return c.fail(TrapKind::AccumulatorMisuse,
                  std::string(c.mnemonic()) + " cannot accumulate into the " + accumulator +
                      " while it holds partial sums of " + owner_name(current) +
                      "; write them out with " + write_out_for(current) + " first");
  current = wanted;
  return true;
}

bool claim_acc(ExecContext& c, AccOwner wanted) {
  return claim(c, c.acc_owner, wanted, "block accumulator");
}
bool claim_vacc(ExecContext& c, VaccOwner wanted) {
  return claim(c, c.vacc_owner, wanted, "row accumulator");
}

template <typename Owner>
bool check_write_out(ExecContext& c, Owner current, std::initializer_list<Owner> allowed,
                     const char* producers) {
  for (Owner owner : allowed)
    if (current == owner) return true;
  if (current == Owner::Empty)
    return c.fail(TrapKind::AccumulatorMisuse,
                  std::string(c.mnemonic()) + " writes out an empty accumulator: no " + producers +
                      " ran since the last write-out");
  return c.fail(TrapKind::AccumulatorMisuse,
                std::string(c.mnemonic()) + " cannot write out partial sums of " +
                    owner_name(current) + "; use " + write_out_for(current));
}

// ---------------------------------------------------------------------------------------------
// Kernels. Pointers are already offset to the operands and bounds-checked by the caller.
// ---------------------------------------------------------------------------------------------

// acc[i][j] += sum_k v[i*vlen + k] * m[k*mlen + j] with i, j < B (the M_MM definition). Fixed B
// lets the compiler keep the whole block in registers.
template <uint32_t B>
void block_mm_fixed(float* acc, const float* v, const float* m, uint64_t mlen, uint64_t vlen) {
  float a[B][B];
  for (uint32_t i = 0; i < B; ++i)
    for (uint32_t j = 0; j < B; ++j) a[i][j] = acc[i * B + j];
  for (uint64_t k = 0; k < mlen; ++k) {
    const float* row = m + k * mlen;
    for (uint32_t i = 0; i < B; ++i) {
      const float x = v[i * vlen + k];
      for (uint32_t j = 0; j < B; ++j) a[i][j] += x * row[j];
    }
  }
  for (uint32_t i = 0; i < B; ++i)
    for (uint32_t j = 0; j < B; ++j) acc[i * B + j] = a[i][j];
}

#if defined(__GNUC__) || defined(__clang__)
// The same computation with four lanes per vector register (GCC/Clang vector extensions,
// which map to SSE/NEON). Lane j of a row vector does exactly the scalar loop's operations
// for column j, in the same k order, so results are bit-identical; the compiler does not
// reliably find this vectorisation on its own, and M_MM dominates simulated GEMMs.
typedef float Lanes4 __attribute__((vector_size(16)));

inline Lanes4 load4(const float* p) {
  Lanes4 x;
  std::memcpy(&x, p, sizeof x);  // unaligned load without aliasing UB
  return x;
}

inline void store4(float* p, Lanes4 x) { std::memcpy(p, &x, sizeof x); }

// Lanes 4g..4g+3 of "matrix row k" for the block kernel: M[k][4g + l] for M_MM, and the tile
// read transposed, M[4g + l][k], for M_TMM.
template <bool kTransposed>
inline Lanes4 matrix_lanes(const float* m, uint64_t mlen, uint64_t k, uint32_t g) {
  if (!kTransposed) return load4(m + k * mlen + 4 * g);
  const float* col = m + uint64_t{4} * g * mlen + k;
  return Lanes4{col[0], col[mlen], col[2 * mlen], col[3 * mlen]};
}

template <uint32_t B, bool kTransposed>
void block_mm_lanes(float* acc, const float* v, const float* m, uint64_t mlen, uint64_t vlen) {
  static_assert(B % 4 == 0, "rows are split into groups of four lanes");
  constexpr uint32_t kGroups = B / 4;
  Lanes4 a[B][kGroups];
  for (uint32_t i = 0; i < B; ++i)
    for (uint32_t g = 0; g < kGroups; ++g) a[i][g] = load4(acc + i * B + 4 * g);
  for (uint64_t k = 0; k < mlen; ++k) {
    Lanes4 r[kGroups];
    for (uint32_t g = 0; g < kGroups; ++g) r[g] = matrix_lanes<kTransposed>(m, mlen, k, g);
    for (uint32_t i = 0; i < B; ++i) {
      const float x = v[i * vlen + k];
      const Lanes4 xs = {x, x, x, x};
      for (uint32_t g = 0; g < kGroups; ++g) a[i][g] += xs * r[g];
    }
  }
  for (uint32_t i = 0; i < B; ++i)
    for (uint32_t g = 0; g < kGroups; ++g) store4(acc + i * B + 4 * g, a[i][g]);
}
#define PLENA_HAVE_LANES 1
#endif

void block_mm_any(float* acc, const float* v, const float* m, uint64_t mlen, uint64_t vlen,
                  uint64_t blen) {
  for (uint64_t k = 0; k < mlen; ++k) {
    const float* row = m + k * mlen;
    for (uint64_t i = 0; i < blen; ++i) {
      const float x = v[i * vlen + k];
      float* out = acc + i * blen;
      for (uint64_t j = 0; j < blen; ++j) out[j] += x * row[j];
    }
  }
}

void block_mm(float* acc, const float* v, const float* m, uint64_t mlen, uint64_t vlen,
              uint64_t blen) {
  switch (blen) {
    case 1: return block_mm_fixed<1>(acc, v, m, mlen, vlen);
    case 2: return block_mm_fixed<2>(acc, v, m, mlen, vlen);
#ifdef PLENA_HAVE_LANES
    case 4: return block_mm_lanes<4, false>(acc, v, m, mlen, vlen);
    case 8: return block_mm_lanes<8, false>(acc, v, m, mlen, vlen);
#else
    case 4: return block_mm_fixed<4>(acc, v, m, mlen, vlen);
    case 8: return block_mm_fixed<8>(acc, v, m, mlen, vlen);
#endif
    default: return block_mm_any(acc, v, m, mlen, vlen, blen);
  }
}

// acc[i][j] += sum_k v[i*vlen + k] * m[j*mlen + k]: M_TMM's tile read transposed.
void block_mm_transposed(float* acc, const float* v, const float* m, uint64_t mlen,
                         uint64_t vlen, uint64_t blen) {
#ifdef PLENA_HAVE_LANES
  if (blen == 4) return block_mm_lanes<4, true>(acc, v, m, mlen, vlen);
  if (blen == 8) return block_mm_lanes<8, true>(acc, v, m, mlen, vlen);
#endif
  for (uint64_t i = 0; i < blen; ++i)
    for (uint64_t j = 0; j < blen; ++j) {
      float& a = acc[i * blen + j];
      for (uint64_t k = 0; k < mlen; ++k) a += v[i * vlen + k] * m[j * mlen + k];
    }
}

// out += sum_k a[k] * b[k], adding products in k order.
float dot_into(float out, const float* a, const float* b, uint64_t n) {
  for (uint64_t k = 0; k < n; ++k) out += a[k] * b[k];
  return out;
}

// out[j] += sum_k x[k] * m[k*pitch + j] for j < n, each out[j] in k order.
void row_times_columns(float* out, const float* x, const float* m, uint64_t k_count,
                       uint64_t pitch, uint64_t n) {
  for (uint64_t k = 0; k < k_count; ++k) {
    const float xk = x[k];
    const float* row = m + k * pitch;
    for (uint64_t j = 0; j < n; ++j) out[j] += xk * row[j];
  }
}

// Writes `count` accumulator values to V[dst..], rounded to BF16, and clears them.
void write_and_clear(float* dst, float* acc, uint64_t count) {
  for (uint64_t i = 0; i < count; ++i) dst[i] = round_to_bf16(acc[i]);
  std::fill(acc, acc + count, 0.0f);
}

// ---------------------------------------------------------------------------------------------
// Operand checks shared by several instructions
// ---------------------------------------------------------------------------------------------

// A vector operand of `rows` rows of VLEN, VLEN-aligned.
bool vector_rows(ExecContext& c, uint64_t addr, uint64_t rows, Access kind, const char* what) {
  return c.aligned(kV, addr, c.vlen, what, "VLEN") && c.access(kV, addr, rows * c.vlen, kind);
}

// A matrix operand addressed by rows: MLEN-aligned, `rows` rows of MLEN.
bool matrix_rows(ExecContext& c, uint64_t addr, uint64_t rows) {
  return c.aligned(kM, addr, c.mlen, "matrix address", "MLEN") &&
         c.access(kM, addr, rows * c.mlen, Access::Read);
}

// Write-out destinations: gp(rd) + imm.
uint64_t write_out_address(ExecContext& c, const Instruction& in) {
  return uint64_t{c.gp(in.rd)} + static_cast<uint64_t>(in.imm);
}

// ---------------------------------------------------------------------------------------------
// Block matmuls: ACC (BLEN x BLEN)
// ---------------------------------------------------------------------------------------------

bool exec_m_mm(ExecContext& c, const Instruction& in) {
  const uint64_t mat = c.gp(in.rs1), vec = c.gp(in.rs2);
  // A column block of a tile: rows k < MLEN, columns [mat % MLEN, +BLEN).
  if (!c.aligned(kM, mat, c.blen, "matrix address", "BLEN")) return false;
  if (!vector_rows(c, vec, c.blen, Access::Read, "vector address")) return false;
  if (!c.access(kM, mat, (c.mlen - 1) * c.mlen + c.blen, Access::Read)) return false;
  if (!claim_acc(c, AccOwner::Block)) return false;
  block_mm(c.acc.data(), c.vsram() + vec, c.msram() + mat, c.mlen, c.vlen, c.blen);
  c.result.macs += c.blen * c.blen * c.mlen;
  return true;
}

bool exec_m_tmm(ExecContext& c, const Instruction& in) {
  const uint64_t vec = c.gp(in.rs1), mat = c.gp(in.rs2);
  if (!vector_rows(c, vec, c.blen, Access::Read, "vector address")) return false;
  if (!matrix_rows(c, mat, c.blen)) return false;
  if (!claim_acc(c, AccOwner::Block)) return false;
  block_mm_transposed(c.acc.data(), c.vsram() + vec, c.msram() + mat, c.mlen, c.vlen, c.blen);
  c.result.macs += c.blen * c.blen * c.mlen;
  return true;
}

bool exec_m_mm_wo(ExecContext& c, const Instruction& in) {
  if (!check_write_out(c, c.acc_owner, {AccOwner::Block}, "M_MM/M_TMM")) return false;
  const uint64_t dst = write_out_address(c, in);
  if (!c.aligned(kV, dst, c.blen, "destination address", "BLEN")) return false;
  if (!c.access(kV, dst, (c.blen - 1) * c.vlen + c.blen, Access::Write)) return false;
  for (uint64_t i = 0; i < c.blen; ++i)
    write_and_clear(c.vsram() + dst + i * c.vlen, c.acc.data() + i * c.blen, c.blen);
  c.acc_owner = AccOwner::Empty;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Batched (per-head) matmuls: BACC
// ---------------------------------------------------------------------------------------------

uint64_t matrix_with_offset(ExecContext& c, uint8_t base_reg, uint8_t offset_reg) {
  return uint64_t{c.gp(base_reg)} + c.gp(offset_reg);
}

// BACC[h][i][j] (stored at (h*BLEN + i)*MLEN + j) += sum_k<HLEN of the head-h slices of
// V row i and M row j.
bool exec_m_btmm(ExecContext& c, const Instruction& in) {
  const uint64_t mat = matrix_with_offset(c, in.rs1, in.rd), vec = c.gp(in.rs2);
  if (!vector_rows(c, vec, c.blen, Access::Read, "vector address")) return false;
  if (!matrix_rows(c, mat, c.mlen)) return false;
  if (!claim_acc(c, AccOwner::BatchedTmm)) return false;
  const float* v = c.vsram() + vec;
  const float* m = c.msram() + mat;
  for (uint64_t h = 0; h < c.heads; ++h)
    for (uint64_t i = 0; i < c.blen; ++i) {
      float* out = c.acc.data() + (h * c.blen + i) * c.mlen;
      const float* q = v + i * c.vlen + h * c.hlen;
      for (uint64_t j = 0; j < c.mlen; ++j)
        out[j] = dot_into(out[j], q, m + j * c.mlen + h * c.hlen, c.hlen);
    }
  c.result.macs += c.blen * c.mlen * c.mlen;
  return true;
}

// BACC[h][i][j] (stored at i*MLEN + h*HLEN + j) += sum_k<MLEN V[(h*BLEN + i) row][k] *
// M[k][h*HLEN + j].
bool exec_m_bmm(ExecContext& c, const Instruction& in) {
  const uint64_t mat = matrix_with_offset(c, in.rs1, in.rd), vec = c.gp(in.rs2);
  if (!vector_rows(c, vec, c.heads * c.blen, Access::Read, "vector address")) return false;
  if (!matrix_rows(c, mat, c.mlen)) return false;
  if (!claim_acc(c, AccOwner::BatchedMm)) return false;
  const float* v = c.vsram() + vec;
  const float* m = c.msram() + mat;
  for (uint64_t h = 0; h < c.heads; ++h)
    for (uint64_t i = 0; i < c.blen; ++i)
      row_times_columns(c.acc.data() + i * c.mlen + h * c.hlen, v + (h * c.blen + i) * c.vlen,
                        m + h * c.hlen, c.mlen, c.mlen, c.hlen);
  c.result.macs += c.blen * c.mlen * c.mlen;
  return true;
}

// The accumulator layouts above already match the destination layouts, so a write-out is one
// contiguous copy: BTMM rows (h*BLEN + i), or BMM rows i with heads side by side.
bool exec_m_bmm_wo(ExecContext& c, const Instruction& in) {
  if (!check_write_out(c, c.acc_owner, {AccOwner::BatchedMm, AccOwner::BatchedTmm},
                       "M_BMM/M_BTMM"))
    return false;
  const uint64_t dst = write_out_address(c, in);
  const uint64_t rows = c.acc_owner == AccOwner::BatchedTmm ? c.heads * c.blen : c.blen;
  if (!vector_rows(c, dst, rows, Access::Write, "destination address")) return false;
  write_and_clear(c.vsram() + dst, c.acc.data(), rows * c.mlen);
  c.acc_owner = AccOwner::Empty;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Matrix-vector products: VACC
// ---------------------------------------------------------------------------------------------

bool exec_m_mv(ExecContext& c, const Instruction& in) {
  const uint64_t vec = c.gp(in.rs1), mat = c.gp(in.rs2);
  if (!vector_rows(c, vec, 1, Access::Read, "vector address")) return false;
  if (!matrix_rows(c, mat, c.mlen)) return false;
  if (!claim_vacc(c, VaccOwner::Row)) return false;
  row_times_columns(c.vacc.data(), c.vsram() + vec, c.msram() + mat, c.mlen, c.mlen, c.mlen);
  c.result.macs += c.mlen * c.mlen;
  return true;
}

bool exec_m_tmv(ExecContext& c, const Instruction& in) {
  const uint64_t vec = c.gp(in.rs1), mat = c.gp(in.rs2);
  if (!vector_rows(c, vec, 1, Access::Read, "vector address")) return false;
  if (!matrix_rows(c, mat, c.mlen)) return false;
  if (!claim_vacc(c, VaccOwner::Row)) return false;
  const float* v = c.vsram() + vec;
  const float* m = c.msram() + mat;
  for (uint64_t j = 0; j < c.mlen; ++j) c.vacc[j] = dot_into(c.vacc[j], v, m + j * c.mlen, c.mlen);
  c.result.macs += c.mlen * c.mlen;
  return true;
}

// BVACC[h][j] (stored at h*MLEN + j) += head-h slice of V . head-h slice of M row j.
bool exec_m_btmv(ExecContext& c, const Instruction& in) {
  const uint64_t vec = c.gp(in.rs1), mat = matrix_with_offset(c, in.rs2, in.rd);
  if (!vector_rows(c, vec, 1, Access::Read, "vector address")) return false;
  if (!matrix_rows(c, mat, c.mlen)) return false;
  if (!claim_vacc(c, VaccOwner::BatchedTmv)) return false;
  const float* v = c.vsram() + vec;
  const float* m = c.msram() + mat;
  for (uint64_t h = 0; h < c.heads; ++h) {
    float* out = c.vacc.data() + h * c.mlen;
    for (uint64_t j = 0; j < c.mlen; ++j)
      out[j] = dot_into(out[j], v + h * c.hlen, m + j * c.mlen + h * c.hlen, c.hlen);
  }
  c.result.macs += c.mlen * c.mlen;
  return true;
}

// BVACC[h][j] (stored at h*HLEN + j) += V row h . M columns of head h.
bool exec_m_bmv(ExecContext& c, const Instruction& in) {
  const uint64_t vec = c.gp(in.rs1), mat = matrix_with_offset(c, in.rs2, in.rd);
  if (!vector_rows(c, vec, c.heads, Access::Read, "vector address")) return false;
  if (!matrix_rows(c, mat, c.mlen)) return false;
  if (!claim_vacc(c, VaccOwner::BatchedMv)) return false;
  const float* v = c.vsram() + vec;
  const float* m = c.msram() + mat;
  for (uint64_t h = 0; h < c.heads; ++h)
    row_times_columns(c.vacc.data() + h * c.hlen, v + h * c.vlen, m + h * c.hlen, c.mlen, c.mlen,
                      c.hlen);
  c.result.macs += c.mlen * c.mlen;
  return true;
}

bool exec_m_mv_wo(ExecContext& c, const Instruction& in) {
  if (!check_write_out(c, c.vacc_owner, {VaccOwner::Row}, "M_MV/M_TMV")) return false;
  const uint64_t dst = write_out_address(c, in);
  if (!vector_rows(c, dst, 1, Access::Write, "destination address")) return false;
  write_and_clear(c.vsram() + dst, c.vacc.data(), c.mlen);
  c.vacc_owner = VaccOwner::Empty;
  return true;
}

// BTMV: head h becomes row dst + h*VLEN; BMV: heads side by side in one row.
bool exec_m_bmv_wo(ExecContext& c, const Instruction& in) {
  if (!check_write_out(c, c.vacc_owner, {VaccOwner::BatchedMv, VaccOwner::BatchedTmv},
                       "M_BMV/M_BTMV"))
    return false;
  const uint64_t dst = write_out_address(c, in);
  const uint64_t rows = c.vacc_owner == VaccOwner::BatchedTmv ? c.heads : 1;
  if (!vector_rows(c, dst, rows, Access::Write, "destination address")) return false;
  write_and_clear(c.vsram() + dst, c.vacc.data(), rows * c.mlen);
  c.vacc_owner = VaccOwner::Empty;
  return true;
}

}  // namespace

void register_matrix_ops(DispatchTable& t) {
  auto set = [&t](Opcode op, ExecFn fn) { t[static_cast<uint8_t>(op)] = fn; };
  set(Opcode::M_MM, exec_m_mm);
  set(Opcode::M_TMM, exec_m_tmm);
  set(Opcode::M_MM_WO, exec_m_mm_wo);
  set(Opcode::M_BTMM, exec_m_btmm);
  set(Opcode::M_BMM, exec_m_bmm);
  set(Opcode::M_BMM_WO, exec_m_bmm_wo);
  set(Opcode::M_MV, exec_m_mv);
  set(Opcode::M_TMV, exec_m_tmv);
  set(Opcode::M_BTMV, exec_m_btmv);
  set(Opcode::M_BMV, exec_m_bmv);
  set(Opcode::M_MV_WO, exec_m_mv_wo);
  set(Opcode::M_BMV_WO, exec_m_bmv_wo);
}

}  // namespace plena
