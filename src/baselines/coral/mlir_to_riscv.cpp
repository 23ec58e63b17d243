#include "coral/mlir_to_riscv.h"

#include <memory>

#include "kernelcraft/core/errors.h"
#include "kernelcraft/reference/mlir_support.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kc::coral_baseline {
namespace {

// Tensors to buffers, results to out-params, linalg to loops (mlir-opt pipeline syntax).
const char* const kBufferizePipeline =
    "builtin.module("
    "eliminate-empty-tensors,empty-tensor-to-alloc-tensor,"
    "one-shot-bufferize{bufferize-function-boundaries allow-return-allocs "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-results-to-out-params,canonicalize)";

// Loops to the LLVM dialect with 32-bit indices (riscv32) and one pointer per memref argument.
// Generic allocation functions, because the LLVM IR translation treats a `malloc` declared with
// a 32-bit size as a mismatch with its built-in signature.
const char* const kToLlvmPipeline =
    "builtin.module("
    "func.func(convert-linalg-to-loops),convert-scf-to-cf,expand-strided-metadata,lower-affine,"
    "convert-math-to-llvm,"
    "convert-memref-to-llvm{index-bitwidth=32 use-generic-functions=1},"
    "convert-arith-to-llvm{index-bitwidth=32},"
    "convert-func-to-llvm{use-bare-ptr-memref-call-conv=1 index-bitwidth=32},"
    "convert-cf-to-llvm{index-bitwidth=32},"
    "reconcile-unrealized-casts)";

void run_pipeline(mlir::ModuleOp module, const char* pipeline, const MlirDiagnostics& diags,
                  const std::string& source, const char* stage) {
  std::string parse_errors;
  llvm::raw_string_ostream err(parse_errors);
  auto parsed = mlir::parsePassPipeline(pipeline, err);
  if (mlir::failed(parsed)) throw std::logic_error(std::string(stage) + " pipeline does not parse: " + parse_errors);
  mlir::PassManager pm(module.getContext());
  static_cast<mlir::OpPassManager&>(pm) = *parsed;
  if (mlir::failed(pm.run(module)))
    throw InputError(source + ": " + stage + " failed" + (diags.empty() ? "" : ":\n" + diags.text()));
}

// exp, tanh, erf, log, ... become polynomials over arith ops (no libm on the accelerator).
void approximate_math(mlir::ModuleOp module, const std::string& source) {
  mlir::RewritePatternSet patterns(module.getContext());
  mlir::populateMathPolynomialApproximationPatterns(patterns);
  if (mlir::failed(mlir::applyPatternsAndFoldGreedily(module, std::move(patterns))))
    throw InputError(source + ": math approximation did not converge");
}

// buffer-results-to-out-params leaves `%r = alloc; ...writes %r...; copy %r -> %out`. When the
// out-param has no other use, computing straight into it is the same program without the copy
// (what a C compiler given the output pointer does).
void elide_result_copies(mlir::ModuleOp module) {
  module.walk([](mlir::func::FuncOp function) {
    llvm::SmallVector<mlir::memref::CopyOp> copies;
    function.walk([&](mlir::memref::CopyOp copy) { copies.push_back(copy); });
    for (mlir::memref::CopyOp copy : copies) {
      auto target = copy.getTarget().dyn_cast<mlir::BlockArgument>();
      auto alloc = copy.getSource().getDefiningOp<mlir::memref::AllocOp>();
      if (!target || !alloc || !target.hasOneUse() || alloc.getType() != target.getType()) continue;
      if (alloc->getBlock() != copy->getBlock()) continue;
      alloc.getResult().replaceAllUsesWith(target);
      copy.erase();
      alloc.erase();
    }
  });
}

std::unique_ptr<llvm::TargetMachine> make_target_machine(const RiscvTarget& target, const std::string& source) {
  std::string error;
  const llvm::Target* found = llvm::TargetRegistry::lookupTarget(target.triple, error);
  if (found == nullptr) throw InputError(source + ": LLVM has no target " + target.triple + ": " + error);
  llvm::TargetOptions options;
  options.MCOptions.ABIName = target.abi;
  return std::unique_ptr<llvm::TargetMachine>(found->createTargetMachine(
      target.triple, target.cpu, target.features, options, llvm::Reloc::Static, llvm::CodeModel::Small,
      llvm::CodeGenOpt::Default));
}

// LLVM's standard -O2 module pipeline, with the target's cost model (so loops vectorize for RVV).
void optimize_o2(llvm::Module& module, llvm::TargetMachine& machine) {
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder builder(&machine);
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(cgscc);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, cgscc, modules);
  builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(module, modules);
}

std::string emit_assembly(llvm::Module& module, llvm::TargetMachine& machine, const std::string& source) {
  llvm::SmallString<0> text;
  llvm::raw_svector_ostream out(text);
  llvm::legacy::PassManager codegen;
  if (machine.addPassesToEmitFile(codegen, out, nullptr, llvm::CGFT_AssemblyFile))
    throw InputError(source + ": LLVM cannot emit RISC-V assembly for this target");
  codegen.run(module);
  return std::string(text.str());
}

}  // namespace

std::string compile_to_riscv_assembly(const std::string& bound_mlir, const std::string& source,
                                      const RiscvTarget& target) {
  initialize_mlir_once();
  auto context = make_mlir_context();
  MlirDiagnostics diags(*context);
  llvm::SourceMgr source_mgr;  // names the buffer so locations carry `source`
  source_mgr.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(bound_mlir, source), llvm::SMLoc());
  mlir::ParserConfig config(context.get());
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::parseSourceFile<mlir::ModuleOp>(source_mgr, config);
  if (!module) throw InputError(source + ": does not parse:\n" + diags.text());
  run_pipeline(*module, kBufferizePipeline, diags, source, "bufferization");
  elide_result_copies(*module);
  approximate_math(*module, source);
  run_pipeline(*module, kToLlvmPipeline, diags, source, "lowering to the LLVM dialect");

  llvm::LLVMContext llvm_context;
  std::unique_ptr<llvm::Module> ir = mlir::translateModuleToLLVMIR(*module, llvm_context, source);
  if (!ir) throw InputError(source + ": translation to LLVM IR failed:\n" + diags.text());
  auto machine = make_target_machine(target, source);
  ir->setTargetTriple(target.triple);
  ir->setDataLayout(machine->createDataLayout());
  optimize_o2(*ir, *machine);
  return emit_assembly(*ir, *machine, source);
}

}  // namespace kc::coral_baseline
