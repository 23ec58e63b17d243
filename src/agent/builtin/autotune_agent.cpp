// The `autotune` agent: coordinate descent over the compiler baseline's knobs through run_eval,
// submitting the fastest kernel that passed. It keeps no state between calls: the search is
// re-derived from the conversation (the code each run_eval carried and what it answered), so a
// replayed or resumed episode makes the same moves.
#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include "builtin.h"
#include "kernelcraft/core/errors.h"

namespace kc::agent::builtin {
namespace {

using nlohmann::json;

struct Outcome {
  bool passed = false;
  uint64_t cycles = 0;
  std::size_t order = 0;  // position in the conversation: earlier wins ties

  bool better_than(const Outcome& other) const {
    return cycles != other.cycles ? cycles < other.cycles : order < other.order;
  }
};

// What earlier turns learned: run_eval outcome by kernel source, first evaluation only.
std::map<std::string, Outcome> evaluated_sources(const llm::ChatRequest& request) {
  std::map<std::string, const llm::ToolResult*> results;
  for (const llm::Message& m : request.messages)
    if (m.role == llm::Role::Tool)
      for (const llm::ToolResult& r : m.tool_results) results[r.call_id] = &r;
  std::map<std::string, Outcome> evaluated;
  for (const llm::Message& m : request.messages) {
    if (m.role != llm::Role::Assistant) continue;
    for (const llm::ToolCall& call : m.tool_calls) {
      if (call.name != "run_eval") continue;
      const json arguments = json::parse(call.arguments, nullptr, false);
      if (!arguments.is_object() || !arguments.contains("code") || !arguments["code"].is_string()) continue;
      Outcome outcome;
      outcome.order = evaluated.size();
      auto result = results.find(call.id);
      if (result != results.end() && !result->second->is_error) {
        const json content = json::parse(result->second->content, nullptr, false);
        if (content.is_object()) {
          outcome.passed = content.contains("passed") && content["passed"].is_boolean() &&
                           content["passed"].get<bool>();
          if (content.contains("cycles") && content["cycles"].is_number_unsigned())
            outcome.cycles = content["cycles"].get<uint64_t>();
        }
      }
      evaluated.emplace(arguments["code"].get<std::string>(), outcome);  // keeps the first
    }
  }
  return evaluated;
}

class AutotuneAgent : public BuiltinAgent {
 public:
  AutotuneAgent(Evaluator& evaluator, int turn_budget, std::size_t per_turn)
      : evaluator_(evaluator), turn_budget_(turn_budget), per_turn_(per_turn) {}
  std::string name() const override { return "autotune"; }

 protected:
  llm::Message reply(const llm::ChatRequest& request) override {
    std::optional<std::string> default_source;
    std::string problem;
    try {
      specs_ = baseline_knobs(evaluator_.platform().name(), evaluator_.instance().task->name);
      default_source = source_for(defaults());
    } catch (const InputError& e) {
      problem = e.what();
    }
    if (!default_source)
      return assistant_text("The autotune agent has no baseline to tune: " +
                            (problem.empty() ? std::string("the default knobs do not compile") : problem));

    const int turn = turn_number(request);
    const auto evaluated = evaluated_sources(request);
    const BaselineKnobs center = search_center(evaluated);
    const std::vector<std::string> pending = pending_sources(center, evaluated);
    const bool last_turn = turn_budget_ > 0 && turn >= turn_budget_;
    if (last_turn || pending.empty()) {
      const std::string& best = *source_for(center);
      const auto outcome = evaluated.find(best);
      const bool passed = outcome != evaluated.end() && outcome->second.passed;
      llm::Message message = assistant_text(passed ? "Submitting the fastest passing kernel found."
                                                   : "No tuned kernel passed; submitting the default baseline.");
      message.tool_calls.push_back(tool_call(turn, 0, "submit", {{"code", passed ? best : *default_source}}));
      return message;
    }
    llm::Message message = assistant_text("Evaluating " + std::to_string(std::min(per_turn_, pending.size())) +
                                          " knob settings of the baseline.");
    for (std::size_t i = 0; i < pending.size() && i < per_turn_; ++i)
      message.tool_calls.push_back(tool_call(turn, i, "run_eval", {{"code", pending[i]}}));
    return message;
  }

 private:
  BaselineKnobs defaults() const {
    BaselineKnobs knobs;
    for (const KnobSpec& spec : specs_) knobs[spec.name] = spec.default_value;
    return knobs;
  }

  // Kernel source for `knobs`, or nothing when the compiler rejects the combination. Memoised:
  // every turn re-walks the same settings.
  const std::optional<std::string>& source_for(const BaselineKnobs& knobs) {
    auto it = sources_.find(knobs);
    if (it != sources_.end()) return it->second;
    std::optional<std::string> source;
    try {
      source = evaluator_.baseline_source(knobs);
    } catch (const InputError&) {
      // An invalid combination for this shape: skipped, like any rejected candidate.
    }
    return sources_.emplace(knobs, std::move(source)).first->second;
  }

  // `center` with one knob changed, in the fixed order: knobs as listed, choices as listed.
  std::vector<BaselineKnobs> neighbours(const BaselineKnobs& center) const {
    std::vector<BaselineKnobs> out;
    for (const KnobSpec& spec : specs_)
      for (const std::string& choice : spec.choices) {
        if (choice == center.at(spec.name)) continue;
        BaselineKnobs candidate = center;
        candidate[spec.name] = choice;
        out.push_back(std::move(candidate));
      }
    return out;
  }

  // Replays the descent: start at the defaults and move to the best passing kernel among the
  // settings examined so far until the best is the current centre.
  BaselineKnobs search_center(const std::map<std::string, Outcome>& evaluated) {
    BaselineKnobs center = defaults();
    std::vector<BaselineKnobs> known{center};
    for (;;) {
      for (BaselineKnobs& n : neighbours(center)) known.push_back(std::move(n));
      std::optional<std::pair<BaselineKnobs, Outcome>> best;
      for (const BaselineKnobs& knobs : known) {
        const auto& source = source_for(knobs);
        if (!source) continue;
        auto it = evaluated.find(*source);
        if (it == evaluated.end() || !it->second.passed) continue;
        if (!best || it->second.better_than(best->second)) best = std::make_pair(knobs, it->second);
      }
      if (!best || best->first == center) return center;
      // Several knob settings may compile to the same kernel; stop once the kernel is the centre's.
      if (source_for(best->first) == source_for(center)) return center;
      center = best->first;
    }
  }

  // Kernels still to try: the defaults (first turn), then the centre's unevaluated neighbours.
  std::vector<std::string> pending_sources(const BaselineKnobs& center,
                                           const std::map<std::string, Outcome>& evaluated) {
    std::vector<BaselineKnobs> order{defaults()};
    for (BaselineKnobs& n : neighbours(center)) order.push_back(std::move(n));
    std::vector<std::string> pending;
    for (const BaselineKnobs& knobs : order) {
      const auto& source = source_for(knobs);
      if (!source || evaluated.count(*source) ||
          std::find(pending.begin(), pending.end(), *source) != pending.end())
        continue;
      pending.push_back(*source);
    }
    return pending;
  }

  Evaluator& evaluator_;
  int turn_budget_;
  std::size_t per_turn_;
  std::vector<KnobSpec> specs_;
  std::map<BaselineKnobs, std::optional<std::string>> sources_;
};

// candidates_per_turn from the config's options (default 4), capped so that twice the count
// fits in the per-turn tool-call limit.
std::size_t candidates_per_turn(const llm::AgentConfig& config) {
  long long wanted = 4;
  if (config.options.is_object() && config.options.contains("candidates_per_turn")) {
    const json& value = config.options["candidates_per_turn"];
    if (!value.is_number_integer() || value.get<long long>() < 1)
      throw InputError((config.source.empty() ? std::string("agent config") : config.source) +
                       ": field 'options.candidates_per_turn' must be a positive integer");
    wanted = value.get<long long>();
  }
  const long long cap = std::max(1, config.max_tool_calls_per_turn / 2);
  return static_cast<std::size_t>(std::min(wanted, cap));
}

}  // namespace

std::unique_ptr<llm::ChatProvider> make_autotune_agent(const llm::AgentConfig& config, Evaluator& evaluator,
                                                       int turn_budget) {
  return std::make_unique<AutotuneAgent>(evaluator, turn_budget, candidates_per_turn(config));
}

}  // namespace kc::agent::builtin
