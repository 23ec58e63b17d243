// The AMD NPU platform ("amd_npu"): its ISA folder is isa/aie/ (docs + presets aie_ml.json, the
// default, and aie_ml_small.json); the simulator is sim/aie (library aie_sim).
#include "kernelcraft/platform/aie_platform.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "../isa_docs.h"
#include "aie/assembler.h"
#include "aie/bf16.h"
#include "aie/isa.h"
#include "aie/machine.h"
#include "aie/simulator.h"
#include "aie/trap.h"
#include "kernelcraft/core/errors.h"

namespace kc {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class AieProgram : public AssembledProgram {
 public:
  AieProgram(aie::Program program, const std::string& source)
      : program_(std::move(program)), lines_(split_lines(source)) {}

  std::size_t instruction_count() const override {
    std::size_t count = 0;
    for (const aie::Bundle& b : program_.bundles) count += b.instrs.size();
    return count;
  }

  // One line per bundle: index, slot count, the source text of the bundle's first line.
  std::string listing() const override {
    std::string out;
    char prefix[48];
    for (std::size_t i = 0; i < program_.bundles.size(); ++i) {
      const aie::Bundle& b = program_.bundles[i];
      std::snprintf(prefix, sizeof prefix, "%5zu  [%zu]  ", i, b.instrs.size());
      std::string text = b.line >= 1 && b.line <= lines_.size() ? lines_[b.line - 1] : "";
      text.erase(0, std::min(text.find_first_not_of(" \t"), text.size()));
      out += prefix + (b.instrs.empty() ? std::string("nop") : text);
      if (b.line) out += "    // line " + std::to_string(b.line);
      out += '\n';
    }
    return out;
  }

  // The model has no binary encoding (each bundle counts 16 bytes): the canonical listing.
  std::string machine_code() const override { return listing(); }

  // Static instruction counts by slot ("load", "store", "scalar", "vector", "move"), plus
  // "bundles" and "total" instructions.
  std::map<std::string, uint64_t> instruction_classes() const override {
    std::map<std::string, uint64_t> counts;
    const auto& table = aie::instruction_table();
    for (const aie::Bundle& b : program_.bundles)
      for (const aie::Instruction& in : b.instrs) ++counts[std::string(aie::slot_name(table[in.def].slot))];
    counts["bundles"] = program_.bundles.size();
    counts["total"] = instruction_count();
    return counts;
  }

  const aie::Program& program() const { return program_; }

 private:
  aie::Program program_;
  std::vector<std::string> lines_;
};

aie::MemoryKind memory_kind(const std::string& name, const std::string& what) {
  aie::MemoryKind kind;
  if (!aie::parse_memory_name(name, kind))
    throw InputError(what + ": unknown AIE memory '" + name + "'; expected ddr, mem or dm");
  return kind;
}

void check_encoding(const std::string& encoding, const std::string& what) {
  if (encoding != "bf16" && encoding != "native")
    throw InputError(what + ": the AIE platform stores bf16 only; encoding '" + encoding + "' (expected bf16)");
}

void check_range(const std::vector<uint8_t>& memory, const std::string& name, uint64_t address, uint64_t count,
                 const std::string& what) {
  if (address % 2 != 0 || count > memory.size() || !aie::range_within(address, 2 * count, memory.size()))
    throw InputError(what + ": " + std::to_string(count) + " bf16 values at byte " + std::to_string(address) +
                     " do not fit " + name + " (" + std::to_string(memory.size()) +
                     " bytes; addresses must be even)");
}

void load_image(aie::MachineState& state, const MemoryImage& image) {
  for (std::size_t i = 0; i < image.segments.size(); ++i) {
    const MemorySegment& seg = image.segments[i];
    const std::string what = "memory image segment " + std::to_string(i);
    check_encoding(seg.encoding, what);
    std::vector<uint8_t>& memory = state.memory(memory_kind(seg.memory, what));
    check_range(memory, seg.memory, seg.address, seg.values.size(), what);
    for (std::size_t k = 0; k < seg.values.size(); ++k) {
      const uint16_t bits = aie::float_to_bf16(static_cast<float>(seg.values[k]));
      memory[seg.address + 2 * k] = static_cast<uint8_t>(bits & 0xFF);
      memory[seg.address + 2 * k + 1] = static_cast<uint8_t>(bits >> 8);
    }
  }
}

MemoryImage read_regions(const aie::MachineState& state, const std::vector<MemoryRegion>& dumps) {
  MemoryImage out;
  for (const MemoryRegion& region : dumps) {
    const std::string what = "dump region " + region.memory + ":" + std::to_string(region.address);
    check_encoding(region.encoding, what);
    const std::vector<uint8_t>& memory = state.memory(memory_kind(region.memory, what));
    check_range(memory, region.memory, region.address, region.count, what);
    MemorySegment seg{region.memory, region.address, region.encoding, 0, {}};
    seg.values.resize(region.count);
    for (uint64_t k = 0; k < region.count; ++k) {
      const uint16_t bits = static_cast<uint16_t>(memory[region.address + 2 * k] |
                                                  (memory[region.address + 2 * k + 1] << 8));
      seg.values[k] = aie::bf16_to_float(bits);
    }
    out.segments.push_back(std::move(seg));
  }
  return out;
}

aie::Limits run_limits(const RunLimits& limits, const aie::HardwareConfig& config) {
  aie::Limits out;
  out.max_bundles = limits.max_instructions;
  out.max_cycles = limits.max_cycles;
  for (const MemoryRange& range : limits.writable_offchip) {
    if (range.memory != "ddr" || range.begin > range.end || range.end > config.ddr_bytes)
      throw InputError("writable region " + range.memory + " [" + std::to_string(range.begin) + ", " +
                       std::to_string(range.end) + "): the AIE platform's off-chip memory is ddr (" +
                       std::to_string(config.ddr_bytes) + " bytes)");
    if (range.begin < range.end) out.ddr_writable.push_back({range.begin, range.end});
  }
  // The Platform contract: no ranges means no restriction (so does the simulator's empty list;
  // a list of only empty ranges must stay a restriction).
  if (!limits.writable_offchip.empty() && out.ddr_writable.empty()) out.ddr_writable.push_back({0, 0});
  return out;
}

SimReport convert(const aie::SimResult& r) {
  SimReport report;
  report.cycles = r.cycles;
  report.instructions = r.bundles;
  for (std::size_t s = 0; s < aie::kSlotCount; ++s)
    report.units[std::string(aie::slot_name(static_cast<aie::Slot>(s)))] = {r.slot_use[s], 0};
  report.units["core"] = {r.bundles - r.empty_bundles, r.stalls.bank_conflict + r.stalls.lock_wait + r.stalls.dma +
                                                           r.stalls.branch};
  report.instruction_mix = r.instruction_mix;
  report.counters = {{"empty_bundles", r.empty_bundles},
                     {"stall_bank_conflict", r.stalls.bank_conflict},
                     {"stall_lock_wait", r.stalls.lock_wait},
                     {"stall_dma", r.stalls.dma},
                     {"stall_branch", r.stalls.branch},
                     {"stall_drain", r.stalls.drain},
                     {"macs", r.macs},
                     {"dma_bytes", r.dma_bytes},
                     {"ddr_bytes_read", r.ddr_bytes_read},
                     {"ddr_bytes_written", r.ddr_bytes_written}};
  report.stopped_by_break = r.stopped;
  if (r.trap) {
    const aie::Trap& t = *r.trap;
    TrapInfo info{aie::trap_kind_name(t.kind), t.pc, t.source_line, "", 0, t.message};
    if (t.memory) {
      info.memory = aie::memory_name(*t.memory);
      info.address = t.address;
    }
    report.trap = info;
  }
  return report;
}

}  // namespace

AiePlatform::AiePlatform(std::string data_dir) : isa_dir_((fs::path(data_dir) / "isa" / "aie").string()) {
  const fs::path preset_dir = fs::path(isa_dir_) / "presets";
  std::error_code ec;
  if (fs::is_directory(preset_dir, ec)) {
    for (const auto& entry : fs::directory_iterator(preset_dir)) {
      if (entry.path().extension() != ".json") continue;
      aie::HardwareConfig config;
      std::string error;
      if (!aie::load_hardware_config(entry.path().string(), config, error)) throw InputError(error);
      presets_[entry.path().stem().string()] = config;
    }
  }
  // The default preset is built in so the platform works even without the data folder.
  presets_.emplace("aie_ml", aie::HardwareConfig::aie_ml());
}

std::string AiePlatform::description() const {
  return "AMD NPU: one AIE-ML compute tile (VLIW, 512-bit vectors, bf16/int8 MAC array, 64 KiB data memory) "
         "with a memory tile and host DDR behind a shim DMA";
}

std::vector<std::string> AiePlatform::preset_names() const {
  std::vector<std::string> names;
  for (const auto& [name, config] : presets_) names.push_back(name);
  return names;
}

const aie::HardwareConfig& AiePlatform::config(const std::string& preset) const {
  auto it = presets_.find(preset);
  if (it != presets_.end()) return it->second;
  std::string known;
  for (const auto& [name, config] : presets_) known += (known.empty() ? "" : ", ") + name;
  throw InputError("unknown AMD NPU hardware preset '" + preset + "'; available: " + known);
}

std::string AiePlatform::describe_preset(const std::string& preset) const { return aie::to_json(config(preset)); }

AieMemoryMap AiePlatform::memory_map(const aie::HardwareConfig& c) {
  return {c.name, c.ddr_bytes, c.memtile_bytes, c.dm_bytes};
}

AssembleResult AiePlatform::assemble(const std::string& source, const std::string& preset) const {
  const aie::HardwareConfig& hw = config(preset);
  AssembleResult result;
  const std::string hint = "use loop/jnz instead of unrolling everything";
  if (auto refused = oversized_source(source.size(), hint)) {
    result.diagnostics.push_back(std::move(*refused));
    return result;
  }
  if (source.size() > aie::kMaxSourceBytes) {  // the assembler's own bound, reported as a size refusal
    result.diagnostics.push_back({"error", 1, 1,
                                  std::string(kProgramTooLarge) + ": the source has " + std::to_string(source.size()) +
                                      " bytes; the AIE assembler accepts at most " +
                                      std::to_string(aie::kMaxSourceBytes),
                                  hint});
    return result;
  }
  aie::AssemblyResult assembled = aie::assemble(source, hw);
  for (const aie::Diagnostic& d : assembled.diagnostics)
    result.diagnostics.push_back({"error", d.line, d.column, d.message, d.hint});
  if (!assembled.ok()) return result;
  result.program = std::make_shared<AieProgram>(std::move(assembled.program), source);
  return result;
}

SimReport AiePlatform::run(const AssembledProgram& program, const std::string& preset, const MemoryImage& input,
                           const std::vector<MemoryRegion>& dumps, const RunLimits& limits) const {
  const auto* aie_program = dynamic_cast<const AieProgram*>(&program);
  if (!aie_program) throw std::logic_error("AiePlatform::run given another platform's program");
  const aie::HardwareConfig& hw = config(preset);
  const aie::Limits sim_limits = run_limits(limits, hw);
  aie::MachineState state(hw, limits.poison_seed.value_or(0));
  if (!limits.poison_seed) {  // the contract: without a seed, memories start at zero
    for (auto kind : {aie::MemoryKind::Dm, aie::MemoryKind::MemTile, aie::MemoryKind::Ddr}) {
      auto& memory = state.memory(kind);
      std::fill(memory.begin(), memory.end(), uint8_t{0});
    }
  }
  load_image(state, input);
  SimReport report = convert(aie::simulate(aie_program->program(), state, hw, sim_limits));
  report.dumped = read_regions(state, dumps);
  return report;
}

std::vector<DocSection> AiePlatform::docs() const { return load_isa_docs(isa_dir_); }

WorkloadLayout AiePlatform::layout(const TaskInstance& instance, const std::string& preset) const {
  return aie_workload_layout(instance, memory_map(config(preset)));
}

std::vector<float> AiePlatform::stored_values(const TensorPlacement& placement,
                                              const std::vector<float>& values) const {
  check_encoding(placement.encoding, "tensor " + placement.tensor);
  std::vector<float> stored(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) stored[i] = aie::round_to_bf16(values[i]);
  return stored;
}

// Roofline: the bf16 MAC array (4x8x4 = 128 MACs, one mmac per cycle: 256 flops/cycle); 32 bf16
// lanes per vector op; DDR through the shim channels at dma_bytes_per_cycle each.
PeakRates AiePlatform::peak_rates(const std::string& preset) const {
  const aie::HardwareConfig& hw = config(preset);
  PeakRates peak;
  peak.matrix_flops_per_cycle = 2.0 * 128;
  peak.vector_flops_per_cycle = 32;
  peak.offchip_bytes_per_cycle = double(hw.shim_channels) * hw.dma_bytes_per_cycle;
  return peak;
}

}  // namespace kc
