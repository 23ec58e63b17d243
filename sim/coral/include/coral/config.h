// The Coral NPU hardware configuration: memory map, vector geometry and every timing parameter
// of the cycle model. Presets live in isa/coral_npu/presets/<name>.json.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace coral {

// A preset that cannot be used. The message names the source (file) and the field.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Cycle-model parameters (JSON object "timing"; the JSON keys are these member names).
struct TimingConfig {
  // Scalar core.
  uint32_t dispatch_width = 4;             // instructions dispatched per cycle, in order
  uint32_t alu_latency = 1;
  uint32_t branch_latency = 1;
  uint32_t branch_mispredict_penalty = 2;  // static prediction: backward taken, forward not
  uint32_t mul_latency = 2;                // pipelined
  uint32_t div_latency = 33;               // not pipelined
  uint32_t fpu_latency = 3;                // fadd/fmul/fma, pipelined
  uint32_t fdiv_sqrt_latency = 12;         // not pipelined
  uint32_t fpu_convert_compare_latency = 2;  // fcvt, fmv, compares, fclass, fsgnj, fmin/fmax
  uint32_t csr_latency = 1;
  uint32_t tcm_load_to_use = 2;            // scalar load from ITCM/DTCM
  uint32_t ext_latency = 30;               // first beat of an EXT access
  uint32_t ext_bytes_per_cycle = 16;       // EXT bandwidth (one beat)
  // Vector engine.
  uint32_t vector_queue_depth = 8;         // scalar core stalls when the command queue is full
  uint32_t valu_units = 2;
  uint32_t valu_latency = 2;
  uint32_t vmac_units = 2;
  uint32_t vmac_latency = 3;
  uint32_t vdiv_cycles_per_uop = 8;        // not pipelined
  uint32_t vfalu_units = 2;
  uint32_t vfalu_latency = 4;
  uint32_t vfdiv_cycles_per_uop = 12;      // not pipelined
  uint32_t vperm_latency = 1;              // slides, gathers, moves: one uop per cycle
  uint32_t vlsu_tcm_bytes_per_cycle = 16;  // unit-stride beat from DTCM/ITCM
  uint32_t vlsu_tcm_latency = 2;           // last beat to result usable
};

struct CoralConfig {
  std::string name = "coral";
  uint32_t itcm_base = 0x00000000;
  uint32_t itcm_bytes = 64u << 10;  // all that fits below the DTCM base
  uint32_t dtcm_base = 0x00010000;  // both presets share one address map
  uint32_t dtcm_bytes = 1u << 20;
  uint32_t ext_base = 0x20000000;
  uint32_t ext_bytes = 4u << 20;
  uint32_t vlen_bits = 128;  // only 128 is supported
  uint32_t elen_bits = 32;   // only 32 is supported
  TimingConfig timing;

  uint32_t vlenb() const { return vlen_bits / 8; }
  uint32_t dtcm_top() const { return dtcm_base + dtcm_bytes; }
};

// Parses a preset. `source` names the text in error messages (usually the file path).
// Unknown keys are errors (a typo must not silently fall back to a default). Throws ConfigError.
CoralConfig load_config(const std::string& json_text, const std::string& source);

// The preset as JSON in the file format (load_config(to_json(c)) gives c back, except that
// addresses print as numbers and the description is not kept).
std::string to_json(const CoralConfig& config);

// Reads and parses isa/coral_npu/presets/<file>. Throws ConfigError when unreadable.
CoralConfig load_config_file(const std::string& path);

}  // namespace coral
