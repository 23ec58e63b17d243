// Assembler: accepted syntax forms and every diagnostic (slots, duplicates, operands, ranges,
// unknown names, directives, loops, program size, hostile text).
#include <random>

#include "aie_test_util.h"

namespace {

using namespace aie_test;

void expect_error(const std::string& src, const std::string& fragment, uint32_t line = 0,
                  uint32_t column = 0) {
  const aie::Diagnostic d = first_error(src);
  EXPECT_NE(d.message.find(fragment), std::string::npos)
      << "wanted '" << fragment << "', got '" << d.to_string() << "' for:\n" << src;
  if (line) {
    EXPECT_EQ(d.line, line) << d.to_string();
  }
  if (column) {
    EXPECT_EQ(d.column, column) << d.to_string();
  }
}

TEST(AieAssembler, AcceptsAllBundleForms) {
  const aie::Program p = assemble_ok(R"(
.equ BASE, 0x100
start:
    movi p0, BASE              // single instruction
    { movi r1, #3 ; add r2, r1, 4 }
    ld r3, [p0] || vld wl0, [p0, 32] || movi r4, -1
    {
      vld wh0, [p0], 32
      ADD R5, R1, R1           // case-insensitive
    }
    nop
    { }
end: done
)");
  ASSERT_EQ(p.size(), 7u);
  EXPECT_EQ(p.bundles[1].instrs.size(), 2u);
  EXPECT_EQ(p.bundles[2].instrs.size(), 3u);
  EXPECT_EQ(p.bundles[3].instrs.size(), 2u);
  EXPECT_TRUE(p.bundles[4].instrs.empty());
  EXPECT_TRUE(p.bundles[5].instrs.empty());
  EXPECT_EQ(p.labels.at("start"), 0u);
  EXPECT_EQ(p.labels.at("end"), 6u);
  EXPECT_EQ(p.bundles[3].line, 8u);  // the line of its first instruction
  EXPECT_EQ(p.bundles[0].instrs[0].ops[1].imm, 0x100);
}

TEST(AieAssembler, ExpressionsAndPostModifyForms) {
  const aie::Program p = assemble_ok(R"(
.equ N, 4
.equ S, (N*8 + 2) << 1
    movi r0, S - 3*(2+1)
    ld r1, [p0], m2
    ld r2, [p1], -8
    ld r3, [p2, 12]
)");
  EXPECT_EQ(p.bundles[0].instrs[0].ops[1].imm, (4 * 8 + 2) * 2 - 9);
  EXPECT_EQ(p.bundles[1].instrs[0].ops[1].mode, aie::MemMode::PostMod);
  EXPECT_EQ(p.bundles[1].instrs[0].ops[1].mod, 2);
  EXPECT_EQ(p.bundles[2].instrs[0].ops[1].mode, aie::MemMode::PostImm);
  EXPECT_EQ(p.bundles[2].instrs[0].ops[1].imm, -8);
  EXPECT_EQ(p.bundles[3].instrs[0].ops[1].mode, aie::MemMode::Offset);
}

TEST(AieAssembler, UnknownMnemonicSuggestsTheClosest) {
  const aie::Diagnostic d = first_error("    vadd.bf61 x0, x1, x2\n");
  EXPECT_NE(d.message.find("unknown mnemonic 'vadd.bf61'"), std::string::npos);
  EXPECT_NE(d.hint.find("vadd.bf16"), std::string::npos);
  EXPECT_EQ(d.line, 1u);
  EXPECT_EQ(d.column, 5u);
}

TEST(AieAssembler, SlotOversubscription) {
  expect_error("{ vld wl0, [p0] ; vld wl1, [p1] ; ld r0, [p2] }", "too many load-slot");
  expect_error("{ vldx x0, [p0] ; vld wl1, [p1] }", "too many load-slot");
  expect_error("{ vldx x0, [p0] ; padd p1, 4 }", "too many load-slot");
  expect_error("{ add r0, r1, r2 ; sub r3, r4, r5 }", "too many scalar-slot");
  expect_error("{ add r0, r1, r2 ; jnz r0, x }\nx: done", "too many scalar-slot");
  expect_error("{ vadd.i8 x0, x1, x2 ; mmul.i8 cm0, x1, x2 }", "too many vector-slot");
  expect_error("{ vst wl0, [p0] ; st r1, [p1] }", "too many store-slot");
  expect_error("{ movi r0, 1 ; mov r1, r2 }", "too many move-slot");
  // The full legal mix fits.
  assemble_ok("{ vld wl0, [p0] ; vld wl1, [p1] ; vst wl2, [p2] ; add r0, r1, r2 ; "
              "vadd.i8 x3, x4, x5 ; movi r3, 1 }");
}

TEST(AieAssembler, DuplicateWritesInABundle) {
  expect_error("{ add r1, r2, r3 ; ld r1, [p0] }", "r1 is written twice");
  expect_error("{ vldx x0, [p0] ; vmov x0, x1 }", "is written twice");
  expect_error("{ vld wh0, [p0] ; vmov x0, x1 }", "wh0 is written twice");
  expect_error("{ ld r1, [p0], 4 ; ld r2, [p0], 4 }", "p0 is written twice");
  assemble_ok("{ ld r1, [p0] ; ld r2, [p0, 4] }");  // reading one pointer twice is fine
}

TEST(AieAssembler, BadOperands) {
  expect_error("add r1, x0, r2", "must be an r register", 1, 9);
  const aie::Diagnostic d = first_error("add r40, r1, r2");
  EXPECT_NE(d.hint.find("no such register"), std::string::npos);
  expect_error("add r1, r2", "expects 3 operand(s), got 2");
  expect_error("done r1", "expects 0 operand(s), got 1");
  expect_error("ld r0, [r1]", "must be a pointer p0..p7");
  expect_error("ld r0, p1", "expected a memory operand in brackets");
  expect_error("vld wl0, [p0, 32], 32", "cannot be combined");
  expect_error("vld x0, [p0]", "must be a 256-bit half");
  expect_error("acq ml0, 1", "only use tile locks");
  expect_error("dma.start tile9, bd0", "unknown DMA channel");
  expect_error("dma.start tile0, bd99", "does not exist");
  expect_error("bd.set bd0, colour, 1", "unknown BD field");
  expect_error("vsrs.i8 x0, cm0, 2, nearest", "rounding mode");
}

TEST(AieAssembler, ImmediateRanges) {
  expect_error("add r1, r2, 600000", "out of range");
  expect_error("acq l0, 64", "allowed 1..63");
  expect_error("acq l0, 0", "allowed 1..63");
  expect_error("vsrs.i8 x0, cm0, 64", "allowed 0..63");
  expect_error("vext.i32 r0, x0, 16", "allowed 0..15");
  expect_error("vshift x0, x1, x2, 65", "allowed 0..64");
  expect_error("loop 0, e\nnop\ne: done", "allowed 1..");
  expect_error("movi r0, 0x100000000", "out of range");
  assemble_ok("movi r0, 0xFFFFFFFF\nmovi r1, -2147483648\nadd r2, r1, -524288");
}

TEST(AieAssembler, MemoryOffsetsMustBeAlignedAndInRange) {
  expect_error("vld wl0, [p0, 16]", "not a multiple of 32");
  expect_error("vldx x0, [p0], 32", "not a multiple of 64");
  expect_error("ld r0, [p0, 2]", "not a multiple of 4");
  expect_error("ld r0, [p0, 8192]", "out of range");
  assemble_ok("ld.u8 r0, [p0, 3]\nld.s16 r1, [p0], -2");
}

TEST(AieAssembler, SymbolsAndLabels) {
  expect_error("movi r0, NOPE", "unknown symbol 'NOPE'");
  EXPECT_NE(first_error("movi r0, NOPE").hint.find(".equ"), std::string::npos);
  expect_error(".equ A, 1\n.equ A, 2", "already defined", 2);
  expect_error("j nowhere", "undefined label 'nowhere'");
  expect_error("x: nop\nx: nop", "already defined", 2);
  expect_error("movi r0, 1/0", "division by zero");
  expect_error("movi r0, 99999999999999999999", "too large");
  expect_error("movi r0, 0xZZ", "bad digit");
  expect_error(".frob 1", "unknown directive");
}

TEST(AieAssembler, Directives) {
  const aie::Program p = assemble_ok(R"(
.equ IN, 0x40
.lock l2, 3
.lock ml1, 1
.bd 5 src=ddr:IN + 4 dst=mem:0 size=2,3 src_stride=1, 8 acq=ml1:1 rel=l2:2 next=bd6
.bd 6 src=mem:0 dst=dm:64 size=6
done
)");
  ASSERT_EQ(p.locks.size(), 2u);
  EXPECT_EQ(p.locks[0].lock, 2u);
  EXPECT_EQ(p.locks[0].value, 3u);
  EXPECT_EQ(p.locks[1].lock, small_config().tile_locks + 1);
  ASSERT_EQ(p.bds.size(), 2u);
  const aie::BufferDescriptor& bd = p.bds[0].second;
  EXPECT_EQ(p.bds[0].first, 5u);
  EXPECT_EQ(bd.src_mem, aie::MemoryKind::Ddr);
  EXPECT_EQ(bd.src_addr, 0x44u);
  EXPECT_EQ(bd.size[1], 3u);
  EXPECT_EQ(bd.src_stride[1], 8);
  EXPECT_EQ(bd.dst_stride[1], 2);  // omitted strides are contiguous
  EXPECT_EQ(bd.next, 6);
  EXPECT_EQ(bd.rel_value, 2u);
  expect_error(".bd 0 src=ddr:0 size=4", "needs dst=");
  expect_error(".bd 0 src=flash:0 dst=mem:0 size=4", "MEMORY:ADDRESS");
  expect_error(".bd 0 src=ddr:0 dst=mem:0 size=4 colour=red", "unknown BD key");
  expect_error(".bd 0 src=ddr:0 dst=mem:0 size=0", "out of range");
  expect_error(".bd 0 src=ddr:0 dst=mem:0 size=4 acq=l0:0", "lock value");
  expect_error(".bd 0 src=ddr:0 dst=mem:0 size=4\n.bd 0 src=ddr:0 dst=mem:0 size=4", "defined twice");
  expect_error(".lock l99, 1", "expects a lock");
  expect_error(".lock l0, 64", "lock value");
}

TEST(AieAssembler, BracesAndSeparators) {
  expect_error("add r0, r1, r2 ; add r3, r4, r5", "only inside { }");
  expect_error("{ add r0, r1, r2", "never closed");
  expect_error("{ nop } done", "text after '}'");
  expect_error("}", "without a matching");
  expect_error("add r0, r1, r2 || || done", "empty instruction");
  expect_error("nop r1", "takes no operands");
}

TEST(AieAssembler, LoopStructure) {
  expect_error("loop 4, e\ne: done", "loop body is empty");
  expect_error("loop 4, e\nj out\nnop\ne: nop\nout: done", "branch leaves the body");
  expect_error("j in\nloop 4, e\nnop\nin: nop\nnop\ne: done", "branch enters the body");
  expect_error("x: loop 4, e\nnop\njnz r0, x\nnop\ne: done", "branch leaves");
  expect_error("loop 4, e\nnop\nx: jnz r0, x\ne: done", "last bundle of a loop body");
  expect_error("loop 4, e\nloop 2, f\nnop\nf: nop\ne: done", "nest 2 deep");
  expect_error("loop 4, e\nnop\nloop 2, f\ne: nop\nf: done", "overlap");
  // Two levels are fine when the preset allows them.
  aie::HardwareConfig deep = small_config();
  deep.max_loop_depth = 2;
  EXPECT_TRUE(aie::assemble("loop 4, e\nloop 2, f\nnop\nf: nop\ne: done", deep).ok());
}

TEST(AieAssembler, ProgramTooLarge) {
  aie::HardwareConfig tiny = small_config();
  tiny.program_bytes = 64;  // 4 bundles
  std::string src;
  for (int i = 0; i < 5; ++i) src += "nop\n";
  const aie::AssemblyResult r = aie::assemble(src, tiny);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.diagnostics[0].message.find("program too large: 5 bundles"), std::string::npos);
  EXPECT_EQ(r.diagnostics[0].line, 5u);
  EXPECT_NE(r.diagnostics[0].hint.find("loops"), std::string::npos);
  EXPECT_TRUE(aie::assemble("nop\nnop\nnop\ndone\n", tiny).ok());
}

TEST(AieAssembler, AProgramWithoutBundlesIsAnError) {
  // Found by fuzz_aie_assembler: the empty source was accepted and ran off its end.
  expect_error("", "the program has no bundles", 1);
  expect_error("// only a comment\n.equ N, 4\n", "the program has no bundles", 3);
}

TEST(AieAssembler, DiagnosticTextHasLineColumnAndHint) {
  const aie::Diagnostic d = first_error("\n   acq l0, 99");
  EXPECT_EQ(d.line, 2u);
  EXPECT_EQ(d.column, 12u);
  EXPECT_EQ(d.to_string().rfind("2:12: error: immediate 99", 0), 0u) << d.to_string();
  EXPECT_NE(d.to_string().find("(hint: "), std::string::npos);
}

TEST(AieAssembler, DiagnosticsAreCapped) {
  std::string src;
  for (int i = 0; i < 500; ++i) src += "bogus\n";
  const aie::AssemblyResult r = aie::assemble(src, small_config());
  EXPECT_EQ(r.diagnostics.size(), aie::kMaxDiagnostics);
  EXPECT_NE(r.diagnostics.back().message.find("too many errors"), std::string::npos);
}

TEST(AieAssembler, HostileTextNeverCrashes) {
  expect_error(std::string("nop\n\x01\n"), "unexpected character");
  expect_error(std::string("movi r0, 1\0", 11), "unexpected character");
  expect_error("movi r0, " + std::string(200, '(') + "1" + std::string(200, ')'), "too deeply");
  expect_error(std::string(aie::kMaxSourceBytes + 1, ' '), "the limit is");
  std::mt19937 rng(42);
  const std::string alphabet = "{}[];|,:.#-+*/()<> \n\tabcdeflmprwxhsv0123456789_=";
  for (int round = 0; round < 300; ++round) {
    std::string s;
    const int n = static_cast<int>(rng() % 400);
    for (int i = 0; i < n; ++i) s += alphabet[rng() % alphabet.size()];
    const aie::AssemblyResult r = aie::assemble(s, small_config());
    if (r.ok()) {  // whatever assembles must also simulate without crashing
      aie::MachineState st(small_config(), 1);
      aie::Limits lim;
      lim.max_cycles = 10000;
      (void)aie::simulate(r.program, st, small_config(), lim);
    }
  }
}

}  // namespace
