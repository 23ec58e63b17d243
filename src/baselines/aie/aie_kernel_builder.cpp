#include "aie_kernel_builder.h"

#include <algorithm>
#include <cctype>

#include "aie/isa.h"
#include "kernelcraft/core/errors.h"

namespace kc::aie_baseline {
namespace {

using LC = aie::LatencyClass;

std::string mem(const std::string& p, int64_t inc) {
  return inc == 0 ? "[" + p + "]" : "[" + p + "], " + std::to_string(inc);
}

bool is_register(const std::string& s) {
  return !s.empty() && (s[0] == 'r' || s[0] == 'p' || s[0] == 'm') && s.size() > 1 && std::isdigit(static_cast<unsigned char>(s[1]));
}

}  // namespace

std::vector<std::string> KernelBuilder::regs(const std::string& r) {
  if (!r.empty() && r[0] == 'x') return {"wl" + r.substr(1), "wh" + r.substr(1)};
  return {r};
}

int KernelBuilder::bd(const std::string& spec) {
  const BdPool::Grant grant = bds_.take(spec);
  if (!grant.definition.empty()) header(grant.definition);
  for (const auto& [field, value] : grant.sets) emit_bd_set(grant.number, field, value);
  return grant.number;
}

int KernelBuilder::shared_bd(const std::string& role, const std::string& spec) {
  auto it = shared_bds_.find(role);
  if (it == shared_bds_.end()) {
    const int n = bd(spec);
    bds_.reserve(n);
    shared_bds_[role] = n;
    return n;
  }
  for (const auto& [field, value] : bds_.reprogram(it->second, spec)) emit_bd_set(it->second, field, value);
  return it->second;
}

void KernelBuilder::movi(const std::string& d, int64_t value) {
  emit({Move, 1, "movi " + d + ", " + std::to_string(value), {d}, {}, hw_.latency_of(LC::Move)});
}
void KernelBuilder::mov(const std::string& d, const std::string& s) {
  emit({Move, 1, "mov " + d + ", " + s, {d}, {s}, hw_.latency_of(LC::Move)});
}
void KernelBuilder::alu(const std::string& op, const std::string& d, const std::string& a, const std::string& b) {
  emit({Scalar, 1, op + " " + d + ", " + a + ", " + b, {d}, {a, b}, hw_.latency_of(LC::ScalarAlu)});
}
void KernelBuilder::alui(const std::string& op, const std::string& d, const std::string& a, int64_t imm) {
  if (imm < -524288 || imm > 524287) {  // beyond the 20-bit immediate: through the scratch register r19
    movi("r19", imm);
    return alu(op, d, a, "r19");
  }
  emit({Scalar, 1, op + " " + d + ", " + a + ", " + std::to_string(imm), {d}, {a}, hw_.latency_of(LC::ScalarAlu)});
}
void KernelBuilder::mul(const std::string& d, const std::string& a, int64_t imm) {
  emit({Scalar, 1, "mul " + d + ", " + a + ", " + std::to_string(imm), {d}, {a}, hw_.latency_of(LC::ScalarMul)});
}

void KernelBuilder::vld(const std::string& half, const std::string& p, int64_t inc) {
  Op op{Load, 1, "vld " + half + ", " + mem(p, inc), {half}, {p}, hw_.latency_of(LC::Load)};
  op.load = true;
  if (inc) op.defs.push_back(p);
  emit(op);
}
void KernelBuilder::vldx(const std::string& x, const std::string& p, int64_t inc) {
  Op op{Load, 2, "vldx " + x + ", " + mem(p, inc), regs(x), {p}, hw_.latency_of(LC::Load)};
  op.load = true;
  if (inc) op.defs.push_back(p);
  emit(op);
}
void KernelBuilder::vld_at(const std::string& half, const std::string& p, int64_t off) {
  Op op{Load, 1, "vld " + half + ", [" + p + ", " + std::to_string(off) + "]", {half}, {p}, hw_.latency_of(LC::Load)};
  op.load = true;
  emit(op);
}
void KernelBuilder::vldx_at(const std::string& x, const std::string& p, int64_t off) {
  Op op{Load, 2, "vldx " + x + ", [" + p + ", " + std::to_string(off) + "]", regs(x), {p}, hw_.latency_of(LC::Load)};
  op.load = true;
  emit(op);
}
void KernelBuilder::ld16(const std::string& d, const std::string& p, int64_t inc) {
  Op op{Load, 1, "ld.u16 " + d + ", " + mem(p, inc), {d}, {p}, hw_.latency_of(LC::Load)};
  op.load = true;
  if (inc) op.defs.push_back(p);
  emit(op);
}
void KernelBuilder::vst(const std::string& half, const std::string& p, int64_t inc) {
  Op op{Store, 1, "vst " + half + ", " + mem(p, inc), {}, {half, p}, 1};
  op.store = true;
  if (inc) op.defs.push_back(p);
  emit(op);
}
void KernelBuilder::st16(const std::string& s, const std::string& p, int64_t inc) {
  Op op{Store, 1, "st.16 " + s + ", " + mem(p, inc), {}, {s, p}, 1};
  op.store = true;
  if (inc) op.defs.push_back(p);
  emit(op);
}
void KernelBuilder::padd(const std::string& p, int64_t imm) {
  emit({Load, 1, "padd " + p + ", " + std::to_string(imm), {p}, {p}, hw_.latency_of(LC::PointerUpdate)});
}

void KernelBuilder::padd(const std::string& p, const std::string& m) {
  emit({Load, 1, "padd " + p + ", " + m, {p}, {p, m}, hw_.latency_of(LC::PointerUpdate)});
}

void KernelBuilder::vbin(const std::string& op, const std::string& t, const std::string& d, const std::string& a,
                         const std::string& b) {
  const uint32_t latency = t == "bf16" ? hw_.latency_of(LC::VecFloat) : hw_.latency_of(LC::VecInt);
  std::vector<std::string> uses = regs(a);
  for (const auto& r : regs(b)) uses.push_back(r);
  emit({Vector, 1, op + "." + t + " " + d + ", " + a + ", " + b, regs(d), uses, latency});
}
void KernelBuilder::vun(const std::string& op, const std::string& d, const std::string& s) {
  emit({Vector, 1, op + ".bf16 " + d + ", " + s, regs(d), regs(s), hw_.latency_of(LC::VecNonLinear)});
}
void KernelBuilder::vshift(const std::string& d, const std::string& a, const std::string& b, int64_t bytes) {
  std::vector<std::string> uses = regs(a);
  for (const auto& r : regs(b)) uses.push_back(r);
  emit({Vector, 1, "vshift " + d + ", " + a + ", " + b + ", " + std::to_string(bytes), regs(d), uses,
        hw_.latency_of(LC::VecInt)});
}
void KernelBuilder::vbcst(const std::string& t, const std::string& d, const std::string& r) {
  emit({Move, 1, "vbcst." + t + " " + d + ", " + r, regs(d), {r}, hw_.latency_of(LC::Move)});
}
void KernelBuilder::vext(const std::string& t, const std::string& d, const std::string& x, int lane) {
  emit({Move, 1, "vext." + t + " " + d + ", " + x + ", " + std::to_string(lane), {d}, regs(x),
        hw_.latency_of(LC::Move)});
}
void KernelBuilder::mmul(const std::string& cm, const std::string& a, const std::string& b) {
  std::vector<std::string> uses = regs(a);
  for (const auto& r : regs(b)) uses.push_back(r);
  Op op{Vector, 1, "mmul.bf16 " + cm + ", " + a + ", " + b, {cm}, uses, hw_.latency_of(LC::MacBf16)};
  op.chain = true;
  emit(op);
}
void KernelBuilder::mmac(const std::string& cm, const std::string& a, const std::string& b) {
  std::vector<std::string> uses = regs(a);
  for (const auto& r : regs(b)) uses.push_back(r);
  Op op{Vector, 1, "mmac.bf16 " + cm + ", " + a + ", " + b, {cm}, uses, hw_.latency_of(LC::MacBf16)};
  op.chain = true;
  op.chain_acc = cm;
  emit(op);
}
void KernelBuilder::vups(const std::string& cm, const std::string& x) {
  emit({Vector, 1, "vups.bf16 " + cm + ", " + x, {cm}, regs(x), hw_.latency_of(LC::Ups)});
}
void KernelBuilder::vaddacc(const std::string& d, const std::string& a, const std::string& b) {
  emit({Vector, 1, "vadd.acc " + d + ", " + a + ", " + b, {d}, {a, b}, hw_.latency_of(LC::Ups)});
}
void KernelBuilder::vsubacc(const std::string& d, const std::string& a, const std::string& b) {
  emit({Vector, 1, "vsub.acc " + d + ", " + a + ", " + b, {d}, {a, b}, hw_.latency_of(LC::Ups)});
}
void KernelBuilder::vsrs(const std::string& x, const std::string& cm) {
  emit({Vector, 1, "vsrs.bf16 " + x + ", " + cm, regs(x), {cm}, hw_.latency_of(LC::Srs)});
}

void KernelBuilder::acq(int lock, int value) {
  Op op{Scalar, 1, "acq l" + std::to_string(lock) + ", " + std::to_string(value), {}, {}, 1};
  op.barrier = true;
  emit(op);
}
void KernelBuilder::rel(int lock, int value) {
  Op op{Scalar, 1, "rel l" + std::to_string(lock) + ", " + std::to_string(value), {}, {}, 1};
  op.barrier = true;
  emit(op);
}
void KernelBuilder::dma_start(const std::string& channel, int bd) {
  Op op{Scalar, 1, "dma.start " + channel + ", bd" + std::to_string(bd), {}, {}, 1};
  op.barrier = true;
  emit(op);
}
void KernelBuilder::dma_wait(const std::string& channel) {
  Op op{Scalar, 1, "dma.wait " + channel, {}, {}, 1};
  op.barrier = true;
  emit(op);
}
void KernelBuilder::bd_set(int bd, const std::string& field, const std::string& value) {
  bds_.set_at_run_time(bd, field);
  emit_bd_set(bd, field, value);
}

void KernelBuilder::emit_bd_set(int bd, const std::string& field, const std::string& value) {
  Op op{Scalar, 1, "bd.set bd" + std::to_string(bd) + ", " + field + ", " + value, {}, {}, 1};
  if (is_register(value)) op.uses.push_back(value);
  op.barrier = true;
  emit(op);
}

void KernelBuilder::emit(Op op) {
  std::size_t b = std::max(floor_, last_placed_);
  for (const std::string& u : op.uses) {
    if (op.chain_acc == u && chain_written_[u]) {
      b = std::max(b, chain_ready_[u]);
      continue;
    }
    b = std::max(b, ready_[u]);
  }
  for (const std::string& d : op.defs) b = std::max({b, ready_[d], last_read_[d]});
  if (op.load && any_store_) b = std::max(b, last_store_ + 1);
  if (op.store && any_load_) b = std::max(b, last_load_);
  if (op.barrier) {
    if (any_load_) b = std::max(b, last_load_ + 1);
    if (any_store_) b = std::max(b, last_store_ + 1);
  }
  if (op.branch) {  // every pending result lands by the bundle after the branch
    for (const auto& [reg, when] : ready_) b = std::max(b, when == 0 ? b : when - 1);
  }
  const int capacity[5] = {2, 1, 1, 1, 1};
  while (b < bundles_.size() && bundles_[b].used[op.slot] + op.slots > capacity[op.slot]) ++b;
  if (b >= bundles_.size()) bundles_.resize(b + 1);
  Bundle& bundle = bundles_[b];
  bundle.used[op.slot] += op.slots;
  bundle.instrs.push_back(op.text);
  for (const std::string& u : op.uses) last_read_[u] = std::max(last_read_[u], b);
  for (const std::string& d : op.defs) {
    ready_[d] = b + op.latency;
    chain_written_[d] = op.chain;
    chain_ready_[d] = b + 1;
  }
  // A post-modified pointer is readable after pointer_update, not the load latency.
  if ((op.load || op.store) && op.defs.size() && op.text.find("], ") != std::string::npos) {
    const std::string& p = op.uses.back();
    ready_[p] = b + hw_.latency_of(LC::PointerUpdate);
  }
  if (op.load) { last_load_ = std::max(last_load_, b); any_load_ = true; }
  if (op.store) { last_store_ = std::max(last_store_, b); any_store_ = true; }
  last_placed_ = b;
  if (op.barrier || op.branch) floor_ = b + 1;
  if (op.barrier) { last_load_ = std::max(last_load_, b); last_store_ = std::max(last_store_, b); }
}

void KernelBuilder::drain(bool exempt_chains) {
  std::size_t end = std::max(bundles_.size(), floor_);
  for (const auto& [reg, when] : ready_) {
    if (exempt_chains && chain_written_[reg]) continue;
    end = std::max(end, when);
  }
  if (any_store_) end = std::max(end, last_store_ + 1);
  bundles_.resize(end);
  floor_ = end;
  last_placed_ = end;
}

void KernelBuilder::label(const std::string& name) {
  drain(false);
  labels_at_[bundles_.size()].push_back(name);
}

void KernelBuilder::jnz(const std::string& r, const std::string& target) {
  Op op{Scalar, 1, "jnz " + r + ", " + target, {}, {r}, 1};
  op.branch = true;
  emit(op);
}

void KernelBuilder::jz(const std::string& r, const std::string& target) {
  Op op{Scalar, 1, "jz " + r + ", " + target, {}, {r}, 1};
  op.branch = true;
  emit(op);
}

void KernelBuilder::jump(const std::string& target) {
  Op op{Scalar, 1, "j " + target, {}, {}, 1};
  op.branch = true;
  emit(op);
}

void KernelBuilder::call(const std::string& name, const std::function<void()>& body) {
  auto it = std::find_if(shared_.begin(), shared_.end(), [&](const Shared& s) { return s.name == name; });
  if (it == shared_.end()) it = shared_.insert(shared_.end(), {name, body, {}});
  const std::string back = unique_label("back");
  movi("m7", static_cast<int64_t>(it->returns.size()));
  it->returns.push_back(back);
  jump(".Lshared_" + name);
  label(back);
}

void KernelBuilder::loop(const std::string& count, const std::string& end) {
  Op op{Scalar, 1, "loop " + count + ", " + end, {}, {}, 1};
  if (is_register(count)) op.uses.push_back(count);
  op.barrier = true;  // the body starts in the next bundle
  emit(op);
}

void KernelBuilder::loop_end(const std::string& end) {
  if (bundles_.size() <= floor_) bundles_.resize(floor_ + 1);  // a body has at least one bundle
  drain(true);
  labels_at_[bundles_.size()].push_back(end);
}

void KernelBuilder::done() {
  Op op{Scalar, 1, "done", {}, {}, 1};
  op.barrier = true;
  emit(op);
  for (const Shared& s : shared_) {
    label(".Lshared_" + s.name);
    s.body();
    mov("r19", "m7");  // back to the caller: site i is reached after i decrements
    for (std::size_t i = 0; i + 1 < s.returns.size(); ++i) {
      jz("r19", s.returns[i]);
      alui("sub", "r19", "r19", 1);
    }
    jump(s.returns.back());
  }
}

std::string KernelBuilder::text() const {
  std::string out;
  for (const std::string& line : header_) out += line + "\n";
  for (std::size_t i = 0; i <= bundles_.size(); ++i) {
    auto it = labels_at_.find(i);
    if (it != labels_at_.end())
      for (const std::string& name : it->second) out += name + ":\n";
    if (i == bundles_.size()) break;
    const auto& instrs = bundles_[i].instrs;
    if (instrs.empty()) out += "    nop\n";
    else if (instrs.size() == 1) out += "    " + instrs[0] + "\n";
    else {
      out += "    { ";
      for (std::size_t k = 0; k < instrs.size(); ++k) out += (k ? " ; " : "") + instrs[k];
      out += " }\n";
    }
  }
  return out;
}

}  // namespace kc::aie_baseline
