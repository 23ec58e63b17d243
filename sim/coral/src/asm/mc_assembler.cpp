#include "mc_assembler.h"

#include <memory>

#include "diagnostic_hints.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/MC/MCAsmBackend.h"
#include "llvm/MC/MCCodeEmitter.h"
#include "llvm/MC/MCContext.h"
#include "llvm/MC/MCObjectFileInfo.h"
#include "llvm/MC/MCObjectWriter.h"
#include "llvm/MC/MCParser/MCAsmParser.h"
#include "llvm/MC/MCParser/MCTargetAsmParser.h"
#include "llvm/MC/MCStreamer.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm_target.h"

namespace coral::assembler {
namespace {

std::string severity_name(llvm::SourceMgr::DiagKind kind) {
  switch (kind) {
    case llvm::SourceMgr::DK_Error: return "error";
    case llvm::SourceMgr::DK_Warning: return "warning";
    default: return "note";
  }
}

// Collects LLVM's diagnostics, mapping locations inside macro and .rept expansions back to
// the line of the kernel source that caused them.
class DiagnosticCollector {
 public:
  explicit DiagnosticCollector(const llvm::SourceMgr& sources) : sources_(sources) {}

  static void on_source_manager_diagnostic(const llvm::SMDiagnostic& diagnostic, void* self) {
    static_cast<DiagnosticCollector*>(self)->add(diagnostic);
  }

  void add(const llvm::SMDiagnostic& llvm_diagnostic) {
    Diagnostic diagnostic;
    diagnostic.severity = severity_name(llvm_diagnostic.getKind());
    diagnostic.message = llvm_diagnostic.getMessage().str();
    diagnostic.hint = hint_for_message(diagnostic.message);
    const bool located = locate(llvm_diagnostic.getLoc(), diagnostic);
    if (diagnostic.message == kInstantiationNote) {
      // LLVM follows a diagnostic inside an expansion with these notes, innermost first; the
      // first one in the kernel source says which line caused it.
      if (located) place_pending(diagnostic);
      return;
    }
    if (!located && llvm_diagnostic.getLoc().isValid()) {
      diagnostic.message += " (inside a macro or .rept expansion)";
      pending_.push_back(diagnostics_.size());
    }
    diagnostics_.push_back(std::move(diagnostic));
  }

  std::vector<Diagnostic> take() { return std::move(diagnostics_); }
  bool has_error() const {
    for (const Diagnostic& diagnostic : diagnostics_)
      if (diagnostic.severity == "error") return true;
    return false;
  }

 private:
  static constexpr const char* kInstantiationNote = "while in macro instantiation";

  void place_pending(const Diagnostic& note) {
    for (std::size_t index : pending_) {
      diagnostics_[index].line = note.line;
      diagnostics_[index].column = note.column;
    }
    pending_.clear();
  }

  // True when the location maps to a line of the kernel source.
  bool locate(llvm::SMLoc location, Diagnostic& diagnostic) const {
    if (!location.isValid()) return false;
    unsigned buffer = sources_.FindBufferContainingLoc(location);
    // Expansion buffers record where they were instantiated; walk up to the main file.
    while (buffer != 0 && buffer != sources_.getMainFileID()) {
      location = sources_.getParentIncludeLoc(buffer);
      if (!location.isValid()) return false;
      buffer = sources_.FindBufferContainingLoc(location);
    }
    if (buffer == 0) return false;
    const auto [line, column] = sources_.getLineAndColumn(location, buffer);
    diagnostic.line = line;
    diagnostic.column = column;
    return true;
  }

  const llvm::SourceMgr& sources_;
  std::vector<Diagnostic> diagnostics_;
  std::vector<std::size_t> pending_;  // expansion diagnostics still waiting for a source line
};

}  // namespace

ObjectAssembly assemble_to_object(const std::string& source, const std::string& source_name,
                                  bool generate_line_info) {
  TargetDescription target = describe_target();
  llvm::SourceMgr sources;
  sources.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(source, source_name), llvm::SMLoc());
  DiagnosticCollector collector(sources);
  sources.setDiagHandler(&DiagnosticCollector::on_source_manager_diagnostic, &collector);

  llvm::MCContext context(target.triple, target.asm_info.get(), target.registers.get(),
                          target.subtarget.get(), &sources, &target.options);
  context.setDiagnosticHandler([&collector](const llvm::SMDiagnostic& diagnostic, bool, const llvm::SourceMgr&,
                                            std::vector<const llvm::MDNode*>&) { collector.add(diagnostic); });
  std::unique_ptr<llvm::MCObjectFileInfo> file_info(
      target.target->createMCObjectFileInfo(context, /*PIC=*/false));
  context.setObjectFileInfo(file_info.get());
  context.setCompilationDir("");
  context.setMainFileName(source_name);
  if (generate_line_info) {
    context.setGenDwarfForAssembly(true);
    context.setDwarfVersion(4);
    context.setGenDwarfRootFile(source_name, source);
  }

  llvm::SmallVector<char, 0> object_bytes;
  llvm::raw_svector_ostream object_stream(object_bytes);
  std::unique_ptr<llvm::MCAsmBackend> backend(
      target.target->createMCAsmBackend(*target.subtarget, *target.registers, target.options));
  std::unique_ptr<llvm::MCObjectWriter> writer = backend->createObjectWriter(object_stream);
  std::unique_ptr<llvm::MCCodeEmitter> emitter(target.target->createMCCodeEmitter(*target.instructions, context));
  std::unique_ptr<llvm::MCStreamer> streamer(target.target->createMCObjectStreamer(
      target.triple, context, std::move(backend), std::move(writer), std::move(emitter), *target.subtarget,
      /*RelaxAll=*/false, /*IncrementalLinkerCompatible=*/false, /*DWARFMustBeAtTheEnd=*/false));
  std::unique_ptr<llvm::MCAsmParser> parser(llvm::createMCAsmParser(sources, context, *streamer, *target.asm_info));
  std::unique_ptr<llvm::MCTargetAsmParser> target_parser(
      target.target->createMCAsmParser(*target.subtarget, *parser, *target.instructions, target.options));
  parser->setTargetParser(*target_parser);
  const bool parse_failed = parser->Run(/*NoInitialTextSection=*/false) != 0;

  ObjectAssembly result;
  const bool failed = parse_failed || context.hadError() || collector.has_error();
  result.diagnostics = collector.take();
  if (failed && result.diagnostics.empty()) {
    Diagnostic diagnostic;
    diagnostic.severity = "error";
    diagnostic.message = "the assembler failed without a message";
    result.diagnostics.push_back(diagnostic);
  }
  if (!failed) result.object.assign(object_bytes.begin(), object_bytes.end());
  return result;
}

}  // namespace coral::assembler
