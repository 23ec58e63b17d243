// MlirReference: parse, lower with MLIR's own passes, and JIT-run reference functions.
#include "kernelcraft/reference/mlir_reference.h"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <sstream>
#include <utility>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/reference/mlir_support.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

namespace kc {

// Why each step is there:
// - eliminate-empty-tensors / empty-tensor-to-alloc-tensor: tensor.empty cannot be bufferized
//   directly in MLIR 16; it must become bufferization.alloc_tensor first.
// - one-shot-bufferize with function boundaries and identity layouts: tensor functions become
//   memref functions whose arguments are dense row-major buffers (what the harness passes);
//   allow-return-allocs lets results be fresh buffers, which the next pass turns into out-params.
// - buffer-results-to-out-params: memref results become trailing arguments, so both calling
//   conventions end as "inputs, then outputs" buffers owned by the harness.
// - buffer-deallocation: frees temporaries (intermediate rows, copies) so repeated runs don't leak.
// - convert-math-to-llvm before convert-math-to-libm: exp/log/sqrt/... become LLVM intrinsics;
//   the rest (tanh, erf, ...) become calls to libm's f32 functions, which the JIT resolves from
//   the host process (libm is always loaded by libstdc++).
const char* const kReferencePipeline =
    "builtin.module("
    "eliminate-empty-tensors,empty-tensor-to-alloc-tensor,"
    "one-shot-bufferize{bufferize-function-boundaries allow-return-allocs "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-results-to-out-params,"
    "func.func(buffer-deallocation),"
    "func.func(convert-linalg-to-loops),"
    "convert-scf-to-cf,expand-strided-metadata,lower-affine,"
    "convert-math-to-llvm,convert-math-to-libm,"
    "convert-memref-to-llvm,convert-arith-to-llvm,convert-func-to-llvm,"
    "reconcile-unrealized-casts)";

int64_t TensorSignature::num_elements() const {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) return -1;
    n *= d;
  }
  return n;
}

namespace {

// Where each argument of the lowered function comes from: input #index or output #index.
struct Slot {
  bool is_output;
  size_t index;
};

struct Layout {
  std::vector<TensorSignature> inputs, outputs;
  std::vector<Slot> slots;  // lowered argument order
};

TensorSignature signatureOf(mlir::Type type, const std::string& where) {
  auto shaped = type.dyn_cast<mlir::ShapedType>();
  bool ranked = shaped && shaped.hasRank() &&
                (type.isa<mlir::RankedTensorType>() || type.isa<mlir::MemRefType>());
  if (!ranked) throw InputError(where + ": expected a ranked tensor or memref, got a different type");
  if (auto memref = type.dyn_cast<mlir::MemRefType>(); memref && !memref.getLayout().isIdentity())
    throw InputError(where + ": memref arguments must have the identity (row-major) layout");
  TensorSignature sig;
  for (int64_t d : shaped.getShape()) sig.shape.push_back(mlir::ShapedType::isDynamic(d) ? -1 : d);
  llvm::raw_string_ostream os(sig.element_type);
  shaped.getElementType().print(os);
  os.flush();
  return sig;
}

// Applies the calling convention documented in the header.
Layout layoutOf(mlir::func::FuncOp fn, const std::string& where) {
  Layout layout;
  auto type = fn.getFunctionType();
  size_t n_args = type.getNumInputs();
  std::vector<bool> is_out(n_args, false);
  bool any_marked = false;
  for (size_t i = 0; i < n_args; ++i) {
    is_out[i] = static_cast<bool>(fn.getArgAttr(static_cast<unsigned>(i), "kc.output"));
    any_marked |= is_out[i];
  }
  if (!any_marked && type.getNumResults() == 0 && n_args > 0) is_out[n_args - 1] = true;
  for (size_t i = 0; i < n_args; ++i) {
    auto sig = signatureOf(type.getInput(static_cast<unsigned>(i)), where + " argument #" + std::to_string(i));
    auto& list = is_out[i] ? layout.outputs : layout.inputs;
    layout.slots.push_back({is_out[i], list.size()});
    list.push_back(std::move(sig));
  }
  for (size_t r = 0; r < type.getNumResults(); ++r) {
    layout.slots.push_back({true, layout.outputs.size()});
    layout.outputs.push_back(signatureOf(type.getResult(static_cast<unsigned>(r)),
                                         where + " result #" + std::to_string(r)));
  }
  return layout;
}

// A ranked memref descriptor as the LLVM lowering expands it: allocated, aligned, offset,
// sizes[rank], strides[rank]. invokePacked takes one pointer per expanded field.
struct Descriptor {
  float* allocated;
  float* aligned;
  int64_t offset = 0;
  std::vector<int64_t> sizes, strides;

  Descriptor(float* data, const std::vector<int64_t>& shape)
      : allocated(data), aligned(data), sizes(shape), strides(shape.size(), 1) {
    for (size_t i = shape.size(); i-- > 1;) strides[i - 1] = strides[i] * shape[i];
  }
  void appendFields(std::vector<void*>& args) {
    args.push_back(&allocated);
    args.push_back(&aligned);
    args.push_back(&offset);
    for (auto& s : sizes) args.push_back(&s);
    for (auto& s : strides) args.push_back(&s);
  }
};

void checkRunnable(const std::vector<TensorSignature>& sigs, const std::string& where) {
  for (size_t i = 0; i < sigs.size(); ++i) {
    if (sigs[i].element_type != "f32")
      throw InputError(where + " #" + std::to_string(i) + ": only f32 is runnable, got " +
                       sigs[i].element_type);
    if (sigs[i].num_elements() < 0)
      throw InputError(where + " #" + std::to_string(i) + ": dynamic shapes are not runnable");
  }
}

// --- Guard for an MLIR 16 parser crash -------------------------------------------------------
// MLIR 16's custom parser for linalg.generic casts the `iterator_types` attribute to an array of
// strings without checking it: a missing attribute, a non-array or a non-string element (even
// #linalg.iterator_type<...>) is a null dereference or a wild read inside libMLIR (found by
// tests/fuzz/mlir_reference.cpp). The text is checked first, so such a reference is an InputError.
// The check only rejects dictionaries it can read; anything else is left to MLIR's own errors.

constexpr size_t kNone = std::string::npos;

bool isIdentifierChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '.';
}

// The index just past the "..." literal that opens at `i`.
size_t skipString(const std::string& text, size_t i) {
  for (++i; i < text.size(); ++i) {
    if (text[i] == '\\') ++i;
    else if (text[i] == '"') return i + 1;
  }
  return text.size();
}

// `text` with `//` comments blanked out (strings kept), so offsets and line numbers still match.
std::string withoutComments(std::string text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') i = skipString(text, i) - 1;
    else if (text.compare(i, 2, "//") == 0)
      while (i < text.size() && text[i] != '\n') text[i++] = ' ';
  }
  return text;
}

// The index just past the {...}, [...], (...) or <...> group that opens at `i`; kNone when it is
// not closed. The '>' of "->" and ">=" closes nothing.
size_t skipGroup(const std::string& text, size_t i) {
  std::string closers;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      i = skipString(text, i) - 1;
    } else if (const size_t kind = std::string("{[(<").find(c); kind != kNone) {
      closers += "}])>"[kind];
    } else if (c == '>' && ((i > 0 && text[i - 1] == '-') || text.compare(i, 2, ">=") == 0)) {
      continue;
    } else if (std::string("}])>").find(c) != kNone) {
      if (closers.empty() || closers.back() != c) return kNone;
      closers.pop_back();
      if (closers.empty()) return i + 1;
    }
  }
  return kNone;
}

size_t skipSpace(const std::string& text, size_t i) {
  return std::min(text.find_first_not_of(" \t\r\n", i), text.size());
}

// Where the value of `#alias = value` starts, for an alias defined at the start of a line.
size_t aliasValue(const std::string& text, size_t alias_at) {
  size_t end = alias_at + 1;
  while (end < text.size() && isIdentifierChar(text[end])) ++end;
  const std::string alias = text.substr(alias_at, end - alias_at);
  for (size_t at = text.find(alias); at != kNone; at = text.find(alias, at + 1)) {
    const size_t before = at == 0 ? kNone : text.find_last_not_of(" \t", at - 1);
    const size_t after = at + alias.size();
    if ((before != kNone && text[before] != '\n') || (after < text.size() && isIdentifierChar(text[after])))
      continue;
    const size_t equals = skipSpace(text, after);
    if (equals < text.size() && text[equals] == '=') return skipSpace(text, equals + 1);
  }
  return kNone;
}

// Follows one alias; kNone when it is undefined.
size_t resolveAlias(const std::string& text, size_t at) {
  return at < text.size() && text[at] == '#' ? aliasValue(text, at) : at;
}

// Top-level comma-separated items of the group opening at `open` and closing before `close`.
std::vector<std::pair<size_t, size_t>> groupItems(const std::string& text, size_t open, size_t close) {
  std::vector<std::pair<size_t, size_t>> items;
  size_t start = open + 1;
  for (size_t i = start; i + 1 < close; ++i) {
    if (text[i] == '"') {
      i = skipString(text, i) - 1;
    } else if (std::string("{[(<").find(text[i]) != kNone) {
      i = std::min(skipGroup(text, i), close) - 1;
    } else if (text[i] == ',') {
      items.push_back({start, i});
      start = i + 1;
    }
  }
  if (skipSpace(text, start) < close - 1) items.push_back({start, close - 1});
  return items;
}

// True unless the dictionary at `open` is readable and its iterator_types is not a list of
// string literals.
bool iteratorTypesParse(const std::string& text, size_t open) {
  const size_t close = skipGroup(text, open);
  if (close == kNone) return true;
  for (const auto& [begin, end] : groupItems(text, open, close)) {
    const size_t key = skipSpace(text, begin);
    size_t key_end = key;
    while (key_end < end && (isIdentifierChar(text[key_end]) || text[key_end] == '"')) ++key_end;
    const std::string name = text.substr(key, key_end - key);
    if (name != "iterator_types" && name != "\"iterator_types\"") continue;
    const size_t equals = skipSpace(text, key_end);
    if (equals >= end || text[equals] != '=') return false;
    const size_t list = resolveAlias(text, skipSpace(text, equals + 1));
    if (list == kNone) return true;  // an undefined alias: MLIR reports it
    if (list >= text.size() || text[list] != '[') return false;
    const size_t list_end = skipGroup(text, list);
    if (list_end == kNone) return true;
    for (const auto& [item, item_end] : groupItems(text, list, list_end))
      if (text[skipSpace(text, item)] != '"') return false;
    return true;
  }
  return false;
}

void checkLinalgGenerics(const std::string& mlir_text, const std::string& source) {
  const std::string text = withoutComments(mlir_text);
  const std::string op = "linalg.generic";
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') {
      i = skipString(text, i) - 1;
      continue;
    }
    if (text.compare(i, op.size(), op) != 0 || (i > 0 && isIdentifierChar(text[i - 1])) ||
        (i + op.size() < text.size() && isIdentifierChar(text[i + op.size()])))
      continue;
    const size_t dictionary = resolveAlias(text, skipSpace(text, i + op.size()));
    if (dictionary == kNone || dictionary >= text.size() || text[dictionary] != '{') continue;
    if (iteratorTypesParse(text, dictionary)) continue;
    const size_t line = 1 + std::count(text.begin(), text.begin() + i, '\n');
    const size_t line_start = text.rfind('\n', i) == kNone ? 0 : text.rfind('\n', i) + 1;
    throw InputError(source + ":" + std::to_string(line) + ":" + std::to_string(i - line_start + 1) +
                     ": linalg.generic needs iterator_types = [\"parallel\" or \"reduction\", ...], "
                     "a list of strings, in its attribute dictionary");
  }
}

bool isCountedArithOp(mlir::Operation& op) {
  if (mlir::isa<mlir::arith::ConstantOp>(op)) return false;
  auto ns = op.getName().getDialectNamespace();
  return ns == "arith" || ns == "math";
}

}  // namespace

struct MlirReference::Impl {
  std::string source_name;
  std::unique_ptr<mlir::MLIRContext> context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  mutable std::mutex mutex;  // guards the lazily built engine (and diagnostics on context)
  mutable mlir::OwningOpRef<mlir::ModuleOp> lowered;
  mutable std::unique_ptr<mlir::ExecutionEngine> engine;

  mlir::func::FuncOp function(const std::string& name) const {
    auto fn = module.get().lookupSymbol<mlir::func::FuncOp>(name);
    if (!fn || fn.isExternal())
      throw InputError(source_name + ": no function @" + name + " with a body");
    return fn;
  }
  Layout layout(const std::string& name) const {
    return layoutOf(function(name), source_name + ": @" + name);
  }
  mlir::ExecutionEngine& jit() const;
};

mlir::ExecutionEngine& MlirReference::Impl::jit() const {
  if (engine) return *engine;
  MlirDiagnostics diags(*context);
  lowered = mlir::OwningOpRef<mlir::ModuleOp>(module.get().clone());
  std::string parse_errors;
  llvm::raw_string_ostream err_os(parse_errors);
  // This overload honours the "builtin.module(...)" anchor (the other one would nest it).
  auto parsed = mlir::parsePassPipeline(kReferencePipeline, err_os);
  if (mlir::failed(parsed))
    throw std::logic_error("reference pipeline does not parse: " + err_os.str());
  mlir::PassManager pm(context.get());
  static_cast<mlir::OpPassManager&>(pm) = *parsed;
  if (mlir::failed(pm.run(*lowered)))
    throw InputError(source_name + ": lowering failed:\n" + diags.text());
  mlir::ExecutionEngineOptions options;
  options.jitCodeGenOptLevel = llvm::CodeGenOpt::Level::Default;
  auto created = mlir::ExecutionEngine::create(*lowered, options);
  if (!created)
    throw InputError(source_name + ": JIT compilation failed: " + llvm::toString(created.takeError()) +
                     (diags.empty() ? "" : "\n" + diags.text()));
  engine = std::move(*created);
  // Lowered memref.copy of non-contiguous views calls MLIR's C runner-utils; resolve it to the
  // copy linked into this binary instead of loading a shared library at run time.
  engine->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    symbols[interner("memrefCopy")] = llvm::JITEvaluatedSymbol::fromPointer(&memrefCopy);
    return symbols;
  });
  return *engine;
}

MlirReference::MlirReference(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MlirReference::MlirReference(MlirReference&&) noexcept = default;
MlirReference& MlirReference::operator=(MlirReference&&) noexcept = default;
MlirReference::~MlirReference() = default;

MlirReference MlirReference::load(const std::string& mlir_text, const std::string& source_name) {
  checkLinalgGenerics(mlir_text, source_name);
  initialize_mlir_once();
  auto impl = std::make_unique<Impl>();
  impl->source_name = source_name;
  impl->context = make_mlir_context();
  MlirDiagnostics diags(*impl->context);
  llvm::SourceMgr source_mgr;  // names the buffer so locations carry source_name
  source_mgr.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(mlir_text, source_name),
                                llvm::SMLoc());
  mlir::ParserConfig config(impl->context.get());  // verifies after parsing
  impl->module = mlir::parseSourceFile<mlir::ModuleOp>(source_mgr, config);
  if (!impl->module) {
    throw InputError(diags.empty() ? source_name + ": could not parse MLIR" : diags.text());
  }
  return MlirReference(std::move(impl));
}

std::vector<TensorSignature> MlirReference::inputs(const std::string& function) const {
  return impl_->layout(function).inputs;
}

std::vector<TensorSignature> MlirReference::outputs(const std::string& function) const {
  return impl_->layout(function).outputs;
}

std::vector<std::vector<float>> MlirReference::run(
    const std::string& function, const std::vector<std::vector<float>>& inputs) const {
  const std::string where = impl_->source_name + ": @" + function;
  Layout layout = impl_->layout(function);
  checkRunnable(layout.inputs, where + " input");
  checkRunnable(layout.outputs, where + " output");
  if (inputs.size() != layout.inputs.size())
    throw InputError(where + " takes " + std::to_string(layout.inputs.size()) + " inputs, got " +
                     std::to_string(inputs.size()));
  for (size_t i = 0; i < inputs.size(); ++i) {
    auto want = static_cast<size_t>(layout.inputs[i].num_elements());
    if (inputs[i].size() != want)
      throw InputError(where + " input #" + std::to_string(i) + " needs " + std::to_string(want) +
                       " floats, got " + std::to_string(inputs[i].size()));
  }
  // Copies of the inputs: bufferized code may legally write into its argument buffers.
  std::vector<std::vector<float>> in_bufs = inputs;
  std::vector<std::vector<float>> out_bufs;
  for (const auto& sig : layout.outputs) out_bufs.emplace_back(static_cast<size_t>(sig.num_elements()), 0.0f);

  std::vector<Descriptor> descs;
  descs.reserve(layout.slots.size());
  for (const Slot& s : layout.slots) {
    auto& buf = s.is_output ? out_bufs[s.index] : in_bufs[s.index];
    const auto& sig = s.is_output ? layout.outputs[s.index] : layout.inputs[s.index];
    descs.emplace_back(buf.data(), sig.shape);
  }
  std::vector<void*> args;
  for (auto& d : descs) d.appendFields(args);

  std::lock_guard<std::mutex> lock(impl_->mutex);
  if (auto err = impl_->jit().invokePacked(function, args))
    throw InputError(where + ": JIT invocation failed: " + llvm::toString(std::move(err)));
  return out_bufs;
}

FlopCount MlirReference::flop_count(const std::string& function) const {
  FlopCount count;
  impl_->function(function).walk([&](mlir::linalg::LinalgOp op) {
    uint64_t iterations = 1;
    for (int64_t range : op.getStaticLoopRanges()) {
      if (mlir::ShapedType::isDynamic(range)) return;
      iterations *= static_cast<uint64_t>(range);
    }
    uint64_t per_iteration = 0;
    for (mlir::Operation& body_op : *op.getBlock())
      if (isCountedArithOp(body_op)) ++per_iteration;
    // Contractions and convolutions are what a matrix unit accelerates; everything else is
    // elementwise or reduction work for vector units.
    const bool matrix = mlir::linalg::isaContractionOpInterface(op) ||
                        mlir::isa<mlir::linalg::ConvolutionOpInterface>(op.getOperation());
    (matrix ? count.matrix : count.vector) += iterations * per_iteration;
  });
  return count;
}

uint64_t MlirReference::flops(const std::string& function) const {
  return flop_count(function).total();
}

}  // namespace kc
