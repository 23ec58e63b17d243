#include "kernelcraft/platform/plena_platform.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/platform/plena_layout.h"
#include "../isa_docs.h"
#include "plena/hbm_codec.h"
#include "plena/numerics.h"
#include "plena/assembler.h"
#include "plena/memory_access.h"
#include "plena/poison.h"
#include "plena/simulator.h"
#include "plena_rtl/rtl_simulator.h"

namespace kc {
namespace {

namespace fs = std::filesystem;

class PlenaProgram : public AssembledProgram {
 public:
  explicit PlenaProgram(plena::Program program) : program_(std::move(program)) {}

  std::size_t instruction_count() const override { return program_.size(); }

  std::string listing() const override {
    std::string out;
    char prefix[40];
    for (std::size_t i = 0; i < program_.size(); ++i) {
      const plena::Instruction& inst = program_.instructions[i];
      std::snprintf(prefix, sizeof prefix, "%5zu  %08x  ", i, program_.words[i]);
      out += prefix + plena::disassemble(inst);
      if (inst.source_line) out += "    ; line " + std::to_string(inst.source_line);
      out += '\n';
    }
    return out;
  }

  std::string machine_code() const override { return plena::to_mem_text(program_); }

  std::map<std::string, uint64_t> instruction_classes() const override {
    std::map<std::string, uint64_t> counts;
    for (const plena::Instruction& inst : program_.instructions)
      ++counts[std::string(plena::unit_name(inst.def->unit))];
    counts["total"] = program_.size();
    return counts;
  }

  const plena::Program& program() const { return program_; }

 private:
  plena::Program program_;
};

SourceDiagnostic convert(const plena::Diagnostic& d) {
  return SourceDiagnostic{d.severity == plena::Diagnostic::Severity::Error ? "error" : "warning",
                          d.line, d.column, d.message, d.hint};
}

plena::Memory memory_named(const std::string& name) {
  plena::Memory memory;
  if (!plena::parse_memory_name(name, memory))
    throw InputError("unknown PLENA memory '" + name +
                     "'; expected one of hbm, msram, vsram, fpsram, intsram");
  return memory;
}

plena::ValueEncoding encoding_named(const std::string& name) {
  plena::ValueEncoding encoding;
  if (!plena::parse_encoding_name(name, encoding))
    throw InputError("unknown encoding '" + name + "'; expected native, mxfp8 or bf16");
  return encoding;
}

void load_image(const MemoryImage& image, plena::MachineState& state) {
  for (std::size_t i = 0; i < image.segments.size(); ++i) {
    const MemorySegment& seg = image.segments[i];
    std::string error;
    if (!plena::write_memory(state, memory_named(seg.memory), seg.address, seg.values,
                             encoding_named(seg.encoding), seg.scale_address, error))
      throw InputError("memory image segment " + std::to_string(i) + ": " + error);
  }
}

MemoryImage read_regions(const plena::MachineState& state, const std::vector<MemoryRegion>& dumps) {
  MemoryImage out;
  for (const MemoryRegion& region : dumps) {
    MemorySegment seg{region.memory, region.address, region.encoding, region.scale_address, {}};
    std::string error;
    if (!plena::read_memory(state, memory_named(region.memory), region.address, region.count,
                            encoding_named(region.encoding), region.scale_address, seg.values, error))
      throw InputError("dump region " + region.memory + ":" + std::to_string(region.address) +
                       ": " + error);
    out.segments.push_back(std::move(seg));
  }
  return out;
}

SimReport convert(const plena::SimResult& r) {
  SimReport report;
  report.cycles = r.cycles;
  report.instructions = r.instructions;
  for (std::size_t u = 0; u < plena::kUnitCount; ++u)
    report.units[std::string(plena::unit_name(static_cast<plena::Unit>(u)))] = {r.units[u].busy,
                                                                                 r.units[u].stall};
  report.instruction_mix = r.instruction_mix;
  report.counters = {{"hbm_bytes_read", r.hbm_bytes_read},
                     {"hbm_bytes_written", r.hbm_bytes_written},
                     {"macs", r.macs}};
  report.stopped_by_break = r.stopped_by_break;
  if (r.trap) {
    const plena::Trap& t = *r.trap;
    report.trap = TrapInfo{plena::trap_kind_name(t.kind), t.pc, t.source_line,
                           t.memory ? plena::memory_name(*t.memory) : "", t.address, t.message};
  }
  return report;
}

}  // namespace

PlenaPlatform::PlenaPlatform(std::string data_dir, PlenaBackend backend)
    : isa_dir_((fs::path(data_dir) / "isa" / "plena").string()), backend_(backend) {
  const fs::path preset_dir = fs::path(isa_dir_) / "presets";
  std::error_code ec;
  if (fs::is_directory(preset_dir, ec)) {
    for (const auto& entry : fs::directory_iterator(preset_dir)) {
      if (entry.path().extension() != ".json") continue;
      plena::HardwareConfig config;
      std::string error;
      if (!plena::load_hardware_config(entry.path().string(), config, error)) throw InputError(error);
      presets_[entry.path().stem().string()] = config;
    }
  }
  // The default preset is built in so the simulator works even without the data folder.
  presets_.emplace("default", plena::HardwareConfig::kernelcraft_default());
}

std::string PlenaPlatform::description() const {
  return std::string("PLENA: systolic matrix unit + vector/scalar units, BF16 on chip, MXFP8 in HBM") +
         (backend_ == PlenaBackend::Rtl ? " (simulated by the Verilated RTL)" : "");
}

std::vector<std::string> PlenaPlatform::preset_names() const {
  std::vector<std::string> names;
  for (const auto& [name, config] : presets_) names.push_back(name);
  return names;
}

const plena::HardwareConfig& PlenaPlatform::config(const std::string& preset) const {
  auto it = presets_.find(preset);
  if (it != presets_.end()) return it->second;
  std::string known;
  for (const auto& [name, config] : presets_) known += (known.empty() ? "" : ", ") + name;
  throw InputError("unknown PLENA hardware preset '" + preset + "'; available: " + known);
}

std::string PlenaPlatform::describe_preset(const std::string& preset) const {
  return plena::to_json(config(preset));
}

AssembleResult PlenaPlatform::assemble(const std::string& source, const std::string& preset) const {
  const plena::HardwareConfig& hw = config(preset);
  AssembleResult result;
  // Refused before lexing, so a hostile or runaway source never costs more than reading it.
  if (auto refused = oversized_source(source.size(), "repeat code with C_LOOP_START/C_LOOP_END instead of unrolling it")) {
    result.diagnostics.push_back(std::move(*refused));
    return result;
  }
  plena::AssemblyResult assembled = plena::assemble(source, hw);
  for (const plena::Diagnostic& d : assembled.diagnostics) {
    result.diagnostics.push_back(convert(d));
    // The assembler's instruction-count error gets the same stable prefix as the size error,
    // so failure_class() can tell "too large" from an ordinary syntax error.
    std::string& message = result.diagnostics.back().message;
    if (message.find("(max_program_instructions)") != std::string::npos)
      message = std::string(kProgramTooLarge) + ": " + message;
  }
  if (assembled.ok()) result.program = std::make_shared<PlenaProgram>(std::move(assembled.program));
  return result;
}

plena::MachineState PlenaPlatform::initial_state(const MemoryImage& input, const std::string& preset,
                                                std::optional<uint64_t> poison_seed) const {
  plena::MachineState state(config(preset));
  if (poison_seed) plena::poison(state, *poison_seed);  // before the image: it overwrites
  load_image(input, state);
  return state;
}

plena::Limits PlenaPlatform::simulator_limits(const RunLimits& limits) {
  plena::Limits sim_limits{limits.max_instructions, limits.max_cycles, {}};
  for (const MemoryRange& range : limits.writable_offchip) {
    if (range.memory != "hbm")
      throw InputError("writable region in '" + range.memory + "': PLENA's off-chip memory is hbm");
    sim_limits.hbm_writable.push_back({range.begin, range.end});
  }
  return sim_limits;
}

SimReport PlenaPlatform::run(const AssembledProgram& program, const std::string& preset,
                             const MemoryImage& input, const std::vector<MemoryRegion>& dumps,
                             const RunLimits& limits) const {
  const auto* plena_program = dynamic_cast<const PlenaProgram*>(&program);
  if (!plena_program) throw std::logic_error("PlenaPlatform::run given another platform's program");
  plena::MachineState state = initial_state(input, preset, limits.poison_seed);
  SimReport report =
      convert(simulate(plena_program->program(), state, config(preset), simulator_limits(limits), preset));
  report.dumped = read_regions(state, dumps);
  return report;
}

plena::SimResult PlenaPlatform::simulate(const plena::Program& program, plena::MachineState& state,
                                         const plena::HardwareConfig& hw, const plena::Limits& limits,
                                         const std::string& preset) const {
  if (backend_ == PlenaBackend::Model) return plena::simulate(program, state, hw, limits);
  if (const std::string why = plena::rtl::supports(hw); !why.empty())
    throw InputError("the PLENA RTL backend cannot run preset '" + preset + "': " + why +
                     " (it is built for the 'small' preset's geometry and memories; use --sim model)");
  try {
    return plena::rtl::simulate(program, state, hw, limits);
  } catch (const std::invalid_argument& e) {
    throw InputError(std::string("the PLENA RTL backend cannot run this program: ") + e.what());
  }
}

std::vector<DocSection> PlenaPlatform::docs() const { return load_isa_docs(isa_dir_); }

WorkloadLayout PlenaPlatform::layout(const TaskInstance& instance, const std::string& preset) const {
  return plena_workload_layout(instance, config(preset));
}

std::vector<float> PlenaPlatform::stored_values(const TensorPlacement& placement,
                                                const std::vector<float>& values) const {
  plena::ValueEncoding encoding = encoding_named(placement.encoding);
  std::vector<float> out(values.size());
  if (encoding == plena::ValueEncoding::Native) {
    for (std::size_t i = 0; i < values.size(); ++i) out[i] = plena::numerics::round_to_bf16(values[i]);
    return out;
  }
  // Round-trip through the same codec the simulator's DMA uses, in a private buffer.
  const plena::HbmFormat format =
      encoding == plena::ValueEncoding::Mxfp8 ? plena::HbmFormat::Mxfp8 : plena::HbmFormat::Bf16;
  const uint64_t n = values.size();
  plena::HbmBytes buffer(2 * n + n / 8 + 16);
  const uint64_t scale_base = 2 * n;
  std::string error;
  if (!plena::write_hbm_tensor(buffer, format, 0, scale_base, 0, values.data(), n, error) ||
      !plena::read_hbm_tensor(buffer, format, 0, scale_base, 0, out.data(), n, error))
    throw std::logic_error("PLENA stored_values: " + error);
  return out;
}

PeakRates PlenaPlatform::peak_rates(const std::string& preset) const {
  const plena::HardwareConfig& hw = config(preset);
  auto latency = [&](plena::LatencyClass cls) {
    return static_cast<double>(std::max<uint32_t>(1, hw.latency_of(cls)));
  };
  const double mlen = hw.mlen, blen = hw.blen;
  const double matmul = latency(plena::LatencyClass::MatMul) + hw.systolic_overhead;
  // MACs per instruction over its latency (see docs/plena-model.md): M_MM, batched M_BMM,
  // M_MV and batched M_BMV.
  const double macs_per_cycle = std::max(
      {blen * blen * mlen / matmul, blen * mlen * mlen / matmul,
       mlen * mlen / latency(plena::LatencyClass::MatVec),
       mlen * mlen / latency(plena::LatencyClass::BatchedMatVec)});
  PeakRates peak;
  peak.matrix_flops_per_cycle = 2 * macs_per_cycle;
  peak.vector_flops_per_cycle = hw.vlen / latency(plena::LatencyClass::VecAdd);
  peak.offchip_bytes_per_cycle = hw.hbm_bytes_per_cycle;
  return peak;
}

}  // namespace kc
