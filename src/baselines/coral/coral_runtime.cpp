#include "coral/coral_runtime.h"

#include <sstream>

#include "kernelcraft/core/errors.h"

namespace kc::coral_baseline {
namespace {

constexpr std::size_t kArgumentRegisters = 8;  // a0..a7 (ilp32f)

// memcpy/memset as RVV byte loops (LMUL 8: 128 bytes per instruction on VLEN 128); the
// allocator rounds to 64 bytes and traps on exhaustion (`unimp` is an illegal instruction).
const char* const kRuntimeFunctions = R"(
	.text
	.globl	memcpy
	.p2align	2
memcpy:
	mv	a3, a0
.Lkc_memcpy_loop:
	vsetvli	t0, a2, e8, m8, ta, ma
	vle8.v	v0, (a1)
	vse8.v	v0, (a3)
	add	a1, a1, t0
	add	a3, a3, t0
	sub	a2, a2, t0
	bnez	a2, .Lkc_memcpy_loop
	ret

	.globl	memset
	.p2align	2
memset:
	mv	a3, a0
	vsetvli	t0, zero, e8, m8, ta, ma
	vmv.v.x	v0, a1
.Lkc_memset_loop:
	vsetvli	t0, a2, e8, m8, ta, ma
	vse8.v	v0, (a3)
	add	a3, a3, t0
	sub	a2, a2, t0
	bnez	a2, .Lkc_memset_loop
	ret

	.globl	_mlir_memref_to_llvm_alloc
	.p2align	2
_mlir_memref_to_llvm_alloc:
	lui	t0, %hi(kc_heap_next)
	lw	t1, %lo(kc_heap_next)(t0)
	addi	a0, a0, 63
	andi	a0, a0, -64
	add	t2, t1, a0
	lui	t3, %hi(kc_heap_end)
	lw	t3, %lo(kc_heap_end)(t3)
	bltu	t3, t2, .Lkc_heap_exhausted
	sw	t2, %lo(kc_heap_next)(t0)
	mv	a0, t1
	ret
.Lkc_heap_exhausted:
	unimp

	.globl	_mlir_memref_to_llvm_free
	.p2align	2
_mlir_memref_to_llvm_free:
	ret
)";

}  // namespace

std::string runtime_assembly(const EntryCall& call) {
  if (call.arguments.size() > kArgumentRegisters)
    throw InputError("the Coral baseline passes tensors in a0..a7; " + call.function + " takes " +
                     std::to_string(call.arguments.size()) + " tensors");
  std::ostringstream s;
  s << "\t.text\n\t.globl\t_start\n\t.p2align\t2\n_start:\n";
  for (std::size_t i = 0; i < call.arguments.size(); ++i) s << "\tli\ta" << i << ", " << call.arguments[i] << "\n";
  s << "\tcall\t" << call.function << "\n\tebreak\n";
  s << kRuntimeFunctions;
  s << "\n\t.data\n\t.p2align\t2\nkc_heap_next:\n\t.word\t" << call.heap_begin << "\nkc_heap_end:\n\t.word\t"
    << call.heap_end << "\n";
  return s.str();
}

}  // namespace kc::coral_baseline
