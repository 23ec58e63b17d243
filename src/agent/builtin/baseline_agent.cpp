// The `baseline` agent: writes the compiler baseline, checks it once on the visible inputs and
// submits it, giving every leaderboard a reference row that needs no model.
#include "builtin.h"
#include "kernelcraft/core/errors.h"

namespace kc::agent::builtin {
namespace {

class BaselineAgent : public BuiltinAgent {
 public:
  BaselineAgent(Evaluator& evaluator, int turn_budget) : evaluator_(evaluator), turn_budget_(turn_budget) {}
  std::string name() const override { return "baseline"; }

 protected:
  llm::Message reply(const llm::ChatRequest& request) override {
    std::string source;
    try {
      source = evaluator_.baseline_source();
    } catch (const InputError& e) {
      return assistant_text("The baseline agent has no kernel to submit: " + std::string(e.what()));
    }
    const int turn = turn_number(request);
    llm::Message message = assistant_text("");
    if (turn == 1) {
      message.text = "Writing the compiler baseline kernel.";
      message.tool_calls.push_back(tool_call(turn, 0, "write_code", {{"code", source}}));
      // With a single turn there is no later turn to submit in.
      const bool last_turn = turn_budget_ > 0 && turn_budget_ <= 1;
      message.tool_calls.push_back(tool_call(turn, 1, last_turn ? "submit" : "run_eval", nlohmann::json::object()));
    } else if (turn == 2) {
      message.text = "Submitting the baseline kernel.";
      message.tool_calls.push_back(tool_call(turn, 0, "submit", nlohmann::json::object()));
    } else {
      // Only reached when an earlier submit failed: carry the code so nothing else is needed.
      message.text = "Submitting the baseline kernel.";
      message.tool_calls.push_back(tool_call(turn, 0, "submit", {{"code", source}}));
    }
    return message;
  }

 private:
  Evaluator& evaluator_;
  int turn_budget_;
};

}  // namespace

std::unique_ptr<llm::ChatProvider> make_baseline_agent(Evaluator& evaluator, int turn_budget) {
  return std::make_unique<BaselineAgent>(evaluator, turn_budget);
}

}  // namespace kc::agent::builtin
