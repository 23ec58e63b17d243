// GEMM: C[m, n] = sum_k A[m, k] * B[k, n].
func.func @gemm(%A: tensor<${M}x${K}xf32>, %B: tensor<${K}x${N}xf32>) -> tensor<${M}x${N}xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<${M}x${N}xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%empty : tensor<${M}x${N}xf32>) -> tensor<${M}x${N}xf32>
  %C = linalg.matmul ins(%A, %B : tensor<${M}x${K}xf32>, tensor<${K}x${N}xf32>) outs(%acc : tensor<${M}x${N}xf32>) -> tensor<${M}x${N}xf32>
  return %C : tensor<${M}x${N}xf32>
}
