// Matrix unit semantics on the small preset (MLEN = VLEN = 8, BLEN = 2, HLEN = 4, two heads).
// Expected values are worked out by hand from docs/plena-model.md (sums in the comments).
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "plena/numerics.h"
#include "sim_test_util.h"

namespace plena {
namespace {

using test::inst;
using test::Sim;
using test::slice;

constexpr float kSentinel = -1.0f;

void fill(std::vector<float>& mem, uint64_t addr, uint64_t n, float value) {
  for (uint64_t i = 0; i < n; ++i) mem.at(addr + i) = value;
}

// V rows 2 and 3: ones and 1..8. Tile 0 column 2 = 1, column 3 = k.
void load_mm_operands(Sim& s) {
  for (int k = 0; k < 8; ++k) {
    s.v(16 + k) = 1;
    s.v(24 + k) = static_cast<float>(k + 1);
    s.m(k * 8 + 2) = 1;
    s.m(k * 8 + 3) = static_cast<float>(k);
  }
}

TEST(SimMatrix, MmComputesOneBlockAndWriteOutPlacesItRowsVlenApart) {
  Sim s;
  load_mm_operands(s);
  fill(s.state.vector_sram, 40, 16, kSentinel);
  s.state.gp[1] = 2;   // matrix: column block 2..3 of tile 0
  s.state.gp[2] = 16;  // vector: rows 2..3
  s.state.gp[3] = 40;
  const SimResult r = s.run({inst(Opcode::M_MM, 0, 1, 2), inst(Opcode::M_MM_WO, 3, 0, 0, 0, 0, 2)});
  EXPECT_RUN_OK(r);
  // ACC[0][0] = sum 1*1 = 8; ACC[0][1] = sum k = 28; ACC[1][0] = sum (k+1) = 36;
  // ACC[1][1] = sum (k+1)*k = 140 + 28 = 168. Destination 42: rows at 42 and 50.
  EXPECT_EQ(slice(s.state.vector_sram, 41, 4), (std::vector<float>{kSentinel, 8, 28, kSentinel}));
  EXPECT_EQ(slice(s.state.vector_sram, 49, 4), (std::vector<float>{kSentinel, 36, 168, kSentinel}));
  EXPECT_EQ(r.macs, 2u * 2u * 8u);
}

TEST(SimMatrix, MmAccumulatesOverKUntilWriteOutWhichClears) {
  Sim s;
  load_mm_operands(s);
  for (int k = 0; k < 8; ++k) s.m(64 + k * 8 + 2) = 1;  // tile 1: column 2 ones, column 3 zero
  fill(s.state.vector_sram, 32, 16, 2.0f);               // rows 4..5: all twos
  s.state.gp[1] = 2;
  s.state.gp[2] = 16;
  s.state.gp[3] = 80;  // away from the operand rows
  s.state.gp[4] = 66;
  s.state.gp[5] = 32;
  const SimResult r = s.run({
      inst(Opcode::M_MM, 0, 1, 2),
      inst(Opcode::M_MM, 0, 4, 5),  // adds 16 to column 0 of both rows
      inst(Opcode::M_MM_WO, 3, 0, 0, 0, 0, 2),
      inst(Opcode::M_MM, 0, 4, 5),  // fresh accumulator
      inst(Opcode::M_MM_WO, 3, 0, 0, 0, 0, 18),
  });
  EXPECT_RUN_OK(r);
  EXPECT_EQ(slice(s.state.vector_sram, 82, 2), (std::vector<float>{24, 28}));
  EXPECT_EQ(slice(s.state.vector_sram, 90, 2), (std::vector<float>{52, 168}));
  EXPECT_EQ(slice(s.state.vector_sram, 98, 2), (std::vector<float>{16, 0}));
  EXPECT_EQ(slice(s.state.vector_sram, 106, 2), (std::vector<float>{16, 0}));
  EXPECT_EQ(r.macs, 3u * 32u);
}

// 256 + 1 + 1 = 258 is representable in BF16 (129 * 2); 257 is a tie that rounds to even, 256.
// So 258 proves the accumulator keeps float32 between instructions and rounds only on write-out.
TEST(SimMatrix, AccumulatorIsFloat32AndRoundedToBf16OnlyOnWriteOut) {
  Sim s;
  s.v(0) = 1;
  s.m(0) = 256;
  s.m(64) = 1;
  s.state.gp[1] = 64;
  s.state.gp[3] = 80;
  const SimResult r = s.run({
      inst(Opcode::M_MM, 0, 0, 0), inst(Opcode::M_MM, 0, 1, 0), inst(Opcode::M_MM, 0, 1, 0),
      inst(Opcode::M_MM_WO, 3, 0, 0, 0, 0, 0),
      inst(Opcode::M_MM, 0, 0, 0), inst(Opcode::M_MM, 0, 1, 0),
      inst(Opcode::M_MM_WO, 3, 0, 0, 0, 0, 16),
  });
  EXPECT_RUN_OK(r);
  EXPECT_EQ(s.v(80), 258.0f);
  EXPECT_EQ(s.v(96), 256.0f);
}

TEST(SimMatrix, TmmTakesVectorFirstAndReadsTheTileTransposed) {
  Sim s;
  for (int k = 0; k < 8; ++k) {
    s.v(16 + k) = 1;
    s.v(24 + k) = static_cast<float>(k + 1);
    s.m(48 + k) = 1;                          // matrix row 6
    s.m(56 + k) = static_cast<float>(k);      // matrix row 7
  }
  s.state.gp[1] = 48;  // matrix
  s.state.gp[2] = 16;  // vector
  s.state.gp[3] = 64;
  // M_TMM 0, vector, matrix: ACC[i][j] = sum_k V[i][k] * M[row j][k].
  const SimResult r = s.run({inst(Opcode::M_TMM, 0, 2, 1), inst(Opcode::M_MM_WO, 3, 0, 0)});
  EXPECT_RUN_OK(r);
  EXPECT_EQ(slice(s.state.vector_sram, 64, 2), (std::vector<float>{8, 28}));
  EXPECT_EQ(slice(s.state.vector_sram, 72, 2), (std::vector<float>{36, 168}));
  EXPECT_EQ(r.macs, 32u);
}

TEST(SimMatrix, BtmmScoresPerHeadWithOffsetRegisterAndHeadMajorWriteOut) {
  Sim s;
  s.set_row(0, {1, 1, 1, 1, 2, 2, 2, 2});
  s.set_row(8, {1, 2, 3, 4, 0, 0, 0, 1});
  for (int j = 0; j < 8; ++j) {
    for (int c = 0; c < 4; ++c) s.m(64 + j * 8 + c) = static_cast<float>(j);  // head 0 slice
    s.m(64 + j * 8 + 4) = 1;                                                   // head 1 slice
  }
  fill(s.state.vector_sram, 128, 40, kSentinel);
  s.state.gp[1] = 32;  // matrix base
  s.state.gp[3] = 32;  // offset: base + offset = tile 1
  s.state.gp[4] = 128;
  const SimResult r = s.run({inst(Opcode::M_BTMM, 3, 1, 0), inst(Opcode::M_BMM_WO, 4, 0, 0, 0, 0, 0)});
  EXPECT_RUN_OK(r);
  // Head 0: row 0 . [j j j j] = 4j; row 1 = (1+2+3+4) j = 10j.
  // Head 1: row 0 [2 2 2 2] . [1 0 0 0] = 2; row 1 [0 0 0 1] . [1 0 0 0] = 0.
  // Output row (h*BLEN + i).
  EXPECT_EQ(slice(s.state.vector_sram, 128, 8), (std::vector<float>{0, 4, 8, 12, 16, 20, 24, 28}));
  EXPECT_EQ(slice(s.state.vector_sram, 136, 8), (std::vector<float>{0, 10, 20, 30, 40, 50, 60, 70}));
  EXPECT_EQ(slice(s.state.vector_sram, 144, 8), std::vector<float>(8, 2));
  EXPECT_EQ(slice(s.state.vector_sram, 152, 8), std::vector<float>(8, 0));
  EXPECT_EQ(s.v(160), kSentinel);
  EXPECT_EQ(r.macs, 2u * 8u * 8u);
}

TEST(SimMatrix, BmmUsesBlenRowsPerHeadAndWritesHeadsSideBySide) {
  Sim s;
  for (int k = 0; k < 8; ++k)
    for (int c = 0; c < 8; ++c) s.m(k * 8 + c) = static_cast<float>(8 * k + c);
  // Vector rows r = h*BLEN + i, each one-hot at k = r: selects matrix row r.
  for (int r = 0; r < 4; ++r) s.v(r * 8 + r) = 1;
  s.state.gp[4] = 64;
  const SimResult r = s.run({inst(Opcode::M_BMM, 0, 0, 0), inst(Opcode::M_BMM_WO, 4, 0, 0)});
  EXPECT_RUN_OK(r);
  // BACC[h][i][j] = M[r][h*4 + j] = 8r + 4h + j with r = 2h + i; out[i][h*4 + j].
  EXPECT_EQ(slice(s.state.vector_sram, 64, 8), (std::vector<float>{0, 1, 2, 3, 20, 21, 22, 23}));
  EXPECT_EQ(slice(s.state.vector_sram, 72, 8), (std::vector<float>{8, 9, 10, 11, 28, 29, 30, 31}));
  EXPECT_EQ(r.macs, 128u);
}

TEST(SimMatrix, BmmSumsOverTheWholeMlen) {
  Sim s;
  for (int k = 0; k < 8; ++k)
    for (int c = 0; c < 8; ++c) s.m(k * 8 + c) = static_cast<float>(8 * k + c);
  fill(s.state.vector_sram, 0, 32, 1.0f);
  s.state.gp[4] = 64;
  EXPECT_RUN_OK(s.run({inst(Opcode::M_BMM, 0, 0, 0), inst(Opcode::M_BMM_WO, 4, 0, 0)}));
  // sum_k (8k + 4h + j) = 224 + 32h + 8j, the same for both rows i.
  const std::vector<float> expected = {224, 232, 240, 248, 256, 264, 272, 280};
  EXPECT_EQ(slice(s.state.vector_sram, 64, 8), expected);
  EXPECT_EQ(slice(s.state.vector_sram, 72, 8), expected);
}

void load_counting_tile(Sim& s, uint64_t base) {
  for (int k = 0; k < 8; ++k)
    for (int c = 0; c < 8; ++c) s.m(base + k * 8 + c) = static_cast<float>(8 * k + c);
}

TEST(SimMatrix, MvMultipliesARowByTheTile) {
  Sim s;
  load_counting_tile(s, 64);
  fill(s.state.vector_sram, 0, 8, 1.0f);
  s.state.gp[1] = 64;
  s.state.gp[3] = 16;
  const SimResult r = s.run({inst(Opcode::M_MV, 0, 0, 1), inst(Opcode::M_MV_WO, 3, 0, 0, 0, 0, 8)});
  EXPECT_RUN_OK(r);
  // VACC[j] = sum_k (8k + j) = 224 + 8j, written to 16 + 8.
  EXPECT_EQ(slice(s.state.vector_sram, 24, 8),
            (std::vector<float>{224, 232, 240, 248, 256, 264, 272, 280}));
  EXPECT_EQ(r.macs, 64u);
}

TEST(SimMatrix, MvWithOneHotRowSelectsAMatrixRow) {
  Sim s;
  load_counting_tile(s, 0);
  s.v(3) = 1;
  s.state.gp[3] = 8;
  EXPECT_RUN_OK(s.run({inst(Opcode::M_MV, 0, 0, 0), inst(Opcode::M_MV_WO, 3, 0, 0)}));
  EXPECT_EQ(slice(s.state.vector_sram, 8, 8), (std::vector<float>{24, 25, 26, 27, 28, 29, 30, 31}));
}

TEST(SimMatrix, TmvReadsTheTileTransposed) {
  Sim s;
  load_counting_tile(s, 0);
  fill(s.state.vector_sram, 0, 8, 1.0f);
  s.state.gp[3] = 8;
  EXPECT_RUN_OK(s.run({inst(Opcode::M_TMV, 0, 0, 0), inst(Opcode::M_MV_WO, 3, 0, 0)}));
  // VACC[j] = sum_k M[j][k] = 64j + 28.
  EXPECT_EQ(slice(s.state.vector_sram, 8, 8),
            (std::vector<float>{28, 92, 156, 220, 284, 348, 412, 476}));
}

TEST(SimMatrix, BtmvGivesOneRowPerHead) {
  Sim s;
  load_counting_tile(s, 64);
  fill(s.state.vector_sram, 0, 8, 1.0f);
  s.state.gp[1] = 32;
  s.state.gp[3] = 32;  // matrix at 32 + 32 = tile 1
  s.state.gp[4] = 16;
  // M_BTMV off, vector, matrix.
  const SimResult r = s.run({inst(Opcode::M_BTMV, 3, 0, 1), inst(Opcode::M_BMV_WO, 4, 0, 0)});
  EXPECT_RUN_OK(r);
  // BVACC[h][j] = sum_k<4 (8j + 4h + k) = 32j + 16h + 6; head h at row 16 + 8h.
  EXPECT_EQ(slice(s.state.vector_sram, 16, 8),
            (std::vector<float>{6, 38, 70, 102, 134, 166, 198, 230}));
  EXPECT_EQ(slice(s.state.vector_sram, 24, 8),
            (std::vector<float>{22, 54, 86, 118, 150, 182, 214, 246}));
  EXPECT_EQ(r.macs, 64u);
}

TEST(SimMatrix, BmvUsesOneVectorRowPerHeadAndPacksHeadsInOneRow) {
  Sim s;
  load_counting_tile(s, 0);
  s.v(1) = 1;      // head 0 row: one-hot k = 1
  s.v(8 + 3) = 1;  // head 1 row: one-hot k = 3
  fill(s.state.vector_sram, 16, 16, kSentinel);
  s.state.gp[4] = 16;
  const SimResult r = s.run({inst(Opcode::M_BMV, 0, 0, 0), inst(Opcode::M_BMV_WO, 4, 0, 0)});
  EXPECT_RUN_OK(r);
  // BVACC[h][j] = M[k_h][4h + j]: head 0 -> 8 + j, head 1 -> 24 + 4 + j.
  EXPECT_EQ(slice(s.state.vector_sram, 16, 8), (std::vector<float>{8, 9, 10, 11, 28, 29, 30, 31}));
  EXPECT_EQ(s.v(24), kSentinel);
  EXPECT_EQ(r.macs, 64u);
}

// A 4 x 16 by 16 x 8 GEMM with the loop structure of a real kernel: K split into VLEN chunks
// (activations [chunk][row][VLEN], weights one tile per chunk), accumulate, write out.
TEST(SimMatrix, SmallGemmThroughLoopsMatchesTheDefinition) {
  Sim s;
  constexpr int kRows = 4, kK = 16, kCols = 8;
  auto a = [](int m, int k) { return static_cast<float>((m + k) % 5 - 2); };
  auto w = [](int k, int n) { return static_cast<float>((3 * k + n) % 7 - 3); };
  for (int m = 0; m < kRows; ++m)
    for (int k = 0; k < kK; ++k) s.v((k / 8 * kRows + m) * 8 + k % 8) = a(m, k);
  for (int k = 0; k < kK; ++k)
    for (int n = 0; n < kCols; ++n) s.m(k / 8 * 64 + (k % 8) * 8 + n) = w(k, n);
  const Program p = test::make_program({
      test::addi(10, 0, 512),  // output base
      test::loop_start(2, 2),  // row blocks of BLEN rows
      test::addi(3, 0, 0),
      test::loop_start(4, 4),  // column blocks
      inst(Opcode::S_ADD_INT, 5, 1, 0),
      inst(Opcode::S_ADD_INT, 6, 3, 0),
      test::loop_start(7, 2),  // K chunks
      inst(Opcode::M_MM, 0, 6, 5),
      test::addi(5, 5, 32),
      test::addi(6, 6, 64),
      test::loop_end(7),
      inst(Opcode::S_ADD_INT, 8, 10, 1),
      inst(Opcode::S_ADD_INT, 8, 8, 3),
      inst(Opcode::M_MM_WO, 8, 0, 0),
      test::addi(3, 3, 2),
      test::loop_end(4),
      test::addi(1, 1, 16),
      test::loop_end(2),
  });
  const SimResult r = s.run(p);
  EXPECT_RUN_OK(r);
  for (int m = 0; m < kRows; ++m)
    for (int n = 0; n < kCols; ++n) {
      float expected = 0;  // integers below 100: exact in BF16
      for (int k = 0; k < kK; ++k) expected += a(m, k) * w(k, n);
      EXPECT_EQ(s.v(512 + m * 8 + n), expected) << "m=" << m << " n=" << n;
    }
  EXPECT_EQ(r.macs, static_cast<uint64_t>(kRows * kK * kCols));
  EXPECT_EQ(r.instruction_mix.at("M_MM"), 16u);
  EXPECT_EQ(r.instruction_mix.at("M_MM_WO"), 8u);
}

// M_MM and M_TMM have specialised kernels for some BLEN values; every BLEN must give exactly
// the definition: float32 accumulator, products added one at a time in k order, instruction
// after instruction, rounded to BF16 once on write-out. Random BF16 inputs make the rounding
// visible, so any reordering of the sums would show up as a bit difference.
struct BlenCase {
  uint32_t blen, hlen;
};

class SimMatrixAnyBlen : public ::testing::TestWithParam<BlenCase> {};

TEST_P(SimMatrixAnyBlen, BlockMatmulsMatchTheSequentialDefinitionBitForBit) {
  HardwareConfig c = test::small_config();
  c.mlen = c.vlen = 16;
  c.blen = GetParam().blen;
  c.hlen = GetParam().hlen;
  c.matrix_sram_elems = 2 * 256;
  c.vector_sram_elems = 64 * 16;
  ASSERT_EQ(validate(c), "");
  const uint64_t n = 16, b = c.blen;
  for (const bool transposed : {false, true}) {
    Sim s(c);
    std::mt19937 rng(1234 + b);
    std::uniform_real_distribution<float> dist(-2.0f, 2.0f);
    for (float& x : s.state.vector_sram) x = numerics::round_to_bf16(dist(rng));
    for (float& x : s.state.matrix_sram) x = numerics::round_to_bf16(dist(rng));
    // Two instructions accumulate: (vector rows at 0, tile 0) then (rows at 16*b, tile 1).
    const uint64_t vec[2] = {0, n * b};
    // Second block of columns (M_MM) or rows (M_TMM) of a tile when the tile has one.
    const uint64_t second = b < n ? 1 : 0;
    const uint64_t mat[2] = {transposed ? 0 : second * b,
                             transposed ? 256 + second * n * b : 256 + second * b};
    std::vector<float> expected(b * b, 0.0f);
    for (int step = 0; step < 2; ++step)
      for (uint64_t i = 0; i < b; ++i)
        for (uint64_t j = 0; j < b; ++j)
          for (uint64_t k = 0; k < n; ++k) {
            const float x = s.state.vector_sram[vec[step] + i * n + k];
            const float y = transposed ? s.state.matrix_sram[mat[step] + j * n + k]
                                       : s.state.matrix_sram[mat[step] + k * n + j];
            expected[i * b + j] += x * y;
          }
    s.state.gp[1] = static_cast<uint32_t>(vec[0]);
    s.state.gp[2] = static_cast<uint32_t>(mat[0]);
    s.state.gp[3] = static_cast<uint32_t>(vec[1]);
    s.state.gp[4] = static_cast<uint32_t>(mat[1]);
    s.state.gp[5] = 512;
    const Opcode op = transposed ? Opcode::M_TMM : Opcode::M_MM;
    // M_MM 0, matrix, vector; M_TMM 0, vector, matrix.
    const SimResult r = s.run({transposed ? inst(op, 0, 1, 2) : inst(op, 0, 2, 1),
                               transposed ? inst(op, 0, 3, 4) : inst(op, 0, 4, 3),
                               inst(Opcode::M_MM_WO, 5, 0, 0)});
    EXPECT_RUN_OK(r);
    for (uint64_t i = 0; i < b; ++i)
      for (uint64_t j = 0; j < b; ++j)
        EXPECT_EQ(s.v(512 + i * n + j), numerics::round_to_bf16(expected[i * b + j]))
            << (transposed ? "M_TMM" : "M_MM") << " blen " << b << " i " << i << " j " << j;
    EXPECT_EQ(r.macs, 2 * b * b * n);
  }
}

INSTANTIATE_TEST_SUITE_P(Blens, SimMatrixAnyBlen,
                         ::testing::Values(BlenCase{1, 4}, BlenCase{2, 4}, BlenCase{4, 8},
                                           BlenCase{8, 8}, BlenCase{16, 16}),
                         [](const ::testing::TestParamInfo<BlenCase>& param) {
                           return "blen" + std::to_string(param.param.blen);
                         });

}  // namespace
}  // namespace plena
