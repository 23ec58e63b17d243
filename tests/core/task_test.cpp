#include "kernelcraft/core/task.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "kernelcraft/core/errors.h"

namespace kc {
namespace {

namespace fs = std::filesystem;

// A valid task document; each test breaks one field of it.
nlohmann::ordered_json valid_task() {
  return nlohmann::ordered_json::parse(R"json({
    "format": "kernelcraft-task/1", "name": "scale", "title": "Scale", "level": 1,
    "description": "y = 2 x",
    "parameters": {"N": "rows", "D": "columns"},
    "configs": {"C1": {"N": 4, "D": 64}, "C2": {"N": 8, "D": 64}, "C3": {"N": 8, "D": 128},
                "C4": {"N": 16, "D": 128}, "C5": {"N": 32, "D": 128}},
    "tensors": [
      {"name": "x", "role": "input", "shape": ["N", "D"], "dtype": "bf16",
       "distribution": {"kind": "normal", "mean": "0", "std": "1/sqrt(D)"}},
      {"name": "y", "role": "output", "shape": ["N", "D"], "dtype": "bf16"}],
    "constants": [{"name": "inv_d", "value": "1/D"}],
    "tolerance": {"bf16": {"atol": 0.02, "rtol": 0.02}},
    "reference": {"file": "reference.mlir", "function": "scale"},
    "support": {"plena": true, "coral_npu": false}
  })json");
}

class TaskFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kc_task_test_" + std::to_string(::getpid())) / "scale";
    fs::create_directories(dir_);
    std::ofstream(dir_ / "reference.mlir") << "// placeholder\n";
  }
  void TearDown() override { fs::remove_all(dir_.parent_path()); }

  TaskSpec parse(const nlohmann::ordered_json& doc) {
    return parse_task(doc.dump(), (dir_ / "task.json").string(), dir_.string());
  }
  // The InputError message of parsing `doc`, or "" when it parses.
  std::string error_of(const nlohmann::ordered_json& doc) {
    try {
      parse(doc);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }

  fs::path dir_;
};

TEST_F(TaskFileTest, ParsesAValidTaskInFileOrder) {
  const TaskSpec task = parse(valid_task());
  EXPECT_EQ(task.name, "scale");
  EXPECT_EQ(task.turn_budget(), 15);
  ASSERT_EQ(task.parameters.size(), 2u);
  EXPECT_EQ(task.parameters[0].first, "N");  // file order, not alphabetical
  EXPECT_EQ(task.config_names(), (std::vector<std::string>{"C1", "C2", "C3", "C4", "C5"}));
  EXPECT_TRUE(task.supports("plena"));
  EXPECT_FALSE(task.supports("coral_npu"));
  EXPECT_FALSE(task.supports("unknown"));
}

TEST_F(TaskFileTest, BindingEvaluatesShapesDistributionsAndConstants) {
  auto task = std::make_shared<const TaskSpec>(parse(valid_task()));
  const TaskInstance inst = bind_task(task, "C3");
  EXPECT_EQ(inst.tensor("x").shape, (std::vector<int64_t>{8, 128}));
  EXPECT_EQ(inst.tensor("x").rows, 8);
  EXPECT_EQ(inst.tensor("x").cols, 128);
  EXPECT_DOUBLE_EQ(inst.tensor("x").dist_second, 1 / std::sqrt(128.0));
  EXPECT_DOUBLE_EQ(inst.constant("inv_d"), 1.0 / 128);
  EXPECT_EQ(inst.parameter_summary(), "N=8, D=128");
  EXPECT_EQ(inst.inputs().size(), 1u);
  EXPECT_EQ(inst.outputs().size(), 1u);
  EXPECT_THROW(bind_task(task, "C6"), InputError);
}

TEST_F(TaskFileTest, APlatformBindsItsOwnConfigurations) {
  nlohmann::ordered_json doc = valid_task();
  doc["platform_configs"]["coral_npu"] = {{"C1", {{"N", 1}, {"D", 16}}}, {"C2", {{"N", 2}, {"D", 16}}},
                                          {"C3", {{"N", 2}, {"D", 32}}}, {"C4", {{"N", 4}, {"D", 32}}},
                                          {"C5", {{"N", 4}, {"D", 64}}}};
  auto task = std::make_shared<const TaskSpec>(parse(doc));
  EXPECT_EQ(bind_task(task, "C5", "coral_npu").tensor("x").shape, (std::vector<int64_t>{4, 64}));
  EXPECT_EQ(bind_task(task, "C5", "coral_npu").platform, "coral_npu");
  EXPECT_EQ(bind_task(task, "C5", "plena").tensor("x").shape, (std::vector<int64_t>{32, 128}));
  EXPECT_EQ(bind_task(task, "C5").tensor("x").shape, (std::vector<int64_t>{32, 128}));
  EXPECT_EQ(&task->configs_for("plena"), &task->configs);
}

struct BrokenCase {
  const char* name;
  void (*breaker)(nlohmann::ordered_json&);
  const char* expected_field;
  const char* expected_reason;
};

class MalformedTask : public TaskFileTest, public ::testing::WithParamInterface<BrokenCase> {};

TEST_P(MalformedTask, IsRejectedNamingFileFieldAndReason) {
  nlohmann::ordered_json doc = valid_task();
  GetParam().breaker(doc);
  const std::string message = error_of(doc);
  ASSERT_FALSE(message.empty()) << "a malformed task was accepted";
  EXPECT_NE(message.find("task.json"), std::string::npos) << message;
  EXPECT_NE(message.find(GetParam().expected_field), std::string::npos) << message;
  EXPECT_NE(message.find(GetParam().expected_reason), std::string::npos) << message;
}

const BrokenCase kBrokenCases[] = {
    {"wrong_format", [](auto& d) { d["format"] = "task/0"; }, "'format'", "kernelcraft-task/1"},
    {"unknown_field", [](auto& d) { d["colour"] = "red"; }, "'colour'", "unknown field"},
    {"level_out_of_range", [](auto& d) { d["level"] = 4; }, "'level'", "1, 2 or 3"},
    {"missing_config", [](auto& d) { d["configs"].erase("C5"); }, "configs.C5", "missing"},
    {"extra_config", [](auto& d) { d["configs"]["C6"] = d["configs"]["C5"]; }, "configs.C6",
     "exactly C1"},
    {"platform_configs_not_object", [](auto& d) { d["platform_configs"] = 3; }, "'platform_configs'",
     "platform -> C1..C5"},
    {"platform_config_missing",
     [](auto& d) {
       d["platform_configs"]["coral_npu"] = d["configs"];
       d["platform_configs"]["coral_npu"].erase("C4");
     },
     "platform_configs.coral_npu.C4", "missing"},
    {"platform_config_bad_value",
     [](auto& d) {
       d["platform_configs"]["coral_npu"] = d["configs"];
       d["platform_configs"]["coral_npu"]["C2"]["D"] = 0;
     },
     "platform_configs.coral_npu.C2.D", "positive integer"},
    {"platform_configs_must_grow",
     [](auto& d) {
       d["platform_configs"]["coral_npu"] = d["configs"];
       d["platform_configs"]["coral_npu"]["C3"] = d["configs"]["C1"];
     },
     "platform_configs.coral_npu.C3", "must grow"},
    {"non_integer_parameter", [](auto& d) { d["configs"]["C2"]["N"] = 2.5; }, "configs.C2.N",
     "positive integer"},
    {"undeclared_parameter", [](auto& d) { d["configs"]["C1"]["Q"] = 3; }, "configs.C1.Q",
     "not a declared parameter"},
    {"shape_unknown_name", [](auto& d) { d["tensors"][0]["shape"][1] = "E"; }, "configs.C1",
     "unknown name 'E'"},
    {"shape_not_positive", [](auto& d) { d["tensors"][1]["shape"][0] = "N-4"; }, "configs.C1",
     "positive integer"},
    {"bad_role", [](auto& d) { d["tensors"][0]["role"] = "weight"; }, "tensors[0].role",
     "\"input\" or \"output\""},
    {"bad_dtype", [](auto& d) { d["tensors"][0]["dtype"] = "fp8"; }, "tensors[0].dtype", "bf16"},
    {"degenerate_normal", [](auto& d) { d["tensors"][0]["distribution"]["std"] = "0"; },
     "configs.C1", "std must be > 0"},
    {"degenerate_uniform",
     [](auto& d) {
       d["tensors"][0]["distribution"] = {{"kind", "uniform"}, {"low", "1"}, {"high", "1"}};
     },
     "configs.C1", "high must be > low"},
    {"unknown_distribution", [](auto& d) { d["tensors"][0]["distribution"]["kind"] = "zipf"; },
     "tensors[0].distribution.kind", "normal"},
    {"output_first",
     [](auto& d) {
       auto x = d["tensors"][0];
       d["tensors"][0] = d["tensors"][1];
       d["tensors"][1] = x;
     },
     "tensors[1].role", "inputs must come before outputs"},
    {"no_atol_floor", [](auto& d) { d["tolerance"]["bf16"]["atol"] = 0; }, "tolerance.bf16",
     "atol floor"},
    {"missing_reference_file", [](auto& d) { d["reference"]["file"] = "missing.mlir"; },
     "reference.file", "file not found"},
    {"name_differs_from_folder", [](auto& d) { d["name"] = "other"; }, "'name'",
     "differs from its folder"},
    {"configs_do_not_grow", [](auto& d) { d["configs"]["C4"]["N"] = 4; }, "configs.C4",
     "must grow"},
};

INSTANTIATE_TEST_SUITE_P(Fields, MalformedTask, ::testing::ValuesIn(kBrokenCases),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST_F(TaskFileTest, InvalidJsonNamesTheFile) {
  try {
    parse_task("{\"format\": ", (dir_ / "task.json").string(), dir_.string());
    FAIL() << "accepted invalid JSON";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("task.json: invalid JSON"), std::string::npos);
  }
}

TEST(TaskSuite, TheShippedSuiteHasTheTwentyThreeKernelCraftTasks) {
  const auto suite = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  ASSERT_EQ(suite.size(), 23u);
  int per_level[4] = {0, 0, 0, 0};
  int plena = 0, amd = 0, coral = 0;
  for (const auto& t : suite) {
    ++per_level[t->level];
    plena += t->supports("plena");
    amd += t->supports("amd_npu");
    coral += t->supports("coral_npu");
    EXPECT_EQ(t->configs.size(), 5u) << t->name;
  }
  EXPECT_EQ(per_level[1], 12);
  EXPECT_EQ(per_level[2], 8);
  EXPECT_EQ(per_level[3], 3);
  // KernelCraft's support matrix: 20 PLENA, 22 AMD NPU and 15 Coral NPU tasks.
  EXPECT_EQ(plena, 20);
  EXPECT_EQ(amd, 22);
  EXPECT_EQ(coral, 15);
  EXPECT_THROW(find_task(suite, "no_such_task"), InputError);
}

}  // namespace
}  // namespace kc
