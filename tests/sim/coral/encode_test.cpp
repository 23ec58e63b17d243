// The test encoder agrees with llvm-mc-16 (-triple=riscv32 -mattr=+m,+f,+zve32f,+zvl128b
// -show-encoding; words recorded once), and the decoder names each word.
#include <gtest/gtest.h>

#include "coral/instruction_class.h"
#include "harness.h"

namespace coral::test {
namespace {

struct Expected {
  uint32_t ours;
  uint32_t llvm;
  const char* name;
  InstructionClass cls;
};

TEST(CoralEncode, MatchesLlvmMcAndDecoderNames) {
  using namespace enc;
  using C = InstructionClass;
  const Expected cases[] = {
      {addi(a0, a1, -5), 0xffb58513, "addi", C::ScalarAlu},
      {sw(t0, sp, 12), 0x00512623, "sw", C::Store},
      {beq(a0, a1, -8), 0xfeb50ce3, "beq", C::BranchJump},
      {jal(ra, 2048), 0x001000ef, "jal", C::BranchJump},
      {lui(t0, 0x12345), 0x123452b7, "lui", C::ScalarAlu},
      {fmadd(0, 1, 2, 3, 0), 0x18208043, "fmadd.s", C::Float},
      {fcvt_w_s(a0, 10, 1), 0xc0051553, "fcvt.w.s", C::Float},
      {csrr(a0, 0x003), 0x00302573, "csrrs", C::CsrSystem},
      {vsetvli(t0, a0, vtype(32, 1, true, true)), 0x0d1572d7, "vsetvli", C::VectorConfig},
      {vsetivli(zero, 4, vtype(8, -1, false, false)), 0xc0727057, "vsetivli", C::VectorConfig},
      {vle(32, 8, a0), 0x02056407, "vle32.v", C::VectorLoad},
      {vse(16, 4, a1, false), 0x0005d227, "vse16.v", C::VectorStore},
      {vlse(32, 8, a0, a1), 0x0ab56407, "vlse32.v", C::VectorLoad},
      {opv(0x00, IVV, 4, 8, 12, false), 0x00860257, "vadd.vv", C::VectorInt},
      {opv(0x00, IVI, 4, 8, static_cast<uint32_t>(-3)), 0x028eb257, "vadd.vi", C::VectorInt},
      {opv(0x2C, FVF, 8, 16, 10), 0xb3055457, "vfmacc.vf", C::VectorFloat},
      {opv(0x3C, MVX, 8, 4, a0), 0xf2456457, "vwmaccu.vx", C::VectorMac},
      {opv(0x00, MVV, 1, 2, 3), 0x0221a0d7, "vredsum.vs", C::VectorReduction},
      {vlr(2, 32, 4, a0), 0x22856207, "vl2re32.v", C::VectorLoad},
      {vsr(4, 8, a1), 0x62858427, "vs4r.v", C::VectorStore},
      {opv(0x10, MVV, a0, 4, 0), 0x42402557, "vmv.x.s", C::VectorPermute},
      {opv(0x03, FVV, 1, 2, 3), 0x0e2190d7, "vfredosum.vs", C::VectorReduction},
      {opv(0x18, IVX, 0, 8, a0), 0x62854057, "vmseq.vx", C::VectorInt},
      {opv(0x0F, IVI, 4, 8, 3), 0x3e81b257, "vslidedown.vi", C::VectorPermute},
      {opv(0x0C, IVV, 4, 8, 12), 0x32860257, "vrgather.vv", C::VectorPermute},
      {vlm(0, a0), 0x02b50007, "vlm.v", C::VectorLoad},
  };
  for (const Expected& e : cases) {
    EXPECT_EQ(e.ours, e.llvm) << e.name;
    EXPECT_EQ(instruction_name(e.llvm), e.name);
    EXPECT_EQ(instruction_class(e.llvm), e.cls) << e.name;
  }
}

TEST(CoralEncode, UnknownWordsHaveNoName) {
  EXPECT_EQ(instruction_name(0x00000000), "unknown");
  EXPECT_EQ(instruction_class(0xFFFFFFFF), InstructionClass::Unknown);
  EXPECT_STREQ(instruction_class_name(InstructionClass::VectorMac), "vector_mac");
  EXPECT_STREQ(instruction_class_name(InstructionClass::Unknown), "unknown");
}

}  // namespace
}  // namespace coral::test
