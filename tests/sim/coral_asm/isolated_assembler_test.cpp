// assemble_isolated: the platform's way in. Same results as assemble(), and LLVM dying on a
// kernel becomes an error on the kernel's line instead of ending the test process.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

#include "asm_test_util.h"
#include "assembly_codec.h"

namespace coral::assembler::testing {
namespace {

void expect_same(const Assembly& a, const Assembly& b) {
  EXPECT_EQ(a.ok, b.ok);
  EXPECT_EQ(describe(a), describe(b));
  EXPECT_EQ(a.elf, b.elf);
  EXPECT_EQ(a.entry, b.entry);
  EXPECT_EQ(a.text_bytes, b.text_bytes);
  EXPECT_EQ(a.data_bytes, b.data_bytes);
  ASSERT_EQ(a.listing.size(), b.listing.size());
  for (std::size_t i = 0; i < a.listing.size(); ++i) {
    EXPECT_EQ(a.listing[i].address, b.listing[i].address);
    EXPECT_EQ(a.listing[i].word, b.listing[i].word);
    EXPECT_EQ(a.listing[i].text, b.listing[i].text);
    EXPECT_EQ(a.listing[i].line, b.listing[i].line);
  }
  ASSERT_EQ(a.line_table.size(), b.line_table.size());
  for (std::size_t i = 0; i < a.line_table.size(); ++i) {
    EXPECT_EQ(a.line_table[i].begin, b.line_table[i].begin);
    EXPECT_EQ(a.line_table[i].end, b.line_table[i].end);
    EXPECT_EQ(a.line_table[i].line, b.line_table[i].line);
  }
}

// Points KC_CORAL_ASM_WORKER somewhere for one test and restores it after.
class WorkerOverride {
 public:
  explicit WorkerOverride(const std::string& path) {
    if (const char* old = std::getenv("KC_CORAL_ASM_WORKER")) old_ = old, had_ = true;
    ::setenv("KC_CORAL_ASM_WORKER", path.c_str(), 1);
  }
  ~WorkerOverride() { had_ ? ::setenv("KC_CORAL_ASM_WORKER", old_.c_str(), 1) : ::unsetenv("KC_CORAL_ASM_WORKER"); }

 private:
  std::string old_;
  bool had_ = false;
};

std::string write_script(const std::string& name, const std::string& body) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
  ::chmod(path.c_str(), 0755);
  return path;
}

TEST(CoralIsolatedAssembler, GivesTheSameResultAsInProcessAssembly) {
  const std::string sources[] = {
      "  .text\n_start:\n  li a0, 5\nloop:\n  addi a0, a0, -1\n  bnez a0, loop\n  ebreak\n",
      "  .data\nvalues: .word 1, 2, 3\n  .text\n_start:\n  la a1, values\n  lw a0, 0(a1)\n  ebreak\n",
      "  nop\n  addi a0, a0, 5000\n  frobnicate a0\n",  // two errors with hints
      "  .incbin \"/etc/passwd\"\n",                      // refused by the screen
      "",                                               // no instructions
  };
  for (const std::string& source : sources) {
    SCOPED_TRACE(source);
    expect_same(assemble_isolated(source, small_options()), assemble(source, small_options()));
  }
}

TEST(CoralIsolatedAssembler, KernelThatMakesLlvmAbortIsAnErrorOnItsLine) {
  // The screen cannot see through the macro argument, so LLVM 16 meets 1/0 and aborts with
  // "unable to evaluate offset for variable" (it would end the process in assemble()).
  const std::string source = ".macro m d\n.equ x, 1/\\d\n.endm\n  nop\nm 0\n  ebreak\n";
  const Assembly assembly = assemble_isolated(source, small_options());
  EXPECT_FALSE(assembly.ok);
  EXPECT_TRUE(assembly.elf.empty());
  ASSERT_EQ(assembly.diagnostics.size(), 1u) << describe(assembly);
  const Diagnostic& d = assembly.diagnostics[0];
  EXPECT_EQ(d.severity, "error");
  EXPECT_EQ(d.line, 5u) << "the line whose addition makes LLVM fail is the macro's use";
  EXPECT_NE(d.message.find("LLVM ERROR: unable to evaluate offset for variable 'x'"), std::string::npos) << d.message;
  EXPECT_FALSE(d.hint.empty());
  // The same source again: deterministic, and the caller is still here to compare.
  EXPECT_EQ(describe(assemble_isolated(source, small_options())), describe(assembly));
}

TEST(CoralIsolatedAssembler, MissingWorkerIsAHarnessErrorNamingWhereItLooked) {
  const WorkerOverride missing("/nonexistent/coral-asm-worker");
  try {
    assemble_isolated("  nop\n", small_options());
    ADD_FAILURE() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("KC_CORAL_ASM_WORKER"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("/nonexistent/coral-asm-worker"), std::string::npos) << e.what();
  }
}

TEST(CoralIsolatedAssembler, WorkerAnsweringGarbageIsAHarnessError) {
  const WorkerOverride garbage(write_script("garbage-worker", "cat >/dev/null\necho 'not json'"));
  try {
    assemble_isolated("  nop\n", small_options());
    ADD_FAILURE() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("malformed output"), std::string::npos) << e.what();
  }
}

TEST(CoralIsolatedAssembler, WorkerDyingOnEveryInputBlamesNoLineItCannotPin) {
  // Dies even on an empty prefix: there is no good prefix, so the first line is blamed
  // (the prefix with one line is the first one that fails).
  const WorkerOverride dying(write_script("dying-worker", "cat >/dev/null\nkill -SEGV $$"));
  const Assembly assembly = assemble_isolated("  nop\n  nop\n  ebreak\n", small_options());
  EXPECT_FALSE(assembly.ok);
  ASSERT_EQ(assembly.diagnostics.size(), 1u);
  EXPECT_NE(assembly.diagnostics[0].message.find("signal 11"), std::string::npos) << assembly.diagnostics[0].message;
}

TEST(CoralIsolatedAssembler, CrashIsLocatedOnTheLineThatCausesIt) {
  // A stand-in for any crash: the worker fails once the request holds the marker, and answers
  // a refusal otherwise (the bisection only asks "did it end cleanly").
  const WorkerOverride located(write_script(
      "marker-worker",
      "if grep -q BOOM; then echo 'LLVM ERROR: marker met' >&2; exit 1; fi\n"
      "printf '{\"ok\":false,\"diagnostics\":[],\"elf\":\"\",\"entry\":0,\"text_bytes\":0,\"data_bytes\":0,"
      "\"listing\":[],\"line_table\":[]}'"));
  std::string source;
  for (int i = 1; i <= 100; ++i) source += i == 73 ? "  BOOM\n" : "  nop\n";
  const Assembly assembly = assemble_isolated(source, small_options());
  ASSERT_EQ(assembly.diagnostics.size(), 1u);
  EXPECT_EQ(assembly.diagnostics[0].line, 73u);
  EXPECT_NE(assembly.diagnostics[0].message.find("LLVM ERROR: marker met"), std::string::npos);
}

TEST(CoralAssemblyCodec, RoundTripsEveryFieldAndRefusesTruncatedDocuments) {
  const Assembly a = assemble("  .data\nv: .word 7\n  .text\n_start:\n  la a1, v\n  ebreak\n", small_options());
  ASSERT_TRUE(a.ok) << describe(a);
  const std::string text = encode_assembly(a);
  expect_same(decode_assembly(text), a);
  EXPECT_THROW(decode_assembly(text.substr(0, text.size() / 2)), std::runtime_error);
  EXPECT_THROW(decode_assembly("{\"ok\":true}"), std::runtime_error);

  std::string source;
  AssembleOptions options;
  decode_request(encode_request(std::string("a\xff\n\0b", 6), small_options()), source, options);
  EXPECT_EQ(source, std::string("a\xff\n\0b", 6)) << "kernel bytes travel unchanged, even invalid UTF-8";
  EXPECT_EQ(options.itcm_size, small_options().itcm_size);
  EXPECT_THROW(decode_request("{\"itcm_base\":-1}\nnop", source, options), std::runtime_error);
}

}  // namespace
}  // namespace coral::assembler::testing
