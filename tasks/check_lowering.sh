#!/usr/bin/env bash
# Checks that every tasks/<name>/reference.mlir lowers to the LLVM dialect for each of the
# task's configs C1..C5, and that the reference function's signature matches the tensor shapes
# declared in task.json. Exits non-zero on the first failure, naming the task and config.
#
# Placeholders: ${NAME} where NAME is a constant of the task becomes the constant's value as a
# float literal (printf %e); any other ${EXPR} is an integer expression over the config's
# parameters (+ - * / and parentheses, e.g. ${N}, ${H-2}, ${NH*D}, ${D/2}) and must evaluate to
# an exact integer. Needs bash, jq, awk and mlir-opt 16.
set -u -o pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MLIR_OPT="${MLIR_OPT:-}"
if [[ -z "$MLIR_OPT" ]]; then
  for c in mlir-opt-16 /usr/lib/llvm-16/bin/mlir-opt; do
    if command -v "$c" >/dev/null 2>&1; then MLIR_OPT="$c"; break; fi
  done
fi
[[ -n "$MLIR_OPT" ]] || { echo "check_lowering: mlir-opt-16 not found" >&2; exit 2; }
command -v jq >/dev/null || { echo "check_lowering: jq not found" >&2; exit 2; }

PIPELINE='builtin.module(eliminate-empty-tensors,empty-tensor-to-alloc-tensor,one-shot-bufferize{bufferize-function-boundaries allow-return-allocs function-boundary-type-conversion=identity-layout-map},buffer-results-to-out-params,func.func(buffer-deallocation),func.func(convert-linalg-to-loops),convert-scf-to-cf,expand-strided-metadata,lower-affine,convert-math-to-llvm,convert-math-to-libm,convert-memref-to-llvm,convert-arith-to-llvm,convert-func-to-llvm,reconcile-unrealized-casts)'

tmp="$(mktemp -d)"
keep=0
trap '[[ $keep == 1 ]] || rm -rf "$tmp"' EXIT

fail() { keep=1; echo "FAIL $1: $2" >&2; exit 1; }

# eval_expr ASSIGNS EXPR FORMAT: evaluates EXPR with awk after the parameter assignments ASSIGNS.
# FORMAT "int" requires an exact integer and prints it; "float" prints %e.
eval_expr() {
  awk -v fmt="$3" "BEGIN { $1 v = ($2);
    if (fmt == \"int\") { if (v != int(v)) { print \"not-an-integer:\" v; exit 1 } printf \"%d\", v }
    else printf \"%e\", v }"
}

ntasks=0; nruns=0
for json in "$here"/*/task.json; do
  dir="$(dirname "$json")"; task="$(basename "$dir")"
  mlir="$dir/$(jq -r '.reference.file' "$json")"
  fn="$(jq -r '.reference.function' "$json")"
  [[ -f "$mlir" ]] || fail "$task" "missing $mlir"
  src="$(cat "$mlir")"
  configs="$(jq -r '.configs | keys_unsorted | join(" ")' "$json")"
  [[ "$configs" == "C1 C2 C3 C4 C5" ]] || fail "$task" "configs must be exactly C1..C5, got: $configs"
  consts=" $(jq -r '[.constants[].name] | join(" ")' "$json") "
  mapfile -t placeholders < <(grep -o '\${[^}]*}' "$mlir" | sort -u)
  ntasks=$((ntasks + 1))
  for cfg in $configs; do
    where="$task/$cfg"
    assigns="$(jq -r --arg c "$cfg" '.configs[$c] | to_entries | map("\(.key) = \(.value);") | join(" ")' "$json")"
    text="$src"
    for ph in "${placeholders[@]}"; do
      expr="${ph:2:${#ph}-3}"
      if [[ "$consts" == *" $expr "* ]]; then
        cexpr="$(jq -r --arg n "$expr" '.constants[] | select(.name == $n) | .value' "$json")"
        val="$(eval_expr "$assigns" "$cexpr" float)" || fail "$where" "cannot evaluate constant $expr = $cexpr"
      else
        val="$(eval_expr "$assigns" "$expr" int)" || fail "$where" "cannot evaluate placeholder $ph ($val)"
      fi
      text="${text//"$ph"/$val}"
    done
    if grep -q '\${' <<<"$text"; then fail "$where" "unsubstituted placeholder left"; fi
    out="$tmp/$task.$cfg.mlir"
    printf '%s\n' "$text" > "$out"

    # Signature: argument types then result types of @fn must equal the task.json tensor shapes.
    got="$(awk -v fn="$fn" 'index($0, "func.func @" fn "(") { on = 1 } on { printf "%s ", $0 } on && /\{[[:space:]]*$/ { exit }' "$out" \
           | grep -o 'tensor<[^>]*>' | tr '\n' ' ')"
    [[ -n "$got" ]] || fail "$where" "function @$fn not found"
    want=""
    while IFS= read -r shape; do
      dims=""
      for e in $shape; do
        d="$(eval_expr "$assigns" "$e" int)" || fail "$where" "shape expression $e is not an integer"
        (( d > 0 )) || fail "$where" "shape expression $e is not positive"
        dims+="${d}x"
      done
      want+="tensor<${dims}f32> "
    done < <(jq -r '(.tensors | map(select(.role == "input")) + map(select(.role == "output")))[] | .shape | join(" ")' "$json")
    [[ "$got" == "$want" ]] || fail "$where" "signature mismatch: MLIR has [$got], task.json wants [$want]"

    if ! "$MLIR_OPT" --pass-pipeline="$PIPELINE" "$out" > /dev/null 2> "$tmp/err"; then
      head -n 20 "$tmp/err" >&2
      fail "$where" "mlir-opt lowering failed ($out)"
    fi
    nruns=$((nruns + 1))
    echo "ok   $where"
  done
done
echo "all lowered: $ntasks tasks x 5 configs = $nruns runs"
