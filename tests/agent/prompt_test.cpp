#include "kernelcraft/agent/prompt.h"

#include <gtest/gtest.h>

#include "kernelcraft/agent/tool.h"
#include "kernelcraft/core/errors.h"
#include "kernelcraft/eval/evaluator.h"
#include "kernelcraft/platform/plena_platform.h"

namespace kc::agent {
namespace {

const PlenaPlatform& plena() {
  static const PlenaPlatform platform(KC_SOURCE_DIR);
  return platform;
}

std::shared_ptr<const TaskSpec> suite_task(const std::string& name) {
  static const auto suite = load_task_suite(std::string(KC_SOURCE_DIR) + "/tasks");
  return find_task(suite, name);
}

TEST(PromptTemplate, PlaceholdersAreFilledAndUnknownOnesNamed) {
  EXPECT_EQ(fill_template("a {{x}} b {{y}}{{x}}", "t.md", {{"x", "1"}, {"y", "2"}}), "a 1 b 21");
  try {
    fill_template("line one\nline {{two}}", "prompts/task.md", {{"x", "1"}});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("prompts/task.md:2: unknown placeholder {{two}}"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(fill_template("open {{x", "t.md", {{"x", "1"}}), InputError);
}

TEST(Prompt, CarriesTheIsaManualHardwareLayoutShapesToolsAndBudget) {
  Evaluator evaluator(plena(), suite_task("softmax"), "C2", "default");
  const Toolbox toolbox = standard_toolbox();
  const PromptTemplates templates = load_prompt_templates(std::string(KC_SOURCE_DIR) + "/agents/prompts");
  const Prompt prompt = build_prompt(templates, plena(), "default", evaluator.instance(), evaluator.layout(), 15,
                                     toolbox.schemas());
  // Every ISA manual section is in the system prompt.
  for (const DocSection& section : plena().docs())
    EXPECT_NE(prompt.system.find(section.text.substr(0, 200)), std::string::npos) << section.id;
  EXPECT_NE(prompt.system.find("at most 15 turns"), std::string::npos);
  for (const auto& tool : toolbox.schemas()) EXPECT_NE(prompt.system.find("`" + tool.name + "`"), std::string::npos);
  // The task prompt: description, bound shapes, preset parameters, layout and constants.
  EXPECT_NE(prompt.task.find(suite_task("softmax")->description.substr(0, 40)), std::string::npos);
  EXPECT_NE(prompt.task.find(evaluator.instance().parameter_summary()), std::string::npos);
  EXPECT_NE(prompt.task.find(evaluator.layout().description), std::string::npos);
  EXPECT_NE(prompt.task.find("\"vlen\": 64"), std::string::npos) << "hardware preset JSON";
  EXPECT_EQ(prompt.task.find("{{"), std::string::npos);
  EXPECT_EQ(prompt.system.find("{{"), std::string::npos);
}

}  // namespace
}  // namespace kc::agent
