#include "kernelcraft/platform/coral_platform.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "../isa_docs.h"
#include "coral/asm/assembler.h"
#include "coral/elf.h"
#include "coral/instruction_class.h"
#include "coral/machine.h"
#include "kernelcraft/core/errors.h"

namespace kc {
namespace {

namespace fs = std::filesystem;

class CoralProgram : public AssembledProgram {
 public:
  CoralProgram(coral::assembler::Assembly assembly, coral::ElfImage image)
      : assembly_(std::move(assembly)), image_(std::move(image)) {}

  std::size_t instruction_count() const override { return assembly_.listing.size(); }

  std::string listing() const override {
    std::string out;
    char prefix[48];
    for (const auto& line : assembly_.listing) {
      std::snprintf(prefix, sizeof prefix, "%08x  %08x  ", line.address, line.word);
      out += prefix + line.text;
      if (line.line) out += "    # line " + std::to_string(line.line);
      out += '\n';
    }
    return out;
  }

  // The linked ELF32 executable the simulator loads.
  std::string machine_code() const override { return std::string(assembly_.elf.begin(), assembly_.elf.end()); }

  std::map<std::string, uint64_t> instruction_classes() const override {
    std::map<std::string, uint64_t> counts;
    for (const auto& line : assembly_.listing)
      ++counts[coral::instruction_class_name(coral::instruction_class(line.word))];
    counts["total"] = assembly_.listing.size();
    return counts;
  }

  const coral::assembler::Assembly& assembly() const { return assembly_; }
  const coral::ElfImage& image() const { return image_; }

 private:
  coral::assembler::Assembly assembly_;
  coral::ElfImage image_;
};

struct NamedRange {
  const char* name;
  uint32_t base, bytes;
};

std::vector<NamedRange> memories(const coral::CoralConfig& c) {
  return {{"itcm", c.itcm_base, c.itcm_bytes}, {"dtcm", c.dtcm_base, c.dtcm_bytes}, {"ext", c.ext_base, c.ext_bytes}};
}

// Image and dump addresses are absolute byte addresses inside the named memory.
uint32_t checked_address(const coral::CoralConfig& c, const std::string& memory, uint64_t address, uint64_t count,
                         const std::string& what) {
  for (const NamedRange& m : memories(c)) {
    if (memory != m.name) continue;
    const uint64_t end = address + 4 * count;
    if (address < m.base || end > uint64_t{m.base} + m.bytes || end < address)
      throw InputError(what + ": " + std::to_string(count) + " float32 values at " + hex_address(address) +
                       " do not fit " + memory + " [" + hex_address(m.base) + ", " +
                       hex_address(uint64_t{m.base} + m.bytes) + ")");
    return static_cast<uint32_t>(address);
  }
  throw InputError(what + ": unknown Coral memory '" + memory + "'; expected itcm, dtcm or ext");
}

void check_encoding(const std::string& encoding, const std::string& what) {
  if (encoding != "f32" && encoding != "native")
    throw InputError(what + ": Coral stores float32 only; encoding '" + encoding + "' (expected f32)");
}

void load_image(coral::Machine& machine, const MemoryImage& image) {
  for (std::size_t i = 0; i < image.segments.size(); ++i) {
    const MemorySegment& seg = image.segments[i];
    const std::string what = "memory image segment " + std::to_string(i);
    check_encoding(seg.encoding, what);
    const uint32_t address = checked_address(machine.config(), seg.memory, seg.address, seg.values.size(), what);
    std::vector<uint8_t> bytes(4 * seg.values.size());
    for (std::size_t k = 0; k < seg.values.size(); ++k) {
      const float value = static_cast<float>(seg.values[k]);
      std::memcpy(&bytes[4 * k], &value, 4);
    }
    machine.write(address, bytes);
  }
}

MemoryImage read_regions(const coral::Machine& machine, const std::vector<MemoryRegion>& dumps) {
  MemoryImage out;
  for (const MemoryRegion& region : dumps) {
    const std::string what = "dump region " + region.memory + ":" + std::to_string(region.address);
    check_encoding(region.encoding, what);
    const uint32_t address = checked_address(machine.config(), region.memory, region.address, region.count, what);
    const std::vector<uint8_t> bytes = machine.read(address, static_cast<uint32_t>(4 * region.count));
    MemorySegment seg{region.memory, region.address, region.encoding, 0, {}};
    seg.values.resize(region.count);
    for (uint64_t k = 0; k < region.count; ++k) {
      float value = 0;
      std::memcpy(&value, &bytes[4 * k], 4);
      seg.values[k] = value;
    }
    out.segments.push_back(std::move(seg));
  }
  return out;
}

std::string memory_of(const coral::CoralConfig& c, uint32_t address) {
  for (const NamedRange& m : memories(c))
    if (address >= m.base && uint64_t{address} < uint64_t{m.base} + m.bytes) return m.name;
  return "";
}

SimReport convert(const coral::RunResult& r, const CoralProgram& program, const coral::CoralConfig& config) {
  SimReport report;
  report.cycles = r.cycles;
  report.instructions = r.instructions;
  for (const auto& [unit, counters] : r.units) report.units[unit] = {counters.busy, counters.stall};
  report.instruction_mix = r.mix;
  report.stopped_by_break = r.halted;
  if (r.trap) {
    const coral::Trap& t = *r.trap;
    TrapInfo info{coral::trap_kind_name(t.kind), t.pc, program.assembly().line_of(t.pc), "", 0, t.message};
    if (t.address) {
      info.address = *t.address;
      info.memory = memory_of(config, *t.address);
    }
    report.trap = info;
  }
  return report;
}

coral::RunOptions run_options(const RunLimits& limits, const coral::CoralConfig& config) {
  coral::RunOptions options;
  options.max_instructions = limits.max_instructions;
  options.max_cycles = limits.max_cycles;
  options.poison_seed = limits.poison_seed;
  for (const MemoryRange& range : limits.writable_offchip) {
    if (range.memory != "ext" || range.end > UINT32_MAX || range.begin > range.end)
      throw InputError("writable region " + range.memory + " [" + hex_address(range.begin) + ", " +
                       hex_address(range.end) + "): Coral's off-chip memory is ext, 32-bit addresses");
    options.writable_ext.push_back({static_cast<uint32_t>(range.begin), static_cast<uint32_t>(range.end)});
  }
  // The Platform contract: no ranges means no restriction (the simulator's means none writable).
  if (limits.writable_offchip.empty()) options.writable_ext.push_back({config.ext_base, config.ext_base + config.ext_bytes});
  return options;
}

SourceDiagnostic convert(const coral::assembler::Diagnostic& d) {
  return SourceDiagnostic{d.severity, d.line, d.column, d.message, d.hint};
}

}  // namespace

CoralPlatform::CoralPlatform(std::string data_dir) : isa_dir_((fs::path(data_dir) / "isa" / "coral_npu").string()) {
  const fs::path preset_dir = fs::path(isa_dir_) / "presets";
  std::error_code ec;
  if (fs::is_directory(preset_dir, ec)) {
    for (const auto& entry : fs::directory_iterator(preset_dir)) {
      if (entry.path().extension() != ".json") continue;
      try {
        presets_[entry.path().stem().string()] = coral::load_config_file(entry.path().string());
      } catch (const coral::ConfigError& e) {
        throw InputError(e.what());
      }
    }
  }
  // The default preset is built in so the platform works even without the data folder.
  presets_.emplace("coral", coral::CoralConfig{});
}

std::string CoralPlatform::description() const {
  return "Coral NPU: RV32IMF scalar core + RISC-V Vector (Zve32f, VLEN 128), TCMs and external memory";
}

std::vector<std::string> CoralPlatform::preset_names() const {
  std::vector<std::string> names;
  for (const auto& [name, config] : presets_) names.push_back(name);
  return names;
}

const coral::CoralConfig& CoralPlatform::config(const std::string& preset) const {
  auto it = presets_.find(preset);
  if (it != presets_.end()) return it->second;
  std::string known;
  for (const auto& [name, config] : presets_) known += (known.empty() ? "" : ", ") + name;
  throw InputError("unknown Coral NPU hardware preset '" + preset + "'; available: " + known);
}

std::string CoralPlatform::describe_preset(const std::string& preset) const {
  return coral::to_json(config(preset));
}

CoralMemoryMap CoralPlatform::memory_map(const coral::CoralConfig& c) {
  return {c.name, c.itcm_base, c.itcm_bytes, c.dtcm_base, c.dtcm_bytes, c.ext_base, c.ext_bytes};
}

AssembleResult CoralPlatform::assemble(const std::string& source, const std::string& preset) const {
  const coral::CoralConfig& hw = config(preset);
  AssembleResult result;
  // Refused before LLVM sees it (the bound every platform shares).
  if (auto refused = oversized_source(source.size(), "use loops instead of unrolling everything")) {
    result.diagnostics.push_back(std::move(*refused));
    return result;
  }
  coral::assembler::AssembleOptions options;
  options.itcm_base = hw.itcm_base;
  options.itcm_size = hw.itcm_bytes;
  options.dtcm_base = hw.dtcm_base;
  options.dtcm_size = hw.dtcm_bytes;
  // In a separate process: LLVM may abort on hostile input, and that must not end the harness.
  coral::assembler::Assembly assembly = coral::assembler::assemble_isolated(source, options);
  for (const auto& d : assembly.diagnostics) result.diagnostics.push_back(convert(d));
  if (!assembly.ok) return result;
  coral::ElfImage image;
  try {
    image = coral::parse_elf(assembly.elf);
  } catch (const coral::ElfError& e) {
    throw std::logic_error(std::string("Coral assembler wrote an ELF its simulator refuses: ") + e.what());
  }
  result.program = std::make_shared<CoralProgram>(std::move(assembly), std::move(image));
  return result;
}

SimReport CoralPlatform::run(const AssembledProgram& program, const std::string& preset, const MemoryImage& input,
                             const std::vector<MemoryRegion>& dumps, const RunLimits& limits) const {
  const auto* coral_program = dynamic_cast<const CoralProgram*>(&program);
  if (!coral_program) throw std::logic_error("CoralPlatform::run given another platform's program");
  const coral::CoralConfig& hw = config(preset);
  const coral::RunOptions options = run_options(limits, hw);
  coral::Machine machine(hw);
  machine.reset(options);  // zero or poison, before the program and the inputs overwrite parts
  try {
    machine.load(coral_program->image());
    load_image(machine, input);
  } catch (const coral::LoadError& e) {
    throw InputError(e.what());
  } catch (const coral::AccessError& e) {
    throw InputError(e.what());
  }
  SimReport report = convert(machine.run(options), *coral_program, hw);
  report.dumped = read_regions(machine, dumps);
  return report;
}

std::vector<DocSection> CoralPlatform::docs() const { return load_isa_docs(isa_dir_); }

WorkloadLayout CoralPlatform::layout(const TaskInstance& instance, const std::string& preset) const {
  return coral_workload_layout(instance, memory_map(config(preset)));
}

std::vector<float> CoralPlatform::stored_values(const TensorPlacement& placement,
                                                const std::vector<float>& values) const {
  check_encoding(placement.encoding, "tensor " + placement.tensor);
  return values;  // float32 in memory: stored exactly
}

// Roofline: the vector engine's float units (VFALU x lanes x 2 flops per FMA); there is no
// matrix unit in this model, so matrix work runs at the same rate; EXT bandwidth off chip.
PeakRates CoralPlatform::peak_rates(const std::string& preset) const {
  const coral::CoralConfig& hw = config(preset);
  const double lanes = hw.vlen_bits / 32.0;
  const double vector = 2.0 * lanes * hw.timing.vfalu_units;
  PeakRates peak;
  peak.matrix_flops_per_cycle = vector;
  peak.vector_flops_per_cycle = vector;
  peak.offchip_bytes_per_cycle = hw.timing.ext_bytes_per_cycle;
  return peak;
}

}  // namespace kc
