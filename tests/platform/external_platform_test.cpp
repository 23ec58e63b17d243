// External platforms (docs/external-platforms.md): the shipped PLENA-through-the-CLI declaration
// scores like the built-in platform, and every way a command can misbehave is a clear error.
#include "kernelcraft/platform/external_platform.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "kernelcraft/core/seeds.h"
#include "kernelcraft/eval/evaluator.h"
#include "kernelcraft/platform/plena_platform.h"
#include "kernelcraft/platform/registry.h"

namespace kc {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const std::string kExample = std::string(KC_SOURCE_DIR) + "/examples/external/plena-via-cli/platform.json";

std::shared_ptr<const TaskSpec> suite_task(const std::string& name) {
  static const auto suite = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  return find_task(suite, name);
}

std::unique_ptr<Platform> example_platform() {
  return load_external_platform(kExample, ExternalPlatformOptions{KC_SOURCE_DIR, KC_BINARY});
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

// A folder per test holding fake commands (sh scripts) and the declaration naming them.
class FakePlatform : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("kc_external_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes an executable sh script and returns its path.
  std::string script(const std::string& name, const std::string& body) {
    const fs::path path = dir_ / name;
    write_file(path, "#!/bin/sh\n" + body + "\n");
    ::chmod(path.c_str(), 0755);
    return path.string();
  }

  // An assembler that accepts everything.
  json accepting_assembler() {
    return {{"argv", {script("asm_ok.sh", "echo '{\"ok\": true, \"instructions\": 2}' > \"$1\""), "{result}"}}};
  }

  // A run command: an sh script called with {result} and {image_out} as $1 and $2.
  json run_command(const std::string& body) { return {{"argv", {script("run.sh", body), "{result}", "{image_out}"}}}; }

  std::unique_ptr<Platform> load(const json& assemble, const json& run, json extra = json::object()) {
    json declaration = {{"format", "kernelcraft-platform/1"},
                        {"name", "fake"},
                        {"layout", "plena"},
                        {"assemble", assemble},
                        {"run", run}};
    declaration.update(extra);
    write_file(dir_ / "platform.json", declaration.dump(2));
    return load_external_platform((dir_ / "platform.json").string(), ExternalPlatformOptions{KC_SOURCE_DIR, KC_BINARY});
  }

  // The message of the ExternalPlatformError that `f` throws ("" when it throws none).
  template <typename F>
  static std::string error_of(F f) {
    try {
      f();
    } catch (const ExternalPlatformError& e) {
      return e.what();
    }
    return "";
  }

  static SimReport run_once(const Platform& p, std::vector<MemoryRegion> dumps = {}) {
    const AssembleResult assembled = p.assemble("NOP\n", p.default_preset());
    if (!assembled.ok()) throw std::runtime_error("fake assembler refused the kernel");
    return p.run(*assembled.program, p.default_preset(), MemoryImage{}, dumps, RunLimits{});
  }

  fs::path dir_;
};

// ---- the shipped example ---------------------------------------------------------------------------

TEST(ExternalPlatformExample, ScoresTheReluBaselineWithTheBuiltInCyclesAndPass) {
  const PlenaPlatform builtin(KC_SOURCE_DIR);
  const auto external = example_platform();
  EXPECT_EQ(external->name(), "plena_cli");
  EXPECT_EQ(external->preset_names(), builtin.preset_names());
  Evaluator builtin_eval(builtin, suite_task("relu"), "C1", "default");
  Evaluator external_eval(*external, suite_task("relu"), "C1", "default");
  const std::string source = builtin_eval.baseline_source();
  EvalOptions options;
  options.seeds = {kVisibleSeed, hidden_seeds().front()};
  options.compare_with_baseline = false;
  const EvalReport expected = builtin_eval.evaluate(source, options);
  const EvalReport got = external_eval.evaluate(source, options);
  ASSERT_TRUE(expected.passed);
  ASSERT_TRUE(got.assembled);
  EXPECT_TRUE(got.passed);
  EXPECT_EQ(got.cycles, expected.cycles);
  EXPECT_EQ(got.instruction_count, expected.instruction_count);
  ASSERT_EQ(got.seeds.size(), expected.seeds.size());
  for (std::size_t i = 0; i < got.seeds.size(); ++i) {
    EXPECT_EQ(got.seeds[i].cycles, expected.seeds[i].cycles);
    EXPECT_EQ(got.seeds[i].instructions, expected.seeds[i].instructions);
    EXPECT_EQ(got.seeds[i].units.size(), expected.seeds[i].units.size());
  }
}

TEST(ExternalPlatformExample, AnAssemblyErrorComesBackAsADiagnosticWithItsLine) {
  const auto external = example_platform();
  const AssembleResult result = external->assemble("S_ADDI_INT gp1, gp0, 1\nNOT_AN_INSTRUCTION gp1\n", "default");
  EXPECT_FALSE(result.ok());
  ASSERT_FALSE(result.diagnostics.empty());
  EXPECT_EQ(result.diagnostics.front().severity, "error");
  EXPECT_EQ(result.diagnostics.front().line, 2u);
  EXPECT_NE(result.diagnostics.front().message.find("NOT_AN_INSTRUCTION"), std::string::npos)
      << result.diagnostics.front().message;
}

TEST(ExternalPlatformExample, ATrapComesBackAsATrapNotAnError) {
  const auto external = example_platform();
  const AssembleResult assembled = external->assemble("C_LOOP_START gp1, 1000000\nS_ADDI_INT gp2, gp2, 1\nC_LOOP_END gp1\n", "default");
  ASSERT_TRUE(assembled.ok());
  RunLimits limits;
  limits.max_instructions = 100;
  const SimReport report = external->run(*assembled.program, "default", MemoryImage{}, {}, limits);
  ASSERT_TRUE(report.trap.has_value());
  EXPECT_FALSE(report.trap->kind.empty());
}

TEST(ExternalPlatformExample, IsOpenedByPathThroughMakePlatformButIsNoBuiltIn) {
  ::setenv("KERNELCRAFT_BINARY", KC_BINARY, 1);
  const auto by_path = make_platform("examples/external/plena-via-cli/platform.json", KC_SOURCE_DIR);
  EXPECT_EQ(by_path->name(), "plena_cli");
  EXPECT_FALSE(by_path->docs().empty());
  const auto names = builtin_platform_names();
  EXPECT_EQ(std::find(names.begin(), names.end(), "plena_cli"), names.end());
  EXPECT_THROW(make_platform("examples/external/plena-via-cli/platform.json", KC_SOURCE_DIR, "rtl"), InputError);
  EXPECT_THROW(make_platform("no/such/platform.json", KC_SOURCE_DIR), InputError);
}

TEST(ExternalPlatformExample, TheCliSimulatesThroughTheDeclarationWithTheBuiltInCycles) {
  auto cycles_of = [](const std::string& platform) {
    const std::string command = std::string(KC_BINARY) + " --data-dir " + KC_SOURCE_DIR + " sim -p " + platform +
                                " --json " + KC_SOURCE_DIR + "/isa/plena/examples/vector_scale_add.asm" +
                                " --mem-in " + KC_SOURCE_DIR + "/isa/plena/examples/vector_scale_add.image.json" +
                                " --dump vsram:0:16";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
    std::string out;
    std::array<char, 4096> buffer{};
    while (pipe && std::fgets(buffer.data(), buffer.size(), pipe.get())) out += buffer.data();
    return json::parse(out);
  };
  const json builtin = cycles_of("plena");
  const json external = cycles_of(kExample);
  EXPECT_EQ(external["platform"], "plena_cli");
  EXPECT_EQ(external["cycles"], builtin["cycles"]);
  EXPECT_GT(external["cycles"].get<uint64_t>(), 0u);
  EXPECT_EQ(external["dumped"], builtin["dumped"]);
}

// ---- harness faults: clear errors ------------------------------------------------------------------

TEST_F(FakePlatform, ACommandNotOnPathIsNamed) {
  const auto p = load({{"argv", {"kc-no-such-assembler-xyz", "{source}"}}}, run_command("exit 0"));
  const std::string error = error_of([&] { p->assemble("NOP\n", "default"); });
  EXPECT_NE(error.find("external platform 'fake': assemble command 'kc-no-such-assembler-xyz' was not found on PATH"),
            std::string::npos)
      << error;
}

TEST_F(FakePlatform, AMissingCommandPathIsNamed) {
  const auto p = load(accepting_assembler(), {{"argv", {"./bin/no-simulator.sh"}}});
  const std::string error = error_of([&] { run_once(*p); });
  EXPECT_NE(error.find("run command './bin/no-simulator.sh' was not found (no executable file at that path"),
            std::string::npos)
      << error;
}

TEST_F(FakePlatform, ANonZeroExitQuotesTheFirstLinesOfStderr) {
  const auto p = load({{"argv", {script("asm.sh", "echo 'line one' >&2; echo 'license server down' >&2; exit 3")}}},
                      run_command("exit 0"));
  const std::string error = error_of([&] { p->assemble("NOP\n", "default"); });
  EXPECT_NE(error.find("assemble command"), std::string::npos) << error;
  EXPECT_NE(error.find("exited with code 3; stderr: line one | license server down"), std::string::npos) << error;
}

TEST_F(FakePlatform, ACommandEndedByASignalIsAnError) {
  const auto p = load(accepting_assembler(), run_command("kill -9 $$"));
  const std::string error = error_of([&] { run_once(*p); });
  EXPECT_NE(error.find("run command"), std::string::npos) << error;
  EXPECT_NE(error.find("was ended by signal 9"), std::string::npos) << error;
}

TEST_F(FakePlatform, ATimeoutKillsTheCommandAndWhatItStarted) {
  json run = run_command("sleep 30; echo '{\"cycles\": 1}' > \"$1\"");
  run["timeout_seconds"] = 1;
  const auto p = load(accepting_assembler(), run);
  const auto start = std::chrono::steady_clock::now();
  const std::string error = error_of([&] { run_once(*p); });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_NE(error.find("run command"), std::string::npos) << error;
  EXPECT_NE(error.find("did not finish within 1 s and was killed (run.timeout_seconds)"), std::string::npos) << error;
  EXPECT_LT(seconds, 10.0);
}

TEST_F(FakePlatform, ATimeoutCanBeDeclaredTheKernelsTrap) {
  json run = run_command("sleep 30");
  run["timeout_seconds"] = 1;
  run["on_timeout"] = "trap";
  const auto p = load(accepting_assembler(), run);
  const SimReport report = run_once(*p);
  ASSERT_TRUE(report.trap.has_value());
  EXPECT_EQ(report.trap->kind, "timeout");
}

TEST_F(FakePlatform, GarbageOnStdoutIsNotJson) {
  const auto p = load({{"argv", {script("asm.sh", "echo 'hello from the assembler'")}}, {"result", "stdout"}},
                      run_command("exit 0"));
  const std::string error = error_of([&] { p->assemble("NOP\n", "default"); });
  EXPECT_NE(error.find("assemble command"), std::string::npos) << error;
  EXPECT_NE(error.find("result (stdout) is not JSON"), std::string::npos) << error;
  EXPECT_NE(error.find("it starts: hello from the assembler"), std::string::npos) << error;
}

TEST_F(FakePlatform, AGarbageResultFileIsNotJson) {
  const auto p = load(accepting_assembler(), run_command("echo 'cycles=12' > \"$1\""));
  const std::string error = error_of([&] { run_once(*p); });
  EXPECT_NE(error.find("run command"), std::string::npos) << error;
  EXPECT_NE(error.find("result (result.json) is not JSON"), std::string::npos) << error;
}

TEST_F(FakePlatform, AMissingResultFileIsNamed) {
  const auto p = load(accepting_assembler(), run_command("exit 0"));
  const std::string error = error_of([&] { run_once(*p); });
  EXPECT_NE(error.find("run command"), std::string::npos) << error;
  EXPECT_NE(error.find("did not write its result file {result}"), std::string::npos) << error;
}

TEST_F(FakePlatform, AMissingFieldIsNamed) {
  const auto p = load(accepting_assembler(), run_command("echo '{\"instructions\": 3}' > \"$1\""));
  const std::string error = error_of([&] { run_once(*p); });
  EXPECT_NE(error.find("field 'cycles' is missing; expected a non-negative integer"), std::string::npos) << error;
}

TEST_F(FakePlatform, AValueOfTheWrongTypeIsNamed) {
  const auto p = load(accepting_assembler(), run_command("echo '{\"cycles\": \"many\"}' > \"$1\""));
  const std::string error = error_of([&] { run_once(*p); });
  EXPECT_NE(error.find("field 'cycles' is string \"many\", expected a non-negative integer"), std::string::npos)
      << error;

  const auto q = load({{"argv", {script("asm2.sh", "echo '{\"ok\": \"yes\"}' > \"$1\""), "{result}"}}},
                      run_command("exit 0"));
  const std::string ok_error = error_of([&] { q->assemble("NOP\n", "default"); });
  EXPECT_NE(ok_error.find("field 'ok' is string \"yes\", expected true or false"), std::string::npos) << ok_error;

  const auto r = load(accepting_assembler(),
                      run_command("echo '{\"cycles\": 5, \"trap\": {\"kind\": \"oops\", \"line\": -2}}' > \"$1\""));
  const std::string trap_error = error_of([&] { run_once(*r); });
  EXPECT_NE(trap_error.find("field 'trap.line' is number -2, expected a non-negative integer"), std::string::npos)
      << trap_error;
}

TEST_F(FakePlatform, AssemblyDiagnosticsAreTheKernelsFailure) {
  const std::string result =
      R"({"ok": false, "diagnostics": [{"line": 3, "column": 5, "message": "unknown opcode FOO", "hint": "see 03-vector"}]})";
  const auto p = load({{"argv", {script("asm.sh", "echo '" + result + "' > \"$1\"; exit 1"), "{result}"}},
                       {"kernel_failure_exit_codes", {1}}},
                      run_command("exit 0"));
  const AssembleResult assembled = p->assemble("NOP\nNOP\n  FOO x\n", "default");
  EXPECT_FALSE(assembled.ok());
  ASSERT_EQ(assembled.diagnostics.size(), 1u);
  EXPECT_EQ(assembled.diagnostics[0].severity, "error");
  EXPECT_EQ(assembled.diagnostics[0].line, 3u);
  EXPECT_EQ(assembled.diagnostics[0].column, 5u);
  EXPECT_EQ(assembled.diagnostics[0].message, "unknown opcode FOO");
  EXPECT_EQ(assembled.diagnostics[0].hint, "see 03-vector");
}

TEST_F(FakePlatform, AKernelFailureExitWithAnOkResultIsAContradiction) {
  const auto p = load({{"argv", {script("asm.sh", "echo '{\"ok\": true}' > \"$1\"; exit 1"), "{result}"}},
                       {"kernel_failure_exit_codes", {1}}},
                      run_command("exit 0"));
  const std::string error = error_of([&] { p->assemble("NOP\n", "default"); });
  EXPECT_NE(error.find("exited with code 1 (a kernel-failure code) but its result says \"ok\": true"), std::string::npos)
      << error;
}

TEST_F(FakePlatform, ATrapInTheResultIsReturnedWithItsLine) {
  const auto p = load(accepting_assembler(),
                      run_command(R"(echo '{"cycles": 7, "trap": {"kind": "bad_address", "pc": 4, "line": 2, "message": "load outside vsram"}}' > "$1"; exit 1)"));
  json run = run_command(R"(echo '{"cycles": 7, "trap": {"kind": "bad_address", "pc": 4, "line": 2, "message": "load outside vsram"}}' > "$1"; exit 1)");
  run["kernel_failure_exit_codes"] = {1};
  const auto q = load(accepting_assembler(), run);
  const SimReport report = run_once(*q);
  ASSERT_TRUE(report.trap.has_value());
  EXPECT_EQ(report.trap->kind, "bad_address");
  EXPECT_EQ(report.trap->line, 2u);
  EXPECT_EQ(report.trap->pc, 4u);
  EXPECT_EQ(report.cycles, 7u);
  // Exit 1 not declared as a kernel failure: a harness fault, whatever the result says.
  EXPECT_NE(error_of([&] { run_once(*p); }).find("exited with code 1"), std::string::npos);
}

TEST_F(FakePlatform, TheOutputImageMustHoldTheRequestedRegions) {
  const std::vector<MemoryRegion> dumps = {parse_memory_region("vsram:0:2")};
  const auto missing = load(accepting_assembler(), run_command("echo '{\"cycles\": 1}' > \"$1\""));
  EXPECT_NE(error_of([&] { run_once(*missing, dumps); }).find("did not write the output memory image {image_out}"),
            std::string::npos);

  const std::string wrong_image =
      R"({"format": "kernelcraft-memory-image/1", "segments": [{"memory": "vsram", "address": 0, "values": [1]}]})";
  const auto wrong = load(accepting_assembler(),
                          run_command("echo '{\"cycles\": 1}' > \"$1\"; echo '" + wrong_image + "' > \"$2\""));
  const std::string error = error_of([&] { run_once(*wrong, dumps); });
  EXPECT_NE(error.find("segments[0] is vsram:0 with 1 values; expected vsram:0 with 2 values"), std::string::npos)
      << error;

  const std::string good_image =
      R"({"format": "kernelcraft-memory-image/1", "segments": [{"memory": "vsram", "address": 0, "values": [1.5, "nan"]}]})";
  const auto good = load(accepting_assembler(),
                         run_command("echo '{\"cycles\": 9}' > \"$1\"; echo '" + good_image + "' > \"$2\""));
  const SimReport report = run_once(*good, dumps);
  ASSERT_EQ(report.dumped.segments.size(), 1u);
  EXPECT_EQ(report.dumped.segments[0].values[0], 1.5);
  EXPECT_TRUE(std::isnan(report.dumped.segments[0].values[1]));
}

TEST_F(FakePlatform, ArgumentsArePassedAsArgvWithoutAShell) {
  const fs::path args = dir_ / "args.txt";
  const std::string recorder = script("record.sh", "out=\"$1\"; shift; printf '%s\\n' \"$@\" > \"$out\"; "
                                                   "echo '{\"cycles\": 1}' > result.json");
  const json run = {{"argv",
                     {recorder, args.string(), "{preset}", "two words; $(echo no) `x`",
                      {{"for_each_dump", {"--dump", "{dump}"}}}, "--max={max_cycles}", "{{literal}}"}}};
  const auto p = load(accepting_assembler(), run);
  const auto dumps = std::vector<MemoryRegion>{parse_memory_region("vsram:0:4"), parse_memory_region("hbm:64:8:mxfp8@4096")};
  // No image: the recorder writes none, so the check of image_out fails after the command ran.
  error_of([&] { run_once(*p, dumps); });
  std::ifstream in(args);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const std::vector<std::string> expected = {"default", "two words; $(echo no) `x`", "--dump", "vsram:0:4",
                                             "--dump", "hbm:64:8:mxfp8@4096", "--max=2000000000", "{literal}"};
  EXPECT_EQ(lines, expected);
}

// ---- malformed declarations ------------------------------------------------------------------------

TEST_F(FakePlatform, ADeclarationWithAnUnknownPlaceholderNamesTheField) {
  try {
    load({{"argv", {"asm", "{sauce}"}}}, run_command("exit 0"));
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("field 'assemble.argv[1]': unknown placeholder {sauce}"), std::string::npos)
        << e.what();
  }
}

TEST_F(FakePlatform, ADeclarationWithAnUnknownFieldOrLayoutIsRefused) {
  EXPECT_THROW(load(accepting_assembler(), run_command("exit 0"), {{"simulator", "x"}}), InputError);
  try {
    load(accepting_assembler(), run_command("exit 0"), {{"layout", "tpu"}});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'tpu' is not a built-in platform"), std::string::npos) << e.what();
  }
  try {
    load(accepting_assembler(), run_command("exit 0"), {{"presets", {{"mine", {{"mlen", 64}}}}}});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("preset 'mine' has no layout"), std::string::npos) << e.what();
  }
}

TEST_F(FakePlatform, OwnPresetsArePassedToTheCommandsAndMappedToALayoutPreset) {
  const json extra = {{"presets", {{"mine", {{"clock_mhz", 500}}}}},
                      {"layout", {{"platform", "plena"}, {"presets", {{"mine", "small"}}}}}};
  const auto p = load({{"argv", {script("asm.sh", "cp \"$2\" preset_seen.json; cp \"$2\" \"" + (dir_ / "seen.json").string() +
                                                      "\"; echo '{\"ok\": true}' > \"$1\""),
                                 "{result}", "{preset_file}"}}},
                      run_command("exit 0"), extra);
  EXPECT_EQ(p->preset_names(), std::vector<std::string>{"mine"});
  EXPECT_EQ(p->default_preset(), "mine");
  EXPECT_EQ(json::parse(p->describe_preset("mine"))["clock_mhz"], 500);
  ASSERT_TRUE(p->assemble("NOP\n", "mine").ok());
  std::ifstream seen(dir_ / "seen.json");
  EXPECT_EQ(json::parse(seen)["clock_mhz"], 500);
  const PlenaPlatform builtin(KC_SOURCE_DIR);
  EXPECT_EQ(p->peak_rates("mine").matrix_flops_per_cycle, builtin.peak_rates("small").matrix_flops_per_cycle);
  EXPECT_THROW(p->describe_preset("default"), InputError);
}

}  // namespace
}  // namespace kc
