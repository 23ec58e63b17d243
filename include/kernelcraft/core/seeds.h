// Seeds for task inputs. Every input tensor is a pure function of (task, config, tensor, seed),
// so any machine regenerates byte-identical inputs and goldens.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kc {

// The seed an agent's tools (run_eval, view_output) use; the agent may see these inputs.
constexpr uint64_t kVisibleSeed = 1;

// Seeds used only for final scoring; never shown to an agent. At least three, per DESIGN.md.
const std::vector<uint64_t>& hidden_seeds();

// A 64-bit stream seed for one tensor: FNV-1a over the names, mixed with the seed (splitmix64).
uint64_t tensor_stream_seed(const std::string& task, const std::string& config,
                            const std::string& tensor, uint64_t seed);

}  // namespace kc
