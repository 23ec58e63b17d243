#include "kernelcraft/reference/mlir_support.h"

#include <mutex>
#include <sstream>

#include "llvm/Support/TargetSelect.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

namespace kc {

void initialize_mlir_once() {
  static std::once_flag flag;
  std::call_once(flag, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    llvm::InitializeAllAsmParsers();
    mlir::registerAllPasses();
  });
}

std::unique_ptr<mlir::MLIRContext> make_mlir_context() {
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);  // includes bufferization external models
  mlir::registerAllToLLVMIRTranslations(registry);
  auto context = std::make_unique<mlir::MLIRContext>(registry);
  context->loadAllAvailableDialects();
  context->disableMultithreading();
  return context;
}

MlirDiagnostics::MlirDiagnostics(mlir::MLIRContext& context)
    : handler_(&context, [this](mlir::Diagnostic& diagnostic) {
        record(diagnostic);
        return mlir::success();
      }) {}

std::string MlirDiagnostics::text() const {
  std::string out;
  for (const auto& m : messages_) out += (out.empty() ? "" : "\n") + m;
  return out;
}

namespace {
std::string located(mlir::Location location, const std::string& message) {
  std::ostringstream os;
  if (auto flc = location->findInstanceOf<mlir::FileLineColLoc>())
    os << flc.getFilename().str() << ":" << flc.getLine() << ":" << flc.getColumn() << ": ";
  os << message;
  return os.str();
}
}  // namespace

void MlirDiagnostics::record(mlir::Diagnostic& diagnostic) {
  if (diagnostic.getSeverity() != mlir::DiagnosticSeverity::Error) return;
  messages_.push_back(located(diagnostic.getLocation(), diagnostic.str()));
  for (auto& note : diagnostic.getNotes())
    messages_.push_back(located(note.getLocation(), "note: " + note.str()));
}

}  // namespace kc
