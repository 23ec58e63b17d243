#include "knob_resolution.h"

#include <algorithm>

#include "kernelcraft/core/errors.h"

namespace kc {

BaselineKnobs resolve_knobs(const std::vector<KnobSpec>& specs, const BaselineKnobs& given, const std::string& owner) {
  BaselineKnobs resolved;
  for (const KnobSpec& spec : specs) resolved[spec.name] = spec.default_value;
  for (const auto& [name, value] : given) {
    auto spec = std::find_if(specs.begin(), specs.end(), [&](const KnobSpec& k) { return k.name == name; });
    if (spec == specs.end()) {
      std::string known;
      for (const KnobSpec& k : specs) known += (known.empty() ? "" : ", ") + k.name;
      throw InputError("unknown knob '" + name + "' for the " + owner + " baseline; knobs: " +
                       (known.empty() ? "(none)" : known));
    }
    if (!spec->choices.empty() && std::find(spec->choices.begin(), spec->choices.end(), value) == spec->choices.end()) {
      std::string allowed;
      for (const auto& choice : spec->choices) allowed += (allowed.empty() ? "" : ", ") + choice;
      throw InputError("knob " + name + "=" + value + ": expected one of " + allowed);
    }
    resolved[name] = value;
  }
  return resolved;
}

}  // namespace kc
