#include "coral/machine.h"

#include <stdexcept>

#include "decoded.h"
#include "hart.h"
#include "memory.h"
#include "timing.h"

namespace coral {
namespace {

bool exec_uninitialised(Hart& h, const Decoded&) {
  return h.fail(TrapKind::AddressOutOfRange,
                "instruction fetch from " + hex32(h.pc) +
                    ", an ITCM word the program did not load: execution ran past the end of the "
                    "code (a missing ebreak?) or jumped into data",
                h.pc);
}

std::string segment_text(std::size_t index, const ElfSegment& s) {
  return "segment " + std::to_string(index) + " (vaddr " + hex32(s.vaddr) + ", " +
         std::to_string(s.mem_size) + " bytes, " + (s.executable ? "executable" : "data") + ")";
}

}  // namespace

struct Machine::Impl {
  explicit Impl(CoralConfig c) : config(std::move(c)), mem(config), hart(config, mem), timing(config.timing) {
    hart.timing = &timing;
  }

  CoralConfig config;
  Memory mem;
  Hart hart;
  TimingModel timing;
  uint32_t entry = 0;
  bool loaded = false;
  std::vector<Decoded> code;
  std::vector<uint64_t> def_counts;

  void reset_registers() {
    Hart& h = hart;
    std::fill(std::begin(h.x), std::end(h.x), 0u);
    std::fill(std::begin(h.f), std::end(h.f), 0u);
    std::fill(std::begin(h.v), std::end(h.v), uint8_t{0});
    h.x[2] = config.dtcm_top() & ~15u;
    h.pc = entry;
    h.next_pc = entry;
    h.fflags = h.frm = 0;
    h.vl = 0;
    h.vtype_bits = 0x80000000u;
    h.vtype = VType{};
    h.vstart = 0;
    h.instret = 0;
    h.trap.reset();
    h.halted = false;
  }

  // Pre-decodes the loaded ITCM words once, so the run loop is fetch-index -> call.
  void predecode() {
    const uint32_t last = mem.code_words_end();
    code.assign(last, Decoded{});
    for (uint32_t i = 0; i < last; ++i) {
      if (mem.code_word_loaded(i)) {
        code[i] = decode(mem.itcm_word(i));
      } else {
        code[i].exec = exec_uninitialised;
        code[i].word = mem.itcm_word(i);
      }
    }
  }

  void fetch_fault() {
    Hart& h = hart;
    const Region region = mem.region_of(h.pc, 4);
    if (region == Region::Itcm) {
      Decoded d;
      exec_uninitialised(h, d);
    } else {
      h.fail(TrapKind::AddressOutOfRange,
             "instruction fetch from " + hex32(h.pc) + ", outside ITCM [" + hex32(config.itcm_base) +
                 ", " + hex32(config.itcm_base + config.itcm_bytes) + "): code runs only from ITCM",
             h.pc);
    }
  }

  RunResult run(const RunOptions& options);
};

RunResult Machine::Impl::run(const RunOptions& options) {
  if (!loaded) throw std::logic_error("coral::Machine::run: no program loaded (call load() first)");
  mem.set_writable_ext(options.writable_ext);
  reset_registers();
  timing.reset();
  predecode();
  def_counts.assign(instruction_table().size(), 0);

  Hart& h = hart;
  const uint32_t base = config.itcm_base;
  const uint32_t code_bytes = static_cast<uint32_t>(code.size() * 4);
  const Decoded* const program = code.data();
  uint64_t* const counts = def_counts.data();
  for (;;) {
    const uint32_t offset = h.pc - base;
    if (offset >= code_bytes) {  // also catches pc below the base (wraps)
      fetch_fault();
      break;
    }
    const Decoded& d = program[offset >> 2];
    h.next_pc = h.pc + 4;
    if (!d.exec(h, d)) {
      if (h.halted) {
        timing.charge(d, h);
        ++h.instret;
        ++counts[d.def];
      }
      break;
    }
    timing.charge(d, h);
    ++h.instret;
    ++counts[d.def];
    h.pc = h.next_pc;
    if (h.instret >= options.max_instructions) {
      h.fail(TrapKind::InstructionLimit, "instruction limit of " + std::to_string(options.max_instructions) +
                                             " reached before ebreak (an endless loop?)");
      break;
    }
    if (timing.now() >= options.max_cycles) {
      h.fail(TrapKind::CycleLimit, "cycle limit of " + std::to_string(options.max_cycles) +
                                       " reached before ebreak");
      break;
    }
  }

  RunResult result;
  result.halted = h.halted;
  result.trap = h.trap;
  result.instructions = h.instret;
  // A trapped run counts the cycle its last instruction dispatched in.
  result.cycles = h.halted ? timing.drained() : timing.now() + 1;
  timing.export_counters(result.units);
  const auto& rows = instruction_table();
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (def_counts[i]) result.mix[instruction_class_name(rows[i].cls)] += def_counts[i];
  return result;
}

Machine::Machine(CoralConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Machine::~Machine() = default;

const CoralConfig& Machine::config() const { return impl_->config; }

void Machine::reset(const RunOptions& options) {
  impl_->mem.reset(options.poison_seed);
  impl_->entry = 0;
  impl_->loaded = false;
  impl_->reset_registers();
}

void Machine::load(const ElfImage& image) {
  Impl& m = *impl_;
  for (std::size_t i = 0; i < image.segments.size(); ++i) {
    const ElfSegment& s = image.segments[i];
    if (s.mem_size == 0) continue;
    const Region wanted = s.executable ? Region::Itcm : Region::Dtcm;
    if (m.mem.region_of(s.vaddr, s.mem_size) != wanted) {
      const CoralConfig& c = m.config;
      const uint32_t base = s.executable ? c.itcm_base : c.dtcm_base;
      const uint32_t size = s.executable ? c.itcm_bytes : c.dtcm_bytes;
      throw LoadError(segment_text(i, s) + " does not fit in " + (s.executable ? "ITCM" : "DTCM") +
                      " [" + hex32(base) + ", " + hex32(base + size) + ")");
    }
    uint8_t* out = m.mem.host(wanted, s.vaddr);
    std::copy(s.data.begin(), s.data.end(), out);
    std::fill(out + s.data.size(), out + s.mem_size, uint8_t{0});
    if (s.executable) m.mem.mark_code(s.vaddr, s.mem_size);
  }
  if (image.entry % 4 != 0 || m.mem.region_of(image.entry, 4) != Region::Itcm ||
      !m.mem.code_word_loaded((image.entry - m.config.itcm_base) / 4))
    throw LoadError("entry point " + hex32(image.entry) +
                    " is not a 4-byte aligned address inside a loaded executable segment");
  m.entry = image.entry;
  m.loaded = true;
  m.hart.pc = image.entry;
}

void Machine::write(uint32_t address, const std::vector<uint8_t>& bytes) {
  if (bytes.empty()) return;
  const auto size = static_cast<uint32_t>(bytes.size());
  const Region region = bytes.size() > 0xFFFFFFFFu ? Region::None : impl_->mem.region_of(address, size);
  if (region == Region::None)
    throw AccessError("write of " + std::to_string(bytes.size()) + " bytes at " + hex32(address) +
                      " does not lie inside one memory (ITCM, DTCM or EXT)");
  std::copy(bytes.begin(), bytes.end(), impl_->mem.host(region, address));
  if (region == Region::Itcm) impl_->mem.mark_code(address, size);
}

std::vector<uint8_t> Machine::read(uint32_t address, uint32_t size) const {
  if (size == 0) return {};
  const Region region = impl_->mem.region_of(address, size);
  if (region == Region::None)
    throw AccessError("read of " + std::to_string(size) + " bytes at " + hex32(address) +
                      " does not lie inside one memory (ITCM, DTCM or EXT)");
  const uint8_t* p = impl_->mem.host(region, address);
  return std::vector<uint8_t>(p, p + size);
}

RunResult Machine::run(const RunOptions& options) { return impl_->run(options); }

uint32_t Machine::x(unsigned index) const { return index < 32 ? impl_->hart.x[index] : 0; }
uint32_t Machine::f_bits(unsigned index) const { return index < 32 ? impl_->hart.f[index] : 0; }
std::vector<uint8_t> Machine::v(unsigned index) const {
  if (index >= 32) return {};
  const uint8_t* p = impl_->hart.v + index * kVlenBytes;
  return std::vector<uint8_t>(p, p + kVlenBytes);
}
uint32_t Machine::csr(uint32_t number) const {
  const Hart& h = impl_->hart;
  switch (number) {
    case 0x001: return h.fflags;
    case 0x002: return h.frm;
    case 0x003: return (h.frm << 5) | h.fflags;
    case 0x008: return h.vstart;
    case 0xC20: return h.vl;
    case 0xC21: return h.vtype_bits;
    case 0xC22: return kVlenBytes;
    default: return 0;
  }
}

}  // namespace coral
